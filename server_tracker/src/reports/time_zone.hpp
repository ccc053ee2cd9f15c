// A site's time zone for reports: IANA rules read from the system's TZif files
// (/usr/share/zoneinfo, or $TZDIR), expanded at load time into one sorted list of UTC offsets
// up to 2100 (the tracker refuses event times past 2100). Reports bucket events by local
// wall-clock hour and day; both stores use this class, so they agree on every bucket.
// Immutable after load: safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ithaca::tracker {

inline constexpr std::int64_t kHourMs = 3'600'000;
inline constexpr std::int64_t kDayMs = 86'400'000;

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

class TimeZone {
 public:
  struct Segment {
    std::int64_t start_ms;   // UTC, inclusive
    std::int64_t offset_ms;  // local = utc + offset
  };

  // "UTC" always loads; other names need their TZif file. Null with `error` set otherwise.
  static std::shared_ptr<const TimeZone> load(std::string_view name, std::string& error);
  static std::shared_ptr<const TimeZone> utc();
  // Parses TZif bytes (exposed for tests).
  static std::shared_ptr<const TimeZone> from_tzif(std::string name, std::string_view bytes,
                                                   std::string& error);

  const std::string& name() const noexcept { return name_; }
  std::int64_t offset_ms(std::int64_t utc_ms) const noexcept;

  // Local wall-clock day number (days since 1970-01-01 local) and hour number.
  std::int32_t local_day(std::int64_t utc_ms) const noexcept {
    return static_cast<std::int32_t>(floor_div(utc_ms + offset_ms(utc_ms), kDayMs));
  }
  std::int64_t local_hour(std::int64_t utc_ms) const noexcept {
    return floor_div(utc_ms + offset_ms(utc_ms), kHourMs);
  }
  // The first UTC instant whose local wall-clock time is `local_ms` or later.
  std::int64_t local_start_utc(std::int64_t local_ms) const noexcept;
  // The first UTC instant whose local day is `day` or later.
  std::int64_t day_start_utc(std::int32_t day) const noexcept {
    return local_start_utc(static_cast<std::int64_t>(day) * kDayMs);
  }

  // The offsets in force over [from_ms, to_ms): the first segment starts at from_ms.
  std::vector<Segment> segments(std::int64_t from_ms, std::int64_t to_ms) const;

 private:
  std::string name_;
  std::vector<Segment> segments_;  // sorted; segments_[0].start_ms is the minimum int64
};

}  // namespace ithaca::tracker
