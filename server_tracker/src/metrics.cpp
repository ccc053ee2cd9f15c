#include "metrics.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace ithaca::tracker {
namespace {

void append_number(std::string& out, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  out += buf;
}

void append_line(std::string& out, const std::string& name, const std::string& labels,
                 std::uint64_t value) {
  out += name;
  if (!labels.empty()) out += "{" + labels + "}";
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

// Resident set size and CPU time of this process, from /proc (Linux).
void process_stats(double& rss_bytes, double& cpu_seconds) {
  rss_bytes = 0;
  cpu_seconds = 0;
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  if (statm >> pages_total >> pages_resident) {
    rss_bytes = static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
  }
  std::ifstream stat("/proc/self/stat");
  std::string line;
  if (std::getline(stat, line)) {
    auto close = line.rfind(')');
    if (close != std::string::npos) {
      std::istringstream fields(line.substr(close + 2));
      std::string f;
      unsigned long utime = 0, stime = 0;
      // Fields after the command: state(3) … utime(14) stime(15).
      for (int i = 3; i <= 15 && (fields >> f); ++i) {
        if (i == 14) utime = std::stoul(f);
        if (i == 15) stime = std::stoul(f);
      }
      cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
  }
}

}  // namespace

const char* route_name(Route route) noexcept {
  switch (route) {
    case Route::Collect: return "collect";
    case Route::Rules: return "rules";
    case Route::Decide: return "decide";
    case Route::Context: return "context";
    case Route::Stats: return "stats";
    case Route::Admin: return "admin";
    case Route::Healthz: return "healthz";
    case Route::Metrics: return "metrics";
    case Route::Static: return "static";
    case Route::Preflight: return "preflight";
    case Route::Other: return "other";
  }
  return "other";
}

void Histogram::observe(double value) noexcept {
  std::size_t i = 0;
  while (i < kBounds.size() && value > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_micro_.fetch_add(static_cast<std::uint64_t>(value * 1e6), std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
  const std::string sep = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= kBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out += name + "_bucket{" + labels + sep + "le=\"";
    if (i < kBounds.size()) {
      append_number(out, kBounds[i]);
    } else {
      out += "+Inf";
    }
    out += "\"} " + std::to_string(cumulative) + "\n";
  }
  out += name + "_sum";
  if (!labels.empty()) out += "{" + labels + "}";
  out += ' ';
  append_number(out, static_cast<double>(sum_micro_.load(std::memory_order_relaxed)) / 1e6);
  out += '\n';
  append_line(out, name + "_count", labels, count_.load(std::memory_order_relaxed));
}

std::size_t Metrics::status_index(int status) noexcept {
  if (status < kMinStatus || status >= kMinStatus + kStatusCount) return 500 - kMinStatus;
  return static_cast<std::size_t>(status - kMinStatus);
}

void Metrics::observe_request(Route route, int status, double seconds) noexcept {
  const auto r = static_cast<std::size_t>(route);
  requests_[r][status_index(status)].fetch_add(1, std::memory_order_relaxed);
  latency_[r].observe(seconds);
}

std::uint64_t Metrics::requests(Route route, int status) const noexcept {
  return requests_[static_cast<std::size_t>(route)][status_index(status)].load();
}

void Metrics::observe_commit(std::size_t events, double seconds) noexcept {
  commits_.fetch_add(1, std::memory_order_relaxed);
  commit_events_total_.fetch_add(events, std::memory_order_relaxed);
  commit_seconds_.observe(seconds);
}

void Metrics::add_events_written(bool bot, std::uint64_t n) noexcept {
  (bot ? events_written_bot_ : events_written_human_).fetch_add(n, std::memory_order_relaxed);
}

std::string Metrics::render(const Gauges& gauges) const {
  std::string out;
  out.reserve(16 * 1024);

  header(out, "ithaca_http_requests_total", "counter", "HTTP requests by route and status.");
  for (std::size_t r = 0; r < kRouteCount; ++r) {
    for (int s = 0; s < kStatusCount; ++s) {
      std::uint64_t v = requests_[r][static_cast<std::size_t>(s)].load(std::memory_order_relaxed);
      if (v == 0) continue;
      append_line(out, "ithaca_http_requests_total",
                  std::string("route=\"") + route_name(static_cast<Route>(r)) + "\",status=\"" +
                      std::to_string(s + kMinStatus) + "\"",
                  v);
    }
  }

  header(out, "ithaca_http_request_duration_seconds", "histogram",
         "Time from a parsed request to its response, by route.");
  for (std::size_t r = 0; r < kRouteCount; ++r) {
    if (latency_[r].count() == 0) continue;
    latency_[r].render(out, "ithaca_http_request_duration_seconds",
                       std::string("route=\"") + route_name(static_cast<Route>(r)) + "\"");
  }

  header(out, "ithaca_writer_queue_events", "gauge", "Events waiting for the writer.");
  append_line(out, "ithaca_writer_queue_events", "", gauges.queue_events);
  header(out, "ithaca_writer_queue_capacity_events", "gauge",
         "Events the writer queue holds before collect answers 503.");
  append_line(out, "ithaca_writer_queue_capacity_events", "", gauges.queue_capacity);

  header(out, "ithaca_events_written_total", "counter",
         "Events acknowledged after a durable commit (duplicates included).");
  append_line(out, "ithaca_events_written_total", "kind=\"human\"", events_written_human_.load());
  append_line(out, "ithaca_events_written_total", "kind=\"bot\"", events_written_bot_.load());

  header(out, "ithaca_commits_total", "counter", "Group-commit transactions.");
  append_line(out, "ithaca_commits_total", "", commits_.load());
  header(out, "ithaca_commit_events_total", "counter", "Events written by group commits.");
  append_line(out, "ithaca_commit_events_total", "", commit_events_total_.load());
  header(out, "ithaca_commit_duration_seconds", "histogram", "Duration of one group commit.");
  commit_seconds_.render(out, "ithaca_commit_duration_seconds", "");
  header(out, "ithaca_commit_wait_seconds", "histogram",
         "Time a batch waited in the write queue for the commit in progress to end.");
  commit_wait_seconds_.render(out, "ithaca_commit_wait_seconds", "");

  header(out, "ithaca_store_errors_total", "counter", "Failed store operations.");
  append_line(out, "ithaca_store_errors_total", "", store_errors_.load());
  header(out, "ithaca_rate_limited_total", "counter", "Requests answered 429.");
  append_line(out, "ithaca_rate_limited_total", "", rate_limited_.load());
  header(out, "ithaca_queue_full_total", "counter", "Requests answered 503 because the queue was full.");
  append_line(out, "ithaca_queue_full_total", "", queue_full_.load());
  header(out, "ithaca_rate_limiter_clients", "gauge", "Clients with a live rate-limit bucket.");
  append_line(out, "ithaca_rate_limiter_clients", "", gauges.rate_limited_clients);

  if (gauges.has_wal) {
    header(out, "ithaca_wal_frames", "gauge", "Pages in the SQLite write-ahead log.");
    append_line(out, "ithaca_wal_frames", "", static_cast<std::uint64_t>(gauges.wal_frames));
    header(out, "ithaca_wal_pending_frames", "gauge", "Write-ahead log pages not yet copied into the database.");
    append_line(out, "ithaca_wal_pending_frames", "", static_cast<std::uint64_t>(gauges.wal_pending_frames));
    header(out, "ithaca_wal_throttled_commits_total", "counter",
           "Commits that waited for a checkpoint to keep the write-ahead log bounded.");
    append_line(out, "ithaca_wal_throttled_commits_total", "", static_cast<std::uint64_t>(gauges.wal_throttled_commits));
  }

  if (gauges.has_rollups) {
    header(out, "ithaca_rollup_events_total", "counter",
           "Events rolled up since start, by source: the writer's hand-off or a read of the events table.");
    append_line(out, "ithaca_rollup_events_total", "source=\"handoff\"",
                static_cast<std::uint64_t>(gauges.rollup_events_handed_over));
    append_line(out, "ithaca_rollup_events_total", "source=\"table\"",
                static_cast<std::uint64_t>(gauges.rollup_events_read));
    header(out, "ithaca_rollup_handoff_events", "gauge", "Committed events waiting in memory for the roll-up builder.");
    append_line(out, "ithaca_rollup_handoff_events", "", gauges.rollup_handoff_events);
  }

  header(out, "ithaca_rules_active_version", "gauge", "Active rule-set version by site.");
  for (const auto& [site, version] : gauges.rules_versions) {
    append_line(out, "ithaca_rules_active_version", "site=\"" + site + "\"",
                static_cast<std::uint64_t>(version));
  }

  double rss = 0, cpu = 0;
  process_stats(rss, cpu);
  header(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  out += "process_resident_memory_bytes ";
  append_number(out, rss);
  out += '\n';
  header(out, "process_cpu_seconds_total", "counter", "User and system CPU time in seconds.");
  out += "process_cpu_seconds_total ";
  append_number(out, cpu);
  out += '\n';
  return out;
}

}  // namespace ithaca::tracker
