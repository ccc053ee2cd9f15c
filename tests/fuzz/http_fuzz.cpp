// libFuzzer target for the tracker's HTTP front end: cpp-httplib 0.11.4 with this project's four
// patches (third_party/cpp-httplib/: the keep-alive wait, per-request costs, late replies and
// the request time limits), which parse every byte a client sends before the tracker sees a
// request. Arbitrary bytes are one connection's stream; requests are served from it one after
// another (pipelined), as the server's connection loop does, with the limits the tracker sets.
// Invariants: nothing crashes, leaks or reads out of bounds; every answer starts with a status
// line; a request the server cannot frame (a 400, 408, 414 or 431) ends the connection; and serving
// the same bytes twice writes answers of the same size (a multi-range answer's boundary is random).
#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_checks.hpp"

using ithaca::fuzz::require;

namespace {

// One connection: reads come from the input (then end of stream), writes are collected.
class BytesStream : public httplib::Stream {
 public:
  explicit BytesStream(std::string_view in) : in_(in) {}
  bool is_readable() const override { return at_ < in_.size(); }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const std::size_t n = std::min(size, in_.size() - at_);
    std::memcpy(ptr, in_.data() + at_, n);
    at_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (out.size() < kMaxOut) out.append(ptr, std::min(size, kMaxOut - out.size()));
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 40000;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 8080;
  }
  socket_t socket() const override { return INVALID_SOCKET; }
  bool at_end() const { return at_ == in_.size(); }

  std::string out;

 private:
  static constexpr std::size_t kMaxOut = 1 << 20;
  std::string_view in_;
  std::size_t at_ = 0;
};

// A server with the tracker's limits (smaller bodies, so that inputs reach past them) and
// handlers that exercise what a response can carry: a body that ranges can cut (GET), the
// request's body read back (POST).
class FuzzServer : public httplib::Server {
 public:
  FuzzServer() {
    set_payload_max_length(64 * 1024);
    set_header_max_count(100);
    set_request_time_limits(std::chrono::milliseconds(20'000), std::chrono::milliseconds(20'000), 500);
    Get(".*", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(1000, 'x'), "text/plain");
    });
    Post(".*", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(std::to_string(req.body.size()) + " " + req.get_header_value("Content-Type"), "text/plain");
    });
  }
  // The connection loop's body (process_server_socket_core): requests until the stream ends,
  // a request closes the connection, or 64 of them.
  std::string serve(std::string_view bytes) {
    BytesStream strm(bytes);
    for (int i = 0; i < 64 && !strm.at_end(); ++i) {
      const std::size_t before = strm.out.size();
      bool closed = false;
      const bool ok = process_request(strm, false, closed, nullptr);
      const std::string_view answer = std::string_view(strm.out).substr(before);
      require(answer.empty() || answer.substr(0, 9) == "HTTP/1.1 ", "every answer starts with a status line");
      if (answer.size() >= 12) {
        const std::string_view status = answer.substr(9, 3);
        if (status == "400" || status == "408" || status == "414" || status == "431")
          require(!ok || closed, "a request that cannot be framed ends the connection");
      }
      if (!ok || closed) break;
    }
    return strm.out;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static FuzzServer server;  // handlers once; serving keeps no state between connections
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::string first = server.serve(bytes);
  // Equal up to the random boundary of a multi-range answer, which has a fixed length.
  require(server.serve(bytes).size() == first.size(), "the same bytes get answers of the same size");
  return 0;
}
