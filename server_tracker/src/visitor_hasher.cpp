#include "visitor_hasher.hpp"

#include "logger.hpp"
#include "random_bytes.hpp"
#include "siphash.hpp"

namespace ithaca::tracker {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

std::string joined(std::string_view a, std::string_view b, std::string_view c) {
  std::string data;
  data.reserve(a.size() + b.size() + c.size() + 2);
  data.append(a);
  data.push_back('\0');
  data.append(b);
  data.push_back('\0');
  data.append(c);
  return data;
}

}  // namespace

VisitorHasher::VisitorHasher(ControlStore& store) : store_(store) {
  if (Status s = store_.permanent_key(permanent_); !s) {
    log_warn("visitor key unavailable, using a process-local one", {{"error", s.message()}});
    permanent_ = random_bytes(16);
  }
}

std::int64_t VisitorHasher::day_of(std::int64_t now_ms) noexcept {
  return now_ms >= 0 ? now_ms / kDayMs : -((-now_ms + kDayMs - 1) / kDayMs);
}

Status VisitorHasher::rotate(std::int64_t now_ms) {
  const std::int64_t day = day_of(now_ms);
  std::string salt;
  Status s = store_.daily_salt(day, salt);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!s || salt.size() != 16) {
    if (day_ != day) {
      // Count with a process-local salt rather than not at all; retried on the next rotate().
      day_ = day;
      salt_ = random_bytes(16);
    }
    return s ? Status::error("stored salt has the wrong size") : s;
  }
  day_ = day;
  salt_ = std::move(salt);
  return Status::ok();
}

std::string VisitorHasher::salt_for(std::int64_t now_ms) {
  const std::int64_t day = day_of(now_ms);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (day == day_) return salt_;
  }
  if (Status s = rotate(now_ms); !s) {
    log_error("daily salt unavailable", {{"error", s.message()}});
  }
  std::lock_guard<std::mutex> lock(mutex_);
  return salt_;
}

std::uint64_t VisitorHasher::anonymous(std::string_view site, std::string_view ip,
                                       std::string_view user_agent, std::int64_t now_ms) {
  return siphash24(salt_for(now_ms), joined(site, ip, user_agent));
}

std::uint64_t VisitorHasher::consented(std::string_view site, std::string_view visitor_id) {
  return siphash24(permanent_, joined("id", site, visitor_id));
}

std::uint64_t VisitorHasher::client(std::string_view ip, std::string_view user_agent,
                                    std::int64_t now_ms) {
  return siphash24(salt_for(now_ms), joined("client", ip, user_agent));
}

}  // namespace ithaca::tracker
