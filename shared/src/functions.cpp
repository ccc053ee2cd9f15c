// Built-in functions: size, the string predicates, matches, conversions, and the timestamp /
// duration accessors. Arity is checked at compile time; kinds are checked here at run time
// (no type checker), with CEL's "no matching overload" error for anything else.
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "ast.hpp"
#include "civil_time.hpp"
#include "computed_pattern.hpp"
#include "double_format.hpp"
#include "regex.hpp"
#include "time_format.hpp"
#include "utf8.hpp"

namespace ithaca {

namespace {

struct FunctionInfo {
  std::string_view name;
  Fn fn;
  std::uint8_t min_args;  // receiver included
  std::uint8_t max_args;
  std::uint8_t style;     // 1: global f(x), 2: receiver x.f(), 3: both
};

constexpr std::array<FunctionInfo, 28> kFunctions = {{
    {"size", Fn::Size, 1, 1, 3},
    {"contains", Fn::Contains, 2, 2, 2},
    {"startsWith", Fn::StartsWith, 2, 2, 2},
    {"endsWith", Fn::EndsWith, 2, 2, 2},
    {"matches", Fn::Matches, 2, 2, 3},
    {"int", Fn::ToInt, 1, 1, 1},
    {"uint", Fn::ToUint, 1, 1, 1},
    {"double", Fn::ToDouble, 1, 1, 1},
    {"string", Fn::ToString, 1, 1, 1},
    {"bool", Fn::ToBool, 1, 1, 1},
    {"bytes", Fn::ToBytes, 1, 1, 1},
    {"timestamp", Fn::ToTimestamp, 1, 1, 1},
    {"duration", Fn::ToDuration, 1, 1, 1},
    {"dyn", Fn::Dyn, 1, 1, 1},
    {"type", Fn::TypeOf, 1, 1, 1},
    {"getFullYear", Fn::GetFullYear, 1, 2, 2},
    {"getMonth", Fn::GetMonth, 1, 2, 2},
    {"getDate", Fn::GetDate, 1, 2, 2},
    {"getDayOfMonth", Fn::GetDayOfMonth, 1, 2, 2},
    {"getDayOfWeek", Fn::GetDayOfWeek, 1, 2, 2},
    {"getDayOfYear", Fn::GetDayOfYear, 1, 2, 2},
    {"getHours", Fn::GetHours, 1, 2, 2},
    {"getMinutes", Fn::GetMinutes, 1, 2, 2},
    {"getSeconds", Fn::GetSeconds, 1, 2, 2},
    {"getMilliseconds", Fn::GetMilliseconds, 1, 2, 2},
    {"lowerAscii", Fn::LowerAscii, 1, 1, 2},
    {"upperAscii", Fn::UpperAscii, 1, 1, 2},
    {"trim", Fn::Trim, 1, 1, 2},
}};

bool is_unicode_space(std::uint32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

const FunctionInfo* info(Fn fn) {
  for (const auto& f : kFunctions)
    if (f.fn == fn) return &f;
  return nullptr;
}

Value no_overload(const Node& n, const Value* const* args, std::size_t count) {
  std::string msg = "no matching overload for '" + n.name + "' applied to (";
  for (std::size_t i = 0; i < count; ++i) {
    if (i) msg += ", ";
    msg += kind_name(args[i]->kind());
  }
  return Value::error(msg + ")");
}

template <typename T>
bool parse_integer(std::string_view s, T& out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  auto r = std::from_chars(s.data(), s.data() + s.size(), out, 10);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

Value to_int(const Value& v) {
  switch (v.kind()) {
    case Kind::Int: return v;
    case Kind::Uint:
      if (v.as_uint() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return Value::error("integer overflow");
      return Value::integer(static_cast<std::int64_t>(v.as_uint()));
    case Kind::Double: {
      double d = v.as_double();
      if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0)) return Value::error("integer overflow");
      return Value::integer(static_cast<std::int64_t>(d));
    }
    case Kind::String: {
      std::int64_t i;
      if (!parse_integer(v.as_string(), i)) return Value::error("cannot convert '" + std::string(v.as_string()) + "' to int");
      return Value::integer(i);
    }
    case Kind::Timestamp: return Value::integer(v.as_timestamp().seconds);
    default: return Value();
  }
}

Value to_uint(const Value& v) {
  switch (v.kind()) {
    case Kind::Uint: return v;
    case Kind::Int:
      if (v.as_int() < 0) return Value::error("unsigned integer overflow");
      return Value::uinteger(static_cast<std::uint64_t>(v.as_int()));
    case Kind::Double: {
      double d = v.as_double();
      if (!(d >= 0.0 && d < 18446744073709551616.0)) return Value::error("unsigned integer overflow");  // -0.5 too, as cel-go
      return Value::uinteger(static_cast<std::uint64_t>(d));
    }
    case Kind::String: {
      std::uint64_t u;
      if (!parse_integer(v.as_string(), u)) return Value::error("cannot convert '" + std::string(v.as_string()) + "' to uint");
      return Value::uinteger(u);
    }
    default: return Value();
  }
}

Value to_double(const Value& v) {
  switch (v.kind()) {
    case Kind::Double: return v;
    case Kind::Int: return Value::real(static_cast<double>(v.as_int()));
    case Kind::Uint: return Value::real(static_cast<double>(v.as_uint()));
    case Kind::String: {
      double d;
      if (!parse_double(v.as_string(), d)) return Value::error("cannot convert '" + std::string(v.as_string()) + "' to double");
      return Value::real(d);
    }
    default: return Value();
  }
}

Value to_string(const Value& v) {
  char buf[32];
  switch (v.kind()) {
    case Kind::String: return v;
    case Kind::Int: { auto r = std::to_chars(buf, buf + sizeof buf, v.as_int()); return Value::string({buf, static_cast<std::size_t>(r.ptr - buf)}); }
    case Kind::Uint: { auto r = std::to_chars(buf, buf + sizeof buf, v.as_uint()); return Value::string({buf, static_cast<std::size_t>(r.ptr - buf)}); }
    case Kind::Double: return Value::string(format_double_cel(v.as_double()));
    case Kind::Bool: return Value::string(v.as_bool() ? "true" : "false");
    case Kind::Bytes:
      if (!utf8::valid(v.as_string())) return Value::error("invalid UTF-8 in bytes, cannot convert to string");
      return Value::string(v.as_string());
    case Kind::Timestamp: return Value::string(format_timestamp(v.as_timestamp()));
    case Kind::Duration: return Value::string(format_duration(v.as_duration()));
    case Kind::Type: return Value::string(kind_name(v.as_type()));
    default: return Value();
  }
}

Value to_bool(const Value& v) {
  if (v.is_bool()) return v;
  if (!v.is_string()) return Value();
  const std::string_view s = v.as_string();
  if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") return Value::boolean(true);
  if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False") return Value::boolean(false);
  return Value::error("cannot convert '" + std::string(s) + "' to bool");
}

Value time_part(Fn fn, const Value& t, const Value* tz) {
  if (t.kind() == Kind::Duration) {
    if (tz) return Value();
    const Duration d = t.as_duration();
    switch (fn) {
      case Fn::GetHours: return Value::integer(d.seconds / 3600);
      case Fn::GetMinutes: return Value::integer(d.seconds / 60);
      case Fn::GetSeconds: return Value::integer(d.seconds);
      case Fn::GetMilliseconds: return Value::integer(d.nanos / 1000000);
      default: return Value();
    }
  }
  if (t.kind() != Kind::Timestamp || (tz && !tz->is_string())) return Value();
  const Timestamp ts = t.as_timestamp();
  std::int64_t local = ts.seconds;
  if (tz) {
    // CEL accepts a bare "HH:MM" as a positive fixed offset.
    std::string_view zone = tz->as_string();
    std::string signed_zone;
    if (zone.size() == 5 && zone[2] == ':' && zone[0] >= '0' && zone[0] <= '9') zone = signed_zone = "+" + std::string(zone);
    auto offset = civil::utc_offset_seconds(zone, ts.seconds);
    if (!offset) return Value::error("unknown timezone '" + std::string(tz->as_string()) + "'");
    local += *offset;
  }
  const civil::CivilTime c = civil::from_unix_seconds(local);
  switch (fn) {
    case Fn::GetFullYear: return Value::integer(c.year);
    case Fn::GetMonth: return Value::integer(c.month - 1);
    case Fn::GetDate: return Value::integer(c.day);
    case Fn::GetDayOfMonth: return Value::integer(c.day - 1);
    case Fn::GetDayOfWeek: return Value::integer(c.weekday);
    case Fn::GetDayOfYear: return Value::integer(c.day_of_year);
    case Fn::GetHours: return Value::integer(c.hour);
    case Fn::GetMinutes: return Value::integer(c.minute);
    case Fn::GetSeconds: return Value::integer(c.second);
    default: return Value::integer(ts.nanos / 1000000);
  }
}

std::string ascii_case(std::string_view s, bool upper) {
  std::string out(s);
  for (char& c : out) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

}  // namespace

Fn lookup_function(std::string_view name) {
  for (const auto& f : kFunctions)
    if (f.name == name) return f.fn;
  return Fn::None;
}

std::string check_arity(Fn fn, std::size_t count, bool receiver_style) {
  const FunctionInfo* f = info(fn);
  if (!f) return "unknown function";
  const std::string name(f->name);
  if (receiver_style && !(f->style & 2)) return "'" + name + "' is not a method: call it as " + name + "(x)";
  if (!receiver_style && !(f->style & 1)) return "'" + name + "' is a method: call it as x." + name + "(…)";
  if (count < f->min_args || count > f->max_args) {
    const std::size_t shown_min = f->min_args - (receiver_style ? 1 : 0);
    const std::size_t shown_max = f->max_args - (receiver_style ? 1 : 0);
    return "'" + name + "' takes " + std::to_string(shown_min) +
           (shown_max != shown_min ? " or " + std::to_string(shown_max) : "") + " argument" +
           (shown_max == 1 ? "" : "s") + ", not " + std::to_string(count - (receiver_style ? 1 : 0));
  }
  return {};
}

Value over_limit(const char* what, std::uint64_t limit, const char* unit) {
  return Value::error(std::string(what) + " over the limit of " + std::to_string(limit) + unit);
}

Value call_function(const Node& n, const Value* const* args, std::size_t count, const Limits& limits,
                    Spent& spent) {
  const Value& a = *args[0];
  Value r;
  switch (n.fn) {
    case Fn::Size:
      switch (a.kind()) {
        case Kind::String: return Value::integer(static_cast<std::int64_t>(utf8::count_code_points(a.as_string())));
        case Kind::Bytes: return Value::integer(static_cast<std::int64_t>(a.as_string().size()));
        case Kind::List: return Value::integer(static_cast<std::int64_t>(a.as_list().size()));
        case Kind::Map: return Value::integer(static_cast<std::int64_t>(a.as_map().size()));
        default: break;
      }
      break;
    case Fn::Contains: case Fn::StartsWith: case Fn::EndsWith: {
      const Value& b = *args[1];
      if (a.kind() != Kind::String || b.kind() != Kind::String) break;
      const std::string_view s = a.as_string(), t = b.as_string();
      if (n.fn == Fn::Contains) return Value::boolean(s.find(t) != std::string_view::npos);
      if (n.fn == Fn::StartsWith) return Value::boolean(s.substr(0, t.size()) == t);
      return Value::boolean(s.size() >= t.size() && s.substr(s.size() - t.size()) == t);
    }
    case Fn::Matches: {
      const Value& b = *args[1];
      if (a.kind() != Kind::String || b.kind() != Kind::String) break;
      if (!n.regex) return match_computed_pattern(a.as_string(), b.as_string(), spent.match_work, limits.max_match_work);
      if (!charge_match_work(spent.match_work, limits.max_match_work, a.as_string().size(), n.regex->program_size()))
        return over_limit(kMatchWork, limits.max_match_work, kMatchWorkUnit);
      return Value::boolean(n.regex->search(a.as_string()));
    }
    case Fn::ToInt: r = to_int(a); break;
    case Fn::ToUint: r = to_uint(a); break;
    case Fn::ToDouble: r = to_double(a); break;
    case Fn::ToString: r = to_string(a); break;
    case Fn::ToBool: r = to_bool(a); break;
    case Fn::ToBytes:
      if (a.kind() == Kind::Bytes) return a;
      if (a.kind() == Kind::String) return Value::bytes(a.as_string());
      break;
    case Fn::ToTimestamp:
      if (a.kind() == Kind::Timestamp) return a;
      if (a.kind() == Kind::String) {
        if (auto t = parse_timestamp(a.as_string())) return Value::timestamp(*t);
        return Value::error("invalid timestamp '" + std::string(a.as_string()) + "' (expected RFC 3339)");
      }
      if (a.kind() == Kind::Int) {
        if (!timestamp_in_range(a.as_int())) return Value::error("timestamp out of range");
        return Value::timestamp({a.as_int(), 0});
      }
      break;
    case Fn::ToDuration:
      if (a.kind() == Kind::Duration) return a;
      if (a.kind() == Kind::String) {
        if (auto d = parse_duration(a.as_string())) return Value::duration(*d);
        return Value::error("invalid duration '" + std::string(a.as_string()) + "'");
      }
      break;
    case Fn::Dyn: return a;
    case Fn::TypeOf: return Value::type(a.kind());
    case Fn::GetFullYear: case Fn::GetMonth: case Fn::GetDate: case Fn::GetDayOfMonth:
    case Fn::GetDayOfWeek: case Fn::GetDayOfYear: case Fn::GetHours: case Fn::GetMinutes:
    case Fn::GetSeconds: case Fn::GetMilliseconds:
      r = time_part(n.fn, a, count > 1 ? args[1] : nullptr);
      break;
    case Fn::LowerAscii: case Fn::UpperAscii:
      if (a.kind() == Kind::String) return Value::string(ascii_case(a.as_string(), n.fn == Fn::UpperAscii));
      break;
    case Fn::Trim:
      if (a.kind() == Kind::String) {
        // Unicode white space at either end, as cel-go's strings extension trims (Go's
        // unicode.IsSpace): one pass, keeping what lies between the first and the last other.
        const std::string_view s = a.as_string();
        std::size_t begin = s.size(), end = 0;
        for (std::size_t i = 0; i < s.size();) {
          const std::size_t at = i;
          if (!is_unicode_space(utf8::decode(s, i))) {
            if (begin == s.size()) begin = at;
            end = i;
          }
        }
        return Value::string(begin < end ? s.substr(begin, end - begin) : std::string_view());
      }
      break;
    case Fn::None: break;
  }
  if (!r.is_null()) return r;
  return no_overload(n, args, count);
}

}  // namespace ithaca
