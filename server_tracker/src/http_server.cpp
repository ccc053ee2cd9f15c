// The only file that includes httplib.h: it turns httplib's request into an HttpRequest,
// hands it to the Tracker, and writes the HttpResponse back — at once, or later from the
// writer's thread for a collect request (httplib's answer_later: the request's thread then
// goes back to the connection instead of sleeping until the commit).
#include "ithaca/tracker/http_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "ascii.hpp"
#include "thread_name.hpp"

namespace ithaca::tracker {

namespace {

// Debian's cpp-httplib listens with a backlog of 5: a burst of new connections overflows it,
// the kernel drops their SYNs and the clients retry after 1 s and 3 s. Linux lets a second
// listen() on the bound socket raise the backlog.
class ListeningServer : public httplib::Server {
 public:
  void raise_backlog(int backlog) {
    const auto socket = svr_sock_.load();
    if (socket != INVALID_SOCKET) ::listen(socket, backlog);
  }
  // httplib's stop() closes the listening socket only once its accept loop runs; this says
  // whether a stop() now would take effect and none has yet.
  bool accepting() const { return is_running() && svr_sock_.load() != INVALID_SOCKET; }
};

constexpr int kListenBacklog = 4096;

}  // namespace

struct HttpServer::Impl {
  explicit Impl(Tracker& t) : tracker(t) {}
  Tracker& tracker;
  ListeningServer server;

  // A stop() that lands before httplib's accept loop starts (a signal right after the
  // "listening" line) is a no-op inside httplib, and listen() would then serve forever. So
  // stop() is remembered, and listen() repeats it until the loop really ends.
  std::mutex mutex;  // also serializes the calls to server.stop()
  std::condition_variable changed;
  bool stop_requested = false;
  bool listen_returned = false;
};

namespace {

HttpRequest convert(const httplib::Request& in) {
  HttpRequest out;
  out.method = in.method;
  out.path = in.path;
  out.query.reserve(in.params.size());
  for (const auto& [key, value] : in.params) out.query.emplace_back(key, value);
  out.headers.reserve(in.headers.size());
  for (const auto& [name, value] : in.headers) out.headers.emplace_back(to_lower(name), value);
  out.body = in.body;
  out.remote_ip = in.remote_addr;
  return out;
}

void write_back(HttpResponse&& in, httplib::Response& out) {
  out.status = in.status;
  for (auto& [name, value] : in.headers) out.set_header(name, value);
  if (!in.content_type.empty() || !in.body.empty()) {
    out.set_content(std::move(in.body), in.content_type.empty() ? "application/octet-stream" : in.content_type);
  }
}

// Errors httplib produces itself (bad request lines, bodies over the size limit, …) get the
// same JSON shape as the tracker's own.
std::pair<const char*, const char*> describe(int status) {
  switch (status) {
    case 400: return {"bad_request", "the request could not be parsed"};
    case 404: return {"not_found", "no such endpoint"};
    case 405: return {"method_not_allowed", "method not allowed"};
    case 408: return {"request_timeout", "the request arrived too slowly"};
    case 413: return {"body_too_large", "the body is too large"};
    case 414: return {"uri_too_long", "the request URI is too long"};
    case 416: return {"range_not_satisfiable", "range not satisfiable"};
    case 431: return {"headers_too_large", "the request headers are too large"};
    default: return {"error", "the request failed"};
  }
}

}  // namespace

HttpServer::HttpServer(Tracker& tracker) : impl_(std::make_unique<Impl>(tracker)) {
  const TrackerOptions& options = tracker.options();
  auto& server = impl_->server;
  const auto threads = static_cast<std::size_t>(options.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(100'000);
  server.set_keep_alive_timeout(5);
  server.set_read_timeout(5, 0);
  server.set_write_timeout(5, 0);
  server.set_tcp_nodelay(true);
  server.set_payload_max_length(std::max(options.limits.max_body_bytes, options.limits.max_rules_bytes));
  server.set_request_time_limits(std::chrono::milliseconds(options.limits.header_deadline_ms),
                                 std::chrono::milliseconds(options.limits.body_grace_ms),
                                 options.limits.body_min_bytes_per_second);
  server.set_header_max_count(options.limits.max_header_fields);

  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    // httplib's pool creates its threads itself; each names itself on its first request.
    thread_local bool named = false;
    if (!named) {
      name_this_thread("ithaca-http");
      named = true;
    }
    httplib::Server& http = impl_->server;
    const AnswerLater later = [&http, &req]() -> std::function<void(HttpResponse)> {
      std::shared_ptr<httplib::LateReply> reply = http.answer_later(req);
      if (!reply) return nullptr;
      // Formatted from its parts, not through an httplib::Response: building the Response
      // and its header map cost about 2 µs per reply on the writer's thread
      // (docs/performance.md, Tracker, round 11).
      return [reply = std::move(reply)](HttpResponse response) {
        reply->send(response.status, response.headers, response.content_type, response.body);
      };
    };
    if (auto response = impl_->tracker.handle(convert(req), later)) write_back(std::move(*response), res);
  };
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Put(".*", handler);
  server.Delete(".*", handler);
  server.Patch(".*", handler);
  server.Options(".*", handler);

  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // the tracker's own
    const auto [code, message] = describe(res.status);
    HttpResponse error = json_error(res.status, code, message);
    res.set_content(error.body, error.content_type);
    res.set_header("X-Content-Type-Options", "nosniff");
    HttpRequest summary;
    summary.method = req.method;
    impl_->tracker.record_external(summary, res.status, 0.0);
    return httplib::Server::HandlerResponse::Handled;
  }));
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    HttpResponse error = json_error(500, "internal", "internal error");
    res.status = 500;
    res.set_content(error.body, error.content_type);
  });
}

HttpServer::~HttpServer() { stop(); }

int HttpServer::bind(const std::string& host, int port) {
  const int bound = port == 0 ? impl_->server.bind_to_any_port(host)
                              : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound > 0) impl_->server.raise_backlog(kListenBacklog);
  return bound;
}

bool HttpServer::listen() {
  Impl& m = *impl_;
  {
    std::lock_guard<std::mutex> lock(m.mutex);
    if (m.stop_requested) return true;
    m.listen_returned = false;
  }
  std::thread stopper([&m] {
    std::unique_lock<std::mutex> lock(m.mutex);
    m.changed.wait(lock, [&] { return m.stop_requested || m.listen_returned; });
    while (!m.listen_returned) {
      if (m.server.accepting()) m.server.stop();
      m.changed.wait_for(lock, std::chrono::milliseconds(5), [&] { return m.listen_returned; });
    }
  });
  const bool served = m.server.listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(m.mutex);
    m.listen_returned = true;
  }
  m.changed.notify_all();
  stopper.join();
  return served;
}

void HttpServer::stop() {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> lock(m.mutex);
  m.stop_requested = true;
  m.changed.notify_all();
  if (m.server.accepting()) m.server.stop();
}

bool HttpServer::running() const { return impl_->server.is_running(); }

}  // namespace ithaca::tracker
