// A tracker served in-process on a free loopback port, for tests that need real sockets, and a
// raw-bytes client for requests no well-behaved HTTP client would send.
#pragma once

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "ithaca/tracker/http_server.hpp"
#include "ithaca/tracker/tracker.hpp"

namespace ithaca::tracker::testing {

class RunningServer {
 public:
  explicit RunningServer(TrackerOptions options);
  ~RunningServer();
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  int port() const noexcept { return port_; }
  Tracker& tracker() { return *tracker_; }
  // Stops accepting, waits for in-flight requests, drains the writer.
  void stop();

 private:
  std::unique_ptr<Tracker> tracker_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  int port_ = -1;
};

// An httplib client that presents itself as a browser.
std::unique_ptr<httplib::Client> browser_client(int port);

// A TCP connection to 127.0.0.1:port: its descriptor (the caller closes it), or -1.
int connect_loopback(int port);
// Sends `bytes` on a fresh connection to 127.0.0.1:port and returns everything the server
// answers until it closes the connection (or 10 s pass).
std::string raw_exchange(int port, const std::string& bytes);
// Everything the server sends on `fd` until it closes the connection or `limit` passes; whether
// it closed goes to `closed` when given.
std::string read_until_closed(int fd, std::chrono::seconds limit, bool* closed = nullptr);
int status_of(const std::string& raw_response);  // 0 when there is no status line
std::string body_of(const std::string& raw_response);

}  // namespace ithaca::tracker::testing
