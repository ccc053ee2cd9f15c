#include "collect_decoder.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "ascii.hpp"

namespace ithaca::tracker {
namespace {

constexpr std::size_t kMaxColumnBytes = 256;

// Where a scalar sits inside props or context: its first three keys (an array element's key
// is "0" for the first element and "*" for the others). Deeper scalars match nothing.
struct Path {
  std::string_view parts[3];
  int size = 0;

  bool is(std::string_view a) const { return size == 1 && parts[0] == a; }
  bool is(std::string_view a, std::string_view b) const { return size == 2 && parts[0] == a && parts[1] == b; }
  bool is(std::string_view a, std::string_view b, std::string_view c) const {
    return size == 3 && parts[0] == a && parts[1] == b && parts[2] == c;
  }
};

struct Scalar {
  enum class Kind { String, Integer, Real, Bool, Null } kind = Kind::Null;
  std::string_view text;  // decoded, for strings
  std::int64_t integer = 0;
  double real = 0;
  bool boolean = false;
};

struct NoSink {
  void operator()(const Path&, const Scalar&) const {}
};

// props' columns. One of the wrong type is not an error (the batch's other events would be lost
// with it) but a warning in the answer, which a developer sees in the network panel.
struct PropsSink {
  PropsFields& fields;
  const std::string& where;
  std::vector<std::string>& warnings;
  void warn(std::string_view key, const char* what) const {
    if (warnings.size() < kMaxCollectWarnings) {
      warnings.push_back(where + ".props." + std::string(key) + " " + what + ": stored in props only");
    }
  }
  void operator()(const Path& path, const Scalar& v) const {
    if (path.size != 1 || v.kind == Scalar::Kind::Null) return;
    if (path.is("slot") || path.is("experiment") || path.is("variant")) {
      if (v.kind != Scalar::Kind::String) return warn(path.parts[0], "is not a string");
      if (v.text.size() > kMaxColumnBytes) return warn(path.parts[0], "is longer than 256 bytes");
      std::string& column = path.is("slot") ? fields.slot : path.is("experiment") ? fields.experiment : fields.variant;
      column = v.text;
    } else if (path.is("value")) {
      if (v.kind != Scalar::Kind::Integer && v.kind != Scalar::Kind::Real) return warn("value", "is not a number");
      fields.value = v.kind == Scalar::Kind::Integer ? static_cast<double>(v.integer) : v.real;
    }
  }
};

struct ContextSink {
  ContextFields& fields;
  void operator()(const Path& path, const Scalar& v) const {
    if (v.kind == Scalar::Kind::String) {
      if (v.text.size() > kMaxColumnBytes) return;
      if (path.is("time", "timezone")) fields.timezone = v.text;
      if (path.is("geo", "country")) fields.country = v.text;
      if (path.is("geo", "languages", "0")) fields.first_language = v.text;
      if (path.is("visit", "landing_path")) fields.landing_path = v.text;
      if (path.is("journey", "stage")) fields.journey_stage = v.text;
      if (path.is("visitor", "id")) fields.visitor_id = v.text;
    } else if (v.kind == Scalar::Kind::Bool && path.is("visit", "first")) {
      fields.visit_first = v.boolean;
    } else if (v.kind == Scalar::Kind::Integer && path.is("visit", "count")) {
      fields.visit_count = v.integer;
    }
  }
};

// Which members an event object had; what is required is checked once it is complete.
struct Seen {
  bool type = false;
};

class Reader {
 public:
  Reader(std::string_view text, const CollectLimits& limits, DecodeError& error)
      : s_(text), limits_(limits), error_(error) {}

  bool root(CollectPayload& out);

 private:
  bool fail(int status, const char* code, std::string message) {
    error_.status = status;
    error_.code = code;
    error_.message = std::move(message);
    return false;
  }
  bool syntax(const char* what) {
    return fail(400, "invalid_json", "malformed JSON at byte " + std::to_string(pos_) + ": " + what);
  }
  bool field(const std::string& where, const char* key, const char* what) {
    return fail(400, "invalid_field", where + "." + key + " " + what);
  }

