#include "ithaca/json.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <vector>

#include "double_format.hpp"
#include "equal_groups.hpp"
#include "time_format.hpp"
#include "utf8.hpp"

namespace ithaca {

namespace {

class Reader {
 public:
  Reader(std::string_view text, const JsonLimits& limits) : s_(text), limits_(limits) {}

  Result<Value> document() {
    if (s_.size() > limits_.max_bytes)
      return fail("document is " + std::to_string(s_.size()) + " bytes, over the limit of " +
                  std::to_string(limits_.max_bytes), 0);
    skip_space();
    Value v;
    if (!value(v, 0)) return error_;
    skip_space();
    if (i_ != s_.size()) return fail("unexpected text after the JSON value", i_);
    return v;
  }

 private:
  Error fail(std::string what, std::size_t at) {
    std::size_t line = 1, col = 1;
    for (std::size_t k = 0; k < at && k < s_.size(); ++k) {
      if (s_[k] == '\n') { ++line; col = 1; } else { ++col; }
    }
    error_ = Error{ErrorKind::Json,
                   "invalid JSON at line " + std::to_string(line) + ", column " +
                       std::to_string(col) + ": " + std::move(what),
                   static_cast<int>(at), {}};
    return error_;
  }

  // The hot loops scan with local pointers: through the members, every step would reload the
  // text's bounds (i_ and the view's size are both size_t, so the compiler must assume aliasing).
  void skip_space() {
    const char* p = s_.data() + i_;
    const char* const end = s_.data() + s_.size();
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
    i_ = static_cast<std::size_t>(p - s_.data());
  }

  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  bool value(Value& out, int depth) {
    if (i_ >= s_.size()) { fail("unexpected end of input, expected a value", i_); return false; }
    switch (s_[i_]) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"': {
        std::string_view str;
        if (!string(str)) return false;
        out = Value::string(str);
        return true;
      }
      case 't': if (literal("true")) { out = Value::boolean(true); return true; } break;
      case 'f': if (literal("false")) { out = Value::boolean(false); return true; } break;
      case 'n': if (literal("null")) { out = Value(); return true; } break;
      default:
        if (s_[i_] == '-' || (s_[i_] >= '0' && s_[i_] <= '9')) return number(out);
    }
    fail(std::string("unexpected character '") + s_[i_] + "', expected a value", i_);
    return false;
  }

  bool check_depth(int depth) {
    if (depth <= limits_.max_depth) return true;
    fail("nesting deeper than " + std::to_string(limits_.max_depth) + " levels", i_);
    return false;
  }

  // Members and items are gathered on one stack shared by all levels, then moved into a map or
  // list of exactly their size: no regrowing vectors while parsing.
  bool object(Value& out, int depth) {
    if (!check_depth(depth)) return false;
    ++i_;
    const std::size_t first = members_.size();
    const std::size_t first_at = key_at_.size();
    skip_space();
    if (i_ < s_.size() && s_[i_] == '}') { ++i_; out = Value::map(Map()); return true; }
    bool ok = object_members(first, depth);
    if (members_.size() - first > kCheckedAsRead) {
      // Keys past the first ones were not compared as they came: the earliest repeat among them
      // is reported now, and wins over a later error, as it comes first in the text.
      const std::size_t repeat = first_repeat(first);
      if (repeat != kNone) {
        ok = duplicate(members_[repeat].first.as_string(), key_at_[first_at + (repeat - first - kCheckedAsRead)]);
      }
      key_at_.resize(first_at);
    }
    if (!ok) {
      members_.resize(first);  // what an enclosing object checks must be its own members only
      return false;
    }
    Map map;
    map.reserve(members_.size() - first);
    for (std::size_t k = first; k < members_.size(); ++k)
      map.append(std::move(members_[k].first), std::move(members_[k].second));
    members_.resize(first);
    out = Value::map(std::move(map));
    return true;
  }

