// Cookieless visitor identity: a SipHash of (site, IP, User-Agent) keyed with a random salt
// that belongs to one UTC day. When the day changes the tracker fetches (or creates) the new
// salt from the ControlStore, which deletes every older one — so no one, the operator included,
// can link a visitor's hashes across days. Consented first-party ids hash under a permanent key
// instead, so their journeys may span days. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "ithaca/tracker/event_store.hpp"

namespace ithaca::tracker {

class VisitorHasher {
 public:
  explicit VisitorHasher(ControlStore& store);

  std::uint64_t anonymous(std::string_view site, std::string_view ip, std::string_view user_agent,
                          std::int64_t now_ms);
  std::uint64_t consented(std::string_view site, std::string_view visitor_id);
  // Rate-limit key for a client (IP + User-Agent), independent of the site.
  std::uint64_t client(std::string_view ip, std::string_view user_agent, std::int64_t now_ms);

  // Makes sure the salt of now's day is loaded; called on the first request of a day and by
  // the maintenance thread so that old salts are deleted even without traffic.
  Status rotate(std::int64_t now_ms);

  static std::int64_t day_of(std::int64_t now_ms) noexcept;

 private:
  std::string salt_for(std::int64_t now_ms);

  ControlStore& store_;
  std::mutex mutex_;
  std::int64_t day_ = INT64_MIN;
  std::string salt_;
  std::string permanent_;
};

}  // namespace ithaca::tracker
