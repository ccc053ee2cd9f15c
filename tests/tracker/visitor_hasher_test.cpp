#include "visitor_hasher.hpp"

#include <gtest/gtest.h>

#include "sqlite_control_store.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using testing::TempDir;

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kMonday = 19'723 * kDay;  // 2024-01-01

TEST(VisitorHasher, SameVisitorSameDaySameHash) {
  TempDir dir;
  std::string error;
  auto store = SqliteControlStore::open(dir.str("c.db"), true, error);
  ASSERT_TRUE(store) << error;
  VisitorHasher hasher(*store);
  const auto a = hasher.anonymous("shop", "203.0.113.7", "UA", kMonday + 1000);
  EXPECT_EQ(a, hasher.anonymous("shop", "203.0.113.7", "UA", kMonday + kDay - 1));
  EXPECT_NE(a, hasher.anonymous("shop", "203.0.113.8", "UA", kMonday + 1000));
  EXPECT_NE(a, hasher.anonymous("shop", "203.0.113.7", "UA2", kMonday + 1000));
  EXPECT_NE(a, hasher.anonymous("blog", "203.0.113.7", "UA", kMonday + 1000));
  // Field boundaries are kept: ("ab","c") and ("a","bc") differ.
  EXPECT_NE(hasher.anonymous("shop", "ab", "c", kMonday), hasher.anonymous("shop", "a", "bc", kMonday));
}

TEST(VisitorHasher, TheNextDayGivesAnUnlinkableHashAndDeletesTheOldSalt) {
  TempDir dir;
  std::string error;
  auto store = SqliteControlStore::open(dir.str("c.db"), true, error);
  ASSERT_TRUE(store) << error;
  VisitorHasher hasher(*store);
  const auto monday = hasher.anonymous("shop", "203.0.113.7", "UA", kMonday);
  const auto tuesday = hasher.anonymous("shop", "203.0.113.7", "UA", kMonday + kDay);
  EXPECT_NE(monday, tuesday);
  std::vector<std::int64_t> days;
  ASSERT_TRUE(store->salt_days(days));
  EXPECT_EQ(days, std::vector<std::int64_t>{kMonday / kDay + 1});
}

TEST(VisitorHasher, TrackersSharingAStoreAgree) {
  TempDir dir;
  std::string error;
  auto store1 = SqliteControlStore::open(dir.str("c.db"), true, error);
  auto store2 = SqliteControlStore::open(dir.str("c.db"), true, error);
  ASSERT_TRUE(store1 && store2) << error;
  VisitorHasher one(*store1), two(*store2);
  EXPECT_EQ(one.anonymous("shop", "1.2.3.4", "UA", kMonday), two.anonymous("shop", "1.2.3.4", "UA", kMonday));
  EXPECT_EQ(one.consented("shop", "visitor-1"), two.consented("shop", "visitor-1"));
}

TEST(VisitorHasher, ConsentedIdsAreStableAcrossDays) {
  TempDir dir;
  std::string error;
  auto store = SqliteControlStore::open(dir.str("c.db"), true, error);
  ASSERT_TRUE(store) << error;
  VisitorHasher hasher(*store);
  const auto before = hasher.consented("shop", "visitor-1");
  hasher.rotate(kMonday + 5 * kDay);
  EXPECT_EQ(before, hasher.consented("shop", "visitor-1"));
  EXPECT_NE(before, hasher.consented("blog", "visitor-1"));
}

TEST(VisitorHasher, DayOfHandlesNegativeTimes) {
  EXPECT_EQ(VisitorHasher::day_of(0), 0);
  EXPECT_EQ(VisitorHasher::day_of(kDay - 1), 0);
  EXPECT_EQ(VisitorHasher::day_of(kDay), 1);
  EXPECT_EQ(VisitorHasher::day_of(-1), -1);
}

}  // namespace
}  // namespace ithaca::tracker
