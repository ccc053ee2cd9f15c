// cpp-httplib's answer_later() (third_party/cpp-httplib/late-reply.patch), on a plain
// httplib::Server over loopback: a handler that returns before its response exists, the
// response sent from another thread, and what the connection does meanwhile.
#include <httplib.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;

// Sends late replies from its own thread, each `delay` after it was handed over.
class Replier {
 public:
  explicit Replier(std::chrono::milliseconds delay) : delay_(delay), thread_([this] { run(); }) {}
  ~Replier() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  // Answers 202 with `body` as text/plain, through an httplib::Response.
  void reply_later(std::shared_ptr<httplib::LateReply> reply, std::string body) {
    reply_later(std::move(reply), [body = std::move(body)](httplib::LateReply& r) {
      httplib::Response res;
      res.status = 202;
      res.set_content(body, "text/plain");
      r.send(res);
    });
  }
  void reply_later(std::shared_ptr<httplib::LateReply> reply, std::function<void(httplib::LateReply&)> send) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back({std::move(reply), std::move(send), std::chrono::steady_clock::now() + delay_});
    changed_.notify_all();
  }

 private:
  struct Item {
    std::shared_ptr<httplib::LateReply> reply;
    std::function<void(httplib::LateReply&)> send;
    std::chrono::steady_clock::time_point due;
  };
  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      changed_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      Item item = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      std::this_thread::sleep_until(item.due);
      item.send(*item.reply);
      lock.lock();
    }
  }
  std::chrono::milliseconds delay_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Item> queue_;
  bool stop_ = false;
  std::thread thread_;
};

