// Civil (calendar) time from Unix time, and UTC offsets of IANA zones, fixed offsets and POSIX
// TZ rules — shared by context derivation (time.*) and the CEL engine's timestamp functions.
// Zone rules are each zone's *current* POSIX rule (the tzdata TZif footer, compiled in from
// shared/data/tz_zones.tsv), with the transitions tzdata lists beyond it to 2038 where a zone has
// them: exact for today's clocks, not for dates before a zone last changed its rules. Pure
// functions, no allocation, never throw.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ithaca::civil {

struct CivilTime {
  int year, month, day, hour, minute, second;
  int weekday;      // 0 = Sunday … 6 = Saturday
  int day_of_year;  // 0-based
};

// Proleptic Gregorian calendar, valid for any int64 day count that fits an int year.
CivilTime from_unix_seconds(std::int64_t seconds);
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
// 0 = Sunday for a day number counted from 1970-01-01.
int weekday_from_days(std::int64_t days);

// Offset east of UTC, in seconds, at `unix_seconds` for:
//  - an IANA zone name ("Europe/Berlin", also backward links like "Asia/Calcutta"), DST-aware;
//  - "UTC", "GMT", "Z";
//  - a fixed offset east of UTC: "+05:30", "-08:00", "+0530", "+05", "UTC+5:30", "GMT-8".
// nullopt for anything else or offsets beyond ±18 hours.
std::optional<std::int32_t> utc_offset_seconds(std::string_view zone, std::int64_t unix_seconds);

// Offset at `unix_seconds` under a POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3"), east of UTC
// (POSIX writes offsets west of UTC; this returns the usual sign). nullopt when malformed.
std::optional<std::int32_t> posix_rule_offset(std::string_view rule, std::int64_t unix_seconds);

// The offset (seconds east of UTC) at `unix_seconds` that a row of shared/data/tz_listed.tsv
// gives: "491978=0 840=60" is +00:00 from hour 491978 after 1970 on, +01:00 from 840 hours later
// on. For the few zones whose tzdata lists dates no rule can express (Morocco's and Palestine's,
// set by Ramadan); nullopt before the row's first hour and from kListedUntil (2038) on.
inline constexpr std::int64_t kListedUntil = 2145916800;
std::optional<std::int32_t> listed_offset(std::string_view listed, std::int64_t unix_seconds);

// ISO 3166-1 alpha-2 country of an IANA zone ("DE" for Europe/Berlin), "" if none or unknown.
std::string_view zone_country(std::string_view zone);
// The compiled-in POSIX rule of an IANA zone, "" if unknown.
std::string_view zone_rule(std::string_view zone);

}  // namespace ithaca::civil
