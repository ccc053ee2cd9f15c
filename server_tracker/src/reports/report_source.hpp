// What reports ask of a store: a few aggregate queries over whole local days of one site, each
// defined precisely enough that SQLite (roll-ups, docs/reports.md) and ClickHouse (SQL over raw
// events) give identical numbers. Rates, funnels and statistics are computed from these rows
// in C++ (reports.cpp), once, for both stores.
//
// Units: a "visitor" in every count is a distinct visitor hash within one local day (a
// visitor-day); counts over several days add the days. A visit is (day, visitor, visit.count
// from the SDK, or -1); it never spans two local days.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ithaca/tracker/status.hpp"
#include "reports/dimensions.hpp"
#include "reports/time_zone.hpp"

namespace ithaca::tracker {

struct Filter {
  Dim dim = Dim::All;
  std::string value;
};

struct ReportScope {
  std::string site;
  std::shared_ptr<const TimeZone> zone;
  std::int32_t first_day = 0;  // local days, inclusive
  std::int32_t last_day = 0;
  std::vector<Filter> filters;  // all must match (AND); at most one per dimension

  std::int64_t from_ms() const { return zone->day_start_utc(first_day); }
  std::int64_t to_ms() const { return zone->day_start_utc(last_day + 1); }
};

enum class Interval { Hour, Day };
enum class PathKind : std::uint8_t { Pages = 0, Stages = 1 };
enum class TouchKey : std::uint8_t { Category = 0, Source = 1, Campaign = 2 };
enum class UnitKind : std::uint8_t { Experiment = 0, Slot = 1 };

inline constexpr int kMaxPathSteps = 5;
inline constexpr char kListSeparator = '\x1f';  // joins stage sets and path steps
inline constexpr std::int64_t kMicro = 1'000'000;

struct Counts {
  std::int64_t pageviews = 0;
  std::int64_t events = 0;    // every human event, pageviews included
  std::int64_t visitors = 0;  // distinct visitors in the bucket (visitor-days across days)
  bool operator==(const Counts&) const = default;
};

struct SeriesPoint {
  std::int64_t bucket = 0;  // local day, or local hour number (day * 24 + hour)
  Counts counts;
  bool operator==(const SeriesPoint&) const = default;
};

struct BreakdownRow {
  std::string value;
  Counts counts;
  std::int64_t entries = 0;  // visits whose first pageview had this value
  bool operator==(const BreakdownRow&) const = default;
};

struct StageSetRow {
  std::string stages;  // the visitor-day's distinct stages, sorted, joined by kListSeparator
  std::int64_t visitors = 0;
  bool operator==(const StageSetRow&) const = default;
};

struct PathRow {
  std::string steps;  // up to kMaxPathSteps, joined by kListSeparator
  std::int64_t visits = 0;
  bool operator==(const PathRow&) const = default;
};

struct PathResult {
  std::vector<PathRow> rows;  // most visits first, then steps ascending; at most `limit`
  std::int64_t total_visits = 0;  // visits with at least one step
  std::int64_t distinct = 0;      // distinct sequences
};

// Credits are in millionths of a conversion; values in millionths of the conversion value.
struct AttributionRow {
  std::string key;
  std::int64_t first = 0, last = 0, linear = 0;
  std::int64_t first_value = 0, last_value = 0, linear_value = 0;
  bool operator==(const AttributionRow&) const = default;
};

struct UnitRow {
  std::string key, variant;
  std::int64_t visitors = 0;  // visitor-days exposed
  std::int64_t exposures = 0;  // exposure events
  bool operator==(const UnitRow&) const = default;
};

struct UnitGoalRow {
  std::string key, variant, goal;  // goal "*" is any conversion
  std::int64_t converted = 0;      // exposed visitor-days with a conversion at or after exposure
  bool operator==(const UnitGoalRow&) const = default;
};

class ReportSource {
 public:
  virtual ~ReportSource() = default;

  // Rows sorted by bucket; buckets without events are absent.
  virtual Status timeseries(const ReportScope& scope, Interval interval, std::vector<SeriesPoint>& out) = 0;
  // One row per value of `dim` (Dim::All: one row, the totals); any order.
  virtual Status breakdown(const ReportScope& scope, Dim dim, std::vector<BreakdownRow>& out) = 0;
  virtual Status stage_sets(const ReportScope& scope, std::vector<StageSetRow>& out) = 0;
  virtual Status paths(const ReportScope& scope, PathKind kind, std::size_t limit, PathResult& out) = 0;
  // Conversions named `goal` (all conversions when empty), credited to touchpoint `by` keys.
  virtual Status attribution(const ReportScope& scope, std::string_view goal, TouchKey by,
                             std::vector<AttributionRow>& out) = 0;
  virtual Status units(const ReportScope& scope, UnitKind kind, std::vector<UnitRow>& exposed,
                       std::vector<UnitGoalRow>& converted) = 0;
  // Where the numbers came from, for the response ("rollups", "events", "clickhouse").
  virtual std::string last_source() const = 0;
};

}  // namespace ithaca::tracker
