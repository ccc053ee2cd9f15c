// A trivial cpp-httplib server: same thread pool, keep-alive and TCP settings as
// ithaca-tracker's HTTP layer, and a POST /v1/collect handler that answers 202 without looking
// at the body. It is the ceiling the tracker's single-event rate is compared with.
// Usage: tracker_trivial_server [THREADS]  — prints "port=N" once listening on 127.0.0.1.
#include <httplib.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstdlib>

namespace {

// The same listen backlog fix as the tracker's HTTP layer (server_tracker/src/http_server.cpp).
class ListeningServer : public httplib::Server {
 public:
  void raise_backlog(int backlog) {
    const auto socket = svr_sock_.load();
    if (socket != INVALID_SOCKET) ::listen(socket, backlog);
  }
};

}  // namespace

int main(int argc, char** argv) {
  const std::size_t threads = argc > 1 ? static_cast<std::size_t>(std::atoi(argv[1])) : 32;
  ListeningServer server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(100'000);
  server.set_keep_alive_timeout(5);
  server.set_tcp_nodelay(true);
  server.Post(".*", [](const httplib::Request&, httplib::Response& res) {
    res.status = 202;
    res.set_content("{\"accepted\":1}", "application/json");
  });
  server.Get(".*", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) return 1;
  server.raise_backlog(4096);
  std::printf("port=%d\n", port);
  std::fflush(stdout);
  return server.listen_after_bind() ? 0 : 1;
}