  // An object's first keys are compared with each earlier one as they are read (cheap for the
  // small objects that are nearly all of them); past that, first_repeat sorts them once, with
  // key_at_ keeping where each later key starts.
  static constexpr std::size_t kCheckedAsRead = 32;
  bool duplicate(std::string_view key, std::size_t at) {
    fail("duplicate object key \"" + std::string(key) + "\"", at);
    return false;
  }
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  bool object_members(std::size_t first, int depth) {
    for (;;) {
      skip_space();
      if (i_ >= s_.size() || s_[i_] != '"') { fail("expected a string key", i_); return false; }
      const std::size_t key_at = i_;
      std::string_view key;
      if (!string(key)) return false;
      if (members_.size() - first < kCheckedAsRead) {
        for (std::size_t k = first; k < members_.size(); ++k) {
          if (members_[k].first.as_string() == key) return duplicate(key, key_at);
        }
      } else {
        key_at_.push_back(key_at);
      }
      // The key goes on the stack before its value is parsed (a repeat is found even when the
      // value is bad); the value is parsed aside, since nested values push onto the same stacks,
      // which may move them.
      const std::size_t slot = members_.size();
      members_.emplace_back(Value::string(key), Value());
      skip_space();
      if (i_ >= s_.size() || s_[i_] != ':') { fail("expected ':' after object key", i_); return false; }
      ++i_;
      skip_space();
      Value member;
      if (!value(member, depth)) return false;
      members_[slot].second = std::move(member);
      skip_space();
      if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
      if (i_ < s_.size() && s_[i_] == '}') { ++i_; return true; }
      fail("expected ',' or '}' in object", i_);
      return false;
    }
  }

  // The member (an index into members_) of the object starting at `first` whose key repeats an
  // earlier one, earliest in the text; kNone when the keys are distinct.
  std::size_t first_repeat(std::size_t first) {
    std::vector<std::size_t> first_of;
    first_equal(
        members_.size() - first,
        [](const void* members, std::size_t a, std::size_t b) {
          const auto* m = static_cast<const Map::Entry*>(members);
          return m[a].first.as_string().compare(m[b].first.as_string());
        },
        members_.data() + first, first_of);
    for (std::size_t k = 0; k < first_of.size(); ++k)
      if (first_of[k] != k) return first + k;
    return kNone;
  }

  bool array(Value& out, int depth) {
    if (!check_depth(depth)) return false;
    ++i_;
    const std::size_t first = items_.size();
    skip_space();
    if (i_ < s_.size() && s_[i_] == ']') { ++i_; out = Value::list(List()); return true; }
    for (;;) {
      skip_space();
      Value item;
      if (!value(item, depth)) return false;
      items_.push_back(std::move(item));
      skip_space();
      if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
      if (i_ < s_.size() && s_[i_] == ']') { ++i_; break; }
      fail("expected ',' or ']' in array", i_);
      return false;
    }
    List list(std::make_move_iterator(items_.begin() + static_cast<std::ptrdiff_t>(first)),
              std::make_move_iterator(items_.end()));
    items_.resize(first);
    out = Value::list(std::move(list));
    return true;
  }

