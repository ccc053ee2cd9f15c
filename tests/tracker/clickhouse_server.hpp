// A throwaway ClickHouse server for tests: the Debian clickhouse-server binary started as an
// ordinary process with a minimal config of its own, listening on 127.0.0.1 only, on free
// ports, with every file under a temporary folder (docs/scale-out.md, ../shared/toolchain.md).
// It can be stopped and started again on the same ports and data, to test outages.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>

namespace ithaca::tracker::testing {

class ClickHouseServer {
 public:
  // Null when the server cannot run here; `why` then says why (e.g. not installed).
  static std::unique_ptr<ClickHouseServer> start(std::string& why);
  ~ClickHouseServer();

  int http_port() const noexcept { return http_port_; }
  std::string store_url(const std::string& database) const;  // clickhouse://127.0.0.1:port/db

  // Runs a statement over HTTP; the answer's body, or "ERROR: …".
  std::string query(const std::string& sql) const;

  void stop();          // SIGTERM, waits for the process
  bool restart();       // same ports and data
  bool running() const noexcept { return pid_ > 0; }

 private:
  ClickHouseServer() = default;
  bool launch(std::string& why);

  std::string binary_;
  std::filesystem::path dir_;
  int http_port_ = 0, tcp_port_ = 0, interserver_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace ithaca::tracker::testing
