// Per-client token buckets keyed on a salted 64-bit client hash (never on the raw address).
// Sharded so concurrent requests rarely contend; each shard holds a bounded number of clients
// and forgets idle ones, so memory stays flat whatever the number of clients.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace ithaca::tracker {

class RateLimiter {
 public:
  // rate: tokens per second; burst: bucket size. rate <= 0 disables limiting.
  RateLimiter(double rate, double burst, std::size_t max_clients = 1u << 20);

  // Takes one token for `client` at `now_ms`. Returns 0 when allowed, otherwise the whole
  // number of seconds (>= 1) after which a token will be available.
  int acquire(std::uint64_t client, std::int64_t now_ms);

  // Forgets clients whose bucket has refilled; the maintenance thread calls this.
  void sweep(std::int64_t now_ms);
  std::size_t tracked_clients() const;

 private:
  struct Bucket {
    double tokens;
    std::int64_t updated_ms;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::uint64_t, Bucket> buckets;
    std::int64_t last_sweep_ms = 0;
  };
  static constexpr std::size_t kShards = 16;

  void evict_idle(Shard& shard, std::int64_t now_ms);

  double rate_;
  double burst_;
  std::size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace ithaca::tracker
