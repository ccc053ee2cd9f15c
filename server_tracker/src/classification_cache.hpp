// Memoizes the core's device and referrer classification. Real traffic repeats a small set of
// User-Agents and of (landing URL, referrer) pairs, and classification is the costliest step
// of turning an event into a row. Sharded and bounded: a full shard is simply cleared, so
// memory stays flat whatever the traffic; long keys are not cached at all. Thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ithaca/context.hpp"
#include "ithaca/tracker/http_types.hpp"

namespace ithaca::tracker {

class ClassificationCache {
 public:
  explicit ClassificationCache(std::size_t entries_per_shard = 256);

  // classify_device() of the request's User-Agent and Sec-CH-UA* hints.
  ithaca::DeviceInfo device(const HttpRequest& request);
  // classify_referrer(referrer, url, "") — the landing URL's own host is the site's.
  ithaca::ReferrerInfo referrer(std::string_view referrer, std::string_view url);

 private:
  template <typename V>
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, V> entries;
  };
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kMaxKeyBytes = 1024;

  std::size_t capacity_;
  std::array<Shard<ithaca::DeviceInfo>, kShards> devices_;
  std::array<Shard<ithaca::ReferrerInfo>, kShards> referrers_;
};

}  // namespace ithaca::tracker
