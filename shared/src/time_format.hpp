// RFC 3339 timestamps and CEL duration strings ("1h30m", "-1.5s"): parsing and formatting.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ithaca/value.hpp"

namespace ithaca {

// 128-bit integers keep nanosecond arithmetic over CEL's ±10000-year durations exact.
__extension__ typedef __int128 int128;

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)", years 0001–9999 (CEL's range).
std::optional<Timestamp> parse_timestamp(std::string_view text);
std::string format_timestamp(Timestamp t);  // UTC, "Z", fraction only when non-zero

// Accepts a sequence of decimal numbers with units h, m, s, ms, us, ns (Go/CEL syntax), with an
// optional leading sign. Range: int64 nanoseconds (about ±292 years), as in cel-go.
std::optional<Duration> parse_duration(std::string_view text);
std::string format_duration(Duration d);    // seconds with an "s" suffix: "3600s", "1.5s"

// Valid CEL timestamp range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
bool timestamp_in_range(std::int64_t seconds) noexcept;
bool duration_in_range(std::int64_t seconds) noexcept;
inline constexpr std::int64_t kMaxDurationNanos = 9223372036854775807;  // int64 nanoseconds
bool duration_nanos_in_range(int128 nanos) noexcept;
// Seconds and a same-signed nanosecond part. Take the nanoseconds to 64 bits (after the range
// check above) before dividing: a 128-bit division links compiler-rt's __divti3 and __modti3
// into the wasm (0.5 KB gzipped) for nothing.
inline Duration duration_from_nanos(std::int64_t nanos) noexcept {
  return {nanos / 1000000000, static_cast<std::int32_t>(nanos % 1000000000)};
}

}  // namespace ithaca