  bool hex4(std::uint32_t& cp) {
    if (i_ + 4 > s_.size()) { fail("truncated \\u escape", i_); return false; }
    cp = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_ + k];
      int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) { fail("invalid hex digit in \\u escape", i_ + k); return false; }
      cp = cp * 16 + static_cast<std::uint32_t>(d);
    }
    i_ += 4;
    return true;
  }

  // A string's contents: a view of the input when it has no escapes (the common case), else
  // the decoded text in scratch_ (valid until the next string).
  bool string(std::string_view& out) {
    const char* const begin = s_.data() + i_ + 1;  // after the opening quote
    const char* const end = s_.data() + s_.size();
    const char* p = begin;
    for (; p < end; ++p) {
      const unsigned char c = static_cast<unsigned char>(*p);
      if (c == '"') {
        out = std::string_view(begin, static_cast<std::size_t>(p - begin));
        i_ = static_cast<std::size_t>(p + 1 - s_.data());
        return true;
      }
      if (c < 0x20 || c == '\\' || c >= 0x80) break;
    }
    i_ = static_cast<std::size_t>(p - s_.data());
    scratch_.assign(begin, static_cast<std::size_t>(p - begin));
    if (!decode_string(scratch_)) return false;
    out = scratch_;
    return true;
  }

  bool decode_string(std::string& out) {
    for (;;) {
      if (i_ >= s_.size()) { fail("unterminated string", i_); return false; }
      const unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') { ++i_; return true; }
      if (c < 0x20) { fail("control character in string (must be escaped)", i_); return false; }
      if (c == '\\') {
        ++i_;
        if (i_ >= s_.size()) { fail("unterminated escape", i_); return false; }
        char e = s_[i_++];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            std::uint32_t cp;
            const std::size_t at = i_ - 2;
            if (!hex4(cp)) return false;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              std::uint32_t lo;
              if (s_.substr(i_, 2) != "\\u") { fail("unpaired surrogate in \\u escape", at); return false; }
              i_ += 2;
              if (!hex4(lo)) return false;
              if (lo < 0xDC00 || lo > 0xDFFF) { fail("unpaired surrogate in \\u escape", at); return false; }
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              fail("unpaired surrogate in \\u escape", at);
              return false;
            }
            utf8::append(cp, out);
            break;
          }
          default:
            fail(std::string("invalid escape '\\") + e + "'", i_ - 2);
            return false;
        }
        continue;
      }
      if (c < 0x80) { out += static_cast<char>(c); ++i_; continue; }
      const std::size_t start = i_;
      if (utf8::decode(s_, i_) == utf8::invalid) { fail("invalid UTF-8 in string", start); return false; }
      out.append(s_.substr(start, i_ - start));
    }
  }

  bool number(Value& out) {
    const std::size_t start = i_;
    if (s_[i_] == '-') ++i_;
    auto digits = [&] {
      std::size_t from = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ - from;
    };
    const std::size_t int_start = i_;
    if (digits() == 0) { fail("expected digits in number", i_); return false; }
    if (s_[int_start] == '0' && i_ - int_start > 1) { fail("leading zero in number", int_start); return false; }
    bool integral = true;
    if (i_ < s_.size() && s_[i_] == '.') {
      integral = false;
      ++i_;
      if (digits() == 0) { fail("expected digits after '.'", i_); return false; }
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      integral = false;
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (digits() == 0) { fail("expected digits in exponent", i_); return false; }
    }
    const char* first = s_.data() + start;
    const char* last = s_.data() + i_;
    if (integral) {
      std::int64_t iv;
      if (auto r = std::from_chars(first, last, iv); r.ec == std::errc() && r.ptr == last) {
        out = Value::integer(iv);
        return true;
      }
      std::uint64_t uv;
      if (auto r = std::from_chars(first, last, uv); r.ec == std::errc() && r.ptr == last) {
        out = Value::uinteger(uv);
        return true;
      }
    }
    double d = 0;
    parse_double({first, static_cast<std::size_t>(last - first)}, d);  // the grammar above is its subset
    out = Value::real(d);
    return true;
  }

  std::string_view s_;
  const JsonLimits& limits_;
  std::size_t i_ = 0;
  Error error_;
  std::string scratch_;
  std::vector<Map::Entry> members_;
  std::vector<std::size_t> key_at_;  // where keys past an object's kCheckedAsRead-th start
  List items_;
};

void append_double(double d, std::string& out) {
  if (std::isnan(d)) { out += "\"NaN\""; return; }
  if (std::isinf(d)) { out += d > 0 ? "\"Infinity\"" : "\"-Infinity\""; return; }
  append_double_json(d, out);
}

