#include "sqlite_event_store.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "sqlite_db.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using testing::TempDir;

StoredEvent event(const std::string& site, const std::string& id, EventType type, std::int64_t ts,
                  std::uint64_t visitor) {
  StoredEvent e;
  e.site = site;
  e.event_id = id;
  e.type = type;
  e.ts_ms = ts;
  e.received_ms = ts;
  e.visitor = visitor;
  e.path = "/";
  return e;
}

std::int64_t count_rows(const std::string& db_path, const std::string& sql) {
  SqliteConnection db;
  EXPECT_TRUE(db.open(db_path, false));
  SqliteStatement stmt;
  EXPECT_TRUE(db.prepare(sql, stmt));
  EXPECT_EQ(stmt.step(), SQLITE_ROW);
  return stmt.column_int(0);
}

TEST(SqliteEventStore, WritesSummarizesAndKeepsBotsApart) {
  TempDir dir;
  std::string error;
  auto store = SqliteEventStore::open(dir.str("t.db"), true, error);
  ASSERT_TRUE(store) << error;
  std::vector<StoredEvent> events = {
      event("shop", "a", EventType::Pageview, 1000, 1), event("shop", "b", EventType::Pageview, 2000, 1),
      event("shop", "c", EventType::Event, 3000, 2),    event("shop", "", EventType::Pageview, 4000, 3),
      event("blog", "a", EventType::Pageview, 1000, 1),
  };
  StoredEvent bot = event("shop", "bot-1", EventType::Pageview, 1500, 99);
  bot.bot = true;
  events.push_back(bot);
  ASSERT_TRUE(store->write(events));

  Summary all;
  ASSERT_TRUE(store->summary("shop", {}, all));
  EXPECT_EQ(all.events, 4);
  EXPECT_EQ(all.pageviews, 3);
  EXPECT_EQ(all.visitors, 3);
  EXPECT_EQ(all.bot_events, 1);

  Summary range;
  ASSERT_TRUE(store->summary("shop", TimeRange{2000, 4000}, range));
  EXPECT_EQ(range.events, 2);
  EXPECT_EQ(range.pageviews, 1);
  EXPECT_EQ(range.visitors, 2);
  EXPECT_EQ(range.bot_events, 0);

  Summary none;
  ASSERT_TRUE(store->summary("nowhere", {}, none));
  EXPECT_EQ(none.events, 0);
}

TEST(SqliteEventStore, ARepeatedClientIdIsStoredOnce) {
  TempDir dir;
  std::string error;
  auto store = SqliteEventStore::open(dir.str("t.db"), true, error);
  ASSERT_TRUE(store) << error;
  ASSERT_TRUE(store->write(std::vector<StoredEvent>{event("shop", "x", EventType::Pageview, 1, 1),
                                                    event("shop", "x", EventType::Pageview, 2, 1)}));
  ASSERT_TRUE(store->write(std::vector<StoredEvent>{event("shop", "x", EventType::Pageview, 3, 1),
                                                    event("blog", "x", EventType::Pageview, 3, 1)}));
  Summary s;
  ASSERT_TRUE(store->summary("shop", {}, s));
  EXPECT_EQ(s.events, 1);
  ASSERT_TRUE(store->summary("blog", {}, s));
  EXPECT_EQ(s.events, 1);
}

TEST(SqliteEventStore, StoresEveryDimensionAndHostileTextVerbatim) {
  TempDir dir;
  std::string error;
  auto store = SqliteEventStore::open(dir.str("t.db"), true, error);
  ASSERT_TRUE(store) << error;
  StoredEvent e = event("shop", "id-1", EventType::Conversion, 10, 5);
  e.name = "x'); DROP TABLE events; --";
  e.path = "/checkout";
  e.referrer_category = "search";
  e.utm_campaign = "spring";
  e.device_type = "mobile";
  e.country = "DE";
  e.visit_first = true;
  e.visit_count = 3;
  e.value = 12.5;
  e.props_json = R"({"value":12.5})";
  ASSERT_TRUE(store->write(std::span<const StoredEvent>(&e, 1)));
  const std::string db = dir.str("t.db");
  EXPECT_EQ(count_rows(db, "SELECT count(*) FROM events WHERE name = 'x''); DROP TABLE events; --' AND "
                           "path = '/checkout' AND referrer_category = 'search' AND utm_campaign = 'spring' AND "
                           "device_type = 'mobile' AND country = 'DE' AND visit_first = 1 AND visit_count = 3 "
                           "AND value = 12.5 AND type = 'conversion' AND utm_source IS NULL"),
            1);
}

