// The day aggregator with a bounded number of visitors in memory: the others' state goes to a
// VisitorSpill and comes back with their next event. Bounded or not, it must emit the same rows.
#include "reports/day_aggregator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "reports/event_generator.hpp"
#include "reports/event_loader.hpp"
#include "reports/time_zone.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

class MapSpill final : public VisitorSpill {
 public:
  Status save(std::uint64_t visitor, std::string_view state) override {
    ++saves;
    states[visitor] = std::string(state);
    return Status::ok();
  }
  Status load(std::uint64_t visitor, std::string& state, bool& found) override {
    auto it = states.find(visitor);
    found = it != states.end();
    if (found) {
      ++loads;
      state = it->second;
    }
    return Status::ok();
  }
  std::map<std::uint64_t, std::string> states;
  int saves = 0, loads = 0;
};

// Every emitted row as one line (sorted), with the segment it belongs to.
class RecordingSink final : public AggregateSink {
 public:
  std::set<std::string> rows;
  void dim_day(Dim dim, std::string_view value, const Counts& c, std::int64_t entries) override {
    add("day", static_cast<int>(dim), value, c.pageviews, c.events, c.visitors, entries);
  }
  void dim_hour(int hour, Dim dim, std::string_view value, const Counts& c) override {
    add("hour", hour, static_cast<int>(dim), value, c.pageviews, c.events, c.visitors);
  }
  void pair_day(Dim fd, std::string_view fv, Dim dim, std::string_view value, const Counts& c,
                std::int64_t entries) override {
    add("pair", static_cast<int>(fd), fv, static_cast<int>(dim), value, c.pageviews, c.events, c.visitors, entries);
  }
  void segment(Dim fd, std::string_view fv) override { segment_ = std::to_string(static_cast<int>(fd)) + "=" + std::string(fv); }
  void stage_set(std::string_view stages, std::int64_t visitors) override { add("stages", stages, visitors); }
  void path(PathKind kind, std::string_view steps, std::int64_t visits) override {
    add("path", static_cast<int>(kind), steps, visits);
  }
  void attribution(std::string_view goal, TouchKey by, const AttributionRow& r) override {
    add("attr", goal, static_cast<int>(by), r.key, r.first, r.last, r.linear, r.first_value, r.last_value,
        r.linear_value);
  }
  void unit(UnitKind kind, std::string_view key, std::string_view variant, std::int64_t visitors,
            std::int64_t exposures) override {
    add("unit", static_cast<int>(kind), key, variant, visitors, exposures);
  }
  void unit_goal(UnitKind kind, std::string_view key, std::string_view variant, std::string_view goal,
                 std::int64_t converted) override {
    add("goal", static_cast<int>(kind), key, variant, goal, converted);
  }

 private:
  template <typename... T>
  void add(const T&... parts) {
    std::string line = segment_;
    ((line += "|", append(line, parts)), ...);
    rows.insert(line);
  }
  static void append(std::string& line, std::string_view v) { line += v; }
  static void append(std::string& line, const std::string& v) { line += v; }
  static void append(std::string& line, const char* v) { line += v; }
  static void append(std::string& line, std::int64_t v) { line += std::to_string(v); }
  static void append(std::string& line, int v) { line += std::to_string(v); }
  std::string segment_ = "0=";
};

TEST(DayAggregator, BoundedVisitorsEmitTheSameRowsAsUnbounded) {
  std::string error;
  auto zone = TimeZone::load("Europe/Berlin", error);
  ASSERT_TRUE(zone) << error;
  GeneratorOptions g;
  g.events = 3000;
  g.days = 0.9;
  g.end_ms = 1'795'000'000'000;
  g.rules_json = testing::read_text(testing::fixture("../../../demo_site/rules/demo.json"));
  EventGenerator generator(g);
  GeneratedRequest r;
  std::vector<StoredEvent> events;
  while (generator.next(r)) append_stored_events(r, events);
  // One local day's events, shuffled (events may arrive in any order): visitors keep coming
  // back after others pushed them out of memory.
  const std::int32_t day = zone->local_day(events.back().ts_ms);
  std::erase_if(events, [&](const StoredEvent& e) { return e.bot || zone->local_day(e.ts_ms) != day; });
  ASSERT_GT(events.size(), 500u);
  std::shuffle(events.begin(), events.end(), std::mt19937(7));

  DayAggregator unbounded(day);
  MapSpill spill;
  DayAggregator bounded(day, DayAggregator::Detail::Full, &spill, 4);
  std::size_t most = 0;
  for (const StoredEvent& e : events) {
    const int hour = static_cast<int>(zone->local_hour(e.ts_ms) - static_cast<std::int64_t>(day) * 24);
    unbounded.add(e, hour);
    bounded.add(e, hour);
    most = std::max(most, bounded.visitors_in_memory());
  }
  ASSERT_TRUE(bounded.status()) << bounded.status().message();
  EXPECT_LE(most, 4u);
  EXPECT_GT(unbounded.visitors_in_memory(), 50u);
  EXPECT_GT(spill.loads, 100);  // visitors did come back from the spill

  RecordingSink a, b;
  unbounded.emit(a, false);
  bounded.emit(b, false);
  EXPECT_GT(a.rows.size(), 1000u);
  EXPECT_EQ(a.rows, b.rows);
}

