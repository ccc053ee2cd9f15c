// Counters and histograms for GET /metrics (Prometheus text format 0.0.4). Everything is a
// fixed array of atomics, so recording never allocates or locks on the request path.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ithaca::tracker {

enum class Route : std::uint8_t {
  Collect, Rules, Decide, Context, Stats, Admin, Healthz, Metrics, Static, Preflight, Other
};
inline constexpr std::size_t kRouteCount = 11;
const char* route_name(Route route) noexcept;

class Histogram {
 public:
  static constexpr std::array<double, 13> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1,    2.5, 5};
  void observe(double value) noexcept;
  // Appends `name_bucket{labels,le=…}` lines, `name_sum` and `name_count`.
  void render(std::string& out, const std::string& name, const std::string& labels) const;
  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> sum_micro_{0};
  std::atomic<std::uint64_t> count_{0};
};

class Metrics {
 public:
  void observe_request(Route route, int status, double seconds) noexcept;
  void observe_commit(std::size_t events, double seconds) noexcept;
  // How long one batch waited in the writer's queue before its commit began.
  void observe_commit_wait(double seconds) noexcept { commit_wait_seconds_.observe(seconds); }
  void add_events_written(bool bot, std::uint64_t n) noexcept;
  void add_store_error() noexcept { store_errors_.fetch_add(1, std::memory_order_relaxed); }
  void add_rate_limited() noexcept { rate_limited_.fetch_add(1, std::memory_order_relaxed); }
  void add_queue_full() noexcept { queue_full_.fetch_add(1, std::memory_order_relaxed); }

  std::uint64_t requests(Route route, int status) const noexcept;
  std::uint64_t store_errors() const noexcept { return store_errors_.load(); }

  // Values sampled when /metrics is rendered.
  struct Gauges {
    std::size_t queue_events = 0;
    std::size_t queue_capacity = 0;
    std::size_t rate_limited_clients = 0;
    std::vector<std::pair<std::string, std::int64_t>> rules_versions;  // site → active version
    bool has_wal = false;  // the SQLite store's write-ahead log
    std::int64_t wal_frames = 0, wal_pending_frames = 0, wal_throttled_commits = 0;
    bool has_rollups = false;  // the SQLite roll-up builder
    std::int64_t rollup_events_handed_over = 0, rollup_events_read = 0;
    std::size_t rollup_handoff_events = 0;
  };
  std::string render(const Gauges& gauges) const;

 private:
  static constexpr int kMinStatus = 100;
  static constexpr int kStatusCount = 500;
  static std::size_t status_index(int status) noexcept;

  std::array<std::array<std::atomic<std::uint64_t>, kStatusCount>, kRouteCount> requests_{};
  std::array<Histogram, kRouteCount> latency_{};
  Histogram commit_seconds_;
  Histogram commit_wait_seconds_;
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> events_written_human_{0};
  std::atomic<std::uint64_t> events_written_bot_{0};
  std::atomic<std::uint64_t> store_errors_{0};
  std::atomic<std::uint64_t> rate_limited_{0};
  std::atomic<std::uint64_t> queue_full_{0};
  std::atomic<std::uint64_t> commit_events_total_{0};
};

}  // namespace ithaca::tracker