TEST(SqliteEventStore, RetentionDeletesOnlyOlderEventsOfTheSite) {
  TempDir dir;
  std::string error;
  auto store = SqliteEventStore::open(dir.str("t.db"), true, error);
  ASSERT_TRUE(store) << error;
  std::vector<StoredEvent> events;
  for (int i = 0; i < 12'000; ++i) events.push_back(event("shop", "", EventType::Pageview, i, 1));
  events.push_back(event("blog", "", EventType::Pageview, 1, 1));
  StoredEvent bot = event("shop", "", EventType::Pageview, 5, 2);
  bot.bot = true;
  events.push_back(bot);
  ASSERT_TRUE(store->write(events));
  std::int64_t deleted = 0;
  ASSERT_TRUE(store->delete_before("shop", 11'000, deleted));
  EXPECT_EQ(deleted, 11'001);
  Summary s;
  ASSERT_TRUE(store->summary("shop", {}, s));
  EXPECT_EQ(s.events, 1000);
  EXPECT_EQ(s.bot_events, 0);
  ASSERT_TRUE(store->summary("blog", {}, s));
  EXPECT_EQ(s.events, 1);
}

TEST(SqliteEventStore, CountsAConsentedVisitorsEvents) {
  TempDir dir;
  std::string error;
  auto store = SqliteEventStore::open(dir.str("t.db"), true, error);
  ASSERT_TRUE(store) << error;
  StoredEvent a = event("shop", "", EventType::Pageview, 1, 1);
  a.visitor_id = "visitor-0001";
  StoredEvent b = a;
  b.bot = true;
  ASSERT_TRUE(store->write(std::vector<StoredEvent>{a, b, event("shop", "", EventType::Pageview, 1, 2)}));
  std::int64_t n = 0;
  ASSERT_TRUE(store->count_visitor_events("shop", "visitor-0001", n));
  EXPECT_EQ(n, 2);
}

TEST(SqliteEventStore, ReopensWithTheSameData) {
  TempDir dir;
  std::string error;
  {
    auto store = SqliteEventStore::open(dir.str("t.db"), false, error);
    ASSERT_TRUE(store) << error;
    ASSERT_TRUE(store->write(std::vector<StoredEvent>{event("shop", "k", EventType::Pageview, 1, 1)}));
  }
  auto store = SqliteEventStore::open(dir.str("t.db"), true, error);
  ASSERT_TRUE(store) << error;
  Summary s;
  ASSERT_TRUE(store->summary("shop", {}, s));
  EXPECT_EQ(s.events, 1);
  SqliteConnection db;
  ASSERT_TRUE(db.open(dir.str("t.db"), false));
  SqliteStatement mode;
  ASSERT_TRUE(db.prepare("PRAGMA journal_mode", mode));
  ASSERT_EQ(mode.step(), SQLITE_ROW);
  EXPECT_EQ(mode.column_text(0), "wal");
}

TEST(SqliteEventStore, TheWalIsCheckpointedOffTheWritersThread) {
  TempDir dir;
  std::string error;
  auto store = SqliteEventStore::open(dir.str("t.db"), false, error);
  ASSERT_TRUE(store) << error;
  std::vector<StoredEvent> events;
  for (int i = 0; i < 2000; ++i) {
    StoredEvent e = event("shop", "id-" + std::to_string(i), EventType::Pageview, i, 1);
    e.props_json = std::string(400, 'p');
    events.push_back(std::move(e));
  }
  for (int round = 0; round < 5; ++round) {
    for (auto& e : events) e.event_id += "x";
    ASSERT_TRUE(store->write(events));
  }
  // The writer itself never checkpoints; the checkpointer thread copies the WAL back.
  for (int i = 0; i < 3000 && store->wal_pending_frames() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(store->wal_pending_frames(), 0);
  EXPECT_GT(std::filesystem::file_size(dir.str("t.db")), 4u << 20);
  Summary s;
  ASSERT_TRUE(store->summary("shop", {}, s));
  EXPECT_EQ(s.events, 10'000);
}

// The seq of each stored event of a site, in seq order, with its event id.
std::vector<std::pair<std::int64_t, std::string>> stored_seqs(const std::string& db_path) {
  SqliteConnection db;
  EXPECT_TRUE(db.open(db_path, false));
  SqliteStatement stmt;
  EXPECT_TRUE(db.prepare("SELECT seq, coalesce(event_id, '') FROM events ORDER BY seq", stmt));
  std::vector<std::pair<std::int64_t, std::string>> out;
  while (stmt.step() == SQLITE_ROW) out.emplace_back(stmt.column_int(0), stmt.column_text(1));
  return out;
}

// A store that hands what it commits to a hand-off of 100 events.
class SqliteEventStoreHandOff : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    store = SqliteEventStore::open(dir.str("t.db"), false, error, committed);
    ASSERT_TRUE(store) << error;
  }

  TempDir dir;
  std::shared_ptr<CommittedEvents> committed = std::make_shared<CommittedEvents>(100);
  std::unique_ptr<SqliteEventStore> store;
};

TEST_F(SqliteEventStoreHandOff, HandsCommittedEventsOverWithTheirSeqs) {
  std::vector<StoredEvent> first = {event("shop", "a", EventType::Pageview, 1, 1),
                                    event("shop", "b", EventType::Pageview, 2, 1)};
  ASSERT_TRUE(store->write_and_take(first));
  EXPECT_TRUE(first.empty());  // taken
  StoredEvent bot = event("shop", "c", EventType::Pageview, 3, 9);
  bot.bot = true;
  std::vector<StoredEvent> second = {event("shop", "a", EventType::Pageview, 4, 1),  // repeated id
                                     bot, event("shop", "", EventType::Event, 5, 2),
                                     event("shop", "d", EventType::Pageview, 6, 3)};
  ASSERT_TRUE(store->write_and_take(second));

  std::vector<CommittedEvents::Batch> batches;
  committed->take(0, 100, batches);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].seqs, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(batches[1].seqs, (std::vector<std::int64_t>{-1, -1, 3, 4}));
  EXPECT_EQ(batches[1].events[3].event_id, "d");
  // The same seqs as the table's.
  EXPECT_EQ(stored_seqs(dir.str("t.db")),
            (std::vector<std::pair<std::int64_t, std::string>>{{1, "a"}, {2, "b"}, {3, ""}, {4, "d"}}));
}

TEST_F(SqliteEventStoreHandOff, AFailedWriteHandsNothingOverAndKeepsTheEvents) {
  {
    SqliteConnection db;  // a trigger that fails one insert, so the transaction rolls back
    ASSERT_TRUE(db.open(dir.str("t.db"), true));
    ASSERT_TRUE(db.exec("CREATE TRIGGER no_x BEFORE INSERT ON events WHEN NEW.event_id = 'x' "
                        "BEGIN SELECT RAISE(ABORT, 'refused'); END;"));
  }
  std::vector<StoredEvent> events = {event("shop", "a", EventType::Pageview, 1, 1),
                                     event("shop", "x", EventType::Pageview, 2, 1)};
  EXPECT_FALSE(store->write_and_take(events));
  EXPECT_EQ(events.size(), 2u);
  EXPECT_EQ(committed->held_events(), 0u);
  EXPECT_TRUE(stored_seqs(dir.str("t.db")).empty());
}

TEST_F(SqliteEventStoreHandOff, RetentionDropsWhatWasHandedOver) {
  std::vector<StoredEvent> events = {event("shop", "a", EventType::Pageview, 1, 1),
                                     event("shop", "b", EventType::Pageview, 2000, 1)};
  ASSERT_TRUE(store->write_and_take(events));
  EXPECT_EQ(committed->held_events(), 2u);
  std::int64_t deleted = 0;
  ASSERT_TRUE(store->delete_before("shop", 1000, deleted));
  EXPECT_EQ(deleted, 1);
  EXPECT_EQ(committed->held_events(), 0u);  // the builder reads what is left from the table
}

TEST(SqliteEventStore, RefusesADatabaseFromTheFuture) {
  TempDir dir;
  {
    SqliteConnection db;
    ASSERT_TRUE(db.open(dir.str("t.db"), true));
    ASSERT_TRUE(db.exec("PRAGMA user_version = 99;"));
  }
  std::string error;
  EXPECT_FALSE(SqliteEventStore::open(dir.str("t.db"), true, error));
  EXPECT_NE(error.find("newer"), std::string::npos) << error;
}

}  // namespace
}  // namespace ithaca::tracker
