// The SQLite roll-ups against the raw-event path on a generated stream: every report, without a
// filter and under one filter on each dimension of kPairDims, must give the same answer both ways —
// the raw path aggregates exactly the matching events, so it is the definition the roll-ups
// (including the journey rows kept per segment value) have to meet.
#include "reports/sqlite_report_source.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "reports/event_loader.hpp"
#include "reports/reports.hpp"
#include "rollup_test_support.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;

constexpr std::int64_t kEnd = 1'795'000'000'000;  // 2026-11-18

// Every kind of report, some with parameters.
const std::vector<std::pair<std::string, ReportParams>> kReports = {
    {"timeseries", {}},
    {"timeseries", {{"interval", "hour"}}},
    {"pages", {}},
    {"campaigns", {}},
    {"funnel", {}},
    {"paths", {}},
    {"paths", {{"kind", "stages"}}},
    {"attribution", {}},
    {"attribution", {{"by", "source"}, {"goal", "purchase"}}},
    {"experiments", {}},
    {"personalization", {}},
    {"journey", {}},
};

class RollupsAgainstRawEvents : public ::testing::Test {
 protected:
  void SetUp() override {
    rules_json = testing::read_text(testing::fixture("../../../demo_site/rules/demo.json"));
    testing::open_events_database(dir, stores);
    ASSERT_TRUE(stores.events);

    GeneratorOptions g;
    g.events = 4000;
    g.days = 2.5;
    g.end_ms = kEnd;
    g.rules_json = rules_json;
    EventGenerator generator(g);
    GeneratedRequest r;
    std::vector<StoredEvent> events;
    while (generator.next(r)) append_stored_events(r, events);
    ASSERT_TRUE(stores.events->write(events));
    start();
  }

  // A builder on DIR, and the two sources over it: roll-ups and raw events.
  void start() {
    testing::start_rollup_builder(dir, "demo", zone, builder);
    ASSERT_TRUE(builder);
    std::string error;
    rollups = SqliteReportSource::open(dir.str("ithaca.db"), dir.str("rollups.db"), *builder, error);
    raw = SqliteReportSource::open(dir.str("ithaca.db"), dir.str("rollups.db"), *builder, error);
    ASSERT_TRUE(rollups && raw) << error;
    raw->force_raw(true);
  }

  json report(SqliteReportSource& source, const std::string& name, const ReportParams& params,
              std::vector<Filter> filters) {
    ReportScope scope;
    scope.site = "demo";
    scope.zone = zone;
    scope.last_day = zone->local_day(kEnd);
    scope.first_day = scope.last_day - 3;
    scope.filters = std::move(filters);
    ReportResult result;
    ReportError error;
    EXPECT_TRUE(run_report(source, name, scope, params, SiteRulesInfo::from_json(rules_json), result, error))
        << name << ": " << error.message;
    result.body.erase("source");
    return result.body;
  }

  testing::TempDir dir;
  std::string rules_json;
  SqliteStores stores;
  std::shared_ptr<const TimeZone> zone;
  std::unique_ptr<RollupBuilder> builder;
  std::unique_ptr<SqliteReportSource> rollups, raw;
};

TEST_F(RollupsAgainstRawEvents, EveryReportUnderOneFilter) {
  const std::vector<std::pair<std::string, ReportParams>> reports = kReports;
  std::vector<std::vector<Filter>> filters = {{}};
  for (Dim dim : kPairDims) {
    // The two commonest values of the dimension, and "" (events without one).
    const json values = report(*raw, "breakdown", {{"dimension", dimension_name(dim)}, {"limit", "2"}}, {});
    for (const json& row : values["rows"]) filters.push_back({Filter{dim, row["value"].get<std::string>()}});
    filters.push_back({Filter{dim, ""}});
  }
  ASSERT_GT(filters.size(), 30u);
  for (const auto& filter : filters) {
    auto all = reports;
    if (!filter.empty()) all.push_back({"breakdown", {{"dimension", dimension_name(filter[0].dim)}}});  // its own
    for (const auto& [name, params] : all) {
      const json expected = report(*raw, name, params, filter);
      const json actual = report(*rollups, name, params, filter);
      const std::string label = name + (filter.empty() ? "" : " " + std::string(dimension_name(filter[0].dim)) +
                                                                "=" + filter[0].value);
      EXPECT_EQ(rollups->last_source(), "rollups") << label;
      EXPECT_EQ(actual, expected) << label;
    }
  }
  // The filtered journey rows are not the unfiltered ones: the comparison above has teeth.
  const json all = report(*rollups, "funnel", {}, {});
  const json mobile = report(*rollups, "funnel", {}, {Filter{Dim::Device, "mobile"}});
  ASSERT_GT(mobile["stages"][0]["visitors"].get<std::int64_t>(), 0) << mobile.dump();
  EXPECT_LT(mobile["stages"][0]["visitors"], all["stages"][0]["visitors"]);
  const json paid = report(*rollups, "experiments", {}, {Filter{Dim::ReferrerCategory, "paid"}});
  EXPECT_NE(paid["experiments"], report(*rollups, "experiments", {}, {})["experiments"]);
}

