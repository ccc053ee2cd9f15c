// ReportSource over the embedded store. Reports read the roll-ups after waiting for the
// builder to catch up, so a report always includes every event acknowledged before it.
// Roll-ups answer every report without filters, the time series with one filter, and every
// other report with one filter on a segment dimension, page, landing page or event name
// (kPairDims). Several filters aggregate the visitor_events roll-up of the range per visitor-day (slower: it reads every
// visitor-day of the range, or under selective filters only the visitor-days on every filter's
// visitor_values list; docs/reports.md), keeping the last few scans for the next report with the
// same filters.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "reports/report_source.hpp"
#include "reports/rollup_builder.hpp"
#include "reports/rollup_database.hpp"
#include "reports/sqlite_query.hpp"
#include "sqlite_db.hpp"

namespace ithaca::tracker {

class SqliteReportSource final : public ReportSource {
 public:
  // `builder` must outlive the source.
  static std::unique_ptr<SqliteReportSource> open(const std::string& events_path, const std::string& rollups_path,
                                                  RollupBuilder& builder, std::string& error);

  Status timeseries(const ReportScope& scope, Interval interval, std::vector<SeriesPoint>& out) override;
  Status breakdown(const ReportScope& scope, Dim dim, std::vector<BreakdownRow>& out) override;
  Status stage_sets(const ReportScope& scope, std::vector<StageSetRow>& out) override;
  Status paths(const ReportScope& scope, PathKind kind, std::size_t limit, PathResult& out) override;
  Status attribution(const ReportScope& scope, std::string_view goal, TouchKey by,
                     std::vector<AttributionRow>& out) override;
  Status units(const ReportScope& scope, UnitKind kind, std::vector<UnitRow>& exposed,
               std::vector<UnitGoalRow>& converted) override;
  std::string last_source() const override;

  // Tests compare both paths: with this set, every query aggregates raw events.
  void force_raw(bool raw) { force_raw_ = raw; }
  void set_sync_timeout(std::chrono::milliseconds t) { sync_timeout_ = t; }
  // Threads that scan the visitor_events roll-up for one report (1 or 2).
  void set_scan_threads(int n) { scan_threads_ = n; }
  // A day is read through the filters' visitor_values lists when the visitors on all of them
  // are at most this share of the day's; else it is read whole, decoding only those visitors'
  // chunks (0: the lists are not read, every chunk is decoded; tests force each path).
  void set_list_share(double share) { list_share_ = share; }
  // How the last visitor_events scan read its range.
  struct ScanStats {
    std::int64_t listed_days = 0;   // through the visitor_values lists
    std::int64_t scanned_days = 0;  // every chunk of the day
    std::int64_t visitor_days = 0;  // whose chunks were read
    // Of the days read whole, those not on every filter's list: passed over, their chunks unread.
    std::int64_t skipped_visitor_days = 0;
  };
  ScanStats last_scan() const {
    std::lock_guard<std::mutex> lock(source_mutex_);
    return last_scan_;
  }

  struct RawTotals;

 private:
  SqliteReportSource() = default;
  Status ready();
  Status scan(const ReportScope& scope, RawTotals& out);
  // What no aggregate table answers: the raw events (force_raw) or else the visitor_events
  // roll-up, aggregated per visitor-day (`dim`: the breakdown wanted; `journey`: journey rows).
  // The result may be shared with other requests (kept while the roll-ups stay unchanged).
  Status aggregate(const ReportScope& scope, Dim dim, bool journey, std::shared_ptr<const RawTotals>& out);
  Status visitor_scan(const ReportScope& scope, Dim dim, bool journey, RawTotals& out);
  Status visitor_scan_days(RollupReader& reader, const ReportScope& scope, Dim dim, bool journey, RawTotals& out,
                           ScanStats& stats);
  bool use_rollups(const ReportScope& scope, bool allow_one_filter) const;
  // The segment whose journey roll-ups answer `scope` (Dim::All: no filter), if any.
  std::optional<Filter> journey_rollups(const ReportScope& scope) const;
  void set_source(const char* source);

  RollupBuilder* builder_ = nullptr;
  std::unique_ptr<RollupReader> rollups_;
  std::string rollups_path_;
  std::mutex scan_mutex_;
  std::unique_ptr<RollupReader> scan_readers_[2];  // the scan threads', opened when first needed
  int scan_threads_ = 2;
  double list_share_ = 0.2;
  std::mutex raw_mutex_;
  SqliteConnection events_;
  SqliteQuery range_;
  bool force_raw_ = false;
  std::chrono::milliseconds sync_timeout_{30'000};
  struct Memo {
    std::string key;  // site, days and filters
    std::int64_t version;  // the roll-ups' data_version when scanned
    Dim dim;
    bool journey;
    std::shared_ptr<const RawTotals> totals;
  };
  static constexpr std::size_t kMemos = 4;
  std::mutex memo_mutex_;
  std::deque<Memo> memos_;  // newest first
  mutable std::mutex source_mutex_;
  mutable std::string last_source_ = "rollups";
  ScanStats last_scan_;
};

}  // namespace ithaca::tracker
