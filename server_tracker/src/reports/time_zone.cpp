#include "reports/time_zone.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "ithaca/tz_rule.hpp"
#include "time_param.hpp"

namespace ithaca::tracker {
namespace {

constexpr std::int64_t kMinMs = std::numeric_limits<std::int64_t>::min();
constexpr int kLastYear = 2100;

std::int64_t be(std::string_view b, std::size_t at, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  if (n == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != std::string_view::npos) {
    return false;
  }
  for (char ch : name) {
    const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                    ch == '/' || ch == '_' || ch == '-' || ch == '+';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::shared_ptr<const TimeZone> TimeZone::utc() {
  static const std::shared_ptr<const TimeZone> zone = [] {
    auto z = std::make_shared<TimeZone>();
    z->name_ = "UTC";
    z->segments_.push_back({kMinMs, 0});
    return z;
  }();
  return zone;
}

std::shared_ptr<const TimeZone> TimeZone::load(std::string_view name, std::string& error) {
  if (name == "UTC" || name == "Etc/UTC" || name.empty()) return utc();
  if (!valid_name(name)) {
    error = "\"" + std::string(name) + "\" is not an IANA time zone name";
    return nullptr;
  }
  const char* dir = std::getenv("TZDIR");
  const std::string path = std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + std::string(name);
  std::string bytes;
  if (!read_file(path, bytes)) {
    error = "unknown time zone \"" + std::string(name) + "\" (no " + path + "; is tzdata installed?)";
    return nullptr;
  }
  return from_tzif(std::string(name), bytes, error);
}

std::shared_ptr<const TimeZone> TimeZone::from_tzif(std::string name, std::string_view b,
                                                    std::string& error) {
  auto fail = [&](const char* why) {
    error = "time zone " + name + ": " + why;
    return nullptr;
  };
  if (b.size() < 44 || b.substr(0, 4) != "TZif") return fail("not a TZif file");
  auto counts = [&](std::size_t at, std::int64_t c[6]) {
    for (int i = 0; i < 6; ++i) c[i] = be(b, at + 20 + 4 * i, 4);
  };
  std::int64_t c[6];
  counts(0, c);
  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  auto block_size = [&](int time_bytes) {
    return c[3] * time_bytes + c[3] + c[4] * 6 + c[5] + c[2] * (time_bytes + 4) + c[1] + c[0];
  };
  std::size_t at = 44;
  int time_bytes = 4;
  const char version = b[4];
  if (version >= '2') {
    at += static_cast<std::size_t>(block_size(4));
    if (b.size() < at + 44 || b.substr(at, 4) != "TZif") return fail("truncated");
    counts(at, c);
    at += 44;
    time_bytes = 8;
  }
  if (c[4] < 1 || static_cast<std::int64_t>(b.size()) < static_cast<std::int64_t>(at) + block_size(time_bytes)) {
    return fail("truncated");
  }
  const std::int64_t timecnt = c[3], typecnt = c[4];
  std::vector<std::int64_t> times(timecnt);
  std::vector<int> idx(timecnt);
  for (std::int64_t i = 0; i < timecnt; ++i) times[i] = be(b, at + i * time_bytes, time_bytes);
  std::size_t p = at + timecnt * time_bytes;
  for (std::int64_t i = 0; i < timecnt; ++i) idx[i] = static_cast<unsigned char>(b[p + i]);
  p += timecnt;
  std::vector<std::int64_t> offsets(typecnt);
  std::vector<bool> dst(typecnt);
  for (std::int64_t i = 0; i < typecnt; ++i) {
    offsets[i] = be(b, p + i * 6, 4);
    dst[i] = b[p + i * 6 + 4] != 0;
  }
  for (int i : idx) {
    if (i >= typecnt) return fail("bad transition type");
  }
  // The footer: the rule for the years after the last transition.
  std::optional<TzRule> rule;
  if (time_bytes == 8) {
    std::size_t f = at + static_cast<std::size_t>(block_size(8));
    if (f < b.size() && b[f] == '\n') {
      std::size_t e = b.find('\n', f + 1);
      if (e != std::string_view::npos && e > f + 1) {
        rule = TzRule::parse(b.substr(f + 1, e - f - 1));
        if (!rule) return fail("unsupported footer rule");
      }
    }
  }

  auto zone = std::make_shared<TimeZone>();
  zone->name_ = std::move(name);
  // Before the first transition: the first standard-time type (RFC 8536 §3.2).
  std::int64_t initial = offsets[0];
  for (std::int64_t i = 0; i < typecnt; ++i) {
    if (!dst[i]) {
      initial = offsets[i];
      break;
    }
  }
  auto& segs = zone->segments_;
  segs.push_back({kMinMs, initial * 1000});
  auto push = [&](std::int64_t utc_s, std::int64_t offset_s) {
    if (segs.back().offset_ms == offset_s * 1000) return;
    segs.push_back({utc_s * 1000, offset_s * 1000});
  };
  for (std::int64_t i = 0; i < timecnt; ++i) push(times[i], offsets[idx[i]]);
  if (rule) {
    const std::int64_t last = timecnt ? times[timecnt - 1] : std::numeric_limits<std::int64_t>::min();
    std::int64_t first_year = 1970;
    if (timecnt) {
      std::int64_t days = floor_div(last, 86400);
      first_year = 1970 + days / 366;  // a lower bound is enough
      while (days_from_civil(first_year + 1, 1, 1) <= days) ++first_year;
    }
    if (!rule->has_daylight_time()) {
      push(std::max<std::int64_t>(last + 1, 0), rule->standard_offset());
    } else {
      for (std::int64_t y = first_year; y <= kLastYear; ++y) {
        std::pair<std::int64_t, std::int64_t> a{rule->daylight_start(y), rule->daylight_offset()},
            z{rule->daylight_end(y), rule->standard_offset()};
        if (z.first < a.first) std::swap(a, z);
        for (const auto& [t, o] : {a, z}) {
          if (t > last) push(t, o);
        }
      }
    }
  }
  return zone;
}

std::int64_t TimeZone::offset_ms(std::int64_t utc_ms) const noexcept {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), utc_ms,
                             [](std::int64_t t, const Segment& s) { return t < s.start_ms; });
  return std::prev(it)->offset_ms;
}

std::int64_t TimeZone::local_start_utc(std::int64_t local) const noexcept {
  // Local time within a segment is utc + offset; take the earliest instant reaching `local`.
  const std::int64_t lo = local - 2 * kDayMs, hi = local + 2 * kDayMs;
  auto it = std::upper_bound(segments_.begin(), segments_.end(), lo,
                             [](std::int64_t t, const Segment& s) { return t < s.start_ms; });
  --it;
  for (; it != segments_.end() && it->start_ms < hi; ++it) {
    const std::int64_t begin = std::max(it->start_ms, lo);
    const std::int64_t end = std::next(it) == segments_.end() ? hi : std::min(std::next(it)->start_ms, hi);
    const std::int64_t candidate = std::max(begin, local - it->offset_ms);
    if (candidate < end) return candidate;
  }
  return local;
}

std::vector<TimeZone::Segment> TimeZone::segments(std::int64_t from_ms, std::int64_t to_ms) const {
  std::vector<Segment> out;
  auto it = std::upper_bound(segments_.begin(), segments_.end(), from_ms,
                             [](std::int64_t t, const Segment& s) { return t < s.start_ms; });
  --it;
  out.push_back({from_ms, it->offset_ms});
  for (++it; it != segments_.end() && it->start_ms < to_ms; ++it) out.push_back(*it);
  return out;
}

}  // namespace ithaca::tracker
