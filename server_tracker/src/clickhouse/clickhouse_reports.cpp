#include "clickhouse/clickhouse_reports.hpp"

#include <filesystem>
#include <map>
#include <thread>

#include "clickhouse/clickhouse_client.hpp"
#include "clickhouse/clickhouse_control_store.hpp"
#include "clickhouse/clickhouse_event_store.hpp"
#include "reports/report_service.hpp"

namespace ithaca::tracker {
namespace fs = std::filesystem;

namespace {

using Rows = std::vector<std::vector<std::string>>;

std::int64_t num(const std::string& s) { return std::strtoll(s.c_str(), nullptr, 10); }

// The pieces every query shares: local time from the offsets in force over the range (one
// constant, or a multiIf over the zone's transitions — exact, and independent of ClickHouse's
// own time zone data), and the WHERE clause of the scope.
struct ScopeSql {
  std::string day, hour, where;
};

std::string filter_sql(const Filter& f) {
  if (f.dim == Dim::Visit) {
    if (f.value == "first") return "visit_first = 1";
    if (f.value == "repeat") return "visit_first = 0";
    if (f.value.empty()) return "visit_first = -1";
    return "0";
  }
  // `type` is an Enum8 (schema 2): ClickHouse rejects a comparison with a name it does not
  // have, and no row has one.
  if (f.dim == Dim::Type && !parse_event_type(f.value)) return "0";
  return std::string(dimensions()[static_cast<int>(f.dim)].column) + " = " + sql_string(f.value);
}

std::string dim_expr(Dim dim) {
  if (dim == Dim::All) return "''";
  if (dim == Dim::Visit) return "multiIf(visit_first = 1, 'first', visit_first = 0, 'repeat', '')";
  return dimensions()[static_cast<int>(dim)].column;
}

ScopeSql scope_sql(const ReportScope& scope) {
  const auto segments = scope.zone->segments(scope.from_ms(), scope.to_ms());
  std::string offset;
  if (segments.size() == 1) {
    offset = "toInt64(" + sql_int(segments[0].offset_ms) + ")";
  } else {
    offset = "multiIf(";
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
      offset += "ts < " + sql_int(segments[i + 1].start_ms) + ", toInt64(" + sql_int(segments[i].offset_ms) + "), ";
    }
    offset += "toInt64(" + sql_int(segments.back().offset_ms) + "))";
  }
  ScopeSql s;
  s.day = "intDiv(ts + " + offset + ", 86400000)";
  s.hour = "intDiv(ts + " + offset + ", 3600000)";
  s.where = "site = " + sql_string(scope.site) + " AND ts >= " + sql_int(scope.from_ms()) + " AND ts < " +
            sql_int(scope.to_ms());
  // The time range alone selects exactly the scope's days while local days never go back, that
  // is unless a transition turns the clocks back across midnight; only then is the day of every
  // row checked too (it cost a third of a simple report's time).
  bool day_goes_back = false;
  for (std::size_t i = 1; i < segments.size(); ++i) {
    const std::int64_t t = segments[i].start_ms, before = segments[i - 1].offset_ms, after = segments[i].offset_ms;
    constexpr std::int64_t kDay = 86'400'000;
    auto day_of = [](std::int64_t local) { return local >= 0 ? local / kDay : (local - kDay + 1) / kDay; };
    if (after < before && day_of(t + after) != day_of(t + before - 1)) day_goes_back = true;
  }
  if (day_goes_back) {
    s.where += " AND " + s.day + " BETWEEN " + sql_int(scope.first_day) + " AND " + sql_int(scope.last_day);
  }
  for (const auto& f : scope.filters) s.where += " AND " + filter_sql(f);
  return s;
}

const char* touch_column(TouchKey by) {
  return by == TouchKey::Category ? "category" : by == TouchKey::Source ? "source" : "campaign";
}

class ClickHouseReportSource final : public ReportSource {
 public:
  explicit ClickHouseReportSource(const ClickHouseClient& client) : client_(client) {}

