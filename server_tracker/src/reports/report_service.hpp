// Reports, erasure, export and retention for one tracker, whatever its store: with SQLite it
// owns the roll-up builder and reads the roll-ups; with ClickHouse it queries ClickHouse. A
// background thread enforces each site's retention (hourly). Created by Tracker::create()
// after the stores; thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ithaca/tracker/event.hpp"
#include "ithaca/tracker/event_store.hpp"
#include "ithaca/tracker/options.hpp"
#include "reports/report_source.hpp"
#include "reports/time_zone.hpp"

namespace ithaca::tracker {

class CommittedEvents;

struct ErasureSummary {
  std::int64_t events = 0;
  std::int64_t bot_events = 0;
  std::int64_t spooled_events = 0;  // ClickHouse: events still in the local spool
  std::vector<std::int32_t> days_rebuilt;  // SQLite: roll-up days recomputed without them
};

class ReportService {
 public:
  virtual ~ReportService();

  virtual ReportSource& source() = 0;
  // Deletes everything stored for a consented first-party id (docs/privacy-erasure in
  // docs/reports.md says what "everything" covers for each store).
  virtual Status erase_visitor(const std::string& site, const std::string& visitor_id, ErasureSummary& out) = 0;
  // Every stored event of the id, human and bot (bot events have `bot` set), oldest first.
  virtual Status export_visitor(const std::string& site, const std::string& visitor_id,
                                std::vector<StoredEvent>& out) = 0;
  virtual Status apply_retention(const std::string& site, std::int64_t cutoff_ms, std::int64_t& deleted) = 0;
  virtual std::string store_name() const = 0;
  // The SQLite roll-up builder's counts, for /metrics; other stores have none (false).
  struct RollupCounts {
    std::int64_t handed_over = 0, read = 0;  // events rolled up, by where they came from
    std::size_t held = 0;                    // events waiting in the writer's hand-off
  };
  virtual bool rollup_counts(RollupCounts&) const { return false; }

  std::shared_ptr<const TimeZone> zone(std::string_view site) const;
  const std::vector<SiteConfig>& sites() const noexcept { return sites_; }

  // Retention every `period` (first pass shortly after start); stop() ends it.
  void start_retention(std::chrono::milliseconds period);
  void run_retention_now(std::int64_t now_ms);
  // Runs `refresh` every `period` (trackers sharing ClickHouse pick up each other's rules).
  void start_rules_refresh(std::function<void()> refresh, std::chrono::milliseconds period);
  void stop();

 protected:
  ReportService(std::vector<SiteConfig> sites, std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones);
  virtual void stop_store() {}

  std::vector<SiteConfig> sites_;
  std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones_;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread retention_, refresh_;
};

// Loads each site's time zone (SiteConfig::timezone, UTC when empty).
bool load_site_zones(const std::vector<SiteConfig>& sites,
                     std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>>& zones, std::string& error);

// The service for the tracker's configured store. `events` is the tracker's event store (the
// ClickHouse service drains its spool before an erasure); `committed`, the SQLite store's
// hand-off of committed events to the roll-up builder (SqliteOptions::committed), may be null.
std::unique_ptr<ReportService> open_report_service(const TrackerOptions& options, EventStore& events,
                                                   std::shared_ptr<CommittedEvents> committed,
                                                   std::string& error);

}  // namespace ithaca::tracker
