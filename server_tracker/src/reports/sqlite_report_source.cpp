#include "reports/sqlite_report_source.hpp"

#include <algorithm>
#include <deque>
#include <iterator>
#include <limits>
#include <map>
#include <thread>
#include <tuple>

#include "logger.hpp"
#include "reports/day_aggregator.hpp"
#include "reports/raw_events.hpp"
#include "reports/visitor_day_totals.hpp"
#include "reports/visitor_events.hpp"

namespace ithaca::tracker {

// Every aggregate of a range, summed over its days.
struct SqliteReportSource::RawTotals final : AggregateSink {
  std::int32_t day = 0;
  std::map<std::int64_t, Counts> series_day, series_hour;
  std::map<std::pair<int, std::string>, BreakdownRow> breakdown;
  std::map<std::string, std::int64_t> stage_set_rows;
  std::map<std::pair<int, std::string>, std::int64_t> path_rows;
  std::map<std::tuple<std::string, int, std::string>, AttributionRow> attribution_rows;
  std::map<std::tuple<int, std::string, std::string>, UnitRow> unit_rows;
  std::map<std::tuple<int, std::string, std::string, std::string>, std::int64_t> unit_goal_rows;
  bool in_segment = false;  // journey rows of one segment value: not wanted here

  static void add(Counts& a, const Counts& b) {
    a.pageviews += b.pageviews;
    a.events += b.events;
    a.visitors += b.visitors;
  }
  static void add(AttributionRow& a, const AttributionRow& r) {
    a.key = r.key;
    a.first += r.first;
    a.last += r.last;
    a.linear += r.linear;
    a.first_value += r.first_value;
    a.last_value += r.last_value;
    a.linear_value += r.linear_value;
  }
  // Adds the totals of other days (a range scanned in parts).
  void merge(RawTotals&& o) {
    for (auto& [k, c] : o.series_day) add(series_day[k], c);
    for (auto& [k, c] : o.series_hour) add(series_hour[k], c);
    for (auto& [k, r] : o.breakdown) {
      BreakdownRow& row = breakdown[k];
      row.value = r.value;
      add(row.counts, r.counts);
      row.entries += r.entries;
    }
    for (auto& [k, n] : o.stage_set_rows) stage_set_rows[k] += n;
    for (auto& [k, n] : o.path_rows) path_rows[k] += n;
    for (auto& [k, r] : o.attribution_rows) add(attribution_rows[k], r);
    for (auto& [k, u] : o.unit_rows) {
      UnitRow& row = unit_rows[k];
      row.key = u.key;
      row.variant = u.variant;
      row.visitors += u.visitors;
      row.exposures += u.exposures;
    }
    for (auto& [k, n] : o.unit_goal_rows) unit_goal_rows[k] += n;
  }
  void dim_day(Dim dim, std::string_view value, const Counts& c, std::int64_t entries) override {
    if (dim == Dim::All) add(series_day[day], c);
    BreakdownRow& row = breakdown[{static_cast<int>(dim), std::string(value)}];
    row.value = value;
    add(row.counts, c);
    row.entries += entries;
  }
  void pair_day(Dim, std::string_view, Dim, std::string_view, const Counts&, std::int64_t) override {}
  void dim_hour(int hour, Dim dim, std::string_view, const Counts& c) override {
    if (dim == Dim::All) add(series_hour[static_cast<std::int64_t>(day) * 24 + hour], c);
  }
  void segment(Dim filter_dim, std::string_view) override { in_segment = filter_dim != Dim::All; }
  void stage_set(std::string_view stages, std::int64_t visitors) override {
    if (!in_segment) stage_set_rows[std::string(stages)] += visitors;
  }
  void path(PathKind kind, std::string_view steps, std::int64_t visits) override {
    if (in_segment) return;
    path_rows[{static_cast<int>(kind), std::string(steps)}] += visits;
  }
  void attribution(std::string_view goal, TouchKey by, const AttributionRow& r) override {
    if (in_segment) return;
    add(attribution_rows[{std::string(goal), static_cast<int>(by), r.key}], r);
  }
  void unit(UnitKind kind, std::string_view key, std::string_view variant, std::int64_t visitors,
            std::int64_t exposures) override {
    if (in_segment) return;
    UnitRow& u = unit_rows[{static_cast<int>(kind), std::string(key), std::string(variant)}];
    u.key = key;
    u.variant = variant;
    u.visitors += visitors;
    u.exposures += exposures;
  }
  void unit_goal(UnitKind kind, std::string_view key, std::string_view variant, std::string_view goal,
                 std::int64_t converted) override {
    if (in_segment) return;
    unit_goal_rows[{static_cast<int>(kind), std::string(key), std::string(variant), std::string(goal)}] += converted;
  }
};

std::unique_ptr<SqliteReportSource> SqliteReportSource::open(const std::string& events_path,
                                                             const std::string& rollups_path, RollupBuilder& builder,
                                                             std::string& error) {
  std::unique_ptr<SqliteReportSource> source(new SqliteReportSource());
  source->builder_ = &builder;
  source->rollups_ = RollupReader::open(rollups_path, error);
  if (!source->rollups_) return nullptr;
  source->rollups_path_ = rollups_path;
  Status s = source->events_.open(events_path, false);
  if (s) s = source->events_.exec("PRAGMA query_only=ON;");
  if (s) {
    s = source->range_.prepare(source->events_.handle(), std::string("SELECT ") + kRawEventColumns +
                                                             " FROM events WHERE site = ?1 AND ts >= ?2 AND ts < ?3 "
                                                             "ORDER BY site, ts");
  }
  if (!s) {
    error = s.message();
    return nullptr;
  }
  return source;
}

Status SqliteReportSource::ready() {
  if (!builder_->sync(sync_timeout_)) {
    return Status::error("the roll-ups are still catching up with the events; retry shortly");
  }
  return Status::ok();
}

bool SqliteReportSource::use_rollups(const ReportScope& scope, bool allow_one_filter) const {
  const bool rollups = !force_raw_ && (scope.filters.empty() || (allow_one_filter && scope.filters.size() == 1));
  std::lock_guard<std::mutex> lock(source_mutex_);
  last_source_ = rollups ? "rollups" : "events";
  return rollups;
}

std::optional<Filter> SqliteReportSource::journey_rollups(const ReportScope& scope) const {
  std::optional<Filter> segment;
  if (!force_raw_ && scope.filters.empty()) segment = Filter{};
  if (!force_raw_ && scope.filters.size() == 1 && pair_index(scope.filters[0].dim) >= 0) segment = scope.filters[0];
  std::lock_guard<std::mutex> lock(source_mutex_);
  last_source_ = segment ? "rollups" : "events";
  return segment;
}

void SqliteReportSource::set_source(const char* source) {
  std::lock_guard<std::mutex> lock(source_mutex_);
  last_source_ = source;
}

std::string SqliteReportSource::last_source() const {
  std::lock_guard<std::mutex> lock(source_mutex_);
  return last_source_;
}

namespace {

// The SQL condition that selects a filter's events (its value bound as ?N): SQLite skips the
// other events before their columns are read. The C++ comparison after it stays the definition.
std::string filter_condition(const Filter& f, int n) {
  const std::string p = "?" + std::to_string(n);
  if (f.dim == Dim::Visit) {
    return "(CASE visit_first WHEN 1 THEN 'first' WHEN 0 THEN 'repeat' ELSE '' END) = " + p;
  }
  return std::string("coalesce(") + dimensions()[static_cast<int>(f.dim)].column + ", '') = " + p;
}

}  // namespace

Status SqliteReportSource::scan(const ReportScope& scope, RawTotals& out) {
  std::lock_guard<std::mutex> lock(raw_mutex_);
  const TimeZone& zone = *scope.zone;
  // Filtered scans get a statement of their own (their condition depends on the dimensions).
  SqliteQuery filtered;
  SqliteQuery* range = &range_;
  if (!scope.filters.empty()) {
    std::string sql = std::string("SELECT ") + kRawEventColumns + " FROM events WHERE site = ?1 AND ts >= ?2 AND ts < ?3";
    int n = 4;
    for (const Filter& f : scope.filters) {
      if (f.dim != Dim::All) sql += " AND " + filter_condition(f, n++);
    }
    if (Status s = filtered.prepare(events_.handle(), sql + " ORDER BY site, ts"); !s) return s;
    n = 4;
    for (const Filter& f : scope.filters) {
      if (f.dim != Dim::All) filtered.bind(n++, f.value);
    }
    range = &filtered;
  }
  std::map<std::int32_t, std::unique_ptr<DayAggregator>> open;
  auto close = [&](std::map<std::int32_t, std::unique_ptr<DayAggregator>>::iterator it) {
    out.day = it->first;
    it->second->emit(out, false);
    open.erase(it);
  };
  range->bind(1, scope.site).bind(2, scope.from_ms()).bind(3, scope.to_ms());
  StoredEvent e;
  int rc;
  while ((rc = range->step()) == SQLITE_ROW) {
    read_raw_event(*range, e);
    bool match = true;
    for (const Filter& f : scope.filters) match = match && dimension_value(e, f.dim) == f.value;
    if (!match) continue;
    const std::int32_t day = zone.local_day(e.ts_ms);
    if (day < scope.first_day || day > scope.last_day) continue;
    auto it = open.find(day);
    if (it == open.end()) {
      it = open.emplace(day, std::make_unique<DayAggregator>(day, DayAggregator::Detail::Unsegmented)).first;
      // Local days follow UTC order except around a backward clock change: keep a few open.
      while (open.size() > 3) close(open.begin());
    }
    it->second->add(e, static_cast<int>(zone.local_hour(e.ts_ms) - static_cast<std::int64_t>(day) * 24));
  }
  while (!open.empty()) close(open.begin());
  return range->done(rc);
}

Status SqliteReportSource::aggregate(const ReportScope& scope, Dim dim, bool journey,
                                     std::shared_ptr<const RawTotals>& out) {
  auto totals = std::make_shared<RawTotals>();
  out = totals;
  if (force_raw_) return scan(scope, *totals);
  set_source("rollups");
  // One report asks for several parts of one scan (a breakdown and its totals, the journey's
  // sub-reports): the last few scans are kept while the roll-ups have not changed.
  std::int64_t version = 0;
  if (Status s = rollups_->data_version(version); !s) return s;
  std::string key = scope.site + '\x1f' + std::to_string(scope.first_day) + '\x1f' + std::to_string(scope.last_day);
  for (const Filter& f : scope.filters) {
    key += '\x1f' + std::to_string(static_cast<int>(f.dim)) + ':' + f.value;
  }
  {
    std::lock_guard<std::mutex> lock(memo_mutex_);
    for (const Memo& m : memos_) {
      if (m.key == key && m.version == version && (dim == Dim::All || m.dim == dim) && (!journey || m.journey)) {
        out = m.totals;
        return Status::ok();
      }
    }
  }
  if (Status s = visitor_scan(scope, dim, journey, *totals); !s) return s;
  std::lock_guard<std::mutex> lock(memo_mutex_);
  memos_.push_front(Memo{std::move(key), version, dim, journey, totals});
  if (memos_.size() > kMemos) memos_.pop_back();
  return Status::ok();
}

Status SqliteReportSource::visitor_scan(const ReportScope& scope, Dim dim, bool journey, RawTotals& out) {
  // Reading the chunks costs as much CPU as aggregating them, and days are independent: the
  // later half of the range is scanned on a second thread. Scans have connections of their own,
  // each in one read transaction for the scan (other reports' reads must not see its snapshot),
  // so one scan runs at a time: on two cores a second would only take turns with it.
  std::lock_guard<std::mutex> scanning(scan_mutex_);
  for (auto& reader : scan_readers_) {
    if (reader) continue;
    std::string error;
    reader = RollupReader::open(rollups_path_, error);
    if (!reader) return Status::error("roll-ups: " + error);
  }
  RollupReader* first = scan_readers_[0].get();
  RollupReader* second = nullptr;
  // One core: a second thread would only take turns with the first.
  static const bool cores = std::thread::hardware_concurrency() > 1;
  if (scan_threads_ > 1 && cores && scope.last_day > scope.first_day) second = scan_readers_[1].get();
  ScanStats stats, late_stats;
  const auto started = std::chrono::steady_clock::now();
  // Logged: what a slow filtered report read (a tuning aid for the list share, too).
  auto keep_stats = [&] {
    stats.listed_days += late_stats.listed_days;
    stats.scanned_days += late_stats.scanned_days;
    stats.visitor_days += late_stats.visitor_days;
    stats.skipped_visitor_days += late_stats.skipped_visitor_days;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    log_info("visitor_events scan", {{"site", scope.site},
                                     {"days", std::to_string(scope.last_day - scope.first_day + 1)},
                                     {"filters", std::to_string(scope.filters.size())},
                                     {"listed_days", std::to_string(stats.listed_days)},
                                     {"whole_days", std::to_string(stats.scanned_days)},
                                     {"visitor_days", std::to_string(stats.visitor_days)},
                                     {"skipped_visitor_days", std::to_string(stats.skipped_visitor_days)},
                                     {"ms", std::to_string(ms.count())}});
    std::lock_guard<std::mutex> lock(source_mutex_);
    last_scan_ = stats;
  };
  if (!second) {
    Status s = visitor_scan_days(*first, scope, dim, journey, out, stats);
    keep_stats();
    return s;
  }
  ReportScope early = scope, late = scope;
  early.last_day = scope.first_day + (scope.last_day - scope.first_day) / 2;
  late.first_day = early.last_day + 1;
  RawTotals late_totals;
  Status late_status;
  std::thread worker([&] { late_status = visitor_scan_days(*second, late, dim, journey, late_totals, late_stats); });
  Status s = visitor_scan_days(*first, early, dim, journey, out, stats);
  worker.join();
  keep_stats();
  if (!s) return s;
  if (!late_status) return late_status;
  out.merge(std::move(late_totals));
  return Status::ok();
}

Status SqliteReportSource::visitor_scan_days(RollupReader& reader, const ReportScope& scope, Dim dim, bool journey,
                                             RawTotals& out, ScanStats& stats) {
  VisitorDayTotals totals(dim, journey);
  std::vector<VisitorEvent> events;
  std::vector<const VisitorEvent*> matching;
  std::int32_t day = std::numeric_limits<std::int32_t>::min();
  bool corrupt = false;
  VisitorChunk chunk;
  std::vector<std::pair<Dim, std::uint32_t>> keep;
  // Decoding keeps only the matching events; the visitor-day is aggregated at once (its events
  // point into the blocks, valid during the call).
  auto on_visitor = [&](std::int32_t d, std::uint64_t, const std::vector<VisitorChunkRef>& chunks) {
    ++stats.visitor_days;
    if (d != day) {
      if (day != std::numeric_limits<std::int32_t>::min()) {
        out.day = day;
        totals.emit(out);
      }
      day = d;
    }
    events.clear();
    for (const VisitorChunkRef& ref : chunks) {
      if (!chunk.parse(ref.bytes, *ref.table)) {
        corrupt = true;
        return;
      }
      // A chunk none of whose strings is a filter's value holds no matching event; the others
      // keep the events whose dimension is that string (a chunk's strings are distinct).
      keep.clear();
      const auto& strings = chunk.strings();
      bool none = false;
      for (const Filter& f : scope.filters) {
        if (f.dim == Dim::All) {  // every event's value is ""
          none = !f.value.empty();
        } else {
          const auto it = std::find(strings.begin(), strings.end(), f.value);
          none = it == strings.end();
          if (!none) keep.emplace_back(f.dim, static_cast<std::uint32_t>(it - strings.begin()));
        }
        if (none) break;
      }
      if (none) continue;
      if (!chunk.decode(events, keep)) corrupt = true;
    }
    if (events.empty()) return;
    matching.clear();
    for (const VisitorEvent& e : events) matching.push_back(&e);
    totals.add(matching);
  };
  // A day whose visitors on every filter's visitor_values list are few enough is read by looking
  // up their buckets' blocks; the others are read whole. Either way only the listed visitors'
  // chunks are decoded.
  bool restricting = false;
  for (const Filter& f : scope.filters) restricting = restricting || f.dim != Dim::All;
  if (Status st = reader.begin_read(); !st) return st;
  struct EndRead {
    RollupReader& reader;
    ~EndRead() { (void)reader.end_read(); }
  } end_read{reader};
  std::vector<std::uint64_t> chosen, list, both;
  for (std::int32_t d = scope.first_day; d <= scope.last_day; ++d) {
    bool listed = false;
    const bool consulted = restricting && list_share_ > 0;
    if (consulted) {
      bool first = true;
      for (const Filter& f : scope.filters) {
        if (f.dim == Dim::All) continue;
        if (Status st = reader.visitors_with(scope.site, d, f.dim, f.value, list); !st) return st;
        if (first) {
          chosen.swap(list);
        } else {
          both.clear();
          std::set_intersection(chosen.begin(), chosen.end(), list.begin(), list.end(), std::back_inserter(both));
          chosen.swap(both);
        }
        first = false;
        if (chosen.empty()) break;
      }
      std::int64_t all = 0;
      if (Status st = reader.visitor_days(scope.site, d, all); !st) return st;
      listed = static_cast<double>(chosen.size()) <= list_share_ * static_cast<double>(all);
    }
    Status st;
    // In the table's order (visitor ids compare as signed there), as a whole read meets them.
    if (consulted) {
      std::rotate(chosen.begin(), std::lower_bound(chosen.begin(), chosen.end(), std::uint64_t{1} << 63), chosen.end());
    }
    if (listed) {
      ++stats.listed_days;
      st = reader.visitor_chunks_of(scope.site, d, chosen, on_visitor);
    } else {
      // Read whole, but only the chunks of the visitors on every list are decoded: the others
      // hold no matching event (skipping one costs its block index entry).
      ++stats.scanned_days;
      ReportScope one = scope;
      one.first_day = one.last_day = d;
      st = reader.visitor_chunks(one, on_visitor, consulted ? &chosen : nullptr, &stats.skipped_visitor_days);
    }
    if (!st) return st;
    if (corrupt) break;
  }
  if (corrupt) return Status::error("roll-ups: a visitor_events chunk cannot be decoded");
  if (day != std::numeric_limits<std::int32_t>::min()) {
    out.day = day;
    totals.emit(out);
  }
  return Status::ok();
}

Status SqliteReportSource::timeseries(const ReportScope& scope, Interval interval, std::vector<SeriesPoint>& out) {
  if (Status s = ready(); !s) return s;
  out.clear();
  if (use_rollups(scope, true)) {
    return rollups_->timeseries(scope, interval, scope.filters.empty() ? Filter{} : scope.filters.front(), out);
  }
  std::shared_ptr<const RawTotals> memo;
  if (Status s = aggregate(scope, Dim::All, false, memo); !s) return s;
  const RawTotals& totals = *memo;
  for (const auto& [bucket, c] : interval == Interval::Hour ? totals.series_hour : totals.series_day) {
    out.push_back({bucket, c});
  }
  return Status::ok();
}

Status SqliteReportSource::breakdown(const ReportScope& scope, Dim dim, std::vector<BreakdownRow>& out) {
  if (Status s = ready(); !s) return s;
  out.clear();
  if (use_rollups(scope, false)) return rollups_->breakdown(scope, dim, out);
  if (!force_raw_ && scope.filters.size() == 1 && pair_index(scope.filters[0].dim) >= 0) {
    set_source("rollups");
    return rollups_->segment_breakdown(scope, dim, scope.filters[0], out);
  }
  std::shared_ptr<const RawTotals> memo;
  if (Status s = aggregate(scope, dim, false, memo); !s) return s;
  const RawTotals& totals = *memo;
  for (auto& [key, row] : totals.breakdown) {
    if (key.first == static_cast<int>(dim)) out.push_back(row);
  }
  return Status::ok();
}

Status SqliteReportSource::stage_sets(const ReportScope& scope, std::vector<StageSetRow>& out) {
  if (Status s = ready(); !s) return s;
  out.clear();
  if (auto segment = journey_rollups(scope)) return rollups_->stage_sets(scope, *segment, out);
  std::shared_ptr<const RawTotals> memo;
  if (Status s = aggregate(scope, Dim::All, true, memo); !s) return s;
  const RawTotals& totals = *memo;
  for (const auto& [stages, n] : totals.stage_set_rows) {
    if (n > 0) out.push_back({stages, n});
  }
  return Status::ok();
}

Status SqliteReportSource::paths(const ReportScope& scope, PathKind kind, std::size_t limit, PathResult& out) {
  if (Status s = ready(); !s) return s;
  if (auto segment = journey_rollups(scope)) return rollups_->paths(scope, *segment, kind, limit, out);
  std::shared_ptr<const RawTotals> memo;
  if (Status s = aggregate(scope, Dim::All, true, memo); !s) return s;
  const RawTotals& totals = *memo;
  std::vector<PathRow> all;
  for (const auto& [key, n] : totals.path_rows) {
    if (key.first == static_cast<int>(kind) && n > 0) all.push_back({key.second, n});
  }
  top_paths(std::move(all), limit, out);
  return Status::ok();
}

Status SqliteReportSource::attribution(const ReportScope& scope, std::string_view goal, TouchKey by,
                                       std::vector<AttributionRow>& out) {
  if (Status s = ready(); !s) return s;
  out.clear();
  if (auto segment = journey_rollups(scope)) return rollups_->attribution(scope, *segment, goal, by, out);
  std::shared_ptr<const RawTotals> memo;
  if (Status s = aggregate(scope, Dim::All, true, memo); !s) return s;
  const RawTotals& totals = *memo;
  std::map<std::string, AttributionRow> merged;
  for (const auto& [key, r] : totals.attribution_rows) {
    if (std::get<1>(key) != static_cast<int>(by) || (!goal.empty() && std::get<0>(key) != goal)) continue;
    RawTotals::add(merged[r.key], r);
  }
  for (auto& [k, r] : merged) out.push_back(std::move(r));
  return Status::ok();
}

Status SqliteReportSource::units(const ReportScope& scope, UnitKind kind, std::vector<UnitRow>& exposed,
                                 std::vector<UnitGoalRow>& converted) {
  if (Status s = ready(); !s) return s;
  exposed.clear();
  converted.clear();
  if (auto segment = journey_rollups(scope)) return rollups_->units(scope, *segment, kind, exposed, converted);
  std::shared_ptr<const RawTotals> memo;
  if (Status s = aggregate(scope, Dim::All, true, memo); !s) return s;
  const RawTotals& totals = *memo;
  for (const auto& [key, u] : totals.unit_rows) {
    if (std::get<0>(key) == static_cast<int>(kind)) exposed.push_back(u);
  }
  for (const auto& [key, n] : totals.unit_goal_rows) {
    if (std::get<0>(key) == static_cast<int>(kind) && n > 0) {
      converted.push_back({std::get<1>(key), std::get<2>(key), std::get<3>(key), n});
    }
  }
  return Status::ok();
}

}  // namespace ithaca::tracker
