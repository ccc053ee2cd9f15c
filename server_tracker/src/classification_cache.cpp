#include "classification_cache.hpp"

#include <functional>

#include "request_signals.hpp"

namespace ithaca::tracker {
namespace {

template <typename V, typename Shards, typename Compute>
V lookup(Shards& shards, std::size_t capacity, std::string key, Compute&& compute) {
  auto& shard = shards[std::hash<std::string>{}(key) % shards.size()];
  {
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto it = shard.entries.find(key);
    if (it != shard.entries.end()) return it->second;
  }
  V value = compute();
  std::lock_guard<std::mutex> lock(shard.mutex);
  if (shard.entries.size() >= capacity) shard.entries.clear();
  shard.entries.emplace(std::move(key), value);
  return value;
}

}  // namespace

ClassificationCache::ClassificationCache(std::size_t entries_per_shard) : capacity_(entries_per_shard) {}

ithaca::DeviceInfo ClassificationCache::device(const HttpRequest& request) {
  std::string_view user_agent = request.header("user-agent");
  if (user_agent.size() > kMaxKeyBytes) user_agent = {};
  std::string key(user_agent);
  bool hints = false;
  for (const auto& [name, value] : request.headers) {
    if (name.rfind("sec-ch-ua", 0) != 0) continue;
    hints = true;
    key.push_back('\0');
    key += name;
    key.push_back('=');
    key += value;
  }
  auto compute = [&] { return ithaca::classify_device(user_agent, hints ? client_hints(request) : ithaca::Value()); };
  if (key.size() > kMaxKeyBytes) return compute();
  return lookup<ithaca::DeviceInfo>(devices_, capacity_, std::move(key), compute);
}

ithaca::ReferrerInfo ClassificationCache::referrer(std::string_view referrer, std::string_view url) {
  auto compute = [&] { return ithaca::classify_referrer(referrer, url, ""); };
  if (referrer.size() + url.size() + 1 > kMaxKeyBytes) return compute();
  std::string key;
  key.reserve(referrer.size() + url.size() + 1);
  key.append(referrer);
  key.push_back('\0');
  key.append(url);
  return lookup<ithaca::ReferrerInfo>(referrers_, capacity_, std::move(key), compute);
}

}  // namespace ithaca::tracker
