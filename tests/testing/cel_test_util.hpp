// Helpers for the expression-engine suites: compile and evaluate in one call, and render values
// in a kind-preserving, CEL-literal-like form so that tables can tell 1 from 1u from 1.0.
// Expected outcomes in tables are written as text:
//   "1u", "2.5", "\"abc\"", "[1, 2]", "{\"a\": true}", "int"  — the value, as show() renders it;
//   "error" or "error: SUBSTRING"                               — an evaluation error (kind Error);
//   "compile error", "compile error @N", "compile error @N: SUBSTRING" — compile() failed at byte N.
#pragma once

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <string>
#include <string_view>

#include "ithaca/api.hpp"
#include "ithaca/expression.hpp"
#include "ithaca/json.hpp"
#include "ithaca/value.hpp"

namespace ithaca::cel_test {

inline void show_to(const Value& v, std::string& out);

inline void show_quoted(std::string_view s, std::string& out) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

// The shortest text that reads back as `d`, in fixed or exponent form, whichever is shorter (as
// std::to_chars does; its floating-point overloads are missing from Emscripten's libc++, and the
// suites also run as wasm).
inline std::string shortest_double(double d) {
  char buf[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string sci_text(buf);  // [-]d[.ddd]e±XX
  const bool negative = sci_text[0] == '-';
  if (negative) sci_text.erase(0, 1);
  const std::size_t e = sci_text.find('e');
  std::string digits;
  for (char c : sci_text.substr(0, e))
    if (c != '.') digits += c;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int exp = std::atoi(sci_text.c_str() + e + 1);
  std::string sci = digits.substr(0, 1);
  if (digits.size() > 1) sci += "." + digits.substr(1);
  std::snprintf(buf, sizeof buf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  sci += buf;
  const int n = static_cast<int>(digits.size());
  std::string fixed;
  if (exp >= n - 1) {
    std::snprintf(buf, sizeof buf, "%.0f", negative ? -d : d);  // an integer: all its digits
    fixed = buf;
  } else if (exp >= 0) {
    fixed = digits.substr(0, static_cast<std::size_t>(exp) + 1) + "." + digits.substr(static_cast<std::size_t>(exp) + 1);
  } else {
    fixed = "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
  }
  return (negative ? "-" : "") + (fixed.size() <= sci.size() ? fixed : sci);
}

inline void show_double(double d, std::string& out) {
  if (std::isnan(d)) { out += "NaN"; return; }
  if (std::isinf(d)) { out += d > 0 ? "+Inf" : "-Inf"; return; }
  const std::string text = shortest_double(d);
  out += text;
  if (text.find_first_of(".e") == std::string::npos) out += ".0";
}

inline void show_to(const Value& v, std::string& out) {
  switch (v.kind()) {
    case Kind::Null: out += "null"; return;
    case Kind::Bool: out += v.as_bool() ? "true" : "false"; return;
    case Kind::Int: out += std::to_string(v.as_int()); return;
    case Kind::Uint: out += std::to_string(v.as_uint()) + "u"; return;
    case Kind::Double: show_double(v.as_double(), out); return;
    case Kind::String: show_quoted(v.as_string(), out); return;
    case Kind::Bytes: {
      out += 'b';
      out += '"';
      for (unsigned char c : v.as_string()) {
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
          out += static_cast<char>(c);
        } else {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        }
      }
      out += '"';
      return;
    }
    case Kind::List: {
      out += '[';
      bool first = true;
      for (const Value& item : v.as_list()) {
        if (!first) out += ", ";
        first = false;
        show_to(item, out);
      }
      out += ']';
      return;
    }
    case Kind::Map: {
      out += '{';
      bool first = true;
      for (const auto& [k, val] : v.as_map()) {
        if (!first) out += ", ";
        first = false;
        show_to(k, out);
        out += ": ";
        show_to(val, out);
      }
      out += '}';
      return;
    }
    case Kind::Timestamp: out += "timestamp(" + to_json(v) + ")"; return;
    case Kind::Duration: out += "duration(" + to_json(v) + ")"; return;
    case Kind::Type: out += kind_name(v.as_type()); return;
    case Kind::Error: out += "error: "; out += v.as_string(); return;
  }
}

inline std::string show(const Value& v) {
  std::string out;
  show_to(v, out);
  return out;
}

// Parses a JSON context for a test; a malformed fixture fails the test loudly.
inline Value context(std::string_view json) {
  if (json.empty()) return Value::map(Map());
  auto parsed = parse_json(json);
  EXPECT_TRUE(parsed.ok()) << "bad test context: " << json << ": "
                           << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() ? parsed.value() : Value::map(Map());
}

struct Outcome {
  bool compiled = false;
  Value value;  // when compiled: the result (possibly of kind Error)
  Error error;  // when not compiled

  // show(value), or "compile error @N: message".
  std::string text() const {
    if (compiled) return show(value);
    return "compile error @" + std::to_string(error.position) + ": " + error.message;
  }
};

inline Outcome run(std::string_view expr, std::string_view context_json = "{}",
                   const Limits& limits = {}) {
  Outcome o;
  auto program = compile(expr, limits);
  if (!program.ok()) {
    o.error = program.error();
    return o;
  }
  o.compiled = true;
  o.value = program.value().evaluate(context(context_json), limits);
  return o;
}

// The typed rendering of the outcome of `expr` (see the banner).
inline std::string eval_typed(std::string_view expr, std::string_view context_json = "{}") {
  return run(expr, context_json).text();
}

// The JSON text of the value of `expr` as the CLI prints it, or "error: …" / "compile error @N: …".
inline std::string eval(std::string_view expr, std::string_view context_json = "{}") {
  Outcome o = run(expr, context_json);
  if (!o.compiled) return o.text();
  if (o.value.is_error()) return "error: " + std::string(o.value.as_string());
  return to_json(o.value);
}

// Checks an outcome against an expected text (see the banner).
inline ::testing::AssertionResult matches(const Outcome& o, std::string_view want) {
  auto fail = [&] { return ::testing::AssertionFailure() << "got " << o.text() << ", want " << want; };
  constexpr std::string_view kError = "error";
  constexpr std::string_view kCompile = "compile error";
  if (want.substr(0, kCompile.size()) == kCompile) {
    if (o.compiled) return fail();
    std::string_view rest = want.substr(kCompile.size());
    if (rest.substr(0, 2) == " @") {
      rest.remove_prefix(2);
      int pos = 0;
      auto r = std::from_chars(rest.data(), rest.data() + rest.size(), pos);
      if (pos != o.error.position) return fail();
      rest = rest.substr(static_cast<std::size_t>(r.ptr - rest.data()));
    }
    if (rest.substr(0, 2) == ": " && o.error.message.find(rest.substr(2)) == std::string::npos)
      return fail();
    return ::testing::AssertionSuccess();
  }
  if (want.substr(0, kError.size()) == kError) {
    if (!o.compiled || !o.value.is_error()) return fail();
    std::string_view rest = want.substr(kError.size());
    if (rest.substr(0, 2) == ": " && o.value.as_string().find(rest.substr(2)) == std::string_view::npos)
      return fail();
    return ::testing::AssertionSuccess();
  }
  if (!o.compiled || show(o.value) != want) return fail();
  return ::testing::AssertionSuccess();
}

// One row of an expression table.
struct Case {
  const char* expr;
  const char* want;
  const char* context = "{}";
};

inline void PrintTo(const Case& c, std::ostream* os) {
  *os << c.expr;
  if (std::string_view(c.context) != "{}") *os << "  with " << c.context;
}

// Readable, unique test names: "3_size_abc" for row 3, expression `size('abc')`.
inline std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = std::to_string(info.index);
  bool gap = true;
  for (const char* p = info.param.expr; *p && name.size() < 48; ++p) {
    const char c = *p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      if (gap) name += '_';
      name += c;
      gap = false;
    } else {
      gap = true;
    }
  }
  return name;
}

// A fixture for tables: each row compiles and evaluates its expression and checks the outcome.
class CelTable : public ::testing::TestWithParam<Case> {
 protected:
  void check() const {
    const Case& c = GetParam();
    EXPECT_TRUE(matches(run(c.expr, c.context), c.want)) << "expression: " << c.expr;
  }
};

}  // namespace ithaca::cel_test

// Declares the table suite `Suite`: rows come from INSTANTIATE_TEST_SUITE_P(…, Suite, …).
#define CEL_TABLE(Suite)                              \
  class Suite : public ::ithaca::cel_test::CelTable {}; \
  TEST_P(Suite, Evaluates) { check(); }
