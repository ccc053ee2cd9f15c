#include "civil_time.hpp"

#include "ithaca/tz_rule.hpp"

#include <algorithm>
#include <charconv>

#include "ascii_text.hpp"
#include "data_tables.hpp"

namespace ithaca::civil {
namespace {

using ascii::iequals;

// Days of ±1,000,000 years around 1970 keep every intermediate value far from overflow.
constexpr std::int64_t kMaxDays = 365'243'219;

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int month_length(std::int64_t y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// --- POSIX TZ rules: the reader behind TzRule::parse. ---

class RuleReader {
 public:
  explicit RuleReader(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  bool name() {
    if (eat('<')) {
      std::size_t close = s_.find('>', i_);
      if (close == std::string_view::npos || close == i_) return false;
      i_ = close + 1;
      return true;
    }
    std::size_t start = i_;
    while (!done() && ascii::is_alpha(peek())) ++i_;
    return i_ - start >= 3;
  }
  bool number(int max_digits, int& out) {
    std::size_t start = i_;
    out = 0;
    while (!done() && ascii::is_digit(peek()) && i_ - start < static_cast<std::size_t>(max_digits)) {
      out = out * 10 + (peek() - '0');
      ++i_;
    }
    return i_ > start;
  }
  // [+|-]hh[:mm[:ss]] in seconds, hours up to 167.
  bool hms(std::int32_t& out) {
    int sign = 1;
    if (eat('-')) sign = -1;
    else eat('+');
    int h = 0, m = 0, sec = 0;
    if (!number(3, h) || h > 167) return false;
    if (eat(':')) {
      if (!number(2, m) || m > 59) return false;
      if (eat(':') && (!number(2, sec) || sec > 59)) return false;
    }
    out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }
  bool change(TzRule::Change& t) {
    if (eat('J')) {
      t.kind = 'J';
      if (!number(3, t.a) || t.a < 1 || t.a > 365) return false;
    } else if (eat('M')) {
      t.kind = 'M';
      if (!number(2, t.a) || t.a < 1 || t.a > 12 || !eat('.')) return false;
      if (!number(1, t.b) || t.b < 1 || t.b > 5 || !eat('.')) return false;
      if (!number(1, t.c) || t.c > 6) return false;
    } else {
      t.kind = 'N';
      if (!number(3, t.a) || t.a > 365) return false;
    }
    t.time = 7200;
    if (eat('/') && !hms(t.time)) return false;
    return true;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

// Zero-based day of the year on which a change falls.
int change_day(const TzRule::Change& t, std::int64_t year) {
  switch (t.kind) {
    case 'J':
      return t.a - 1 + ((is_leap(year) && t.a >= 60) ? 1 : 0);
    case 'N':
      return std::min(t.a, is_leap(year) ? 365 : 364);
    default: {
      std::int64_t first = days_from_civil(year, static_cast<unsigned>(t.a), 1);
      int first_weekday = weekday_from_days(first);
      int day = 1 + (t.c - first_weekday + 7) % 7 + (t.b - 1) * 7;
      int length = month_length(year, t.a);
      while (day > length) day -= 7;
      return static_cast<int>(first + day - 1 - days_from_civil(year, 1, 1));
    }
  }
}

std::int64_t change_utc(const TzRule::Change& t, std::int64_t year, std::int32_t offset_east) {
  std::int64_t day = days_from_civil(year, 1, 1) + change_day(t, year);
  return day * 86400 + t.time - offset_east;
}

// The row of a zone in tz_zones (empty if none). Exact match by binary search over the sorted
// rows' bytes (the row that holds the middle byte, found back from it), then a case-insensitive scan.
data::Row zone_row(std::string_view zone) {
  const std::string_view text = data::tz_zones.text;
  if (zone.empty() || zone.size() > 64) return {};
  std::size_t lo = 0, hi = text.size();  // rows starting in [lo, hi) are candidates
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    while (mid > lo && text[mid - 1] != '\n') --mid;
    const data::Row row(text.data() + mid);
    if (row[0] == zone) return row;
    if (row[0] < zone) lo = static_cast<std::size_t>(row.next() - text.data());
    else hi = mid;
  }
  for (const data::Row row : data::tz_zones)
    if (iequals(row[0], zone)) return row;
  return {};
}

// "+05:30", "-0800", "+5", optionally after "UTC" or "GMT"; east of UTC.
std::optional<std::int32_t> fixed_offset(std::string_view s) {
  if (s.size() > 16) return std::nullopt;
  if (iequals(s, "Z") || iequals(s, "UTC") || iequals(s, "GMT")) return 0;
  if (s.size() > 3 && (iequals(s.substr(0, 3), "UTC") || iequals(s.substr(0, 3), "GMT"))) s.remove_prefix(3);
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  int sign = s[0] == '-' ? -1 : 1;
  s.remove_prefix(1);
  std::size_t digits = 0;
  while (digits < s.size() && ascii::is_digit(s[digits])) ++digits;
  int hours = 0, minutes = 0;
  if (digits == 4 && s.size() == 4) {
    hours = (s[0] - '0') * 10 + (s[1] - '0');
    minutes = (s[2] - '0') * 10 + (s[3] - '0');
  } else if (digits == 1 || digits == 2) {
    for (std::size_t i = 0; i < digits; ++i) hours = hours * 10 + (s[i] - '0');
    std::string_view rest = s.substr(digits);
    if (!rest.empty()) {
      if (rest.size() != 3 || rest[0] != ':' || !ascii::is_digit(rest[1]) || !ascii::is_digit(rest[2]))
        return std::nullopt;
      minutes = (rest[1] - '0') * 10 + (rest[2] - '0');
    }
  } else {
    return std::nullopt;
  }
  if (minutes > 59 || hours * 60 + minutes > 18 * 60) return std::nullopt;
  return sign * (hours * 3600 + minutes * 60);
}

}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = m > 2 ? m - 3 : m + 9;
  const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int weekday_from_days(std::int64_t days) {
  return static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
}

CivilTime from_unix_seconds(std::int64_t seconds) {
  seconds = std::clamp(seconds, -kMaxDays * 86400, kMaxDays * 86400);
  const std::int64_t days = floor_div(seconds, 86400);
  const std::int64_t rem = seconds - days * 86400;
  CivilTime c{};
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem % 3600 / 60);
  c.second = static_cast<int>(rem % 60);
  c.weekday = weekday_from_days(days);

  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  c.year = static_cast<int>(y);
  c.month = static_cast<int>(m);
  c.day = static_cast<int>(d);
  c.day_of_year = static_cast<int>(days - days_from_civil(y, 1, 1));
  return c;
}

std::optional<std::int32_t> posix_rule_offset(std::string_view text, std::int64_t unix_seconds) {
  std::optional<TzRule> rule = TzRule::parse(text);
  if (!rule) return std::nullopt;
  return rule->offset_at(unix_seconds);
}

std::optional<std::int32_t> listed_offset(std::string_view listed, std::int64_t unix_seconds) {
  std::optional<std::int32_t> offset;  // none before the first transition: the rule's time
  if (unix_seconds >= kListedUntil) return offset;
  std::int64_t hour = 0;  // the first pair's hour counts from 1970, each next from the one before
  // Unsigned reads: the from_chars the core already instantiates (signed ones: 193 B more wasm).
  for (const char *p = listed.data(), *end = p + listed.size(); p < end; ++p) {  // ++p: the space
    std::uint64_t hours = 0, minutes = 0;
    const auto h = std::from_chars(p, end, hours);
    if (h.ec != std::errc() || h.ptr == end || *h.ptr != '=') break;
    const bool west = h.ptr + 1 < end && h.ptr[1] == '-';
    const auto m = std::from_chars(h.ptr + 1 + west, end, minutes);
    if (m.ec != std::errc() || minutes > 18 * 60) break;
    hour += static_cast<std::int64_t>(hours);
    if (hour * 3600 > unix_seconds) break;
    offset = static_cast<std::int32_t>(minutes) * (west ? -60 : 60);
    p = m.ptr;
  }
  return offset;
}

std::optional<std::int32_t> utc_offset_seconds(std::string_view zone, std::int64_t unix_seconds) {
  const data::Row row = zone_row(zone);
  if (row.empty()) return fixed_offset(zone);
  // A few zones (four, in 16 rows) have transitions listed past their rule, a zone's rows in order.
  std::optional<std::int32_t> listed;
  for (const data::Row l : data::tz_listed) {
    if (l[0] != row[0]) continue;
    const std::optional<std::int32_t> in_row = listed_offset(l[1], unix_seconds);
    if (!in_row) break;
    listed = in_row;
  }
  if (listed) return listed;
  return posix_rule_offset(row[2], unix_seconds);
}

std::string_view zone_country(std::string_view zone) {
  return zone_row(zone)[1];
}

std::string_view zone_rule(std::string_view zone) {
  return zone_row(zone)[2];
}

}  // namespace ithaca::civil

namespace ithaca {

std::optional<TzRule> TzRule::parse(std::string_view text) {
  if (text.empty() || text.size() > 128) return std::nullopt;
  civil::RuleReader r(text);
  TzRule rule;
  std::int32_t west = 0;
  if (!r.name() || !r.hms(west)) return std::nullopt;
  rule.std_east_ = -west;
  if (r.done()) return rule;
  if (!r.name()) return std::nullopt;
  rule.has_dst_ = true;
  rule.dst_east_ = rule.std_east_ + 3600;
  if (!r.done() && r.peek() != ',') {
    if (!r.hms(west)) return std::nullopt;
    rule.dst_east_ = -west;
  }
  if (r.done()) {
    // No change rules: POSIX leaves it to the implementation; use the US rules, as glibc does.
    rule.start_ = {'M', 3, 2, 0, 7200};
    rule.end_ = {'M', 11, 1, 0, 7200};
    return rule;
  }
  if (!r.eat(',') || !r.change(rule.start_) || !r.eat(',') || !r.change(rule.end_) || !r.done())
    return std::nullopt;
  return rule;
}

std::int64_t TzRule::daylight_start(std::int64_t year) const noexcept {
  return civil::change_utc(start_, year, std_east_);
}

std::int64_t TzRule::daylight_end(std::int64_t year) const noexcept {
  return civil::change_utc(end_, year, dst_east_);
}

std::int32_t TzRule::offset_at(std::int64_t unix_seconds) const noexcept {
  if (!has_dst_) return std_east_;
  const std::int64_t limit = civil::kMaxDays * 86400;
  const std::int64_t t = std::clamp(unix_seconds, -limit, limit);
  const std::int64_t year = civil::from_unix_seconds(t + std_east_).year;
  const std::int64_t start = daylight_start(year);
  const std::int64_t end = daylight_end(year);
  const bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
  return dst ? dst_east_ : std_east_;
}

}  // namespace ithaca
