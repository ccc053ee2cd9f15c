#include "clickhouse_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "clickhouse/clickhouse_client.hpp"

namespace ithaca::tracker::testing {
namespace fs = std::filesystem;

namespace {

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

std::string find_binary() {
  if (const char* env = std::getenv("ITHACA_CLICKHOUSE_SERVER"); env && *env) return env;
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  path += ":/usr/sbin:/usr/bin:/usr/local/bin";
  std::istringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const fs::path candidate = fs::path(dir) / "clickhouse-server";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return {};
}

}  // namespace

std::unique_ptr<ClickHouseServer> ClickHouseServer::start(std::string& why) {
  std::unique_ptr<ClickHouseServer> server(new ClickHouseServer());
  server->binary_ = find_binary();
  if (server->binary_.empty()) {
    why = "clickhouse-server is not installed (`make deps` installs Debian's clickhouse-server)";
    return nullptr;
  }
  std::random_device random;
  server->dir_ = fs::temp_directory_path() /
                 ("ithaca-clickhouse-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
  fs::create_directories(server->dir_ / "data" / "tmp");
  fs::create_directories(server->dir_ / "data" / "user_files");
  fs::create_directories(server->dir_ / "data" / "format_schemas");
  server->http_port_ = free_port();
  server->tcp_port_ = free_port();
  server->interserver_port_ = free_port();

  const std::string d = server->dir_.string();
  {
    // users.xml from the package: the default user without a password, from localhost.
    std::ifstream users_in("/etc/clickhouse-server/users.xml", std::ios::binary);
    std::ofstream users_out(server->dir_ / "users.xml", std::ios::binary);
    if (users_in) {
      users_out << users_in.rdbuf();
    } else {
      users_out << R"(<?xml version="1.0"?>
<yandex><profiles><default/></profiles><users><default><password></password><networks><ip>127.0.0.1</ip></networks>
<profile>default</profile><quota>default</quota></default></users><quotas><default/></quotas></yandex>
)";
    }
  }
  std::ofstream config(server->dir_ / "config.xml", std::ios::binary);
  config << R"(<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>)" << d << R"(/server.log</log><errorlog>)" << d
         << R"(/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>)" << server->http_port_ << R"(</http_port>
  <tcp_port>)" << server->tcp_port_ << R"(</tcp_port>
  <interserver_http_port>)" << server->interserver_port_ << R"(</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>)" << d << R"(/data/</path>
  <tmp_path>)" << d << R"(/data/tmp/</tmp_path>
  <user_files_path>)" << d << R"(/data/user_files/</user_files_path>
  <format_schema_path>)" << d << R"(/data/format_schemas/</format_schema_path>
  <users_config>)" << d << R"(/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <timezone>UTC</timezone>
</yandex>
)";
  config.close();
  if (!server->launch(why)) return nullptr;
  return server;
}

bool ClickHouseServer::launch(std::string& why) {
  const std::string config = "--config-file=" + (dir_ / "config.xml").string();
  const std::string out = (dir_ / "stdout.log").string();
  pid_ = ::fork();
  if (pid_ == 0) {
    ::setpgid(0, 0);
    if (FILE* f = std::freopen(out.c_str(), "a", stdout)) (void)f;
    if (FILE* f = std::freopen(out.c_str(), "a", stderr)) (void)f;
    ::execl(binary_.c_str(), binary_.c_str(), config.c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  if (pid_ < 0) {
    why = "cannot fork clickhouse-server";
    return false;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (query("SELECT 1").rfind("1", 0) == 0) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      why = "clickhouse-server exited at start; see " + out;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  why = "clickhouse-server did not answer within 60 s; see " + out;
  stop();
  return false;
}

ClickHouseServer::~ClickHouseServer() {
  stop();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string ClickHouseServer::store_url(const std::string& database) const {
  return "clickhouse://127.0.0.1:" + std::to_string(http_port_) + "/" + database;
}

std::string ClickHouseServer::query(const std::string& sql) const {
  ClickHouseEndpoint e;
  e.port = http_port_;
  e.database = "default";
  ClickHouseClient client(e);
  client.set_timeouts(std::chrono::milliseconds(1000), std::chrono::milliseconds(30000));
  auto r = client.execute(sql);
  return r.ok() ? r.body : "ERROR: " + r.status().message();
}

void ClickHouseServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 300; ++i) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

bool ClickHouseServer::restart() {
  stop();
  std::string why;
  return launch(why);
}

}  // namespace ithaca::tracker::testing