  void ws() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }
  int peek() const { return pos_ < s_.size() ? static_cast<unsigned char>(s_[pos_]) : -1; }
  bool consume(char c) {
    ws();
    if (peek() != static_cast<unsigned char>(c)) return false;
    ++pos_;
    return true;
  }

  bool string(std::string* out);
  bool utf8_sequence(std::string* out);
  bool number(Scalar& out);
  bool literal(std::string_view word);
  template <typename Sink>
  bool value(int depth, std::string* copy, Path* path, const Sink* sink);

  bool event_member(std::string_view key, int depth, const std::string& where, DecodedEvent& event,
                    Seen& seen, bool& handled);
  bool event_object(int depth, const std::string& where, DecodedEvent& event);
  bool finish_event(const std::string& where, const DecodedEvent& event, const Seen& seen);
  bool text_member(const std::string& where, const char* key, std::size_t max_bytes, std::string& out);

  std::string_view s_;
  std::size_t pos_ = 0;
  const CollectLimits& limits_;
  DecodeError& error_;
  std::vector<std::string>* warnings_ = nullptr;
};

void append_utf8(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool has_control_chars(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// One well-formed UTF-8 sequence starting at a byte >= 0x80 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
bool Reader::utf8_sequence(std::string* out) {
  const auto at = [&](std::size_t i) { return static_cast<unsigned char>(s_[pos_ + i]); };
  const unsigned char c = at(0);
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return fail(400, "invalid_json", "invalid UTF-8 in a string at byte " + std::to_string(pos_));
  }
  if (pos_ + len > s_.size() || at(1) < lo || at(1) > hi) {
    return fail(400, "invalid_json", "invalid UTF-8 in a string at byte " + std::to_string(pos_));
  }
  for (std::size_t i = 2; i < len; ++i) {
    if (at(i) < 0x80 || at(i) > 0xBF) {
      return fail(400, "invalid_json", "invalid UTF-8 in a string at byte " + std::to_string(pos_));
    }
  }
  if (out) out->append(s_.substr(pos_, len));
  pos_ += len;
  return true;
}

// Bytes a JSON string holds as they are: ASCII from 0x20 on but the quote and the backslash.
// Most of a collect body is such runs (URLs, ids, names); skipping them through this table took
// decode_collect from 11.1k to 10.0k instructions per single-event request (callgrind,
// bench/tracker/callgrind.sh).
constexpr std::array<bool, 256> kPlainByte = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

// A string at pos_ (the opening quote); decoded into `out` when it is not null.
bool Reader::string(std::string* out) {
  ++pos_;
  if (out) out->clear();
  std::size_t run = pos_;  // start of bytes not yet appended to `out`
  for (;;) {
    while (pos_ < s_.size() && kPlainByte[static_cast<unsigned char>(s_[pos_])]) ++pos_;
    if (pos_ >= s_.size()) return syntax("unterminated string");
    const auto c = static_cast<unsigned char>(s_[pos_]);
    if (c == '"') {
      if (out) out->append(s_.substr(run, pos_ - run));
      ++pos_;
      return true;
    }
    if (c < 0x20) return syntax("control character in a string");
    if (out) out->append(s_.substr(run, pos_ - run));
    if (c >= 0x80) {
      if (!utf8_sequence(out)) return false;
      run = pos_;
      continue;
    }
    // An escape.
    if (pos_ + 1 >= s_.size()) return syntax("unterminated string");
    const char e = s_[pos_ + 1];
    char simple = 0;
    switch (e) {
      case '"': simple = '"'; break;
      case '\\': simple = '\\'; break;
      case '/': simple = '/'; break;
      case 'b': simple = '\b'; break;
      case 'f': simple = '\f'; break;
      case 'n': simple = '\n'; break;
      case 'r': simple = '\r'; break;
      case 't': simple = '\t'; break;
      case 'u': break;
      default: return syntax("invalid escape in a string");
    }
    if (simple) {
      if (out) out->push_back(simple);
      pos_ += 2;
      run = pos_;
      continue;
    }
    auto read_hex = [&](std::size_t at, std::uint32_t& cp) {
      if (at + 4 > s_.size()) return false;
      cp = 0;
      for (std::size_t i = 0; i < 4; ++i) {
        const int h = hex_value(s_[at + i]);
        if (h < 0) return false;
        cp = cp * 16 + static_cast<std::uint32_t>(h);
      }
      return true;
    };
    std::uint32_t cp = 0;
    if (!read_hex(pos_ + 2, cp)) return syntax("invalid \\u escape");
    pos_ += 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return syntax("unpaired surrogate in \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      std::uint32_t low = 0;
      if (pos_ + 1 >= s_.size() || s_[pos_] != '\\' || s_[pos_ + 1] != 'u' || !read_hex(pos_ + 2, low) ||
          low < 0xDC00 || low > 0xDFFF) {
        return syntax("unpaired surrogate in \\u escape");
      }
      pos_ += 6;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    if (out) append_utf8(cp, *out);
    run = pos_;
  }
}

bool Reader::number(Scalar& out) {
  const std::size_t start = pos_;
  if (peek() == '-') ++pos_;
  if (peek() == '0') {
    ++pos_;
  } else if (peek() >= '1' && peek() <= '9') {
    while (peek() >= '0' && peek() <= '9') ++pos_;
  } else {
    return syntax("invalid number");
  }
  bool integral = true;
  if (peek() == '.') {
    integral = false;
    ++pos_;
    if (!(peek() >= '0' && peek() <= '9')) return syntax("invalid number");
    while (peek() >= '0' && peek() <= '9') ++pos_;
  }
  if (peek() == 'e' || peek() == 'E') {
    integral = false;
    ++pos_;
    if (peek() == '+' || peek() == '-') ++pos_;
    if (!(peek() >= '0' && peek() <= '9')) return syntax("invalid number");
    while (peek() >= '0' && peek() <= '9') ++pos_;
  }
  const std::string_view text = s_.substr(start, pos_ - start);
  if (integral) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && end == text.data() + text.size()) {
      out.kind = Scalar::Kind::Integer;
      out.integer = v;
      return true;
    }
  }
  // Fractions, exponents and integers beyond 64 bits; strtod reads the C locale's '.'.
  const std::string copy(text);
  const double d = std::strtod(copy.c_str(), nullptr);
  if (std::isinf(d)) {
    return fail(400, "invalid_json", "number out of range at byte " + std::to_string(start));
  }
  out.kind = Scalar::Kind::Real;
  out.real = d;
  return true;
}

bool Reader::literal(std::string_view word) {
  if (s_.substr(pos_, word.size()) != word) return syntax("invalid literal");
  pos_ += word.size();
  return true;
}

// Any JSON value at pos_, nested at most max_depth deep. Appends its minified text to `copy`,
// and with a path, reports every scalar to `sink` with where it sits.
template <typename Sink>
bool Reader::value(int depth, std::string* copy, Path* path, const Sink* sink) {
  ws();
  const int c = peek();
  const std::size_t start = pos_;
  if (c == '{' || c == '[') {
    if (depth + 1 > limits_.max_depth) {
      return fail(400, "too_deep", "JSON nests deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    const bool object = c == '{';
    const char close = object ? '}' : ']';
    ++pos_;
    if (copy) copy->push_back(static_cast<char>(c));
    if (consume(close)) {
      if (copy) copy->push_back(close);
      return true;
    }
    std::string key;
    for (std::size_t index = 0;; ++index) {
      ws();
      const bool tracked = path && path->size < 3;
      if (object) {
        if (peek() != '"') return syntax("expected a member name");
        const std::size_t key_start = pos_;
        if (!string(tracked ? &key : nullptr)) return false;
        if (copy) copy->append(s_.substr(key_start, pos_ - key_start));
        if (!consume(':')) return syntax("expected ':'");
        if (copy) copy->push_back(':');
      }
      if (path) {
        if (tracked) path->parts[path->size] = object ? std::string_view(key) : (index == 0 ? "0" : "*");
        ++path->size;
      }
      const bool ok = value(depth + 1, copy, path, sink);
      if (path) --path->size;
      if (!ok) return false;
      ws();
      if (consume(',')) {
        if (copy) copy->push_back(',');
        continue;
      }
      if (consume(close)) {
        if (copy) copy->push_back(close);
        return true;
      }
      return syntax(object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }
  Scalar scalar;
  if (c == '"') {
    std::string text;
    const bool wanted = path && sink && path->size <= 3;
    if (!string(wanted ? &text : nullptr)) return false;
    scalar.kind = Scalar::Kind::String;
    scalar.text = text;
    if (copy) copy->append(s_.substr(start, pos_ - start));
    if (wanted) (*sink)(*path, scalar);
    return true;
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    if (!number(scalar)) return false;
  } else if (c == 't') {
    if (!literal("true")) return false;
    scalar.kind = Scalar::Kind::Bool;
    scalar.boolean = true;
  } else if (c == 'f') {
    if (!literal("false")) return false;
    scalar.kind = Scalar::Kind::Bool;
  } else if (c == 'n') {
    if (!literal("null")) return false;
  } else {
    return syntax(c < 0 ? "unexpected end of input" : "unexpected character");
  }
  if (copy) copy->append(s_.substr(start, pos_ - start));
  if (path && sink) (*sink)(*path, scalar);
  return true;
}

bool Reader::text_member(const std::string& where, const char* key, std::size_t max_bytes, std::string& out) {
  ws();
  if (peek() == 'n') {
    out.clear();
    return literal("null");
  }
  if (peek() != '"') return field(where, key, "must be a string");
  if (!string(&out)) return false;
  if (out.size() > max_bytes) {
    return fail(400, "field_too_long",
                where + "." + key + " is longer than " + std::to_string(max_bytes) + " bytes");
  }
  if (has_control_chars(out)) return field(where, key, "contains control characters");
  return true;
}

bool Reader::event_member(std::string_view key, int depth, const std::string& where, DecodedEvent& e,
                          Seen& seen, bool& handled) {
  handled = true;
  if (key == "type") {
    ws();
    std::string text;
    if (peek() != '"') return field(where, "type", "is required: pageview, event, exposure or conversion");
    if (!string(&text)) return false;
    auto type = parse_event_type(text);
    if (!type) return field(where, "type", "must be pageview, event, exposure or conversion");
    e.type = *type;
    seen.type = true;
    return true;
  }
  if (key == "id") {
    if (!text_member(where, "id", limits_.max_id_bytes, e.id)) return false;
    // An explicit empty id would make every such event a duplicate of the first.
    if (e.id.empty() && s_[pos_ - 1] == '"') return field(where, "id", "must not be empty");
    return true;
  }
  if (key == "url") return text_member(where, "url", limits_.max_url_bytes, e.url);
  if (key == "referrer") return text_member(where, "referrer", limits_.max_url_bytes, e.referrer);
  if (key == "name") return text_member(where, "name", limits_.max_name_bytes, e.name);
  if (key == "ts") {
    ws();
    if (peek() == 'n') {
      e.ts_ms.reset();
      return literal("null");
    }
    Scalar v;
    if (!(peek() == '-' || (peek() >= '0' && peek() <= '9'))) return field(where, "ts", "must be epoch milliseconds");
    if (!number(v)) return false;
    const bool in_range = v.kind == Scalar::Kind::Integer
                              ? v.integer >= kMinEventTimeMs && v.integer <= kMaxEventTimeMs
                              : v.real >= static_cast<double>(kMinEventTimeMs) &&
                                    v.real <= static_cast<double>(kMaxEventTimeMs);
    if (!in_range) return field(where, "ts", "is outside 2000-01-01..2100-01-01 (epoch milliseconds expected)");
    e.ts_ms = v.kind == Scalar::Kind::Integer ? v.integer : static_cast<std::int64_t>(v.real);
    return true;
  }
  if (key == "props" || key == "context") {
    const bool props = key == "props";
    const char* name = props ? "props" : "context";
    std::string& text = props ? e.props_json : e.context_json;
    ws();
    if (peek() == 'n') {
      text.clear();
      if (props) e.props = PropsFields{};
      if (!props) e.context = ContextFields{};
      return literal("null");
    }
    if (peek() != '{') return field(where, name, "must be an object");
    text.clear();
    Path path;
    bool ok = false;
    if (props) {
      e.props = PropsFields{};
      // A repeated props member counts once (the last): so do its warnings.
      const std::string mine = where + ".props.";
      warnings_->erase(std::remove_if(warnings_->begin(), warnings_->end(),
                                      [&](const std::string& w) { return w.compare(0, mine.size(), mine) == 0; }),
                       warnings_->end());
      const PropsSink sink{e.props, where, *warnings_};
      ok = value(depth, &text, &path, &sink);
    } else {
      e.context = ContextFields{};
      const ContextSink sink{e.context};
      ok = value(depth, &text, &path, &sink);
    }
    if (!ok) return false;
    const std::size_t max = props ? limits_.max_props_bytes : limits_.max_context_bytes;
    if (text.size() > max) {
      return fail(400, "field_too_long", where + "." + name + " is larger than " + std::to_string(max) + " bytes");
    }
    return true;
  }
  handled = false;
  return true;
}

bool Reader::finish_event(const std::string& where, const DecodedEvent& e, const Seen& seen) {
  if (!seen.type) return field(where, "type", "is required: pageview, event, exposure or conversion");
  if ((e.type == EventType::Event || e.type == EventType::Conversion) && e.name.empty()) {
    return fail(400, "invalid_field", where + ".name is required for " + to_string(e.type) + " events");
  }
  return true;
}

bool Reader::event_object(int depth, const std::string& where, DecodedEvent& e) {
  ws();
  if (peek() != '{') {
    // Still a syntax error when it is not JSON at all.
    if (!value(depth, nullptr, nullptr, static_cast<const NoSink*>(nullptr))) return false;
    return fail(400, "invalid_event", where + " must be an object");
  }
  if (depth + 1 > limits_.max_depth) {
    return fail(400, "too_deep", "JSON nests deeper than " + std::to_string(limits_.max_depth) + " levels");
  }
  ++pos_;
  Seen seen;
  if (!consume('}')) {
    std::string key;
    for (;;) {
      ws();
      if (peek() != '"') return syntax("expected a member name");
      if (!string(&key)) return false;
      if (!consume(':')) return syntax("expected ':'");
      bool handled = false;
      if (!event_member(key, depth + 1, where, e, seen, handled)) return false;
      if (!handled && !value(depth + 1, nullptr, nullptr, static_cast<const NoSink*>(nullptr))) return false;
      if (consume(',')) continue;
      if (consume('}')) break;
      return syntax("expected ',' or '}'");
    }
  }
  return finish_event(where, e, seen);
}

bool Reader::root(CollectPayload& out) {
  warnings_ = &out.warnings;
  ws();
  if (peek() != '{') {
    if (!value(0, nullptr, nullptr, static_cast<const NoSink*>(nullptr))) return false;
    ws();
    if (pos_ != s_.size()) return syntax("unexpected text after the JSON value");
    return fail(400, "invalid_json", "the body must be a JSON object");
  }
  ++pos_;
  bool has_site = false, has_events = false;
  DecodedEvent single;
  Seen single_seen;
  if (!consume('}')) {
    std::string key;
    for (;;) {
      ws();
      if (peek() != '"') return syntax("expected a member name");
      if (!string(&key)) return false;
      if (!consume(':')) return syntax("expected ':'");
      ws();
      if (key == "site") {
        if (peek() != '"') return fail(400, "invalid_field", "$.site is required and must be a string");
        if (!string(&out.site)) return false;
        has_site = true;
      } else if (key == "visitor_id") {
        const char* what = "$.visitor_id must be 8-128 characters of [A-Za-z0-9._-]";
        if (peek() == 'n') {
          if (!literal("null")) return false;
          out.visitor_id.clear();
        } else {
          if (peek() != '"') return fail(400, "invalid_field", what);
          if (!string(&out.visitor_id)) return false;
          if (!is_identifier(out.visitor_id, 8, 128)) return fail(400, "invalid_field", what);
        }
      } else if (key == "events") {
        if (peek() != '[') {
          if (!value(1, nullptr, nullptr, static_cast<const NoSink*>(nullptr))) return false;
          return fail(400, "invalid_field", "$.events must be an array");
        }
        if (2 > limits_.max_depth) {
          return fail(400, "too_deep", "JSON nests deeper than " + std::to_string(limits_.max_depth) + " levels");
        }
        ++pos_;
        has_events = true;
        out.events.clear();
        if (!consume(']')) {
          for (;;) {
            if (out.events.size() >= limits_.max_events) {
              return fail(413, "too_many_events",
                          "a batch holds at most " + std::to_string(limits_.max_events) + " events");
            }
            out.events.emplace_back();
            if (!event_object(2, "$.events[" + std::to_string(out.events.size() - 1) + "]", out.events.back())) {
              return false;
            }
            if (consume(',')) continue;
            if (consume(']')) break;
            return syntax("expected ',' or ']'");
          }
        }
      } else {
        bool handled = false;
        if (!event_member(key, 1, "$", single, single_seen, handled)) return false;
        if (!handled && !value(1, nullptr, nullptr, static_cast<const NoSink*>(nullptr))) return false;
      }
      if (consume(',')) continue;
      if (consume('}')) break;
      return syntax("expected ',' or '}'");
    }
  }
  ws();
  if (pos_ != s_.size()) return syntax("unexpected text after the JSON object");

  if (!has_site) return fail(400, "invalid_field", "$.site is required and must be a string");
  if (!is_identifier(out.site, 1, 64)) {
    return fail(400, "invalid_field", "$.site must be 1-64 characters of [A-Za-z0-9._-]");
  }
  if (has_events) {
    if (out.events.empty()) return fail(400, "invalid_field", "$.events is empty");
    return true;
  }
  if (!single_seen.type) return fail(400, "invalid_field", "expected $.events (a batch) or $.type (one event)");
  if (!finish_event("$", single, single_seen)) return false;
  out.events.push_back(std::move(single));
  return true;
}

bool fail_early(DecodeError& error, int status, const char* code, std::string message) {
  error.status = status;
  error.code = code;
  error.message = std::move(message);
  return false;
}

}  // namespace

bool decode_collect(std::string_view body, const CollectLimits& limits, CollectPayload& out,
                    DecodeError& error) {
  out = CollectPayload{};
  if (body.size() > limits.max_body_bytes) {
    return fail_early(error, 413, "body_too_large",
                      "the body is larger than " + std::to_string(limits.max_body_bytes) + " bytes");
  }
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return fail_early(error, 400, "empty_body", "the body is empty");
  }
  Reader reader(body, limits, error);
  if (!reader.root(out)) {
    out = CollectPayload{};
    return false;
  }
  return true;
}

}  // namespace ithaca::tracker
