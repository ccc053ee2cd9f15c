// The socket side: cpp-httplib serving a Tracker. Only translation lives here; every decision
// is the Tracker's. bind() then listen() (blocking) on one thread; stop() from any other
// thread stops accepting, lets in-flight requests finish and makes listen() return — also when
// it comes before listen() has started (listen() then returns at once).
#pragma once

#include <memory>
#include <string>

#include "ithaca/tracker/tracker.hpp"

namespace ithaca::tracker {

class HttpServer {
 public:
  explicit HttpServer(Tracker& tracker);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds host:port (port 0 picks a free one). Returns the bound port, or -1.
  int bind(const std::string& host, int port);
  bool listen();  // blocks until stop()
  void stop();
  bool running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ithaca::tracker
