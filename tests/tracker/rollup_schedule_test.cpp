// When the roll-up builder writes rollups.db (its scheduling, not the tables' contents): on its
// interval, sooner when the pending visitor_events chunks reach their byte bound, and at once
// when a report waits in sync().
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "reports/sqlite_query.hpp"
#include "rollup_test_support.hpp"

namespace ithaca::tracker {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kNoon = 1'711'800'000'000;  // 2024-03-30, a Saturday in Berlin

std::vector<StoredEvent> pageviews(int from, int n) {
  std::vector<StoredEvent> events;
  for (int i = from; i < from + n; ++i) {
    StoredEvent e;
    e.site = "store";
    e.event_id = "e" + std::to_string(i);
    e.type = EventType::Pageview;
    e.ts_ms = e.received_ms = kNoon + i * 1000;
    e.visitor = static_cast<std::uint64_t>(1000 + i % 7);
    e.host = "shop.example";
    e.path = "/p" + std::to_string(i % 5);
    events.push_back(e);
  }
  return events;
}

// The high-water mark rollups.db holds (0 before the first write).
std::int64_t written_seq(const testing::TempDir& dir) {
  SqliteConnection db;
  EXPECT_TRUE(db.open(dir.str("rollups.db"), false));
  SqliteQuery q;
  EXPECT_TRUE(q.prepare(db.handle(), "SELECT value FROM meta WHERE key = 'last_seq'"));
  return q.step() == SQLITE_ROW ? std::stoll(q.text(0)) : 0;
}

std::unique_ptr<RollupBuilder> start(const testing::TempDir& dir, std::chrono::milliseconds interval,
                                     std::size_t log_bytes) {
  std::string error;
  RollupBuilderOptions o;
  o.events_path = dir.str("ithaca.db");
  o.rollups_path = dir.str("rollups.db");
  o.zones["store"] = TimeZone::load("Europe/Berlin", error);
  EXPECT_TRUE(o.zones["store"]) << error;
  o.poll = 20ms;
  o.flush_interval = interval;
  o.flush_log_bytes = log_bytes;
  auto builder = RollupBuilder::start(o, error);
  EXPECT_TRUE(builder) << error;
  return builder;
}

bool wait_until(const std::function<bool()>& done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

TEST(RollupSchedule, RollsUpAtOnceButWritesOnlyOnItsIntervalOrForAReport) {
  testing::TempDir dir;
  SqliteStores stores;
  testing::open_events_database(dir, stores);
  auto builder = start(dir, std::chrono::hours(1), std::size_t{1} << 30);
  ASSERT_TRUE(builder);
  ASSERT_TRUE(stores.events->write(pageviews(0, 50)));
  ASSERT_TRUE(wait_until([&] { return builder->processed_seq() == 50; }));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(written_seq(dir), 0);  // rolled up in memory, not yet written
  ASSERT_TRUE(builder->sync(10s));  // what a report does
  EXPECT_EQ(written_seq(dir), 50);
}

TEST(RollupSchedule, WritesWhenThePendingChunksReachTheirBound) {
  testing::TempDir dir;
  SqliteStores stores;
  testing::open_events_database(dir, stores);
  auto builder = start(dir, std::chrono::hours(1), 1);  // any pending chunk is over the bound
  ASSERT_TRUE(builder);
  ASSERT_TRUE(stores.events->write(pageviews(0, 30)));
  EXPECT_TRUE(wait_until([&] { return written_seq(dir) == 30; }));
  ASSERT_TRUE(stores.events->write(pageviews(30, 30)));
  EXPECT_TRUE(wait_until([&] { return written_seq(dir) == 60; }));
}

TEST(RollupSchedule, WritesOnItsInterval) {
  testing::TempDir dir;
  SqliteStores stores;
  testing::open_events_database(dir, stores);
  auto builder = start(dir, 200ms, std::size_t{1} << 30);
  ASSERT_TRUE(builder);
  ASSERT_TRUE(stores.events->write(pageviews(0, 40)));
  EXPECT_TRUE(wait_until([&] { return written_seq(dir) == 40; }));
}

}  // namespace
}  // namespace ithaca::tracker
