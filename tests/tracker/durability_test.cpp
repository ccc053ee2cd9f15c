// kill -9 under concurrent load loses no acknowledged event: the real ithaca-tracker binary is
// started on a data folder, clients send uniquely numbered events and remember every one that
// got a 202, the process is killed with SIGKILL, and after a restart every remembered event
// must be in the store. Repeated over several rounds on the same data, then once more with a
// graceful SIGTERM.
#include <httplib.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "sqlite_db.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using testing::TempDir;

class TrackerProcess {
 public:
  TrackerProcess(const TempDir& dir, int round) {
    log_path_ = dir.str(("tracker-" + std::to_string(round) + ".log").c_str());
    const std::string sites = dir.str("sites.json");
    std::ofstream(sites) << R"({"sites":[{"id":"shop","origins":["*"]}]})";
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(fd, 2);
      const std::string data = dir.str("data");
      ::execl(ITHACA_TRACKER_BINARY, ITHACA_TRACKER_BINARY, "--port", "0", "--data", data.c_str(), "--config",
              sites.c_str(), "--rate-limit", "0", "--admin-token", testing::kAdminToken, "--threads", "16",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }

  ~TrackerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  // The port from the "listening" log line; 0 if the process never got there.
  int wait_for_port() {
    const std::regex listening("msg=listening .*port=([0-9]+)");
    for (int i = 0; i < 3000; ++i) {
      std::string log = testing::read_text(log_path_);
      std::smatch m;
      if (std::regex_search(log, m, listening)) return std::stoi(m[1]);
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        ADD_FAILURE() << "tracker exited early:\n" << log;
        return 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "tracker did not start:\n" << testing::read_text(log_path_);
    return 0;
  }

  int signal_and_wait(int signal) {
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

  std::string log() const { return testing::read_text(log_path_); }

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

// Sends batches of uniquely identified events from several threads until told to stop,
// recording the ids of every batch answered 202.
class Load {
 public:
  Load(int port, int round) {
    for (int t = 0; t < 6; ++t) {
      threads_.emplace_back([this, port, round, t] {
        httplib::Client client("127.0.0.1", port);
        client.set_default_headers({{"User-Agent", testing::kChrome}});
        client.set_connection_timeout(2);
        client.set_read_timeout(5);
        for (int r = 0; !stop_.load(); ++r) {
          const std::string prefix = "r" + std::to_string(round) + "-t" + std::to_string(t) + "-" + std::to_string(r);
          const auto sent = std::chrono::steady_clock::now();
          auto res = client.Post("/v1/collect", testing::pageview_batch("shop", prefix, 25), "application/json");
          if (!res) {
            // Sent before the kill and never answered: the kill hit a request in flight.
            if (sent < killed_at()) ++interrupted_;
            if (stop_.load()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            continue;
          }
          if (res->status == 202) {
            std::lock_guard<std::mutex> lock(mutex_);
            for (int i = 0; i < 25; ++i) acknowledged_.insert(prefix + "-" + std::to_string(i));
          }
        }
      });
    }
  }

  std::size_t acknowledged() {
    std::lock_guard<std::mutex> lock(mutex_);
    return acknowledged_.size();
  }

  // Call just before the signal; requests sent earlier that fail were in flight.
  void mark_kill() {
    std::lock_guard<std::mutex> lock(mutex_);
    killed_at_ = std::chrono::steady_clock::now();
  }
  int interrupted() const { return interrupted_.load(); }

  std::set<std::string> finish() {
    stop_ = true;
    for (auto& t : threads_) t.join();
    return acknowledged_;
  }

 private:
  std::chrono::steady_clock::time_point killed_at() {
    std::lock_guard<std::mutex> lock(mutex_);
    return killed_at_;
  }

  std::atomic<bool> stop_{false};
  std::atomic<int> interrupted_{0};
  std::chrono::steady_clock::time_point killed_at_ = std::chrono::steady_clock::time_point::max();
  std::mutex mutex_;
  std::set<std::string> acknowledged_;
  std::vector<std::thread> threads_;
};

std::set<std::string> stored_ids(const TempDir& dir) {
  // Opening read-write lets SQLite recover the WAL left by a killed process.
  SqliteConnection db;
  EXPECT_TRUE(db.open(dir.str("data") + "/ithaca.db", false));
  SqliteStatement stmt;
  EXPECT_TRUE(db.prepare("SELECT event_id FROM events", stmt));
  std::set<std::string> ids;
  while (stmt.step() == SQLITE_ROW) ids.insert(stmt.column_text(0));
  return ids;
}

// Human events of site "shop" as the restarted tracker itself reports them.
std::int64_t events_reported(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_bearer_token_auth(testing::kAdminToken);
  auto res = client.Get("/v1/stats/shop/summary");
  if (!res || res->status != 200) {
    ADD_FAILURE() << "summary failed: " << (res ? res->body : httplib::to_string(res.error()));
    return -1;
  }
  return nlohmann::json::parse(res->body)["events"].get<std::int64_t>();
}

std::size_t missing_from(const std::set<std::string>& acknowledged, const std::set<std::string>& stored) {
  std::size_t missing = 0;
  for (const auto& id : acknowledged) missing += stored.count(id) == 0;
  return missing;
}

TEST(Durability, KillNineUnderLoadLosesNoAcknowledgedEvent) {
  TempDir dir;
  std::set<std::string> all_acknowledged;
  int interrupted = 0;
  for (int round = 0; round < 3; ++round) {
    TrackerProcess process(dir, round);
    const int port = process.wait_for_port();
    ASSERT_GT(port, 0);
    // Restarted after the previous round's kill: the tracker counts every acknowledged event.
    EXPECT_GE(events_reported(port), static_cast<std::int64_t>(all_acknowledged.size())) << "round " << round;
    Load load(port, round);
    // Kill once a good amount is acknowledged, while requests are still in flight.
    const std::size_t target = 1500 + static_cast<std::size_t>(round) * 700;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (load.acknowledged() < target && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    load.mark_kill();
    const int status = process.signal_and_wait(SIGKILL);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    std::set<std::string> acknowledged = load.finish();
    interrupted += load.interrupted();
    ASSERT_GE(acknowledged.size(), target) << process.log();
    all_acknowledged.insert(acknowledged.begin(), acknowledged.end());

    const std::set<std::string> stored = stored_ids(dir);
    EXPECT_EQ(missing_from(all_acknowledged, stored), 0u) << "round " << round;
  }
  // The kills landed under load, with requests in flight (six clients sending back to back).
  EXPECT_GT(interrupted, 0);

  // A graceful stop: SIGTERM drains in-flight batches and exits 0.
  TrackerProcess process(dir, 99);
  const int port = process.wait_for_port();
  ASSERT_GT(port, 0);
  Load load(port, 99);
  while (load.acknowledged() < 1000) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const int status = process.signal_and_wait(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << process.log();
  std::set<std::string> acknowledged = load.finish();
  all_acknowledged.insert(acknowledged.begin(), acknowledged.end());
  EXPECT_EQ(missing_from(all_acknowledged, stored_ids(dir)), 0u);
  EXPECT_NE(process.log().find("msg=stopped"), std::string::npos) << process.log();

  TrackerProcess restarted(dir, 100);
  const int restarted_port = restarted.wait_for_port();
  ASSERT_GT(restarted_port, 0);
  EXPECT_GE(events_reported(restarted_port), static_cast<std::int64_t>(all_acknowledged.size()));
}

}  // namespace
}  // namespace ithaca::tracker
