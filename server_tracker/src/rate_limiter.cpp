#include "rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace ithaca::tracker {

RateLimiter::RateLimiter(double rate, double burst, std::size_t max_clients)
    : rate_(rate), burst_(std::max(1.0, burst)),
      max_per_shard_(std::max<std::size_t>(16, max_clients / kShards)) {}

int RateLimiter::acquire(std::uint64_t client, std::int64_t now_ms) {
  if (rate_ <= 0) return 0;
  Shard& shard = shards_[(client ^ (client >> 29)) % kShards];
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.buckets.find(client);
  if (it == shard.buckets.end()) {
    // Sweeping is linear, so a full shard is swept at most once a second.
    if (shard.buckets.size() >= max_per_shard_ && now_ms - shard.last_sweep_ms >= 1000) {
      evict_idle(shard, now_ms);
    }
    if (shard.buckets.size() >= max_per_shard_) {
      // Every tracked client is active: refuse newcomers briefly rather than grow.
      return 1;
    }
    it = shard.buckets.emplace(client, Bucket{burst_, now_ms}).first;
  }
  Bucket& b = it->second;
  if (now_ms > b.updated_ms) {
    b.tokens = std::min(burst_, b.tokens + rate_ * static_cast<double>(now_ms - b.updated_ms) / 1000.0);
    b.updated_ms = now_ms;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  double wait_s = (1.0 - b.tokens) / rate_;
  return std::max(1, static_cast<int>(std::ceil(wait_s)));
}

void RateLimiter::sweep(std::int64_t now_ms) {
  if (rate_ <= 0) return;
  for (auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    evict_idle(shard, now_ms);
  }
}

void RateLimiter::evict_idle(Shard& shard, std::int64_t now_ms) {
  shard.last_sweep_ms = now_ms;
  // A bucket that would be full again carries no information: drop it.
  const double refill_ms = burst_ / rate_ * 1000.0;
  for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
    if (static_cast<double>(now_ms - it->second.updated_ms) >= refill_ms) {
      it = shard.buckets.erase(it);
    } else {
      ++it;
    }
  }
}

std::size_t RateLimiter::tracked_clients() const {
  std::size_t n = 0;
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    n += shard.buckets.size();
  }
  return n;
}

}  // namespace ithaca::tracker