// One client posing as a visitor with thousands of visits and pages a day (a review's
// denial of service: the per-visitor lists made the builder quadratic). Totals stay exact, the
// visitor-day's own lists stop at kMaxPerVisitorDay (256) — visits past it fold into the last —
// and no count goes negative; a visit's page path is still its 5 earliest pages, exactly.
TEST(DayAggregator, AVisitorDayWithThousandsOfVisitsAndPagesIsBounded) {
  const std::int32_t day = 20'000;
  const std::int64_t t0 = std::int64_t{day} * 86'400'000 + 3'600'000;
  std::vector<StoredEvent> events;
  for (int i = 0; i < 2000; ++i) {  // 2,000 visits of one page each
    StoredEvent& e = events.emplace_back();
    e.event_id = "v" + std::to_string(i);
    e.visitor = 42;
    e.ts_ms = t0 + i * 1000;
    e.path = "/p/" + std::to_string(i);
    e.visit_count = i + 1;
  }
  for (int i = 0; i < 300; ++i) {  // one more visit with 300 pages, seen in shuffled order
    StoredEvent& e = events.emplace_back();
    e.event_id = "w" + std::to_string(i);
    e.visitor = 7;
    e.ts_ms = t0 + i * 1000;
    e.path = "/q/" + std::to_string(1000 + i);  // names in time order, as the path compares them
    e.visit_count = 1;
  }
  std::shuffle(events.begin(), events.end(), std::mt19937(3));
  DayAggregator agg(day);
  for (const StoredEvent& e : events) agg.add(e, 1);
  RecordingSink sink;
  agg.emit(sink, false);
  // All|"" day row: pageviews, events, visitors, entries.
  EXPECT_TRUE(sink.rows.count("0=|day|0||2300|2300|2|257")) << *sink.rows.begin();
  for (const std::string& row : sink.rows) EXPECT_EQ(row.find("|-"), std::string::npos) << row;
  // The 300-page visit's path: its first five pages, in order.
  const std::string sep(1, kListSeparator);
  const std::string path = "0=|path|" + std::to_string(static_cast<int>(PathKind::Pages)) + "|/q/1000" + sep +
                           "/q/1001" + sep + "/q/1002" + sep + "/q/1003" + sep + "/q/1004|1";
  EXPECT_TRUE(sink.rows.count(path)) << path;
}

// keep_visitors(): an idle day's visitors go to the spill down to the count asked for (the
// least recently seen first), and the ones that come back later count exactly as before.
TEST(RollupIdleDay, KeepVisitorsSpillsTheLeastRecentlySeen) {
  MapSpill spill;
  DayAggregator unbounded(20000);
  DayAggregator trimmed(20000, DayAggregator::Detail::Full, &spill, 100);
  int n = 0;
  auto add = [&](std::uint64_t visitor, const char* path) {
    StoredEvent e;
    e.site = "s";
    e.type = EventType::Pageview;
    e.path = path;
    e.event_id = "e" + std::to_string(++n);
    e.visitor = visitor;
    e.ts_ms = 1'728'000'000'000 + n * 60'000;
    e.visit_count = 1;
    unbounded.add(e, 0);
    trimmed.add(e, 0);
  };
  for (std::uint64_t v = 1; v <= 5; ++v) add(v, "/");
  add(1, "/cart");  // 1 is now the most recently seen
  EXPECT_EQ(trimmed.visitors_in_memory(), 5u);
  trimmed.keep_visitors(2);  // 2, 3 and 4 go; 5 and 1 stay
  EXPECT_EQ(trimmed.visitors_in_memory(), 2u);
  EXPECT_EQ(spill.saves, 3);
  EXPECT_EQ(spill.states.count(2) + spill.states.count(3) + spill.states.count(4), 3u);
  trimmed.keep_visitors(2);  // nothing more to do
  EXPECT_EQ(spill.saves, 3);
  add(3, "/cart");  // comes back from the spill: one visitor, a two-page path
  add(1, "/shop");
  EXPECT_EQ(spill.loads, 1);
  ASSERT_TRUE(trimmed.status());
  RecordingSink a, b;
  unbounded.emit(a, false);
  trimmed.emit(b, false);
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_TRUE(b.rows.count("0=|day|0||8|8|5|5"));  // 8 pageviews, 5 visitors, 5 visit entries
  // Without a spill nothing is dropped.
  unbounded.keep_visitors(0);
  EXPECT_EQ(unbounded.visitors_in_memory(), 5u);
}

TEST(DayAggregator, ACorruptSpilledStateIsReportedNotUsed) {
  MapSpill spill;
  DayAggregator day(20000, DayAggregator::Detail::Full, &spill, 1);
  StoredEvent e;
  e.site = "s";
  e.type = EventType::Pageview;
  e.path = "/";
  e.event_id = "a";
  e.visitor = 1;
  day.add(e, 0);
  e.visitor = 2;
  day.add(e, 0);  // spills visitor 1
  ASSERT_EQ(spill.states.count(1), 1u);
  spill.states[1].resize(3);
  e.visitor = 1;
  day.add(e, 0);
  EXPECT_FALSE(day.status());
}

}  // namespace
}  // namespace ithaca::tracker
