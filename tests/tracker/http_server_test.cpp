// The tracker behind real sockets: what the HTTP layer adds (framing, size limits, keep-alive,
// concurrency, graceful stop).
#include "ithaca/tracker/http_server.hpp"

#include <httplib.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sqlite_db.hpp"
#include "test_server.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;
using testing::RunningServer;
using testing::TempDir;

std::int64_t stored_events(const TempDir& dir) {
  SqliteConnection db;
  EXPECT_TRUE(db.open(dir.str("data") + "/ithaca.db", false));
  SqliteStatement stmt;
  EXPECT_TRUE(db.prepare("SELECT count(*) FROM events", stmt));
  EXPECT_EQ(stmt.step(), SQLITE_ROW);
  return stmt.column_int(0);
}

TEST(HttpServer, ServesTheTrackerOverLoopback) {
  TempDir dir;
  RunningServer server(testing::test_options(dir));
  auto owned = testing::browser_client(server.port());
  httplib::Client& client = *owned;

  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->get_header_value("Content-Type"), "application/json");

  auto collected = client.Post("/v1/collect", testing::pageview_batch("shop", "w", 3), "application/json");
  ASSERT_TRUE(collected);
  EXPECT_EQ(collected->status, 202);
  EXPECT_EQ(json::parse(collected->body), json({{"accepted", 3}}));

  auto beacon = client.Post("/v1/collect", R"({"site":"shop","type":"pageview"})", "text/plain;charset=UTF-8");
  ASSERT_TRUE(beacon);
  EXPECT_EQ(beacon->status, 202);

  auto rules = client.Get("/v1/rules/shop");
  ASSERT_TRUE(rules);
  EXPECT_EQ(rules->status, 200);
  const std::string etag = rules->get_header_value("ETag");
  auto revalidated = client.Get("/v1/rules/shop", httplib::Headers{{"If-None-Match", etag}});
  ASSERT_TRUE(revalidated);
  EXPECT_EQ(revalidated->status, 304);
  auto head = client.Head("/v1/rules/shop");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());

  auto stats = client.Get("/v1/stats/shop/summary",
                          httplib::Headers{{"Authorization", std::string("Bearer ") + testing::kAdminToken}});
  ASSERT_TRUE(stats);
  EXPECT_EQ(json::parse(stats->body)["events"], 4);

  auto page = client.Get("/sub/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("nested"), std::string::npos);
}

TEST(HttpServer, BodiesOverTheLimitGet413InTheErrorShape) {
  TempDir dir;
  TrackerOptions options = testing::test_options(dir);
  options.limits.max_body_bytes = 4096;
  options.limits.max_rules_bytes = 8192;
  RunningServer server(options);
  auto owned = testing::browser_client(server.port());
  httplib::Client& client = *owned;
  // Above the decoder's limit but within what the HTTP layer reads.
  auto medium = client.Post("/v1/collect", std::string(6000, ' '), "application/json");
  ASSERT_TRUE(medium);
  EXPECT_EQ(medium->status, 413);
  EXPECT_EQ(json::parse(medium->body)["error"]["code"], "body_too_large");
  // Above what the HTTP layer reads at all.
  auto huge = client.Post("/v1/collect", std::string(1 << 20, 'x'), "application/json");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413);
  EXPECT_EQ(json::parse(huge->body)["error"]["code"], "body_too_large");
  auto after = client.Post("/v1/collect", R"({"site":"shop","type":"pageview"})", "application/json");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 202);
}