// A server whose POST /late answers through the Replier and GET /now at once.
class LateServer {
 public:
  explicit LateServer(std::chrono::milliseconds delay, std::size_t late_body_bytes = 0) : replier_(delay) {
    server_.Post("/late", [this, late_body_bytes](const httplib::Request& req, httplib::Response& res) {
      res.set_content("ignored: the late reply answers", "text/plain");
      auto reply = server_.answer_later(req);
      ASSERT_TRUE(reply);
      EXPECT_FALSE(server_.answer_later(req)) << "a second call for the same request";
      std::string body = late_body_bytes ? std::string(late_body_bytes, 'x') : std::string("late:");
      if (!late_body_bytes) body += req.body;
      replier_.reply_later(std::move(reply), std::move(body));
    });
    // The same answer twice, through a Response and from its parts: the request body names
    // the body to send back ("empty" for none); X-Bad carries a header injection.
    for (const bool parts : {false, true}) {
      server_.Post(parts ? "/parts" : "/response", [this, parts](const httplib::Request& req, httplib::Response&) {
        auto reply = server_.answer_later(req);
        ASSERT_TRUE(reply);
        const std::string body = req.body == "empty" ? "" : "{\"late\":\"" + req.body + "\"}";
        const std::string type = body.empty() ? "" : "application/json";
        const std::vector<std::pair<std::string, std::string>> headers = {
            {"X-Seen", "yes"}, {"X-Bad", "a\r\nInjected: yes"}, {"Vary", "Origin"}};
        replier_.reply_later(std::move(reply), [=](httplib::LateReply& r) {
          if (parts) return r.send(202, headers, type, body);
          httplib::Response res;
          res.status = 202;
          for (const auto& [name, value] : headers) res.set_header(name, value);
          if (!body.empty()) res.set_content(body, type);
          r.send(res);
        });
      });
    }
    server_.Post("/dropped", [this](const httplib::Request& req, httplib::Response&) {
      auto reply = server_.answer_later(req);  // and never sent
      ASSERT_TRUE(reply);
    });
    server_.Get("/now", [](const httplib::Request&, httplib::Response& res) { res.set_content("now", "text/plain"); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(1ms);
  }
  ~LateServer() { stop(); }
  void stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  httplib::Server& server() { return server_; }

 private:
  Replier replier_;  // outlives the server's threads, which may wait for its replies
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  return fd;
}

void send_all(int fd, const std::string& bytes) {
  ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
}

// Reads until `done(received)` or EOF or 5 s.
std::string read_until(int fd, const std::function<bool(const std::string&)>& done) {
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!done(received) && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    received.append(buf, static_cast<std::size_t>(n));
  }
  return received;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

const std::string kLateRequest = "POST /late HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nA";
const std::string kNowRequest = "GET /now HTTP/1.1\r\nHost: t\r\n\r\n";

TEST(LateReply, IsSentFromAnotherThreadWithItsFraming) {
  LateServer server(50ms);
  httplib::Client client("127.0.0.1", server.port());
  for (int i = 0; i < 3; ++i) {  // one keep-alive connection
    const auto start = std::chrono::steady_clock::now();
    auto res = client.Post("/late", "b" + std::to_string(i), "text/plain");
    ASSERT_TRUE(res);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
    EXPECT_EQ(res->status, 202);
    EXPECT_EQ(res->body, "late:b" + std::to_string(i));
    EXPECT_EQ(res->get_header_value("Content-Length"), std::to_string(res->body.size()));
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain");
  }
}

// A request sent while the one before it still waits for its late reply is read only after
// that reply is out: the answers come in request order.
TEST(LateReply, TheNextRequestIsAnsweredAfterIt) {
  LateServer server(150ms);
  const int fd = connect_to(server.port());
  send_all(fd, kLateRequest);
  std::this_thread::sleep_for(30ms);  // the handler has returned; its reply is pending
  send_all(fd, kNowRequest);
  const std::string received = read_until(fd, [](const std::string& r) { return count_of(r, "HTTP/1.1 ") >= 2 && r.find("now") != std::string::npos; });
  ::close(fd);
  const auto late_at = received.find("late:A");
  const auto now_at = received.find("\r\n\r\nnow");
  ASSERT_NE(late_at, std::string::npos) << received;
  ASSERT_NE(now_at, std::string::npos) << received;
  EXPECT_LT(late_at, now_at) << received;
  EXPECT_EQ(received.rfind("HTTP/1.1 202 Accepted", 0), 0u) << received;
}

// Requests sent together (HTTP/1.1 pipelining) arrive in one read: the bytes of the second stay
// in the connection's stream for the next request instead of being dropped with the first's.
TEST(LateReply, PipelinedRequestsAreAnsweredInOrder) {
  LateServer server(50ms);
  const int fd = connect_to(server.port());
  send_all(fd, kLateRequest + kNowRequest + kLateRequest);
  const std::string received = read_until(fd, [](const std::string& r) { return count_of(r, "late:A") >= 2; });
  ::close(fd);
  const auto first = received.find("late:A");
  const auto now_at = received.find("\r\n\r\nnow");
  ASSERT_NE(now_at, std::string::npos) << received;
  EXPECT_LT(first, now_at) << received;
  EXPECT_EQ(count_of(received, "HTTP/1.1 "), 3u) << received;
  EXPECT_LT(now_at, received.rfind("late:A")) << received;
}

// What the socket does not take at once (a body far larger than its send buffer) the
// connection's own thread sends; the client gets every byte.
TEST(LateReply, ABodyTheSocketCannotTakeAtOnceArrivesWhole) {
  constexpr std::size_t kBytes = 16u << 20;
  LateServer server(10ms, kBytes);
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(10, 0);
  auto res = client.Post("/late", "x", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 202);
  ASSERT_EQ(res->body.size(), kBytes);
  EXPECT_EQ(res->body.find_first_not_of('x'), std::string::npos);
  auto again = client.Get("/now");  // the same connection goes on
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, "now");
}

// The response head, its lines sorted: the two ways of sending frame a response alike.
std::vector<std::string> head_lines(const std::string& response) {
  std::vector<std::string> lines;
  const auto end = response.find("\r\n\r\n");
  for (std::size_t at = 0; at < end;) {
    const auto next = response.find("\r\n", at);
    lines.push_back(response.substr(at, next - at));
    at = next + 2;
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::string exchange(int port, const std::string& path, const std::string& body, bool close) {
  const int fd = connect_to(port);
  send_all(fd, "POST " + path + " HTTP/1.1\r\nHost: t\r\n" + (close ? "Connection: close\r\n" : "") +
                   "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  // Until EOF when the connection closes, else until the whole body is in.
  const std::string received = read_until(fd, [close](const std::string& r) {
    const auto end = r.find("\r\n\r\n");
    const auto length = r.find("Content-Length: ");
    if (close || end == std::string::npos || length == std::string::npos) return false;
    return r.size() >= end + 4 + std::stoul(r.substr(length + 16));
  });
  ::close(fd);
  return received;
}

TEST(LateReply, FromItsPartsIsFramedAsFromAResponse) {
  LateServer server(5ms);
  for (const std::string body : {"abc", "empty"}) {
    for (const bool close : {false, true}) {
      SCOPED_TRACE(body + (close ? ", Connection: close" : ""));
      const std::string parts = exchange(server.port(), "/parts", body, close);
      const std::string response = exchange(server.port(), "/response", body, close);
      EXPECT_EQ(parts.rfind("HTTP/1.1 202 Accepted\r\n", 0), 0u) << parts;
      EXPECT_EQ(head_lines(parts), head_lines(response)) << parts << "\n----\n" << response;
      EXPECT_EQ(parts.substr(parts.find("\r\n\r\n")), response.substr(response.find("\r\n\r\n")));
      EXPECT_NE(parts.find("X-Seen: yes\r\n"), std::string::npos) << parts;
      EXPECT_EQ(parts.find("Injected"), std::string::npos) << parts;
      EXPECT_NE(parts.find(close ? "Connection: close\r\n" : "Keep-Alive: timeout="), std::string::npos) << parts;
      if (body == "empty") {
        EXPECT_NE(parts.find("Content-Length: 0\r\n"), std::string::npos) << parts;
        EXPECT_EQ(parts.find("Content-Type"), std::string::npos) << parts;
      } else {
        EXPECT_NE(parts.find("Content-Type: application/json\r\n"), std::string::npos) << parts;
        EXPECT_EQ(parts.substr(parts.size() - 14), "{\"late\":\"abc\"}") << parts;
      }
    }
  }
}

TEST(LateReply, OneDroppedUnsentAnswers500) {
  LateServer server(10ms);
  httplib::Client client("127.0.0.1", server.port());
  auto res = client.Post("/dropped", "x", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  auto next = client.Get("/now");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "now");
}

TEST(LateReply, ConnectionCloseWaitsForItThenCloses) {
  LateServer server(100ms);
  const int fd = connect_to(server.port());
  send_all(fd, "POST /late HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 1\r\n\r\nC");
  const std::string received = read_until(fd, [](const std::string&) { return false; });  // until EOF
  ::close(fd);
  EXPECT_EQ(received.rfind("HTTP/1.1 202 Accepted", 0), 0u) << received;
  EXPECT_NE(received.find("Connection: close"), std::string::npos) << received;
  EXPECT_EQ(received.substr(received.size() - 6), "late:C") << received;
}

// A client gone before its late reply: the reply finds a closed connection, nothing breaks, and
// the server goes on serving.
TEST(LateReply, AClientGoneBeforeItIsHarmless) {
  LateServer server(100ms);
  for (int i = 0; i < 4; ++i) {
    const int fd = connect_to(server.port());
    send_all(fd, kLateRequest);
    std::this_thread::sleep_for(10ms);
    ::close(fd);
  }
  std::this_thread::sleep_for(200ms);
  httplib::Client client("127.0.0.1", server.port());
  auto res = client.Post("/late", "z", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "late:z");
}

// stop() does not cut off a request that waits for its late reply.
TEST(LateReply, StopWaitsForRepliesInFlight) {
  LateServer server(200ms);
  const int fd = connect_to(server.port());
  send_all(fd, kLateRequest);
  std::this_thread::sleep_for(30ms);
  std::thread stopper([&] { server.stop(); });
  const std::string received = read_until(fd, [](const std::string& r) { return r.find("late:A") != std::string::npos; });
  stopper.join();
  ::close(fd);
  EXPECT_NE(received.find("late:A"), std::string::npos) << received;
}

}  // namespace