  Status timeseries(const ReportScope& scope, Interval interval, std::vector<SeriesPoint>& out) override {
    out.clear();
    const ScopeSql s = scope_sql(scope);
    Rows rows;
    const std::string bucket = interval == Interval::Hour ? s.hour : s.day;
    if (Status st = client_.select("SELECT " + bucket + " AS b, countIf(type = 'pageview'), count(), "
                                   "uniqExact(visitor) FROM events WHERE " + s.where + " GROUP BY b ORDER BY b",
                                   rows);
        !st) {
      return st;
    }
    for (const auto& r : rows) {
      if (r.size() == 4) out.push_back({num(r[0]), Counts{num(r[1]), num(r[2]), num(r[3])}});
    }
    return Status::ok();
  }

  Status breakdown(const ReportScope& scope, Dim dim, std::vector<BreakdownRow>& out) override {
    out.clear();
    const ScopeSql s = scope_sql(scope);
    const std::string v = dim_expr(dim);
    Rows rows;
    // Visitor-days per value: distinct visitors per (value, day), added over the days — the same
    // number as uniqExact(day, visitor), whose 128-bit hashing of a tuple cost twice as much.
    if (Status st = client_.select("SELECT v, sum(pv), sum(n), sum(u) FROM (SELECT " + v + " AS v, " + s.day +
                                       " AS d, countIf(type = 'pageview') AS pv, count() AS n, uniqExact(visitor) AS u "
                                       "FROM events WHERE " + s.where + " GROUP BY v, d) GROUP BY v",
                                   rows);
        !st) {
      return st;
    }
    std::map<std::string, std::size_t> index;
    for (auto& r : rows) {
      if (r.size() != 4) continue;
      index[r[0]] = out.size();
      out.push_back(BreakdownRow{r[0], Counts{num(r[1]), num(r[2]), num(r[3])}, 0});
    }
    // Entries: each visit's first pageview (by time, then path, then event id) names its value.
    // Without a dimension every visit with a pageview is one entry of the single value: counting
    // the visits skips the argMin over a tuple (generic, slow in ClickHouse), and every report's
    // totals come from this breakdown.
    const std::string first_value =
        dim == Dim::All ? "SELECT '' AS v" : "SELECT argMin(" + v + ", (ts, path, event_id)) AS v";
    if (Status st = client_.select("SELECT v, count() FROM (" + first_value + " FROM events WHERE " + s.where +
                                       " AND type = 'pageview' GROUP BY " + s.day + ", visitor, visit_count) GROUP BY v",
                                   rows);
        !st) {
      return st;
    }
    for (const auto& r : rows) {
      if (r.size() != 2) continue;
      auto it = index.find(r[0]);
      if (it != index.end()) out[it->second].entries = num(r[1]);
    }
    return Status::ok();
  }

  Status stage_sets(const ReportScope& scope, std::vector<StageSetRow>& out) override {
    out.clear();
    const ScopeSql s = scope_sql(scope);
    Rows rows;
    if (Status st = client_.select("SELECT st, count() FROM (SELECT arrayStringConcat(arraySort(groupUniqArray("
                                   "journey_stage)), '\\x1F') AS st FROM events WHERE " + s.where +
                                       " AND journey_stage != '' GROUP BY " + s.day + ", visitor) GROUP BY st",
                                   rows);
        !st) {
      return st;
    }
    for (const auto& r : rows) {
      if (r.size() == 2) out.push_back({r[0], num(r[1])});
    }
    return Status::ok();
  }

