#include "reports/report_service.hpp"

#include <algorithm>
#include <filesystem>

#include "clickhouse/clickhouse_reports.hpp"
#include "logger.hpp"
#include "reports/raw_events.hpp"
#include "reports/rollup_builder.hpp"
#include "reports/sqlite_report_source.hpp"
#include "sqlite_db.hpp"

namespace ithaca::tracker {
namespace fs = std::filesystem;

namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SqliteReportService final : public ReportService {
 public:
  SqliteReportService(std::vector<SiteConfig> sites, std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones)
      : ReportService(std::move(sites), std::move(zones)) {}
  ~SqliteReportService() override { stop(); }  // before the members the retention thread uses

  bool open(const std::string& data_dir, std::shared_ptr<CommittedEvents> committed, std::string& error) {
    events_path_ = (fs::path(data_dir) / "ithaca.db").string();
    RollupBuilderOptions options;
    options.events_path = events_path_;
    options.rollups_path = (fs::path(data_dir) / "rollups.db").string();
    options.zones = zones_;
    options.committed = std::move(committed);
    builder_ = RollupBuilder::start(options, error);
    if (!builder_) return false;
    source_ = SqliteReportSource::open(options.events_path, options.rollups_path, *builder_, error);
    if (!source_) return false;
    Status s = export_db_.open(events_path_, false);
    if (s) s = export_db_.exec("PRAGMA query_only=ON;");
    for (int t = 0; s && t < 2; ++t) {
      s = export_[t].prepare(export_db_.handle(), std::string("SELECT ") + kRawEventColumns + " FROM " +
                                                      (t ? "bot_events" : "events") +
                                                      " WHERE site = ?1 AND visitor_id = ?2 ORDER BY ts, seq");
    }
    if (!s) {
      error = s.message();
      return false;
    }
    return true;
  }

  ReportSource& source() override { return *source_; }
  std::string store_name() const override { return "sqlite"; }

  Status erase_visitor(const std::string& site, const std::string& id, ErasureSummary& out) override {
    ErasureResult r;
    Status s = builder_->erase_visitor(site, id, r);
    out.events = r.events;
    out.bot_events = r.bot_events;
    out.days_rebuilt = r.days_rebuilt;
    return s;
  }

  Status export_visitor(const std::string& site, const std::string& id, std::vector<StoredEvent>& out) override {
    std::lock_guard<std::mutex> lock(export_mutex_);
    out.clear();
    for (int t = 0; t < 2; ++t) {
      SqliteQuery& q = export_[t];
      q.bind(1, site).bind(2, id);
      int rc;
      while ((rc = q.step()) == SQLITE_ROW) {
        StoredEvent e;
        read_raw_event(q, e);
        e.bot = t == 1;
        out.push_back(std::move(e));
      }
      if (Status s = q.done(rc); !s) return s;
    }
    std::stable_sort(out.begin(), out.end(), [](const StoredEvent& a, const StoredEvent& b) { return a.ts_ms < b.ts_ms; });
    return Status::ok();
  }

  Status apply_retention(const std::string& site, std::int64_t cutoff_ms, std::int64_t& deleted) override {
    return builder_->apply_retention(site, cutoff_ms, deleted);
  }

  bool rollup_counts(RollupCounts& out) const override {
    out.handed_over = builder_->events_handed_over();
    out.read = builder_->events_read();
    out.held = builder_->events_waiting();
    return true;
  }

  RollupBuilder& builder() { return *builder_; }

 protected:
  void stop_store() override {
    if (builder_) builder_->stop();
  }

 private:
  std::string events_path_;
  std::unique_ptr<RollupBuilder> builder_;
  std::unique_ptr<SqliteReportSource> source_;
  std::mutex export_mutex_;
  SqliteConnection export_db_;
  SqliteQuery export_[2];
};

}  // namespace

ReportService::ReportService(std::vector<SiteConfig> sites,
                             std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones)
    : sites_(std::move(sites)), zones_(std::move(zones)) {}

ReportService::~ReportService() { stop(); }

std::shared_ptr<const TimeZone> ReportService::zone(std::string_view site) const {
  auto it = zones_.find(site);
  return it == zones_.end() ? TimeZone::utc() : it->second;
}

void ReportService::run_retention_now(std::int64_t now) {
  for (const auto& site : sites_) {
    if (site.retention_days <= 0) continue;
    std::int64_t deleted = 0;
    const std::int64_t cutoff = now - static_cast<std::int64_t>(site.retention_days) * kDayMs;
    if (Status s = apply_retention(site.id, cutoff, deleted); !s) {
      log_error("retention failed", {{"site", site.id}, {"store", store_name()}, {"error", s.message()}});
    } else if (deleted > 0) {
      log_info("retention applied", {{"site", site.id}, {"store", store_name()},
                                     {"days", std::to_string(site.retention_days)}, {"deleted", std::to_string(deleted)}});
    }
  }
}

void ReportService::start_retention(std::chrono::milliseconds period) {
  retention_ = std::thread([this, period] {
    std::unique_lock<std::mutex> lock(mutex_);
    // A first pass soon after start, then one per period.
    auto wait = std::chrono::milliseconds(std::min<std::int64_t>(period.count(), 10'000));
    while (!cv_.wait_for(lock, wait, [&] { return stopping_; })) {
      lock.unlock();
      run_retention_now(wall_ms());
      lock.lock();
      wait = period;
    }
  });
}

void ReportService::start_rules_refresh(std::function<void()> refresh, std::chrono::milliseconds period) {
  refresh_ = std::thread([this, refresh = std::move(refresh), period] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!cv_.wait_for(lock, period, [&] { return stopping_; })) {
      lock.unlock();
      refresh();
      lock.lock();
    }
  });
}

void ReportService::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (retention_.joinable()) retention_.join();
  if (refresh_.joinable()) refresh_.join();
  stop_store();
}

bool load_site_zones(const std::vector<SiteConfig>& sites,
                     std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>>& zones, std::string& error) {
  for (const auto& site : sites) {
    auto zone = TimeZone::load(site.timezone, error);
    if (!zone) {
      error = "site " + site.id + ": " + error;
      return false;
    }
    zones[site.id] = std::move(zone);
  }
  return true;
}

std::unique_ptr<ReportService> open_report_service(const TrackerOptions& options, EventStore& events,
                                                   std::shared_ptr<CommittedEvents> committed,
                                                   std::string& error) {
  std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones;
  if (!load_site_zones(options.sites, zones, error)) {
    if (!options.config_file.empty()) error = options.config_file + ": " + error;  // where to fix it
    return nullptr;
  }
  if (is_clickhouse_store(options.store)) {
    return open_clickhouse_report_service(options, std::move(zones), events, error);
  }
  auto service = std::make_unique<SqliteReportService>(options.sites, std::move(zones));
  if (!service->open(options.data_dir, std::move(committed), error)) return nullptr;
  return service;
}

}  // namespace ithaca::tracker
