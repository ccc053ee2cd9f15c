// The report service's background retention job in a running tracker (SQLite store): nobody
// calls it, yet expired whole days leave both the events database and every roll-up table,
// while the days still retained stay untouched.
//
// Reports clamp their ranges to the retained days, so they would look right even if the
// expired roll-ups stayed: the roll-up database is therefore read directly, every table that
// has a `day` column, whatever the roll-up schema holds.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "ithaca/tracker/tracker.hpp"
#include "sqlite_db.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;
using testing::request;
using testing::TempDir;

constexpr std::int64_t kDayMs = 86'400'000;

std::int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Rows of every roll-up table whose `day` passes `where` (e.g. "day < 20000"), by table.
std::map<std::string, std::int64_t> rollup_rows(const std::string& path, const std::string& where) {
  SqliteConnection db;
  EXPECT_TRUE(db.open(path, false));
  std::vector<std::string> tables;
  SqliteStatement list;
  EXPECT_TRUE(db.prepare("SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c "
                         "WHERE m.type = 'table' AND c.name = 'day'",
                         list));
  while (list.step() == SQLITE_ROW) tables.push_back(list.column_text(0));
  std::map<std::string, std::int64_t> rows;
  for (const auto& table : tables) {
    SqliteStatement count;
    EXPECT_TRUE(db.prepare("SELECT count(*) FROM " + table + " WHERE " + where, count));
    if (count.step() == SQLITE_ROW) rows[table] = count.column_int(0);
  }
  return rows;
}

std::int64_t total(const std::map<std::string, std::int64_t>& rows) {
  std::int64_t n = 0;
  for (const auto& [table, count] : rows) n += count;
  return n;
}

std::int64_t stored_events(const std::string& path, const std::string& where) {
  SqliteConnection db;
  EXPECT_TRUE(db.open(path, false));
  SqliteStatement count;
  EXPECT_TRUE(db.prepare("SELECT count(*) FROM events WHERE site = 'store' AND " + where, count));
  return count.step() == SQLITE_ROW ? count.column_int(0) : -1;
}

bool eventually(const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

TEST(RetentionJob, DeletesExpiredWholeDaysAndTheirRollupsWithoutBeingCalled) {
  TempDir dir;
  TrackerOptions options = testing::test_options(dir);
  SiteConfig store;  // UTC days: day numbers are days since the epoch
  store.id = "store";
  store.retention_days = 0;  // first run: keep everything, so the old day gets its roll-ups
  options.sites.push_back(store);
  const std::string events_db = options.data_dir + "/ithaca.db";
  const std::string rollups_db = options.data_dir + "/rollups.db";

  const std::int64_t now = now_millis();
  const std::int64_t old_ts = now - 4 * kDayMs;  // within the 7 days collect accepts
  const std::int64_t recent_ts = now - 60'000;
  const std::int64_t old_day = old_ts / kDayMs;
  const std::int64_t today = recent_ts / kDayMs;
  {
    std::string error;
    auto tracker = Tracker::create(options, error);
    ASSERT_TRUE(tracker) << error;
    json events = json::array();
    for (int i = 0; i < 3; ++i) {
      events.push_back({{"type", "pageview"}, {"id", "old-" + std::to_string(i)}, {"ts", old_ts + i},
                        {"url", "https://store.example/old"}});
    }
    for (int i = 0; i < 2; ++i) {
      events.push_back({{"type", "pageview"}, {"id", "new-" + std::to_string(i)}, {"ts", recent_ts + i},
                        {"url", "https://store.example/new"}});
    }
    auto response = tracker->handle(request("POST", "/v1/collect", json{{"site", "store"}, {"events", events}}.dump(),
                                            {{"user-agent", testing::kChrome}}));
    ASSERT_EQ(response.status, 202) << response.body;
    // The builder rolls both days up on its own.
    const std::string is_old = "day = " + std::to_string(old_day);
    const std::string is_today = "day = " + std::to_string(today);
    ASSERT_TRUE(eventually([&] { return total(rollup_rows(rollups_db, is_old)) > 0 &&
                                        total(rollup_rows(rollups_db, is_today)) > 0; },
                           std::chrono::seconds(20)));
  }
  ASSERT_EQ(stored_events(events_db, "ts < " + std::to_string(now - 3 * kDayMs)), 3);

  // Second run on the same data: two days of retention, and a job period short enough to
  // watch. The cut (now - 2 days) keeps its own day whole; the day 4 days back is expired.
  options.sites.back().retention_days = 2;
  options.retention_interval_ms = 100;
  std::string error;
  auto tracker = Tracker::create(options, error);
  ASSERT_TRUE(tracker) << error;
  const std::int64_t cut_day = (now - 2 * kDayMs) / kDayMs;
  const std::string expired = "day < " + std::to_string(cut_day);
  ASSERT_TRUE(eventually([&] { return stored_events(events_db, "ts < " + std::to_string(cut_day * kDayMs)) == 0 &&
                                      total(rollup_rows(rollups_db, expired)) == 0; },
                         std::chrono::seconds(20)))
      << "events left: " << stored_events(events_db, "ts < " + std::to_string(cut_day * kDayMs))
      << ", roll-up rows left: " << total(rollup_rows(rollups_db, expired));

  // What is retained stays: the recent events and their roll-ups.
  EXPECT_EQ(stored_events(events_db, "ts >= " + std::to_string(cut_day * kDayMs)), 2);
  EXPECT_GT(total(rollup_rows(rollups_db, "day = " + std::to_string(today))), 0);
  auto summary = tracker->handle(testing::admin_request("GET", "/v1/stats/store/timeseries"));
  ASSERT_EQ(summary.status, 200) << summary.body;
  EXPECT_EQ(testing::json_of(summary)["totals"]["pageviews"], 2) << summary.body;
}

}  // namespace
}  // namespace ithaca::tracker