// With one visitor per day in memory, every other visitor's state goes to the spill and back
// at each of its events: the roll-ups must not change by a single row.
TEST_F(RollupsAgainstRawEvents, SpillingVisitorStateChangesNoRow) {
  std::unique_ptr<RollupBuilder> tiny;
  testing::start_rollup_builder(dir, "demo", zone, tiny, "rollups-tiny.db", 1);
  ASSERT_TRUE(tiny);
  ASSERT_TRUE(tiny->sync(std::chrono::seconds(60)));
  ASSERT_TRUE(builder->sync(std::chrono::seconds(60)));
  tiny.reset();
  const std::string expected = testing::dump_rollups(dir.str("rollups.db"));
  EXPECT_GT(std::count(expected.begin(), expected.end(), '\n'), 1000);
  EXPECT_EQ(testing::dump_rollups(dir.str("rollups-tiny.db")), expected);

  // And reports from those roll-ups equal the raw computation.
  std::string error;
  std::unique_ptr<RollupBuilder> reopened;
  testing::start_rollup_builder(dir, "demo", zone, reopened, "rollups-tiny.db", 1);
  ASSERT_TRUE(reopened);
  auto source = SqliteReportSource::open(dir.str("ithaca.db"), dir.str("rollups-tiny.db"), *reopened, error);
  ASSERT_TRUE(source) << error;
  for (const char* name : {"funnel", "paths", "experiments", "landing-pages"}) {
    EXPECT_EQ(report(*source, name, {}, {Filter{Dim::Device, "mobile"}}),
              report(*raw, name, {}, {Filter{Dim::Device, "mobile"}}))
        << name;
    EXPECT_EQ(source->last_source(), "rollups") << name;
  }
}

// Breakdowns (not journey reports) under one page, landing-page or event-name filter come from
// the pair roll-ups too.
TEST_F(RollupsAgainstRawEvents, BreakdownsUnderAPageLandingOrEventFilter) {
  int compared = 0;
  for (Dim dim : {Dim::Page, Dim::Landing, Dim::Event}) {
    const json values = report(*raw, "breakdown", {{"dimension", dimension_name(dim)}, {"limit", "2"}}, {});
    std::vector<std::string> filter_values = {""};
    for (const json& row : values["rows"]) filter_values.push_back(row["value"].get<std::string>());
    for (const std::string& value : filter_values) {
      const std::vector<Filter> filter = {Filter{dim, value}};
      for (const char* by : {"pages", "landing-pages", "referrers", "devices", "events", "types", "visits"}) {
        const std::string label = std::string(by) + " " + dimension_name(dim) + "=" + value;
        EXPECT_EQ(report(*rollups, by, {}, filter), report(*raw, by, {}, filter)) << label;
        EXPECT_EQ(rollups->last_source(), "rollups") << label;
        ++compared;
      }
      EXPECT_EQ(report(*rollups, "breakdown", {{"dimension", dimension_name(dim)}}, filter),
                report(*raw, "breakdown", {{"dimension", dimension_name(dim)}}, filter))
          << dimension_name(dim) << "=" << value;
    }
  }
  EXPECT_EQ(compared, 3 * 3 * 7);
}

