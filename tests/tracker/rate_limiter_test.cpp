#include "rate_limiter.hpp"

#include <gtest/gtest.h>

namespace ithaca::tracker {
namespace {

TEST(RateLimiter, AllowsTheBurstThenAsksToWait) {
  RateLimiter limiter(2.0, 5.0);
  const std::int64_t t = 1'000'000;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.acquire(42, t), 0) << i;
  const int wait = limiter.acquire(42, t);
  EXPECT_GE(wait, 1);
  // Another client is unaffected.
  EXPECT_EQ(limiter.acquire(43, t), 0);
}

TEST(RateLimiter, RefillsOverTime) {
  RateLimiter limiter(2.0, 2.0);
  const std::int64_t t = 5'000;
  EXPECT_EQ(limiter.acquire(1, t), 0);
  EXPECT_EQ(limiter.acquire(1, t), 0);
  EXPECT_GT(limiter.acquire(1, t), 0);
  EXPECT_EQ(limiter.acquire(1, t + 500), 0);  // 2 tokens/s: one back after 500 ms
  EXPECT_GT(limiter.acquire(1, t + 500), 0);
}

TEST(RateLimiter, RetryAfterCoversTheWait) {
  RateLimiter limiter(0.25, 1.0);  // one request every 4 s
  EXPECT_EQ(limiter.acquire(7, 0), 0);
  EXPECT_EQ(limiter.acquire(7, 0), 4);
}

TEST(RateLimiter, ZeroRateDisablesLimiting) {
  RateLimiter limiter(0, 1);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.acquire(9, 0), 0);
  EXPECT_EQ(limiter.tracked_clients(), 0u);
}

TEST(RateLimiter, MemoryStaysBoundedAndIdleClientsAreForgotten) {
  RateLimiter limiter(10.0, 10.0, /*max_clients=*/16 * 16);
  for (std::uint64_t c = 0; c < 100'000; ++c) limiter.acquire(c * 0x9E3779B97F4A7C15ULL, 0);
  EXPECT_LE(limiter.tracked_clients(), 16u * 16u);
  limiter.sweep(60'000);
  EXPECT_EQ(limiter.tracked_clients(), 0u);
}

}  // namespace
}  // namespace ithaca::tracker