  Status paths(const ReportScope& scope, PathKind kind, std::size_t limit, PathResult& out) override {
    out = PathResult{};
    const ScopeSql s = scope_sql(scope);
    const bool pages = kind == PathKind::Pages;
    // Per visit: its distinct pages (or stages) ordered by first appearance (time, then text),
    // the first five. Sorting the visit's (time, text) pairs and keeping each text's first
    // occurrence gives that order without a GROUP BY per (visit, text) underneath.
    const std::string steps = "SELECT arrayStringConcat(arraySlice(arrayDistinct(arrayMap(x -> x.2, arraySort(groupArray((ts, " +
                              std::string(pages ? "path" : "journey_stage") + "))))), 1, " +
                              std::to_string(kMaxPathSteps) + "), '\\x1F') AS steps FROM events WHERE " + s.where +
                              (pages ? " AND type = 'pageview'" : " AND journey_stage != ''") + " GROUP BY " + s.day +
                              ", visitor, visit_count";
    // One pass: the sequences counted, then folded into one row holding the top `limit` (most
    // visits, then by text), the visits and the distinct sequences — the per-visit work, the
    // bulk of the cost, is done once instead of once for the rows and again for the totals.
    // LEFT ARRAY JOIN keeps the totals when the top list is empty (its row then has 0 visits).
    Rows rows;
    if (Status st = client_.select(
            "SELECT best.1, best.2, visits, paths FROM (SELECT arraySlice(arraySort(x -> (-x.2, x.1), "
            "groupArray((steps, n))), 1, " + std::to_string(limit) + ") AS top_list, sum(n) AS visits, count() AS paths "
            "FROM (SELECT steps, toInt64(count()) AS n FROM (" + steps + ") GROUP BY steps)) LEFT ARRAY JOIN top_list AS best",
            rows);
        !st) {
      return st;
    }
    for (const auto& r : rows) {
      if (r.size() != 4) continue;
      out.total_visits = num(r[2]);
      out.distinct = num(r[3]);
      if (num(r[1]) > 0) out.rows.push_back({r[0], num(r[1])});
    }
    return Status::ok();
  }

  Status attribution(const ReportScope& scope, std::string_view goal, TouchKey by,
                     std::vector<AttributionRow>& out) override {
    out.clear();
    const ScopeSql s = scope_sql(scope);
    std::string where = s.where + " AND type = 'conversion'";
    if (!goal.empty()) where += " AND name = " + sql_string(goal);
    const std::string col = touch_column(by);
    std::map<std::string, AttributionRow> merged;
    Rows rows;
    for (const char* model : {"first", "last"}) {
      if (Status st = client_.select(std::string("SELECT t_") + model + "_" + col +
                                         " AS k, count(), sum(value_micro) FROM events WHERE " + where + " GROUP BY k",
                                     rows);
          !st) {
        return st;
      }
      for (const auto& r : rows) {
        if (r.size() != 3) continue;
        AttributionRow& a = merged[r[0]];
        a.key = r[0];
        (model[0] == 'f' ? a.first : a.last) = num(r[1]) * kMicro;
        (model[0] == 'f' ? a.first_value : a.last_value) = num(r[2]);
      }
    }
    // Linear: touchpoint i of n gets 1e6/n millionths, the first 1e6 % n one more (the value
    // likewise, sign kept) — linear_credit()/linear_share() in event_facts.cpp.
    const std::string list = "t_" + col;
    if (Status st = client_.select(
            "SELECT k, sum(credit), sum(share) FROM (SELECT arrayJoin(arrayEnumerate(" + list + ")) AS i, length(" +
                list + ") AS n, " + list +
                "[i] AS k, toInt64(intDiv(1000000, n) + (i <= 1000000 % n)) AS credit, if(value_micro >= 0, 1, -1) * "
                "toInt64(intDiv(abs(value_micro), n) + (i <= abs(value_micro) % n)) AS share FROM events WHERE " +
                where + ") GROUP BY k",
            rows);
        !st) {
      return st;
    }
    for (const auto& r : rows) {
      if (r.size() != 3) continue;
      AttributionRow& a = merged[r[0]];
      a.key = r[0];
      a.linear = num(r[1]);
      a.linear_value = num(r[2]);
    }
    for (auto& [k, a] : merged) out.push_back(std::move(a));
    return Status::ok();
  }

