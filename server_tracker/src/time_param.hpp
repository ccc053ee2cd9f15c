// Time bounds in query strings: epoch milliseconds ("1714521600000"), a UTC date
// ("2024-05-01", meaning its midnight) or an RFC 3339 UTC time ("2024-05-01T10:00:00Z").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ithaca::tracker {

std::optional<std::int64_t> parse_time_param(std::string_view text) noexcept;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept;

// Whether year-month-day is a date of the calendar (2026-02-31 is not).
bool is_calendar_date(std::int64_t y, int m, int d) noexcept;

}  // namespace ithaca::tracker
