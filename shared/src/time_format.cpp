#include "time_format.hpp"

#include "civil_time.hpp"

#include <charconv>
#include <cstdint>

namespace ithaca {

namespace {
constexpr std::int64_t kMinSeconds = -62135596800;   // 0001-01-01T00:00:00Z
constexpr std::int64_t kMaxSeconds = 253402300799;   // 9999-12-31T23:59:59Z
// Durations are bounded by int64 nanoseconds (about ±292 years), as in cel-go and the
// conformance suite.
constexpr std::int64_t kMaxDurationSeconds = 9223372036;

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t k = at; k < at + n; ++k) {
    if (s[k] < '0' || s[k] > '9') return false;
    out = out * 10 + (s[k] - '0');
  }
  return true;
}

// ⌊frac × unit ÷ scale⌋ for frac < scale = 10^k ≤ 10^18 and a unit of m × 10^e ns (m is 1, 6 or
// 36), exact in 64 bits: a 128-bit division would link compiler-rt's __divti3 (duration_from_nanos).
std::int64_t scaled_fraction(std::int64_t frac, std::int64_t scale, std::int64_t unit) {
  std::int64_t pow10 = 1;
  while (unit % (pow10 * 10) == 0) pow10 *= 10;
  const std::int64_t m = unit / pow10;
  if (pow10 >= scale) return frac * m * (pow10 / scale);  // < unit
  const std::int64_t divisor = scale / pow10;             // 10^j, j ≤ 8 when m > 1
  return frac / divisor * m + frac % divisor * m / divisor;
}

void append_padded(std::string& out, std::int64_t v, int width) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  for (int pad = width - static_cast<int>(r.ptr - buf); pad > 0; --pad) out += '0';
  out.append(buf, r.ptr);
}

void append_fraction(std::string& out, std::int32_t nanos) {
  if (nanos == 0) return;
  int width = 9;
  while (nanos % 10 == 0) { nanos /= 10; --width; }
  out += '.';
  append_padded(out, nanos, width);
}
}  // namespace

bool timestamp_in_range(std::int64_t seconds) noexcept {
  return seconds >= kMinSeconds && seconds <= kMaxSeconds;
}
bool duration_in_range(std::int64_t seconds) noexcept {
  return seconds >= -kMaxDurationSeconds && seconds <= kMaxDurationSeconds;
}
bool duration_nanos_in_range(int128 nanos) noexcept { return nanos >= -kMaxDurationNanos && nanos <= kMaxDurationNanos; }

std::optional<Timestamp> parse_timestamp(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (!digits(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, month) ||
      s[7] != '-' || !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') ||
      !digits(s, 11, 2, hour) || s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' ||
      !digits(s, 17, 2, second))
    return std::nullopt;
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > kDays[month - 1] || (month == 2 && day == 29 && !leap) ||
      hour > 23 || minute > 59 || second > 59)
    return std::nullopt;
  std::size_t i = 19;
  std::int32_t nanos = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (n < 9) nanos = nanos * 10 + (s[i] - '0');
      ++n;
      ++i;
    }
    if (n == 0) return std::nullopt;
    for (int k = n; k < 9; ++k) nanos *= 10;
  }
  std::int64_t offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh, om;
    if (!digits(s, i + 1, 2, oh) || i + 3 >= s.size() || s[i + 3] != ':' || !digits(s, i + 4, 2, om) ||
        oh > 23 || om > 59)
      return std::nullopt;
    offset = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  std::int64_t secs = civil::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
                      hour * 3600 + minute * 60 + second - offset;
  if (!timestamp_in_range(secs)) return std::nullopt;
  return Timestamp{secs, nanos};
}

std::string format_timestamp(Timestamp t) {
  const civil::CivilTime c = civil::from_unix_seconds(t.seconds);
  std::string out;
  append_padded(out, c.year, 4);
  out += '-'; append_padded(out, c.month, 2);
  out += '-'; append_padded(out, c.day, 2);
  out += 'T'; append_padded(out, c.hour, 2);
  out += ':'; append_padded(out, c.minute, 2);
  out += ':'; append_padded(out, c.second, 2);
  append_fraction(out, t.nanos);
  out += 'Z';
  return out;
}

std::optional<Duration> parse_duration(std::string_view s) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  if (i >= s.size()) return std::nullopt;
  if (s.substr(i) == "0") return Duration{0, 0};
  // Exact integer arithmetic in nanoseconds (128-bit: 10000 years overflow 64 bits of ns).
  int128 total_ns = 0;
  const int128 max_ns = kMaxDurationNanos;
  while (i < s.size()) {
    std::size_t start = i;
    int128 whole = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      whole = whole * 10 + (s[i++] - '0');
      if (whole > max_ns) return std::nullopt;
    }
    bool any = i > start;
    int128 frac = 0, frac_scale = 1;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (frac_scale < 1000000000000000000) { frac = frac * 10 + (s[i] - '0'); frac_scale *= 10; }
        ++i;
        any = true;
      }
    }
    if (!any) return std::nullopt;
    std::int64_t unit;
    if (s.substr(i, 2) == "ms") { unit = 1000000; i += 2; }
    else if (s.substr(i, 2) == "us") { unit = 1000; i += 2; }
    else if (s.substr(i, 3) == "\xC2\xB5s") { unit = 1000; i += 3; }
    else if (s.substr(i, 2) == "ns") { unit = 1; i += 2; }
    else if (i < s.size() && s[i] == 'h') { unit = 3600000000000; ++i; }
    else if (i < s.size() && s[i] == 'm') { unit = 60000000000; ++i; }
    else if (i < s.size() && s[i] == 's') { unit = 1000000000; ++i; }
    else return std::nullopt;
    total_ns += whole * unit + scaled_fraction(static_cast<std::int64_t>(frac), static_cast<std::int64_t>(frac_scale), unit);
    if (total_ns > max_ns) return std::nullopt;
  }
  const auto ns = static_cast<std::int64_t>(total_ns);  // at most kMaxDurationNanos
  return duration_from_nanos(negative ? -ns : ns);
}

std::string format_duration(Duration d) {
  std::string out;
  if (d.seconds < 0 || d.nanos < 0) out += '-';
  std::int64_t secs = d.seconds < 0 ? -d.seconds : d.seconds;
  append_padded(out, secs, 1);
  append_fraction(out, d.nanos < 0 ? -d.nanos : d.nanos);
  out += 's';
  return out;
}

}  // namespace ithaca
