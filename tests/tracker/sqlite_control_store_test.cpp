#include "sqlite_control_store.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using testing::TempDir;

TEST(SqliteControlStore, PublishesVersionsAndActivatesTheNewest) {
  TempDir dir;
  std::string error;
  auto store = SqliteControlStore::open(dir.str("c.db"), true, error);
  ASSERT_TRUE(store) << error;
  RuleVersion v1, v2, active;
  ASSERT_TRUE(store->publish_rules("shop", R"({"a":1})", "file", 100, v1));
  ASSERT_TRUE(store->publish_rules("shop", R"({"a":2})", "admin", 200, v2));
  EXPECT_EQ(v1.version, 1);
  EXPECT_EQ(v2.version, 2);
  EXPECT_NE(v1.etag, v2.etag);
  EXPECT_EQ(v1.etag.front(), '"');
  bool found = false;
  ASSERT_TRUE(store->active_rules("shop", active, found));
  ASSERT_TRUE(found);
  EXPECT_EQ(active.version, 2);
  EXPECT_EQ(active.body, R"({"a":2})");
  EXPECT_EQ(active.size_bytes, 7);

  std::vector<RuleVersion> versions;
  std::int64_t active_version = 0;
  ASSERT_TRUE(store->rule_versions("shop", versions, active_version));
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, 2);
  EXPECT_EQ(versions[1].source, "file");
  EXPECT_EQ(active_version, 2);

  ASSERT_TRUE(store->activate_rules("shop", 1, active, found));
  ASSERT_TRUE(found);
  ASSERT_TRUE(store->active_rules("shop", active, found));
  EXPECT_EQ(active.version, 1);
  EXPECT_EQ(active.etag, v1.etag);

  ASSERT_TRUE(store->activate_rules("shop", 7, active, found));
  EXPECT_FALSE(found);
  ASSERT_TRUE(store->active_rules("blog", active, found));
  EXPECT_FALSE(found);

  RuleVersion from_file;
  ASSERT_TRUE(store->latest_rules_from("shop", "file", from_file, found));
  ASSERT_TRUE(found);
  EXPECT_EQ(from_file.version, 1);
  EXPECT_EQ(from_file.content_hash, content_hash(R"({"a":1})"));
}

TEST(SqliteControlStore, KeepsOnlyTheCurrentDaysSalt) {
  TempDir dir;
  std::string error;
  auto store = SqliteControlStore::open(dir.str("c.db"), true, error);
  ASSERT_TRUE(store) << error;
  std::string day1, day1_again, day2;
  ASSERT_TRUE(store->daily_salt(19'000, day1));
  ASSERT_TRUE(store->daily_salt(19'000, day1_again));
  EXPECT_EQ(day1.size(), 16u);
  EXPECT_EQ(day1, day1_again);
  ASSERT_TRUE(store->daily_salt(19'001, day2));
  EXPECT_NE(day1, day2);
  std::vector<std::int64_t> days;
  ASSERT_TRUE(store->salt_days(days));
  EXPECT_EQ(days, std::vector<std::int64_t>{19'001});
}

TEST(SqliteControlStore, ADeletedSaltLeavesNoBytesInTheFiles) {
  TempDir dir;
  std::string error;
  auto store = SqliteControlStore::open(dir.str("c.db"), true, error);
  ASSERT_TRUE(store) << error;
  std::string old_salt, new_salt;
  ASSERT_TRUE(store->daily_salt(19'000, old_salt));
  ASSERT_TRUE(store->daily_salt(19'001, new_salt));
  for (const char* suffix : {"", "-wal"}) {
    const std::string bytes = testing::read_text(dir.str("c.db") + suffix);
    EXPECT_EQ(bytes.find(old_salt), std::string::npos) << "old salt found in c.db" << suffix;
  }
}

TEST(SqliteControlStore, PermanentKeyIsStable) {
  TempDir dir;
  std::string error;
  std::string first, second;
  {
    auto store = SqliteControlStore::open(dir.str("c.db"), true, error);
    ASSERT_TRUE(store) << error;
    ASSERT_TRUE(store->permanent_key(first));
  }
  auto store = SqliteControlStore::open(dir.str("c.db"), true, error);
  ASSERT_TRUE(store->permanent_key(second));
  EXPECT_EQ(first.size(), 16u);
  EXPECT_EQ(first, second);
}

}  // namespace
}  // namespace ithaca::tracker