void append_base64(std::string_view bytes, std::string& out) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out += '"';
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    std::uint32_t n = (std::uint8_t(bytes[i]) << 16) | (std::uint8_t(bytes[i + 1]) << 8) | std::uint8_t(bytes[i + 2]);
    out += alphabet[n >> 18]; out += alphabet[(n >> 12) & 63]; out += alphabet[(n >> 6) & 63]; out += alphabet[n & 63];
  }
  if (i + 1 == bytes.size()) {
    std::uint32_t n = std::uint8_t(bytes[i]) << 16;
    out += alphabet[n >> 18]; out += alphabet[(n >> 12) & 63]; out += "==";
  } else if (i + 2 == bytes.size()) {
    std::uint32_t n = (std::uint8_t(bytes[i]) << 16) | (std::uint8_t(bytes[i + 1]) << 8);
    out += alphabet[n >> 18]; out += alphabet[(n >> 12) & 63]; out += alphabet[(n >> 6) & 63]; out += '=';
  }
  out += '"';
}

void append_map_key(const Value& key, std::string& out) {
  if (key.kind() == Kind::String) {
    append_json_string(key.as_string(), out);
    return;
  }
  std::string text;
  append_json(key, text);  // int, uint, bool: their JSON text is their CEL string form
  append_json_string(text, out);
}

}  // namespace

Result<Value> parse_json(std::string_view text, const JsonLimits& limits) {
  return Reader(text, limits).document();
}

void append_json_string(std::string_view s, std::string& out) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    // Copy the run of bytes that need no escaping in one go.
    std::size_t run = i;
    while (run < s.size()) {
      const unsigned char b = static_cast<unsigned char>(s[run]);
      if (b < 0x20 || b == '"' || b == '\\' || b >= 0x7F) break;
      ++run;
    }
    out.append(s.data() + i, run - i);
    i = run;
    if (i >= s.size()) break;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      // Pass valid UTF-8 through; replace malformed bytes so the output is always valid JSON.
      const std::size_t start = i;
      if (utf8::decode(s, i) == utf8::invalid) out += "\\ufffd";
      else out.append(s.substr(start, i - start));
      continue;
    }
    ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void append_json(const Value& value, std::string& out) {
  char buf[32];
  switch (value.kind()) {
    case Kind::Null: out += "null"; return;
    case Kind::Bool: out += value.as_bool() ? "true" : "false"; return;
    case Kind::Int: {
      auto r = std::to_chars(buf, buf + sizeof buf, value.as_int());
      out.append(buf, r.ptr);
      return;
    }
    case Kind::Uint: {
      auto r = std::to_chars(buf, buf + sizeof buf, value.as_uint());
      out.append(buf, r.ptr);
      return;
    }
    case Kind::Double: append_double(value.as_double(), out); return;
    case Kind::String: append_json_string(value.as_string(), out); return;
    case Kind::Error: append_json_string(value.as_string(), out); return;
    case Kind::Bytes: append_base64(value.as_string(), out); return;
    case Kind::Type: append_json_string(kind_name(value.as_type()), out); return;
    case Kind::Timestamp: append_json_string(format_timestamp(value.as_timestamp()), out); return;
    case Kind::Duration: append_json_string(format_duration(value.as_duration()), out); return;
    case Kind::List: {
      out += '[';
      bool first = true;
      for (const Value& item : value.as_list()) {
        if (!first) out += ',';
        first = false;
        append_json(item, out);
      }
      out += ']';
      return;
    }
    case Kind::Map: {
      out += '{';
      bool first = true;
      for (const auto& [k, v] : value.as_map()) {
        if (!first) out += ',';
        first = false;
        append_map_key(k, out);
        out += ':';
        append_json(v, out);
      }
      out += '}';
      return;
    }
  }
}

std::string to_json(const Value& value) {
  std::string out;
  append_json(value, out);
  return out;
}

}  // namespace ithaca