TEST(HttpServer, ConcurrentClientsAreAllAcknowledgedAndStored) {
  TempDir dir;
  RunningServer server(testing::test_options(dir));
  constexpr int kThreads = 8, kRequests = 25, kBatch = 20;
  std::atomic<int> accepted{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kThreads; ++t) {
    clients.emplace_back([&, t] {
      auto owned = testing::browser_client(server.port());
  httplib::Client& client = *owned;
      client.set_keep_alive(true);
      for (int r = 0; r < kRequests; ++r) {
        auto res = client.Post("/v1/collect",
                               testing::pageview_batch("shop", "c" + std::to_string(t) + "-" + std::to_string(r), kBatch),
                               "application/json");
        if (res && res->status == 202) accepted += kBatch;
      }
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(accepted.load(), kThreads * kRequests * kBatch);
  server.stop();
  EXPECT_EQ(stored_events(dir), kThreads * kRequests * kBatch);
}

TEST(HttpServer, GracefulStopLosesNoAcknowledgedEvent) {
  TempDir dir;
  auto server = std::make_unique<RunningServer>(testing::test_options(dir));
  const int port = server->port();
  std::atomic<bool> go{true};
  std::atomic<int> acknowledged{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      auto owned = testing::browser_client(port);
      httplib::Client& client = *owned;
      for (int r = 0; go.load(); ++r) {
        auto res = client.Post("/v1/collect",
                               testing::pageview_batch("shop", "g" + std::to_string(t) + "-" + std::to_string(r), 10),
                               "application/json");
        if (res && res->status == 202) acknowledged += 10;
        if (!res) break;  // the server is gone
      }
    });
  }
  while (acknowledged.load() < 400) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  server->stop();
  go = false;
  for (auto& c : clients) c.join();
  server.reset();
  EXPECT_GE(stored_events(dir), acknowledged.load());
}

// A client socket kept open across requests, to see what the server does with an idle
// keep-alive connection. Answers are read by their Content-Length (the tracker always sends one).
class KeepAliveSocket {
 public:
  explicit KeepAliveSocket(int port) : fd_(testing::connect_loopback(port)) {}
  ~KeepAliveSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  KeepAliveSocket(const KeepAliveSocket&) = delete;
  KeepAliveSocket& operator=(const KeepAliveSocket&) = delete;

  // GET /healthz on this connection; the status, or 0 when the server closed it or said nothing.
  int get_health() {
    if (fd_ < 0) return 0;
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
    if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) return 0;
    std::string answer;
    char buffer[4096];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      const auto head_end = answer.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const auto length_at = answer.find("Content-Length: ");
        if (length_at != std::string::npos && length_at < head_end &&
            answer.size() >= head_end + 4 + std::stoul(answer.substr(length_at + 16))) {
          return testing::status_of(answer);
        }
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return 0;
      answer.append(buffer, static_cast<std::size_t>(n));
    }
    return 0;
  }

 private:
  int fd_;
};

// The keep-alive wait (cmake/IthacaHttplib.cmake) sleeps in poll() in steps; a connection that
// idles across several steps must still be served.
TEST(HttpServer, AKeepAliveConnectionIsServedAfterIdling) {
  TempDir dir;
  RunningServer server(testing::test_options(dir));
  KeepAliveSocket connection(server.port());
  EXPECT_EQ(connection.get_health(), 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(350));
  EXPECT_EQ(connection.get_health(), 200);
  EXPECT_EQ(connection.get_health(), 200);
}

// A stop must not wait out the 5 s keep-alive timeout of a connection that sends nothing more
// (Debian's build of the library did: SIGTERM took up to 5 s with a browser tab open).
TEST(HttpServer, StopDoesNotWaitForIdleKeepAliveConnections) {
  TempDir dir;
  RunningServer server(testing::test_options(dir));
  KeepAliveSocket idle(server.port());
  ASSERT_EQ(idle.get_health(), 200);
  auto stopped = std::async(std::launch::async, [&] { server.stop(); });
  EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(2500)), std::future_status::ready);
}