// Several filters, and journey reports under a page, landing-page or event filter, come from the
// visitor_events chunks: every report must equal the raw computation.
TEST_F(RollupsAgainstRawEvents, SeveralFiltersAndJourneyReportsUnderPageFilters) {
  auto top = [&](Dim dim, int n) {
    const json rows = report(*raw, "breakdown", {{"dimension", dimension_name(dim)}, {"limit", "2"}}, {})["rows"];
    return rows.at(static_cast<std::size_t>(n))["value"].get<std::string>();
  };
  const std::vector<std::vector<Filter>> filter_sets = {
      {{Dim::Device, top(Dim::Device, 0)}, {Dim::Country, top(Dim::Country, 0)}},
      {{Dim::ReferrerCategory, top(Dim::ReferrerCategory, 1)}, {Dim::Device, top(Dim::Device, 1)}},
      {{Dim::Visit, "repeat"}, {Dim::Type, "pageview"}},
      {{Dim::Country, top(Dim::Country, 1)}, {Dim::Browser, top(Dim::Browser, 0)}, {Dim::Os, top(Dim::Os, 0)}},
      {{Dim::Page, top(Dim::Page, 0)}},
      {{Dim::Page, top(Dim::Page, 1)}, {Dim::Device, top(Dim::Device, 0)}},
      {{Dim::Landing, top(Dim::Landing, 0)}},
      {{Dim::Landing, top(Dim::Landing, 1)}, {Dim::Visit, "first"}},
      {{Dim::Event, "purchase"}},
      {{Dim::Event, "purchase"}, {Dim::ReferrerCategory, top(Dim::ReferrerCategory, 0)}},
      {{Dim::Type, "exposure"}, {Dim::Country, top(Dim::Country, 0)}},
      {{Dim::UtmCampaign, ""}, {Dim::Language, top(Dim::Language, 0)}},
  };
  auto reports = kReports;
  for (const char* by : {"landing-pages", "referrers", "devices", "events", "visits"}) reports.push_back({by, {}});
  reports.push_back({"attribution", {{"by", "campaign"}, {"goal", "purchase"}}});
  // Every day through the visitor_values lists, every day read whole (decoding every chunk, or
  // only those of the visitors on every list), and the default choice.
  std::string error;
  auto listed = SqliteReportSource::open(dir.str("ithaca.db"), dir.str("rollups.db"), *builder, error);
  auto whole = SqliteReportSource::open(dir.str("ithaca.db"), dir.str("rollups.db"), *builder, error);
  auto skipping = SqliteReportSource::open(dir.str("ithaca.db"), dir.str("rollups.db"), *builder, error);
  ASSERT_TRUE(listed && whole && skipping) << error;
  listed->set_list_share(1.0);
  whole->set_list_share(0.0);
  skipping->set_list_share(1e-9);  // a day with anyone on every list is read whole
  int nonempty = 0;
  std::int64_t listed_days = 0, read_listed = 0, read_whole = 0, skipped = 0;
  for (const auto& filters : filter_sets) {
    for (const auto& [name, params] : reports) {
      std::string label = name;
      for (const Filter& f : filters) label += std::string(" ") + dimension_name(f.dim) + "=" + f.value;
      const json expected = report(*raw, name, params, filters);
      EXPECT_EQ(report(*rollups, name, params, filters), expected) << label;
      EXPECT_EQ(rollups->last_source(), "rollups") << label;
      EXPECT_EQ(report(*listed, name, params, filters), expected) << label << " (lists)";
      EXPECT_EQ(report(*whole, name, params, filters), expected) << label << " (whole days)";
      EXPECT_EQ(report(*skipping, name, params, filters), expected) << label << " (whole, skipping)";
      if (name == "timeseries" && expected["totals"]["events"].get<std::int64_t>() > 0) ++nonempty;
      if (name == "funnel") {  // each filter set's first journey scan
        listed_days += listed->last_scan().listed_days;
        EXPECT_EQ(listed->last_scan().scanned_days, 0) << label;
        EXPECT_EQ(whole->last_scan().listed_days, 0) << label;
        read_listed += listed->last_scan().visitor_days;
        read_whole += whole->last_scan().visitor_days;
        EXPECT_EQ(whole->last_scan().skipped_visitor_days, 0) << label;
        // Every visitor-day is read or passed over, and a read one is on every list.
        const SqliteReportSource::ScanStats s = skipping->last_scan();
        if (s.listed_days == 0) {
          EXPECT_EQ(s.visitor_days + s.skipped_visitor_days, whole->last_scan().visitor_days) << label;
        }
        EXPECT_EQ(s.visitor_days, listed->last_scan().visitor_days) << label;
        skipped += s.skipped_visitor_days;
      }
    }
  }
  EXPECT_GE(nonempty, 20);  // the filters select events: the comparisons have teeth
  EXPECT_EQ(listed_days, 4 * static_cast<std::int64_t>(filter_sets.size()));
  EXPECT_LT(read_listed, read_whole);  // the lists leave visitor-days unread
  EXPECT_GT(skipped, 0);
}

