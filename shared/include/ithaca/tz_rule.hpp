// A POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3", POSIX.1-2017 section 8.3 with the RFC 8536
// extensions: hours up to 167, negative transition times). The core keeps one per IANA zone
// for local time in contexts; the tracker reads one from the footer of each TZif file it loads,
// for the years after the file's last listed transition. One parser, so both agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ithaca {

class TzRule {
 public:
  // Nullopt when `text` is not a rule (or longer than 128 bytes). A rule that names a daylight
  // time without saying when it applies gets the US rules, as glibc does.
  static std::optional<TzRule> parse(std::string_view text);

  // Offsets east of UTC, in seconds (POSIX writes them west; these have the usual sign).
  std::int32_t standard_offset() const noexcept { return std_east_; }
  std::int32_t daylight_offset() const noexcept { return dst_east_; }
  bool has_daylight_time() const noexcept { return has_dst_; }

  // Unix seconds at which daylight time starts and ends in `year` (has_daylight_time() only).
  // In the southern hemisphere the end comes first in the year.
  std::int64_t daylight_start(std::int64_t year) const noexcept;
  std::int64_t daylight_end(std::int64_t year) const noexcept;

  // The offset east of UTC in force at `unix_seconds`.
  std::int32_t offset_at(std::int64_t unix_seconds) const noexcept;

  // When in a year a change happens: day kind 'J' (Julian 1..365, no Feb 29), 'N' (zero-based
  // day 0..365) or 'M' (month a, week b of 1..5 where 5 is the last, weekday c, 0 = Sunday).
  struct Change {
    char kind = 'M';
    int a = 0, b = 0, c = 0;
    std::int32_t time = 7200;  // local seconds after midnight
  };

 private:
  std::int32_t std_east_ = 0;
  std::int32_t dst_east_ = 0;
  bool has_dst_ = false;
  Change start_, end_;
};

}  // namespace ithaca