// Reads on a connection time out through the socket's SO_RCVTIMEO, not a poll() before each
// recv() (third_party/cpp-httplib/per-request-costs.patch): a client that stops halfway through
// its headers or its body is still dropped after the 5 s read timeout, and others are served
// meanwhile.
TEST(HttpServer, AClientThatStallsMidRequestIsDroppedAfterTheReadTimeout) {
  TempDir dir;
  RunningServer server(testing::test_options(dir));
  const int in_headers = testing::connect_loopback(server.port());
  const int in_body = testing::connect_loopback(server.port());
  ASSERT_GE(in_headers, 0);
  ASSERT_GE(in_body, 0);
  const std::string half_headers = "POST /v1/collect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty";
  const std::string half_body =
      "POST /v1/collect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 40\r\n\r\n{\"site\":\"shop\",";
  ASSERT_EQ(::send(in_headers, half_headers.data(), half_headers.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(half_headers.size()));
  ASSERT_EQ(::send(in_body, half_body.data(), half_body.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(half_body.size()));
  const auto start = std::chrono::steady_clock::now();

  KeepAliveSocket other(server.port());
  EXPECT_EQ(other.get_health(), 200);

  // Each stalled connection ends (closed, perhaps after an error answer) within the timeout plus
  // slack, and never with a 202: the half-sent event is not taken.
  for (const int fd : {in_headers, in_body}) {
    bool closed = false;
    const std::string answer = testing::read_until_closed(fd, std::chrono::seconds(15), &closed);
    EXPECT_TRUE(closed) << "a connection stalled mid-request was still open after 15 s";
    EXPECT_NE(testing::status_of(answer), 202) << answer;
    ::close(fd);
  }
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, std::chrono::seconds(4)) << "dropped before the 5 s read timeout";
  EXPECT_EQ(stored_events(dir), 0);
}

// What a client that trickles a request sees: `pieces` sent one every `interval` on `fd` until
// the server closes the connection (or answers and closes) or the pieces run out.
struct Trickled {
  bool closed = false;                       // by the server, before the pieces ran out
  std::chrono::milliseconds after{0};        // since the first piece
  std::string answer;
};
Trickled trickle(int fd, const std::vector<std::string>& pieces, std::chrono::milliseconds interval) {
  Trickled out;
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& piece : pieces) {
    if (::send(fd, piece.data(), piece.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(piece.size())) {
      out.closed = true;
      break;
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(interval.count())) > 0) {
      out.answer = testing::read_until_closed(fd, std::chrono::seconds(2), &out.closed);
      break;
    }
  }
  out.after = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return out;
}

// The read timeout is per read, so before request-time-limits.patch a client that sent a header
// line every few seconds kept its thread for as long as it went on. Now the request line and
// headers must arrive within the header deadline of the request's first byte, or get 408.
TEST(HttpServer, AClientThatTricklesHeadersIsCutOffAtTheHeaderDeadline) {
  TempDir dir;
  TrackerOptions options = testing::test_options(dir);
  options.limits.header_deadline_ms = 1500;
  RunningServer server(options);
  const int fd = testing::connect_loopback(server.port());
  ASSERT_GE(fd, 0);
  std::vector<std::string> pieces = {"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"};
  for (int i = 0; i < 40; ++i) pieces.push_back("X-Slow-" + std::to_string(i) + ": 1\r\n");  // 8 s of them
  const Trickled t = trickle(fd, pieces, std::chrono::milliseconds(200));
  ::close(fd);
  EXPECT_TRUE(t.closed) << "still reading headers after " << t.after.count() << " ms";
  EXPECT_GE(t.after, std::chrono::milliseconds(1400)) << "cut off before the deadline";
  EXPECT_LT(t.after, std::chrono::milliseconds(4000));
  EXPECT_EQ(testing::status_of(t.answer), 408) << t.answer;
  EXPECT_EQ(json::parse(testing::body_of(t.answer))["error"]["code"], "request_timeout");
  // The same headers sent at once are served: it is the time that was refused.
  std::string whole;
  for (const std::string& piece : pieces) whole += piece;
  EXPECT_EQ(testing::status_of(testing::raw_exchange(server.port(), whole + "Connection: close\r\n\r\n")), 200);
}

