#include "test_server.hpp"

#include "test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace ithaca::tracker::testing {

RunningServer::RunningServer(TrackerOptions options) {
  std::string error;
  tracker_ = Tracker::create(std::move(options), error);
  if (!tracker_) throw std::runtime_error("tracker: " + error);
  server_ = std::make_unique<HttpServer>(*tracker_);
  port_ = server_->bind("127.0.0.1", 0);
  if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port");
  thread_ = std::thread([this] { server_->listen(); });
  // listen_after_bind() flips running() as it enters its accept loop.
  while (!server_->running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

RunningServer::~RunningServer() { stop(); }

void RunningServer::stop() {
  if (!server_) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
  tracker_->shutdown();
}

std::unique_ptr<httplib::Client> browser_client(int port) {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", port);
  client->set_default_headers({{"User-Agent", kChrome}});
  return client;
}

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string raw_exchange(int port, const std::string& bytes) {
  const int fd = connect_loopback(port);
  if (fd < 0) return {};
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early on a bad request; read what it said
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string response = read_until_closed(fd, std::chrono::seconds(10));
  ::close(fd);
  return response;
}

std::string read_until_closed(int fd, std::chrono::seconds limit, bool* closed) {
  if (closed) *closed = false;
  std::string response;
  char buffer[8192];
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      if (closed) *closed = true;
      break;
    }
    response.append(buffer, static_cast<std::size_t>(n));
  }
  return response;
}

int status_of(const std::string& raw) {
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) return 0;
  return std::atoi(raw.substr(9, 3).c_str());
}

std::string body_of(const std::string& raw) {
  auto end = raw.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : raw.substr(end + 4);
}

}  // namespace ithaca::tracker::testing