// One scan thread or two (the range split in halves, merged), a kept scan or a fresh one: the
// same answers as the raw events.
TEST_F(RollupsAgainstRawEvents, OneOrTwoScanThreadsAndKeptScansAgree) {
  std::string error;
  auto one = SqliteReportSource::open(dir.str("ithaca.db"), dir.str("rollups.db"), *builder, error);
  ASSERT_TRUE(one) << error;
  one->set_scan_threads(1);
  const std::vector<Filter> two = {Filter{Dim::Visit, "first"}, Filter{Dim::Type, "pageview"}};
  int compared = 0;
  for (int pass = 0; pass < 2; ++pass) {  // the second pass reads the kept scans
    for (const auto& [name, params] : kReports) {
      const json expected = report(*raw, name, params, two);
      EXPECT_EQ(report(*rollups, name, params, two), expected) << name << " pass " << pass;
      EXPECT_EQ(report(*one, name, params, two), expected) << name << " pass " << pass;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 2 * static_cast<int>(kReports.size()));
  EXPECT_GT(report(*raw, "timeseries", {}, two)["totals"]["visitors"].get<std::int64_t>(), 0);
}

// Roll-ups of an older schema (6: visitor_events one row per visitor-day and flush, keyed by
// visitor) are dropped and rebuilt at start.
TEST_F(RollupsAgainstRawEvents, AnOlderRollupSchemaIsRebuilt) {
  ASSERT_TRUE(builder->sync(std::chrono::seconds(60)));
  rollups.reset();
  raw.reset();
  builder.reset();
  {
    SqliteConnection db;
    ASSERT_TRUE(db.open(dir.str("rollups.db"), false));
    ASSERT_TRUE(db.exec("DROP TABLE visitor_events; CREATE TABLE visitor_events (site TEXT NOT NULL, day INTEGER "
                        "NOT NULL, visitor INTEGER NOT NULL, seq INTEGER NOT NULL, events BLOB NOT NULL, PRIMARY KEY "
                        "(site, day, visitor, seq)) WITHOUT ROWID; INSERT INTO visitor_events VALUES ('demo', 1, 2, 3, "
                        "x'00'); DELETE FROM stage_sets WHERE fdim = 1; UPDATE meta SET value = '6' WHERE key = "
                        "'schema';"));
  }
  start();
  rollups->set_list_share(1.0);
  const std::vector<Filter> two = {Filter{Dim::Device, "mobile"}, Filter{Dim::Visit, "first"}};
  const json expected = report(*raw, "funnel", {}, two);
  EXPECT_GT(expected["stages"][0]["visitors"].get<std::int64_t>(), 0);
  EXPECT_EQ(report(*rollups, "funnel", {}, two), expected);
  EXPECT_EQ(rollups->last_scan().listed_days, 4);
  const std::vector<Filter> home = {Filter{Dim::Page, "/"}};
  EXPECT_GT(report(*raw, "funnel", {}, home)["stages"][0]["visitors"].get<std::int64_t>(), 0);
  EXPECT_EQ(report(*rollups, "funnel", {}, home), report(*raw, "funnel", {}, home));
  EXPECT_EQ(report(*rollups, "pages", {}, {}), report(*raw, "pages", {}, {}));
}

// One integer a query over a roll-up database gives, and every row it gives as text.
std::int64_t count_of(const std::string& path, const std::string& sql) {
  SqliteConnection db;
  EXPECT_TRUE(db.open(path, false));
  SqliteQuery q;
  EXPECT_TRUE(q.prepare(db.handle(), sql));
  return q.step() == SQLITE_ROW ? q.integer(0) : -1;
}
std::string rows_of(const std::string& path, const std::string& sql) {
  SqliteConnection db;
  EXPECT_TRUE(db.open(path, false));
  SqliteQuery q;
  EXPECT_TRUE(q.prepare(db.handle(), sql));
  std::string text;
  while (q.step() == SQLITE_ROW) {
    for (int i = 0; i < q.columns(); ++i) text += q.text(i) + "|";
    text += "\n";
  }
  return text;
}
// (day, bucket) groups with more than one block, and (day, dimension, value) groups with more
// than one list: what compaction leaves none of.
constexpr const char* kSplitBlocks =
    "SELECT count(*) FROM (SELECT 1 FROM visitor_events GROUP BY site, day, bucket HAVING count(*) > 1)";
constexpr const char* kSplitLists =
    "SELECT count(*) FROM (SELECT 1 FROM visitor_values GROUP BY site, day, dim, value HAVING count(*) > 1)";
// The blocks and lists without their parts (the first seq of the flush that wrote them).
constexpr const char* kBlocks = "SELECT site, day, bucket, hex(events) FROM visitor_events ORDER BY 1, 2, 3";
constexpr const char* kLists =
    "SELECT site, day, dim, value, visitors, hex(list) FROM visitor_values ORDER BY 1, 2, 3, 4";

// A day ingested live is written in many small flushes; compacted, its visitor_events and
// visitor_values are exactly what one flush of the day writes (so every report reads the same
// visitor-days), and every report answers as before and as the raw events.
TEST_F(RollupsAgainstRawEvents, ALiveDayCompactsToWhatOneFlushWrites) {
  ASSERT_TRUE(builder->sync(std::chrono::seconds(60)));  // this one wrote each day in one flush
  const std::string one_flush = dir.str("rollups.db"), live_path = dir.str("rollups-live.db");
  RollupBuilderOptions o = testing::rollup_builder_options(dir, "demo", "rollups-live.db");
  o.chunk_events = o.flush_events = 25;  // a flush every 25 events, as a tracker every few seconds
  o.compact_written_days = false;
  std::string error;
  auto live = RollupBuilder::start(o, error);
  ASSERT_TRUE(live) << error;
  ASSERT_TRUE(live->sync(std::chrono::seconds(60)));
  const std::int64_t live_blocks = count_of(live_path, "SELECT count(*) FROM visitor_events");
  const std::int64_t whole_blocks = count_of(one_flush, "SELECT count(*) FROM visitor_events");
  EXPECT_GT(live_blocks, 2 * whole_blocks);
  EXPECT_GT(count_of(live_path, kSplitBlocks), 100);
  EXPECT_GT(count_of(live_path, kSplitLists), 100);
  EXPECT_EQ(count_of(one_flush, kSplitBlocks), 0);

  const std::vector<std::vector<Filter>> filter_sets = {
      {{Dim::Device, "mobile"}, {Dim::Visit, "first"}},
      {{Dim::Landing, "/"}, {Dim::Type, "pageview"}},
      {{Dim::Page, "/cart"}},
  };
  std::vector<json> expected;  // the raw answers, per round (more events may have come)
  auto answers = [&](const std::string& label) {
    expected.clear();
    for (const auto& filters : filter_sets) {
      for (const auto& [name, params] : kReports) expected.push_back(report(*raw, name, params, filters));
    }
    for (const double share : {1.0, 0.0, 0.2}) {  // listed days, whole days, the default
      auto source = SqliteReportSource::open(dir.str("ithaca.db"), live_path, *live, error);
      ASSERT_TRUE(source) << error;
      source->set_list_share(share);
      std::size_t i = 0;
      for (const auto& filters : filter_sets) {
        for (const auto& [name, params] : kReports) {
          EXPECT_EQ(report(*source, name, params, filters), expected[i++])
              << label << " " << name << " " << dimension_name(filters[0].dim) << " share " << share;
          EXPECT_EQ(source->last_source(), "rollups") << label;
        }
      }
    }
  };
  answers("live");
  const std::int32_t last = zone->local_day(kEnd);
  std::vector<std::int32_t> days;
  for (std::int32_t d = last - 4; d <= last; ++d) days.push_back(d);
  ASSERT_TRUE(live->compact_days("demo", days));
  EXPECT_EQ(count_of(live_path, kSplitBlocks), 0);
  EXPECT_EQ(count_of(live_path, kSplitLists), 0);
  EXPECT_EQ(rows_of(live_path, kBlocks), rows_of(one_flush, kBlocks));
  EXPECT_EQ(rows_of(live_path, kLists), rows_of(one_flush, kLists));  // dim 0: the day's visitor-days
  answers("compacted");
  // Idempotent: a second compaction rewrites nothing.
  const std::string compacted = rows_of(live_path, "SELECT * FROM visitor_events ORDER BY 1, 2, 3, 4");
  ASSERT_TRUE(live->compact_days("demo", days));
  EXPECT_EQ(rows_of(live_path, "SELECT * FROM visitor_events ORDER BY 1, 2, 3, 4"), compacted);

  // Later flushes of a compacted day add their blocks after it: a visitor seen again has its
  // compacted chunk, then the new one.
  std::vector<std::uint64_t> returning;
  {
    SqliteConnection db;
    ASSERT_TRUE(db.open(dir.str("ithaca.db"), false));
    SqliteQuery q;
    ASSERT_TRUE(q.prepare(db.handle(), "SELECT visitor FROM events WHERE site = 'demo' AND ts >= ?1 GROUP BY visitor "
                                       "ORDER BY visitor LIMIT 3"));
    q.bind(1, zone->day_start_utc(zone->local_day(kEnd)));
    while (q.step() == SQLITE_ROW) returning.push_back(static_cast<std::uint64_t>(q.integer(0)));
  }
  ASSERT_EQ(returning.size(), 3u);
  std::vector<StoredEvent> more;
  for (int i = 0; i < 60; ++i) {
    StoredEvent e;
    e.site = "demo";
    e.event_id = "late-" + std::to_string(i);
    e.visitor = returning[static_cast<std::size_t>(i % 3)];
    e.ts_ms = kEnd - 60'000 + i;
    e.path = i % 2 ? "/" : "/cart";
    e.device_type = "mobile";
    e.visit_first = true;
    e.landing_path = "/";
    more.push_back(e);
  }
  ASSERT_TRUE(stores.events->write(more));
  ASSERT_TRUE(live->sync(std::chrono::seconds(60)));
  EXPECT_GT(count_of(live_path, kSplitBlocks), 0);
  answers("compacted, then more flushes");
  ASSERT_TRUE(live->compact_days("demo", days));
  EXPECT_EQ(count_of(live_path, kSplitBlocks), 0);
  answers("compacted twice");
}

// A day's compaction is one transaction: a block that cannot be decoded fails it, and every
// bucket compacted before it stays as it was.
TEST_F(RollupsAgainstRawEvents, AFailedCompactionChangesNothing) {
  RollupBuilderOptions o = testing::rollup_builder_options(dir, "demo", "rollups-live.db");
  o.chunk_events = o.flush_events = 25;
  o.compact_written_days = false;
  std::string error;
  auto live = RollupBuilder::start(o, error);
  ASSERT_TRUE(live) << error;
  ASSERT_TRUE(live->sync(std::chrono::seconds(60)));
  const std::string path = dir.str("rollups-live.db");
  const std::int32_t day = zone->local_day(kEnd) - 1;
  const std::string last_split_bucket = "(SELECT max(bucket) FROM (SELECT bucket FROM visitor_events WHERE day = " +
                                        std::to_string(day) + " GROUP BY bucket HAVING count(*) > 1))";
  ASSERT_GT(count_of(path, "SELECT count(*) FROM visitor_events WHERE day = " + std::to_string(day) +
                               " AND bucket < " + last_split_bucket),
            1);  // buckets before the damaged one: compacted first, then rolled back
  {
    SqliteConnection db;
    ASSERT_TRUE(db.open(path, true));
    ASSERT_TRUE(db.exec("UPDATE visitor_events SET events = x'0100010509' WHERE day = " + std::to_string(day) +
                        " AND bucket = " + last_split_bucket + ";"));
  }
  const std::string blocks = rows_of(path, "SELECT * FROM visitor_events ORDER BY 1, 2, 3, 4");
  const std::string lists = rows_of(path, "SELECT * FROM visitor_values ORDER BY 1, 2, 3, 4, 5");
  const Status st = live->compact_days("demo", {day});
  EXPECT_FALSE(st);
  EXPECT_NE(st.message().find("cannot be decoded"), std::string::npos) << st.message();
  EXPECT_EQ(rows_of(path, "SELECT * FROM visitor_events ORDER BY 1, 2, 3, 4"), blocks);
  EXPECT_EQ(rows_of(path, "SELECT * FROM visitor_values ORDER BY 1, 2, 3, 4, 5"), lists);
  EXPECT_TRUE(live->compact_days("demo", {day + 1}));  // the builder goes on
  EXPECT_EQ(count_of(path, "SELECT count(*) FROM (SELECT 1 FROM visitor_events WHERE day = " +
                               std::to_string(day + 1) + " GROUP BY bucket HAVING count(*) > 1)"),
            0);
}

// Left to itself, the builder compacts each day it lets go (here: every day but the newest, one
// day in memory), between catch-ups, and older days in memory once idle; at start, every day
// stored in several flushes.
TEST_F(RollupsAgainstRawEvents, TheBuilderCompactsTheDaysItLetsGo) {
  const std::string path = dir.str("rollups-auto.db");
  RollupBuilderOptions o = testing::rollup_builder_options(dir, "demo", "rollups-auto.db");
  o.chunk_events = o.flush_events = 25;
  o.days_in_memory = 1;
  std::string error;
  auto live = RollupBuilder::start(o, error);
  ASSERT_TRUE(live) << error;
  ASSERT_TRUE(live->sync(std::chrono::seconds(60)));
  const std::string last = std::to_string(zone->local_day(kEnd));
  auto wait_until = [&](const std::string& sql, std::int64_t wanted) {
    for (int i = 0; i < 300 && count_of(path, sql) != wanted; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return count_of(path, sql);
  };
  const std::string older_split = "SELECT count(*) FROM (SELECT day FROM visitor_values WHERE dim = 0 AND day < " +
                                  last + " GROUP BY day HAVING count(*) > 1)";
  const std::string all_split =
      "SELECT count(*) FROM (SELECT day FROM visitor_values WHERE dim = 0 GROUP BY day HAVING count(*) > 1)";
  EXPECT_EQ(wait_until(older_split, 0), 0);
  EXPECT_EQ(count_of(path, all_split), 1);  // the newest day: still being written
  auto compare = [&](const std::string& label) {
    auto source = SqliteReportSource::open(dir.str("ithaca.db"), path, *live, error);
    ASSERT_TRUE(source) << error;
    const std::vector<Filter> two = {Filter{Dim::Device, "desktop"}, Filter{Dim::Visit, "repeat"}};
    for (const auto& [name, params] : kReports) {
      EXPECT_EQ(report(*source, name, params, two), report(*raw, name, params, two)) << label << " " << name;
    }
  };
  compare("running");
  live.reset();
  {  // Every day in memory: those but the newest are compacted once no flush has written them for
     // compact_idle_after.
    RollupBuilderOptions idle = testing::rollup_builder_options(dir, "demo", "rollups-idle.db");
    idle.chunk_events = idle.flush_events = 25;
    idle.days_in_memory = 8;
    idle.compact_idle_after = std::chrono::milliseconds(0);
    auto kept = RollupBuilder::start(idle, error);
    ASSERT_TRUE(kept) << error;
    ASSERT_TRUE(kept->sync(std::chrono::seconds(60)));
    const std::string idle_path = dir.str("rollups-idle.db");
    for (int i = 0; i < 300 && count_of(idle_path, older_split) != 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(count_of(idle_path, older_split), 0);
    EXPECT_EQ(count_of(idle_path, all_split), 1);
    auto source = SqliteReportSource::open(dir.str("ithaca.db"), idle_path, *kept, error);
    ASSERT_TRUE(source) << error;
    const std::vector<Filter> two = {Filter{Dim::Device, "mobile"}, Filter{Dim::Visit, "first"}};
    for (const auto& [name, params] : kReports) {
      EXPECT_EQ(report(*source, name, params, two), report(*raw, name, params, two)) << "idle " << name;
    }
  }
  live = RollupBuilder::start(o, error);  // the newest day was left in several flushes
  ASSERT_TRUE(live) << error;
  EXPECT_EQ(wait_until(all_split, 0), 0);
  EXPECT_EQ(count_of(path, kSplitBlocks), 0);
  EXPECT_EQ(count_of(path, kSplitLists), 0);
  compare("restarted");
}

// A hand-made day, read through the lists and whole. Visitors 1 and 2 are desktop in DE, 3
// desktop in FR, 4–9 mobile in DE; visitor 10 is desktop in FR on one page and mobile in DE on
// another (on both filters' lists, but no event has both values). Visitors 1 and 8 come back
// after a flush (a second part of their day). Visitors 1–3 are in visitor_events bucket 0, 4–7
// in buckets 64–112, 8–10 in buckets -128 to -96 (ids with the top bit set come first).
TEST(RollupVisitorValueLists, IntersectListsOrReadTheDayWhole) {
  testing::TempDir dir;
  SqliteStores stores;
  testing::open_events_database(dir, stores);
  ASSERT_TRUE(stores.events);
  std::shared_ptr<const TimeZone> zone;
  std::unique_ptr<RollupBuilder> builder;
  testing::start_rollup_builder(dir, "demo", zone, builder);
  ASSERT_TRUE(builder);
  int n = 0;
  auto pageview = [&](std::uint64_t visitor, const char* device, const char* country) {
    StoredEvent e;
    e.site = "demo";
    e.event_id = "e" + std::to_string(++n);
    e.visitor = visitor <= 3 ? visitor : visitor << 60 | visitor;
    e.ts_ms = kEnd + n * 60'000;
    e.path = n % 2 ? "/" : "/cart";
    e.device_type = device;
    e.country = country;
    return e;
  };
  std::vector<StoredEvent> first = {pageview(1, "desktop", "DE"), pageview(2, "desktop", "DE"),
                                    pageview(3, "desktop", "FR"), pageview(10, "desktop", "FR"),
                                    pageview(10, "mobile", "DE")};
  for (std::uint64_t v = 4; v <= 9; ++v) first.push_back(pageview(v, "mobile", "DE"));
  ASSERT_TRUE(stores.events->write(first));
  ASSERT_TRUE(builder->sync(std::chrono::seconds(60)));
  const std::vector<StoredEvent> again = {pageview(1, "desktop", "DE"), pageview(8, "mobile", "DE")};
  ASSERT_TRUE(stores.events->write(again));
  ASSERT_TRUE(builder->sync(std::chrono::seconds(60)));

  // A source per share: a source keeps its last scans, which would answer again.
  std::unique_ptr<SqliteReportSource> source;
  auto open = [&](double share) {
    std::string error;
    source = SqliteReportSource::open(dir.str("ithaca.db"), dir.str("rollups.db"), *builder, error);
    ASSERT_TRUE(source) << error;
    source->set_list_share(share);
  };
  open(0.4);
  ReportScope scope;
  scope.site = "demo";
  scope.zone = zone;
  scope.first_day = scope.last_day = zone->local_day(kEnd + 6 * 60'000);
  ASSERT_EQ(zone->local_day(kEnd + 60'000), zone->local_day(kEnd + 13 * 60'000));
  auto totals = [&](std::vector<Filter> filters) {
    scope.filters = std::move(filters);
    std::vector<SeriesPoint> points;
    EXPECT_TRUE(source->timeseries(scope, Interval::Day, points));
    return points.empty() ? Counts{} : points[0].counts;
  };
  auto scan = [&] { return source->last_scan(); };

  // desktop ∩ DE = {1, 2, 10}: 3 of 10 visitor-days, under 40%; visitor 10's events drop out.
  Counts c = totals({{Dim::Device, "desktop"}, {Dim::Country, "DE"}});
  EXPECT_EQ(c.visitors, 2);
  EXPECT_EQ(c.pageviews, 3);
  EXPECT_EQ(scan().listed_days, 1);
  EXPECT_EQ(scan().scanned_days, 0);
  EXPECT_EQ(scan().visitor_days, 3);
  // mobile ∩ DE = {4..9, 10}: 7 of 10, over 40%: the day is read whole, but the chunks of
  // visitors 1, 2 and 3 (on one list only) are passed over; 10's are decoded, and one of its two
  // events counts (mobile in DE); 8's two parts are one visitor-day.
  c = totals({{Dim::Device, "mobile"}, {Dim::Country, "DE"}});
  EXPECT_EQ(c.visitors, 7);
  EXPECT_EQ(c.pageviews, 8);
  EXPECT_EQ(scan().listed_days, 0);
  EXPECT_EQ(scan().scanned_days, 1);
  EXPECT_EQ(scan().visitor_days, 7);
  EXPECT_EQ(scan().skipped_visitor_days, 3);
  // desktop in DE through a whole read (a share under 3 of the 12 the two flushes count): only
  // 1, 2 and 10 are decoded; 1's two parts (two chunks) are one visitor-day; 10's events are
  // desktop in FR, mobile in DE.
  open(0.2);
  c = totals({{Dim::Device, "desktop"}, {Dim::Country, "DE"}});
  EXPECT_EQ(c.visitors, 2);
  EXPECT_EQ(c.pageviews, 3);
  EXPECT_EQ(scan().scanned_days, 1);
  EXPECT_EQ(scan().visitor_days, 3);
  EXPECT_EQ(scan().skipped_visitor_days, 7);
  // The same answers the other way round.
  open(1.0);
  c = totals({{Dim::Device, "mobile"}, {Dim::Country, "DE"}});
  EXPECT_EQ(c.visitors, 7);
  EXPECT_EQ(c.pageviews, 8);
  EXPECT_EQ(scan().visitor_days, 7);
  open(0.0);  // no lists: every chunk is decoded
  c = totals({{Dim::Device, "desktop"}, {Dim::Country, "DE"}});
  EXPECT_EQ(c.visitors, 2);
  EXPECT_EQ(c.pageviews, 3);
  EXPECT_EQ(scan().scanned_days, 1);
  EXPECT_EQ(scan().visitor_days, 10);
  EXPECT_EQ(scan().skipped_visitor_days, 0);
  // A value no visitor has: an empty list, nothing read.
  open(0.4);
  c = totals({{Dim::Device, "tv"}, {Dim::Country, "DE"}});
  EXPECT_EQ(c.visitors, 0);
  EXPECT_EQ(scan().visitor_days, 0);
  EXPECT_EQ(scan().listed_days, 1);

  // A damaged block (its index names a chunk past its end) is an error, read whole or listed.
  {
    SqliteConnection db;
    ASSERT_TRUE(db.open(dir.str("rollups.db"), true));
    ASSERT_TRUE(db.exec("UPDATE visitor_events SET events = x'0100010509' WHERE bucket = 0;"));
  }
  for (const double share : {0.0, 1.0}) {
    open(share);
    scope.filters = {{Dim::Device, "desktop"}, {Dim::Country, "DE"}};
    std::vector<SeriesPoint> points;
    const Status st = source->timeseries(scope, Interval::Day, points);
    EXPECT_FALSE(st) << share;
    EXPECT_NE(st.message().find("cannot be decoded"), std::string::npos) << st.message();
  }
}

}  // namespace
}  // namespace ithaca::tracker
