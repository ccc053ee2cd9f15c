#include <algorithm>
#include <cmath>

#include "ascii_text.hpp"
#include "civil_time.hpp"
#include "ithaca/context.hpp"
#include "ithaca/json.hpp"
#include "language.hpp"
#include "url_parts.hpp"

namespace ithaca {
namespace {

// Years 0001–9999, CEL's timestamp range.
constexpr std::int64_t kMinMs = -62135596800000;
constexpr std::int64_t kMaxMs = 253402300799999;
constexpr int kMaxOffsetMinutes = 18 * 60;
constexpr std::size_t kMaxShortText = 128;

Error json_error(std::string path, std::string message) {
  return Error{ErrorKind::Json, std::move(message), -1, std::move(path)};
}

// "YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)" → epoch milliseconds.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view s) {
  auto digits = [&](std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t k = at; k < at + n; ++k) {
      if (!ascii::is_digit(s[k])) return false;
      out = out * 10 + (s[k] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, sec;
  if (s.size() < 20 || !digits(0, 4, y) || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' ||
      !digits(8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(11, 2, h) ||
      s[13] != ':' || !digits(14, 2, mi) || s[16] != ':' || !digits(17, 2, sec))
    return std::nullopt;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::size_t i = 19;
  int ms = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int scale = 100;
    std::size_t start = i;
    while (i < s.size() && ascii::is_digit(s[i]) && i - start < 9) {
      ms += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start) return std::nullopt;
  }
  int offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh, om;
    if (!digits(i + 1, 2, oh) || i + 3 >= s.size() || s[i + 3] != ':' || !digits(i + 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  const std::int64_t days = civil::days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const std::int64_t seconds = days * 86400 + h * 3600 + mi * 60 + std::min(sec, 59) - offset * 60;
  return seconds * 1000 + ms;
}

std::optional<std::int64_t> integral(const Value& v) {
  if (v.kind() == Kind::Int) return v.as_int();
  if (v.kind() == Kind::Uint) {
    if (v.as_uint() > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(v.as_uint());
  }
  if (v.kind() == Kind::Double) {
    const double d = v.as_double();
    if (!std::isfinite(d) || std::fabs(d) > 9.0e15) return std::nullopt;
    return static_cast<std::int64_t>(std::floor(d));
  }
  return std::nullopt;
}

class Reader {
 public:
  explicit Reader(const Value& object) : object_(object) {}
  std::optional<Error> error;

  const Value* member(std::string_view key) const {
    const Value* v = object_.find(key);
    return v && !v->is_null() ? v : nullptr;
  }
  void string(std::string_view key, std::string& out, std::size_t max_bytes) {
    const Value* v = member(key);
    if (!v || error) return;
    if (!v->is_string()) return fail(key, "must be a string");
    out = ascii::repair_utf8(ascii::bounded(v->as_string(), max_bytes));
  }
  void boolean(std::string_view key, std::optional<bool>& out) {
    const Value* v = member(key);
    if (!v || error) return;
    if (!v->is_bool()) return fail(key, "must be a boolean");
    out = v->as_bool();
  }
  void integer(std::string_view key, std::optional<int>& out, std::int64_t lo, std::int64_t hi) {
    const Value* v = member(key);
    if (!v || error) return;
    std::optional<std::int64_t> n = integral(*v);
    if (!v->is_number() || !n) return fail(key, "must be a number");
    if (*n < lo || *n > hi)
      return fail(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    out = static_cast<int>(*n);
  }
  void fail(std::string_view key, std::string message) {
    if (!error) error = json_error("$." + std::string(key), std::string(key) + " " + message);
  }

 private:
  const Value& object_;
};

Value str(std::string_view s) { return Value::string(s); }

// Out of line on purpose: inlined, each of the many fields below repeats Value's construction and
// destruction (0.8 KB of wasm in all).
[[gnu::noinline]] void put(Map& m, std::string_view key, std::string_view text) { m.set(key, Value::string(text)); }
[[gnu::noinline]] void put_int(Map& m, std::string_view key, std::int64_t n) { m.set(key, Value::integer(n)); }

constexpr const char* kWeekdays[7] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

std::string two(int n) {
  std::string s;
  s += static_cast<char>('0' + n / 10 % 10);
  s += static_cast<char>('0' + n % 10);
  return s;
}

const char* daypart(int hour) {
  if (hour < 6) return "night";
  if (hour < 12) return "morning";
  if (hour < 17) return "afternoon";
  if (hour < 22) return "evening";
  return "night";
}

bool plausible_zone(std::string_view z) {
  if (z.empty() || z.size() > 64) return false;
  for (char c : z)
    if (!(ascii::is_alnum(c) || c == '/' || c == '_' || c == '-' || c == '+' || c == ':')) return false;
  return true;
}

Value time_group(const RawSignals& raw) {
  Map m;
  const std::string_view zone = plausible_zone(raw.timezone) ? std::string_view(raw.timezone) : std::string_view();
  if (!raw.now_ms) {
    put(m, "timezone", zone);
    return Value::map(std::move(m));
  }
  const std::int64_t ms = std::clamp(*raw.now_ms, kMinMs, kMaxMs);
  const std::int64_t seconds = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  const auto nanos = static_cast<std::int32_t>((ms - seconds * 1000) * 1000000);
  std::int32_t offset_minutes = 0;
  if (raw.tz_offset_minutes && std::abs(*raw.tz_offset_minutes) <= kMaxOffsetMinutes) {
    offset_minutes = *raw.tz_offset_minutes;
  } else if (!zone.empty()) {
    if (std::optional<std::int32_t> off = civil::utc_offset_seconds(zone, seconds)) offset_minutes = *off / 60;
  }
  const civil::CivilTime c = civil::from_unix_seconds(seconds + std::int64_t{offset_minutes} * 60);
  m.set("now", Value::timestamp(Timestamp{seconds, nanos}));
  put(m, "timezone", zone);
  put_int(m, "utc_offset_minutes", offset_minutes);
  put_int(m, "year", c.year);
  put_int(m, "month", c.month);
  put_int(m, "day", c.day);
  put_int(m, "hour", c.hour);
  put_int(m, "minute", c.minute);
  put_int(m, "second", c.second);
  put_int(m, "weekday", c.weekday);
  put(m, "weekday_name", kWeekdays[c.weekday]);
  std::string date = std::to_string(c.year);
  while (date.size() < 4) date.insert(date.begin(), '0');
  date.push_back('-');
  date.append(two(c.month));
  date.push_back('-');
  date.append(two(c.day));
  put(m, "date", date);
  std::string clock = two(c.hour);
  clock.push_back(':');
  clock.append(two(c.minute));
  put(m, "time", clock);
  put(m, "daypart", daypart(c.hour));
  m.set("is_weekend", Value::boolean(c.weekday == 0 || c.weekday == 6));
  put_int(m, "day_of_year", c.day_of_year + 1);
  return Value::map(std::move(m));
}

std::string country_code(std::string_view s) {
  s = ascii::trim(s);
  if (s.size() != 2 || !ascii::is_alpha(s[0]) || !ascii::is_alpha(s[1])) return {};
  return {ascii::upper(s[0]), ascii::upper(s[1])};
}

Value geo_group(const RawSignals& raw) {
  Map m;
  put(m, "country", country_code(raw.country));
  put(m, "region", ascii::repair_utf8(ascii::bounded(raw.region, kMaxShortText)));
  put(m, "city", ascii::repair_utf8(ascii::bounded(raw.city, kMaxShortText)));
  put(m, "timezone_country", plausible_zone(raw.timezone) ? civil::zone_country(raw.timezone) : "");
  std::vector<std::string> langs = raw.languages.empty() ? language::parse_accept_language(raw.accept_language)
                                                         : language::normalize_list(raw.languages);
  List list;
  for (const std::string& l : langs) list.push_back(str(l));
  put(m, "language", langs.empty() ? std::string() : language::primary_subtag(langs.front()));
  m.set("languages", Value::list(std::move(list)));
  return Value::map(std::move(m));
}

int leading_int(std::string_view s) {
  int n = 0, digits = 0;
  for (char c : s) {
    if (!ascii::is_digit(c) || digits == 6) break;
    n = n * 10 + (c - '0');
    ++digits;
  }
  return digits == 0 ? -1 : n;
}

Value device_group(const RawSignals& raw) {
  DeviceSignals extra{raw.touch, raw.max_touch_points, raw.screen_width};
  const DeviceInfo d = classify_device(raw.user_agent, raw.ua_ch, extra);
  Map m;
  put(m, "type", d.type);
  put(m, "os", d.os);
  put(m, "os_version", d.os_version);
  if (int major = leading_int(d.os_version); major >= 0) m.set("os_major", Value::integer(major));
  put(m, "browser", d.browser);
  put(m, "browser_version", d.browser_version);
  if (int major = leading_int(d.browser_version); major >= 0) m.set("browser_major", Value::integer(major));
  put(m, "model", d.model);
  m.set("bot", Value::boolean(d.bot));
  put(m, "bot_name", d.bot_name);
  if (d.touch) m.set("touch", Value::boolean(*d.touch));
  if (raw.screen_width) m.set("screen_width", Value::integer(*raw.screen_width));
  if (raw.screen_height) m.set("screen_height", Value::integer(*raw.screen_height));
  if (raw.dark_mode) m.set("dark_mode", Value::boolean(*raw.dark_mode));
  return Value::map(std::move(m));
}

Value url_group(std::string_view text) {
  const std::string_view bounded = ascii::trim(ascii::bounded(text, url::kMaxUrl));
  const url::UrlParts u = url::parse_url(bounded);
  Map m;
  put(m, "url", ascii::repair_utf8(bounded));
  put(m, "scheme", u.scheme);
  put(m, "host", u.host);
  if (u.port) m.set("port", Value::integer(*u.port));
  put(m, "path", u.path);
  put(m, "query", u.query);
  put(m, "fragment", u.fragment);
  Map params;
  for (url::QueryParam& p : url::parse_query(u.query))
    if (!params.find(p.key)) params.set(p.key, str(p.value));
  m.set("params", Value::map(std::move(params)));
  return Value::map(std::move(m));
}

}  // namespace

Result<RawSignals> raw_signals_from_value(const Value& object) {
  if (!object.is_map()) return json_error("$", "raw signals must be a JSON object");
  RawSignals raw;
  Reader r(object);
  r.string("user_agent", raw.user_agent, 2048);
  r.string("url", raw.url, url::kMaxUrl);
  r.string("referrer", raw.referrer, url::kMaxUrl);
  r.string("site_host", raw.site_host, 256);
  r.string("timezone", raw.timezone, 64);
  r.string("accept_language", raw.accept_language, 1024);
  r.string("country", raw.country, 16);
  r.string("region", raw.region, kMaxShortText);
  r.string("city", raw.city, kMaxShortText);
  r.boolean("touch", raw.touch);
  r.boolean("dark_mode", raw.dark_mode);
  r.integer("max_touch_points", raw.max_touch_points, 0, 1000);
  r.integer("screen_width", raw.screen_width, 0, 100000);
  r.integer("screen_height", raw.screen_height, 0, 100000);
  r.integer("tz_offset_minutes", raw.tz_offset_minutes, -kMaxOffsetMinutes, kMaxOffsetMinutes);
  if (r.error) return *r.error;

  if (const Value* v = r.member("ua_ch")) {
    if (!v->is_map()) return json_error("$.ua_ch", "ua_ch must be an object");
    raw.ua_ch = *v;
  }
  if (const Value* v = r.member("now")) {
    std::optional<std::int64_t> ms;
    if (v->is_string()) {
      std::string_view s = ascii::trim(v->as_string());
      bool all_digits = !s.empty() && s.size() <= 16;
      for (char c : s) all_digits = all_digits && ascii::is_digit(c);
      if (all_digits) {
        ms = 0;
        for (char c : s) *ms = *ms * 10 + (c - '0');
      } else {
        ms = parse_rfc3339_ms(s);
      }
      if (!ms) return json_error("$.now", "now must be epoch milliseconds or an RFC 3339 timestamp");
    } else if (v->is_number()) {
      ms = integral(*v);
      if (!ms) return json_error("$.now", "now must be a finite number of epoch milliseconds");
    } else {
      return json_error("$.now", "now must be a number (epoch milliseconds) or an RFC 3339 string");
    }
    if (*ms < kMinMs || *ms > kMaxMs) return json_error("$.now", "now is outside years 0001-9999");
    raw.now_ms = ms;
  }
  if (const Value* v = r.member("languages")) {
    if (v->is_string()) {
      raw.languages = language::parse_accept_language(v->as_string());
    } else if (v->is_list()) {
      std::size_t index = 0;
      for (const Value& item : v->as_list()) {
        if (!item.is_string())
          return json_error("$.languages[" + std::to_string(index) + "]", "languages must hold strings");
        if (raw.languages.size() < 32) raw.languages.emplace_back(ascii::bounded(item.as_string(), 64));
        ++index;
      }
    } else {
      return json_error("$.languages", "languages must be an array of strings or an Accept-Language string");
    }
  }
  return raw;
}

Value derive_context(const RawSignals& raw) {
  Map m;
  m.set("time", time_group(raw));
  m.set("geo", geo_group(raw));
  m.set("device", device_group(raw));

  const ReferrerInfo r = classify_referrer(raw.referrer, raw.url, raw.site_host);
  Map ref;
  put(ref, "url", r.url);
  put(ref, "host", r.host);
  put(ref, "category", r.category);
  put(ref, "source", r.source);
  put(ref, "medium", r.medium);
  m.set("referrer", Value::map(std::move(ref)));

  Map utm;
  put(utm, "source", r.campaign.source);
  put(utm, "medium", r.campaign.medium);
  put(utm, "campaign", r.campaign.campaign);
  put(utm, "term", r.campaign.term);
  put(utm, "content", r.campaign.content);
  put(utm, "id", r.campaign.id);
  put(utm, "click_id", r.campaign.click_id);
  put(utm, "click_id_type", r.campaign.click_id_type);
  const Value utm_value = Value::map(std::move(utm));
  m.set("utm", utm_value);
  m.set("campaign", utm_value);
  m.set("url", url_group(raw.url));
  return Value::map(std::move(m));
}

std::string derive_context_json(std::string_view raw_signals_json) {
  auto error_json = [](const Error& e) {
    Map err;
    err.set("kind", Value::string(to_string(e.kind)));
    err.set("message", Value::string(e.message));
    if (!e.path.empty()) err.set("path", Value::string(e.path));
    if (e.position >= 0) err.set("position", Value::integer(e.position));
    Map outer;
    outer.set("error", Value::map(std::move(err)));
    return to_json(Value::map(std::move(outer)));
  };
  JsonLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_depth = 16;
  Result<Value> parsed = parse_json(raw_signals_json, limits);
  if (!parsed) {
    Error e = parsed.error();
    e.kind = ErrorKind::Json;
    if (e.path.empty()) e.path.push_back('$');
    return error_json(e);
  }
  Result<RawSignals> raw = raw_signals_from_value(parsed.value());
  if (!raw) return error_json(raw.error());
  return to_json(derive_context(raw.value()));
}

}  // namespace ithaca