  Status units(const ReportScope& scope, UnitKind kind, std::vector<UnitRow>& exposed,
               std::vector<UnitGoalRow>& converted) override {
    exposed.clear();
    converted.clear();
    const ScopeSql s = scope_sql(scope);
    const std::string key = kind == UnitKind::Experiment ? "experiment" : "slot";
    const std::string exposures = " FROM events WHERE " + s.where + " AND type = 'exposure' AND " + key + " != ''";
    Rows rows;
    if (Status st = client_.select("SELECT k, variant, count(), sum(n) FROM (SELECT " + key +
                                       " AS k, variant, count() AS n" + exposures + " GROUP BY " + s.day +
                                       ", visitor, k, variant) GROUP BY k, variant",
                                   rows);
        !st) {
      return st;
    }
    for (const auto& r : rows) {
      if (r.size() == 4) exposed.push_back({r[0], r[1], num(r[2]), num(r[3])});
    }
    // A unit (visitor-day, key, variant) converted for a goal when the day holds a conversion
    // with that name (or any, goal "*") at or after its first exposure.
    const std::string conversions = " FROM events WHERE " + s.where + " AND type = 'conversion'";
    const std::string sql =
        "SELECT k, variant, goal, count() FROM (SELECT * FROM (SELECT " + s.day + " AS d, visitor, " + key +
        " AS k, variant, min(ts) AS first_ts" + exposures +
        " GROUP BY d, visitor, k, variant) ALL INNER JOIN (SELECT d, visitor, goal, last_ts FROM (SELECT " + s.day +
        " AS d, visitor, name AS goal, max(ts) AS last_ts" + conversions + " GROUP BY d, visitor, goal UNION ALL SELECT " +
        s.day + " AS d, visitor, '*' AS goal, max(ts) AS last_ts" + conversions +
        " GROUP BY d, visitor)) USING (d, visitor) WHERE last_ts >= first_ts) GROUP BY k, variant, goal";
    if (Status st = client_.select(sql, rows); !st) return st;
    for (const auto& r : rows) {
      if (r.size() == 4) converted.push_back({r[0], r[1], r[2], num(r[3])});
    }
    return Status::ok();
  }

  std::string last_source() const override { return "clickhouse"; }

 private:
  const ClickHouseClient& client_;
};

class ClickHouseReportService final : public ReportService {
 public:
  ClickHouseReportService(std::vector<SiteConfig> sites,
                          std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones,
                          ClickHouseEventStore& store)
      : ReportService(std::move(sites), std::move(zones)), store_(store), source_(store.client()) {}
  ~ClickHouseReportService() override { stop(); }

  ReportSource& source() override { return source_; }
  std::string store_name() const override { return "clickhouse"; }

  Status erase_visitor(const std::string& site, const std::string& id, ErasureSummary& out) override {
    return store_.erase_visitor(site, id, out.events, out.bot_events, out.spooled_events);
  }
  Status export_visitor(const std::string& site, const std::string& id, std::vector<StoredEvent>& out) override {
    return store_.export_visitor(site, id, out);
  }
  Status apply_retention(const std::string& site, std::int64_t cutoff_ms, std::int64_t& deleted) override {
    return store_.delete_before(site, cutoff_ms, deleted);
  }

 private:
  ClickHouseEventStore& store_;
  ClickHouseReportSource source_;
};

}  // namespace

std::unique_ptr<ReportSource> make_clickhouse_report_source(const ClickHouseClient& client) {
  return std::make_unique<ClickHouseReportSource>(client);
}

SqliteStores open_clickhouse_stores(const TrackerOptions& options, std::string& error) {
  SqliteStores stores;
  ClickHouseStoreOptions o;
  if (!parse_clickhouse_url(options.store, o.endpoint, error)) return stores;
  o.spool_dir = (fs::path(options.data_dir) / "clickhouse-spool").string();
  if (options.clickhouse_spool_bytes) o.spool_max_bytes = options.clickhouse_spool_bytes;
  auto events = ClickHouseEventStore::open(o, error);
  if (!events) return stores;
  stores.control = std::make_unique<ClickHouseControlStore>(o.endpoint);
  stores.events = std::move(events);
  return stores;
}

std::unique_ptr<ReportService> open_clickhouse_report_service(
    const TrackerOptions& options, std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones,
    EventStore& events, std::string& error) {
  auto* store = dynamic_cast<ClickHouseEventStore*>(&events);
  if (!store) {
    error = "the ClickHouse report service needs the ClickHouse event store";
    return nullptr;
  }
  return std::make_unique<ClickHouseReportService>(options.sites, std::move(zones), *store);
}

}  // namespace ithaca::tracker