// A body must arrive at the minimum rate after the grace period, counted from the end of the
// headers: one sent 10 bytes at a time is cut off with a 408 and not stored; one sent faster
// than the rate is taken even though it takes longer than the grace period alone.
TEST(HttpServer, ABodyBelowTheMinimumRateIsCutOffAndAFastEnoughOneIsTaken) {
  TempDir dir;
  TrackerOptions options = testing::test_options(dir);
  options.limits.body_grace_ms = 500;
  options.limits.body_min_bytes_per_second = 1000;
  RunningServer server(options);
  // One event padded with white space to the size wanted.
  const std::string event = R"({"site":"shop","type":"pageview"})";
  auto request = [](const std::string& body) {
    return "POST /v1/collect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  };
  auto pieces_of = [](const std::string& head, const std::string& body, std::size_t size) {
    std::vector<std::string> pieces = {head};
    for (std::size_t at = 0; at < body.size(); at += size) pieces.push_back(body.substr(at, size));
    return pieces;
  };

  // 1,500 bytes: 0.5 s + 1.5 s allowed; at 10 bytes per 100 ms it would take 15 s.
  const std::string slow_body = event + std::string(1500 - event.size(), ' ');
  const int slow = testing::connect_loopback(server.port());
  ASSERT_GE(slow, 0);
  const Trickled cut = trickle(slow, pieces_of(request(slow_body), slow_body, 10), std::chrono::milliseconds(100));
  ::close(slow);
  EXPECT_TRUE(cut.closed) << "still reading the body after " << cut.after.count() << " ms";
  EXPECT_GE(cut.after, std::chrono::milliseconds(1900)) << "cut off before the deadline";
  EXPECT_LT(cut.after, std::chrono::milliseconds(5000));
  EXPECT_EQ(testing::status_of(cut.answer), 408) << cut.answer;

  // 6,000 bytes: 0.5 s + 6 s allowed; sent in 1,000-byte pieces every 250 ms (4 KB/s), 1.5 s.
  const std::string fast_body = event + std::string(6000 - event.size(), ' ');
  const int fast = testing::connect_loopback(server.port());
  ASSERT_GE(fast, 0);
  const Trickled taken = trickle(fast, pieces_of(request(fast_body), fast_body, 1000), std::chrono::milliseconds(250));
  std::string answer = taken.answer;
  if (answer.empty()) answer = testing::read_until_closed(fast, std::chrono::seconds(5));
  ::close(fast);
  EXPECT_GE(taken.after, std::chrono::milliseconds(1000)) << "the body went faster than the grace period";
  EXPECT_EQ(testing::status_of(answer), 202) << answer;
  server.stop();
  EXPECT_EQ(stored_events(dir), 1);
}

// Header fields are capped (before, a client could send them without end, each stored): 100 are
// served, 101 get 431 in the error shape and the connection is closed.
TEST(HttpServer, MoreHeaderFieldsThanTheLimitGet431) {
  TempDir dir;
  TrackerOptions options = testing::test_options(dir);
  RunningServer server(options);
  ASSERT_EQ(options.limits.max_header_fields, 100u);
  auto request = [](int fields) {
    std::string r = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    for (int i = 2; i < fields; ++i) r += "X-Field-" + std::to_string(i) + ": 1\r\n";
    return r + "\r\n";
  };
  EXPECT_EQ(testing::status_of(testing::raw_exchange(server.port(), request(100))), 200);
  const std::string refused = testing::raw_exchange(server.port(), request(101));
  EXPECT_EQ(testing::status_of(refused), 431) << refused;
  EXPECT_EQ(json::parse(testing::body_of(refused))["error"]["code"], "headers_too_large");
  // So does one field over 8 KB (before, a 400 as if the request could not be parsed).
  const std::string long_field = testing::raw_exchange(
      server.port(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " + std::string(9000, 'a') + "\r\n\r\n");
  EXPECT_EQ(testing::status_of(long_field), 431) << long_field;
}

// A request without Content-Length or Transfer-Encoding has no body (request-body-framing.patch):
// a POST without data is answered at once as empty, and the bytes after it are the next request.
// Before, they were read as its body (or, from a client that waited, for the 5 s read timeout).
TEST(HttpServer, ARequestWithoutContentLengthHasNoBody) {
  TempDir dir;
  TrackerOptions options = testing::test_options(dir);
  RunningServer server(options);
  const std::string answers = testing::raw_exchange(
      server.port(), "POST /v1/collect HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                     "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(testing::status_of(answers), 400) << answers;
  EXPECT_NE(answers.find("empty_body"), std::string::npos) << answers;
  const std::size_t second = answers.find("HTTP/1.1 ", 1);
  ASSERT_NE(second, std::string::npos) << "one answer only: the GET was read as the POST's body\n" << answers;
  EXPECT_EQ(testing::status_of(answers.substr(second)), 200) << answers;
}

// A response body up to 64 KB goes out with its headers in one send(), a larger one after them
// (per-request-costs.patch): both arrive whole, byte for byte.
TEST(HttpServer, SmallAndLargeBodiesArriveWhole) {
  TempDir dir;
  TrackerOptions options = testing::test_options(dir);
  options.static_dir = dir.str("static");
  std::filesystem::create_directories(options.static_dir);
  std::string large(300 * 1024, '\0');
  for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>('a' + (i * 7919) % 26);
  const std::string small = large.substr(0, 65536);
  std::ofstream(options.static_dir + "/small.txt", std::ios::binary) << small;
  std::ofstream(options.static_dir + "/large.txt", std::ios::binary) << large;
  RunningServer server(options);
  auto owned = testing::browser_client(server.port());
  for (int round = 0; round < 3; ++round) {  // on one keep-alive connection
    auto got_small = owned->Get("/small.txt");
    auto got_large = owned->Get("/large.txt");
    ASSERT_TRUE(got_small);
    ASSERT_TRUE(got_large);
    EXPECT_EQ(got_small->status, 200);
    EXPECT_EQ(got_large->status, 200);
    EXPECT_TRUE(got_small->body == small) << "small body differs, " << got_small->body.size() << " bytes";
    EXPECT_TRUE(got_large->body == large) << "large body differs, " << got_large->body.size() << " bytes";
  }
}

// listen() on its own thread; true when it returned within `limit`. If it did not, the server
// is stopped again (now that it accepts) so the thread can be joined and the test fail cleanly.
bool listen_returns_within(HttpServer& server, std::chrono::milliseconds limit,
                           const std::function<void()>& after_start = {}) {
  std::promise<void> returned;
  auto done = returned.get_future();
  std::thread listener([&] {
    server.listen();
    returned.set_value();
  });
  if (after_start) after_start();
  const bool in_time = done.wait_for(limit) == std::future_status::ready;
  if (!in_time) server.stop();
  listener.join();
  return in_time;
}

// A SIGTERM right after the "listening" line calls stop() before httplib's accept loop runs;
// httplib alone ignores such a stop and the tracker would serve on, deaf to the signal.
TEST(HttpServer, StopBeforeListenIsNotLost) {
  TempDir dir;
  std::string error;
  auto tracker = Tracker::create(testing::test_options(dir), error);
  ASSERT_TRUE(tracker) << error;
  HttpServer server(*tracker);
  ASSERT_GT(server.bind("127.0.0.1", 0), 0);
  server.stop();
  EXPECT_TRUE(listen_returns_within(server, std::chrono::seconds(5)));
  tracker->shutdown();
}

TEST(HttpServer, StopRacingTheStartOfListenAlwaysEndsIt) {
  TempDir dir;
  std::string error;
  auto tracker = Tracker::create(testing::test_options(dir), error);
  ASSERT_TRUE(tracker) << error;
  int hung = 0;
  for (int i = 0; i < 40; ++i) {
    HttpServer server(*tracker);
    ASSERT_GT(server.bind("127.0.0.1", 0), 0);
    // Every few rounds stop() waits a little, so it lands on either side of the loop's start.
    const auto delay = std::chrono::microseconds((i % 4) * 50);
    if (!listen_returns_within(server, std::chrono::seconds(3), [&] {
          std::this_thread::sleep_for(delay);
          server.stop();
        })) {
      ++hung;
    }
  }
  EXPECT_EQ(hung, 0);
  tracker->shutdown();
}

}  // namespace
}  // namespace ithaca::tracker
