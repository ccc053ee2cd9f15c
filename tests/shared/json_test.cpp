// JSON text ↔ Value (json.cpp): the mapping, every parse error with its position, and writing.
#include "ithaca/json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "testing/cel_test_util.hpp"

namespace ithaca {
namespace {

using cel_test::show;

// The parsed value in show() form, or "ERR @pos: message".
std::string parsed(std::string_view text, const JsonLimits& limits = {}) {
  auto r = parse_json(text, limits);
  if (!r.ok()) return "ERR @" + std::to_string(r.error().position) + ": " + r.error().message;
  return show(r.value());
}

// ---- reading: kinds ----

struct ReadCase {
  const char* json;
  const char* want;  // show() of the value
};

void PrintTo(const ReadCase& c, std::ostream* os) { *os << c.json; }

class JsonRead : public ::testing::TestWithParam<ReadCase> {};

TEST_P(JsonRead, MapsToTheDocumentedKind) {
  EXPECT_EQ(parsed(GetParam().json), GetParam().want) << GetParam().json;
}

INSTANTIATE_TEST_SUITE_P(Scalars, JsonRead, ::testing::Values(
    ReadCase{"null", "null"},
    ReadCase{"true", "true"},
    ReadCase{"false", "false"},
    ReadCase{"0", "0"},
    ReadCase{"-0", "0"},
    ReadCase{"42", "42"},
    ReadCase{"-42", "-42"},
    ReadCase{"9223372036854775807", "9223372036854775807"},
    ReadCase{"-9223372036854775808", "-9223372036854775808"},
    // Above INT64_MAX an integral number becomes uint, so no precision is lost.
    ReadCase{"9223372036854775808", "9223372036854775808u"},
    ReadCase{"18446744073709551615", "18446744073709551615u"},
    // Beyond both ranges it can only be a double.
    ReadCase{"18446744073709551616", "18446744073709551616.0"},
    ReadCase{"-9223372036854775809", "-9223372036854775808.0"},
    // A fraction or an exponent makes a double, even when the value is integral.
    ReadCase{"1.0", "1.0"},
    ReadCase{"-0.0", "-0.0"},
    ReadCase{"1e2", "100.0"},
    ReadCase{"1E+2", "100.0"},
    ReadCase{"25e-1", "2.5"},
    ReadCase{"0.1", "0.1"},
    ReadCase{"1.7976931348623157e308", "1.7976931348623157e+308"},
    ReadCase{"4.9e-324", "5e-324"},
    ReadCase{"1e400", "+Inf"},
    ReadCase{"-1e400", "-Inf"},
    ReadCase{"1e-400", "0.0"}));

INSTANTIATE_TEST_SUITE_P(Strings, JsonRead, ::testing::Values(
    ReadCase{R"("")", R"("")"},
    ReadCase{R"("abc")", R"("abc")"},
    ReadCase{R"("a\"b\\c\/d")", R"("a\"b\\c/d")"},
    ReadCase{R"("\b\f\n\r\t")", R"("\x08\x0c\n\r\t")"},
    ReadCase{R"("\u0041\u00e9\u20AC")", "\"A\xc3\xa9\xe2\x82\xac\""},
    ReadCase{R"("\ud83d\ude00")", "\"\xf0\x9f\x98\x80\""},
    ReadCase{R"("\u0000")", R"("\x00")"},
    ReadCase{"\"h\xc3\xa9llo \xf0\x9f\x98\x80\"", "\"h\xc3\xa9llo \xf0\x9f\x98\x80\""},
    ReadCase{"\"\x7f\"", "\"\\x7f\""},
    // A plain run before the first escape or non-ASCII byte (read as a view, then decoded).
    ReadCase{R"("plain prefix\tthen tab")", R"("plain prefix\tthen tab")"},
    ReadCase{"\"long plain prefix \xc3\xa9\"", "\"long plain prefix \xc3\xa9\""}));

INSTANTIATE_TEST_SUITE_P(Containers, JsonRead, ::testing::Values(
    ReadCase{"[]", "[]"},
    ReadCase{"{}", "{}"},
    ReadCase{R"([1, "a", true, null, 1.5, {}, []])", R"([1, "a", true, null, 1.5, {}, []])"},
    ReadCase{R"({"b": 1, "a": {"c": [1, 2]}})", R"({"b": 1, "a": {"c": [1, 2]}})"},
    ReadCase{" \t\r\n[ 1 , 2 ]\n ", "[1, 2]"},
    ReadCase{R"({"":0})", R"({"": 0})"},
    // Members and items of every level share one stack while parsing: nesting must not mix them.
    ReadCase{R"({"a": {"a": {"a": 1}, "b": 2}, "b": [{"a": 1}, {"a": [2, {"b": 3}]}], "c": []})",
             R"({"a": {"a": {"a": 1}, "b": 2}, "b": [{"a": 1}, {"a": [2, {"b": 3}]}], "c": []})"},
    ReadCase{R"([[1, [2, 3]], [], [[4]], 5])", R"([[1, [2, 3]], [], [[4]], 5])"},
    ReadCase{R"({"k\u0065y": "v\u0061lue", "other": "x"})", R"({"key": "value", "other": "x"})"}));

TEST(JsonRead, ObjectsKeepInsertionOrder) {
  auto r = parse_json(R"({"z": 1, "a": 2, "m": 3})");
  ASSERT_TRUE(r.ok());
  std::string keys;
  for (const auto& [k, v] : r.value().as_map()) keys += k.as_string();
  EXPECT_EQ(keys, "zam");
}

TEST(JsonRead, ObjectKeysAreStrings) {
  auto r = parse_json(R"({"1": true})");
  ASSERT_TRUE(r.ok());
  const auto& entry = *r.value().as_map().begin();
  EXPECT_EQ(entry.first.kind(), Kind::String);
  EXPECT_EQ(r.value().as_map().find(Value::integer(1)), nullptr);
}

// ---- reading: errors, each with its byte offset and line:column ----

struct ErrorCase {
  const char* json;
  int position;
  const char* line_col;  // "line L, column C"
  const char* what;      // a substring of the message
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.json; }

class JsonError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(JsonError, SaysWhatAndWhere) {
  const auto& c = GetParam();
  auto r = parse_json(c.json);
  ASSERT_FALSE(r.ok()) << c.json << " parsed as " << show(r.value());
  EXPECT_EQ(r.error().kind, ErrorKind::Json);
  EXPECT_EQ(r.error().position, c.position) << r.error().message;
  EXPECT_NE(r.error().message.find(c.line_col), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(c.what), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(Table, JsonError, ::testing::Values(
    ErrorCase{"", 0, "line 1, column 1", "unexpected end of input"},
    ErrorCase{"   ", 3, "line 1, column 4", "unexpected end of input"},
    ErrorCase{"[", 1, "line 1, column 2", "unexpected end of input"},
    ErrorCase{"{", 1, "line 1, column 2", "expected a string key"},
    ErrorCase{"]", 0, "line 1, column 1", "unexpected character ']'"},
    ErrorCase{"{a: 1}", 1, "line 1, column 2", "expected a string key"},
    ErrorCase{R"({"a" 1})", 5, "line 1, column 6", "expected ':'"},
    ErrorCase{R"({"a": 1,})", 8, "line 1, column 9", "expected a string key"},
    ErrorCase{R"({"a": 1 "b": 2})", 8, "line 1, column 9", "expected ',' or '}'"},
    ErrorCase{R"({"a": 1, "a": 2})", 9, "line 1, column 10", "duplicate object key \"a\""},
    ErrorCase{R"({"a": {"a": 1}, "a": 2})", 16, "line 1, column 17", "duplicate object key \"a\""},
    ErrorCase{R"({"b": {"a": 1, "\u0061": 2}})", 15, "line 1, column 16", "duplicate object key \"a\""},
    ErrorCase{"[1,]", 3, "line 1, column 4", "unexpected character ']'"},
    ErrorCase{"[1 2]", 3, "line 1, column 4", "expected ',' or ']'"},
    ErrorCase{"01", 0, "line 1, column 1", "leading zero"},
    ErrorCase{"-", 1, "line 1, column 2", "expected digits"},
    ErrorCase{"-a", 1, "line 1, column 2", "expected digits"},
    ErrorCase{"1.", 2, "line 1, column 3", "expected digits after '.'"},
    ErrorCase{".5", 0, "line 1, column 1", "unexpected character '.'"},
    ErrorCase{"1e", 2, "line 1, column 3", "exponent"},
    ErrorCase{"1e+", 3, "line 1, column 4", "exponent"},
    ErrorCase{"+1", 0, "line 1, column 1", "unexpected character '+'"},
    ErrorCase{"NaN", 0, "line 1, column 1", "unexpected character 'N'"},
    ErrorCase{"Infinity", 0, "line 1, column 1", "unexpected character 'I'"},
    ErrorCase{"tru", 0, "line 1, column 1", "unexpected character 't'"},
    ErrorCase{"nul", 0, "line 1, column 1", "unexpected character 'n'"},
    ErrorCase{"true false", 5, "line 1, column 6", "unexpected text after the JSON value"},
    ErrorCase{"'a'", 0, "line 1, column 1", "unexpected character '''"},
    ErrorCase{R"("abc)", 4, "line 1, column 5", "unterminated string"},
    ErrorCase{"\"a\tb\"", 2, "line 1, column 3", "control character"},
    ErrorCase{"\"a\nb\"", 2, "line 1, column 3", "control character"},
    ErrorCase{R"("\x41")", 1, "line 1, column 2", "invalid escape '\\x'"},
    ErrorCase{R"("\u00")", 3, "line 1, column 4", "truncated \\u escape"},
    ErrorCase{R"("\uZZZZ")", 3, "line 1, column 4", "invalid hex digit"},
    ErrorCase{R"("\ud83d")", 1, "line 1, column 2", "unpaired surrogate"},
    ErrorCase{R"("\ude00")", 1, "line 1, column 2", "unpaired surrogate"},
    ErrorCase{R"("\ud83dx")", 1, "line 1, column 2", "unpaired surrogate"},
    ErrorCase{R"("\ud83d\u0041")", 1, "line 1, column 2", "unpaired surrogate"},
    ErrorCase{"\"\xff\"", 1, "line 1, column 2", "invalid UTF-8"},
    ErrorCase{"\"\xc3\"", 1, "line 1, column 2", "invalid UTF-8"},
    ErrorCase{"\"\xc0\xaf\"", 1, "line 1, column 2", "invalid UTF-8"},          // overlong '/'
    ErrorCase{"\"\xed\xa0\x80\"", 1, "line 1, column 2", "invalid UTF-8"},      // encoded surrogate
    // Lines and columns count from 1; the column restarts after each newline.
    ErrorCase{"{\"x\": [1,\n 2,\n oops]}", 15, "line 3, column 2", "unexpected character 'o'"},
    ErrorCase{"\n\n  @", 4, "line 3, column 3", "unexpected character '@'"},
    ErrorCase{"[1,\r\n2,\r\n x]", 10, "line 3, column 2", "unexpected character 'x'"}));

// ---- limits ----

std::string nested_arrays(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonLimits, DepthAtTheLimitParses) {
  EXPECT_EQ(parsed(nested_arrays(64)).substr(0, 4), "[[[[");
  std::string objects;
  for (int i = 0; i < 64; ++i) objects += "{\"a\":";
  objects += "1" + std::string(64, '}');
  EXPECT_TRUE(parse_json(objects).ok());
}

TEST(JsonLimits, DepthOverTheLimitIsAnError) {
  auto r = parse_json(nested_arrays(65));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Json);
  EXPECT_EQ(r.error().position, 64);  // the 65th '['
  EXPECT_NE(r.error().message.find("nesting deeper than 64 levels"), std::string::npos)
      << r.error().message;
}

TEST(JsonLimits, DeepNestingDoesNotOverflowTheStack) {
  // A hostile document far deeper than the limit fails fast instead of recursing.
  auto r = parse_json(std::string(1'000'000, '['));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nesting deeper"), std::string::npos);
}

TEST(JsonLimits, CustomDepth) {
  JsonLimits limits;
  limits.max_depth = 2;
  EXPECT_TRUE(parse_json("[[1]]", limits).ok());
  EXPECT_TRUE(parse_json(R"({"a": [1]})", limits).ok());
  auto r = parse_json("[[[1]]]", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nesting deeper than 2 levels"), std::string::npos);
}

// Past an object's 32nd key, repeats are found by sorting once the object ends or fails: the error
// is still the earliest repeat, at its position, and wins over any later error.
TEST(JsonError, RepeatsInLargeObjectsAreTheEarliestAndComeFirst) {
  std::string keys = "{";
  for (int i = 0; i < 40; ++i) keys += "\"k" + std::to_string(i) + "\":1,";
  auto error_at = [&](const std::string& rest, const std::string& marker) {
    const std::string json = keys + rest;
    auto r = parse_json(json);
    EXPECT_FALSE(r.ok()) << rest;
    if (r.ok()) return std::make_pair(std::string(), 0);
    EXPECT_EQ(static_cast<std::size_t>(r.error().position), keys.size() + rest.find(marker)) << rest;
    return std::make_pair(r.error().message, r.error().position);
  };
  auto says = [](const std::pair<std::string, int>& e, const std::string& what) {
    return e.first.find(what) != std::string::npos;
  };
  EXPECT_TRUE(says(error_at(R"("k3":2,"k35":2,"k1":2})", R"("k3")"), "duplicate object key \"k3\""));
  EXPECT_TRUE(says(error_at(R"("k36":2,"x":})", R"("k36")"), "duplicate object key \"k36\""));
  EXPECT_TRUE(says(error_at(R"("k36":{"x":1,"x":2}})", R"("k36")"), "duplicate object key \"k36\""));
  EXPECT_TRUE(says(error_at(R"("new":{"x":1,"x":2}})", R"("x":2)"), "duplicate object key \"x\""));
  EXPECT_TRUE(says(error_at(R"("new" 1})", "1}"), "expected ':'"));
  EXPECT_TRUE(parse_json(keys + R"("last":1})").ok());
  // A nested object that fails leaves none of its keys for the enclosing object to check.
  std::string twenty;
  for (int i = 0; i < 20; ++i) twenty += "\"k" + std::to_string(i) + "\":1,";
  const std::string nested = "{" + twenty + "\"in\":{" + twenty + "\"bad\"}}";
  auto r = parse_json(nested);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("expected ':'"), std::string::npos) << r.error().message;
  EXPECT_EQ(static_cast<std::size_t>(r.error().position), nested.size() - 2);
}

// 100,000 keys (1 MB, a request's context at most): each key was compared with every one before
// it, 27 s; now they are sorted once.
TEST(JsonError, RepeatInAHugeObject) {
  std::string json = "{";
  for (int i = 0; i < 100'000; ++i) json += "\"k" + std::to_string(i) + "\":1,";
  const std::size_t repeat_at = json.size();
  json += R"("k5":2})";
  auto r = parse_json(json);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(static_cast<std::size_t>(r.error().position), repeat_at);
  EXPECT_NE(r.error().message.find("duplicate object key \"k5\""), std::string::npos) << r.error().message;
  json.replace(repeat_at, std::string::npos, R"("k100000":2})");
  EXPECT_TRUE(parse_json(json).ok());
}

TEST(JsonLimits, DocumentSize) {
  JsonLimits limits;
  limits.max_bytes = 10;
  EXPECT_TRUE(parse_json("[1,2,3,4]", limits).ok());  // 9 bytes
  EXPECT_TRUE(parse_json("[1,2,3,44]", limits).ok());  // 10 bytes
  auto r = parse_json("[1,2,3,444]", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Json);
  EXPECT_NE(r.error().message.find("11 bytes"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("limit of 10"), std::string::npos) << r.error().message;
}

// ---- writing ----

struct WriteCase {
  const char* what;
  Value value;
  const char* json;
};

void PrintTo(const WriteCase& c, std::ostream* os) { *os << c.what; }

class JsonWrite : public ::testing::TestWithParam<WriteCase> {};

TEST_P(JsonWrite, WritesTheDocumentedText) {
  EXPECT_EQ(to_json(GetParam().value), GetParam().json) << GetParam().what;
  std::string out = "prefix:";
  append_json(GetParam().value, out);
  EXPECT_EQ(out, std::string("prefix:") + GetParam().json) << "append_json appends";
}

Value list_of(std::initializer_list<Value> items) { return Value::list(List(items)); }

std::vector<WriteCase> write_cases() {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  constexpr double inf = std::numeric_limits<double>::infinity();
  Map mixed_keys;
  mixed_keys.insert(Value::integer(-1), Value::string("int"));
  mixed_keys.insert(Value::uinteger(2), Value::string("uint"));
  mixed_keys.insert(Value::boolean(true), Value::string("bool"));
  mixed_keys.insert(Value::string("s"), Value::null());
  Map nested;
  nested.set("a", list_of({Value::integer(1), Value::map(Map())}));
  nested.set("b\"", Value::string("q"));
  return {
      {"null", Value(), "null"},
      {"true", Value::boolean(true), "true"},
      {"false", Value::boolean(false), "false"},
      {"int", Value::integer(-42), "-42"},
      {"int max, exact", Value::integer(std::numeric_limits<std::int64_t>::max()), "9223372036854775807"},
      {"int min, exact", Value::integer(std::numeric_limits<std::int64_t>::min()), "-9223372036854775808"},
      {"2^53 + 1, exact", Value::integer(9007199254740993), "9007199254740993"},
      {"uint max, exact", Value::uinteger(std::numeric_limits<std::uint64_t>::max()), "18446744073709551615"},
      {"integral double keeps '.0'", Value::real(1.0), "1.0"},
      {"zero double", Value::real(0.0), "0.0"},
      {"negative zero", Value::real(-0.0), "-0.0"},
      {"fraction", Value::real(2.5), "2.5"},
      {"shortest round trip", Value::real(0.1), "0.1"},
      {"large double uses an exponent", Value::real(1e100), "1e+100"},
      {"small double uses an exponent", Value::real(1e-7), "1e-7"},
      {"2^64 as double", Value::real(18446744073709551616.0), "18446744073709552000.0"},
      {"NaN", Value::real(nan), R"("NaN")"},
      {"+inf", Value::real(inf), R"("Infinity")"},
      {"-inf", Value::real(-inf), R"("-Infinity")"},
      {"string", Value::string("abc"), R"("abc")"},
      {"quote and backslash", Value::string("a\"b\\c"), R"("a\"b\\c")"},
      {"short escapes", Value::string("\b\f\n\r\t"), R"("\b\f\n\r\t")"},
      {"other control characters", Value::string(std::string_view("\x00\x01\x1f\x7f", 4)),
       R"("\u0000\u0001\u001f\u007f")"},
      {"'/' is not escaped", Value::string("a/b"), R"("a/b")"},
      {"valid UTF-8 passes through", Value::string("\xc3\xa9\xf0\x9f\x98\x80"), "\"\xc3\xa9\xf0\x9f\x98\x80\""},
      {"invalid UTF-8 is replaced", Value::string("a\xff" "b"), R"("a\ufffdb")"},
      {"truncated sequence is replaced", Value::string("a\xc3"), R"("a\ufffd")"},
      {"overlong encoding is replaced byte by byte", Value::string("\xc0\xaf"), R"("\ufffd\ufffd")"},
      {"bytes as base64", Value::bytes("abc"), R"("YWJj")"},
      {"bytes base64 with padding", Value::bytes(std::string_view("\xff\x00", 2)), R"("/wA=")"},
      {"bytes base64 two pads", Value::bytes("a"), R"("YQ==")"},
      {"empty bytes", Value::bytes(""), R"("")"},
      {"timestamp as RFC 3339", Value::timestamp({1704067200, 0}), R"("2024-01-01T00:00:00Z")"},
      {"timestamp with nanos", Value::timestamp({0, 500000000}), R"("1970-01-01T00:00:00.5Z")"},
      {"timestamp before 1970", Value::timestamp({-1, 0}), R"("1969-12-31T23:59:59Z")"},
      {"duration as seconds", Value::duration({5400, 0}), R"("5400s")"},
      {"negative fractional duration", Value::duration({-1, -500000000}), R"("-1.5s")"},
      {"sub-second negative duration", Value::duration({0, -1}), R"("-0.000000001s")"},
      {"type as its CEL name", Value::type(Kind::Int), R"("int")"},
      {"type name of timestamps", Value::type(Kind::Timestamp), R"("google.protobuf.Timestamp")"},
      {"empty list", Value::list({}), "[]"},
      {"list", list_of({Value::integer(1), Value::real(2.0), Value::string("x")}), R"([1,2.0,"x"])"},
      {"empty map", Value::map(Map()), "{}"},
      {"map keeps order, escapes keys", Value::map(nested), R"({"a":[1,{}],"b\"":"q"})"},
      {"non-string keys use their CEL text", Value::map(mixed_keys),
       R"({"-1":"int","2":"uint","true":"bool","s":null})"},
  };
}

INSTANTIATE_TEST_SUITE_P(Table, JsonWrite, ::testing::ValuesIn(write_cases()));

TEST(JsonWrite, AppendJsonStringEscapes) {
  std::string out;
  append_json_string("say \"hi\"\n", out);
  EXPECT_EQ(out, R"("say \"hi\"\n")");
}

TEST(JsonWrite, OutputIsAlwaysValidJson) {
  // Whatever the bytes of a string, its JSON text parses back.
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  const std::string text = to_json(Value::string(all));
  auto back = parse_json(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(back.value().is_string());
}

TEST(JsonRoundTrip, KindsSurvive) {
  for (const char* doc : {
           R"({"i":1,"d":1.0,"u":18446744073709551615,"s":"x","b":true,"n":null,"l":[1.5,-2]})",
           R"([9223372036854775807,-9223372036854775808,0.1,1e+100,"\u0001"])",
       }) {
    auto first = parse_json(doc);
    ASSERT_TRUE(first.ok()) << doc;
    const std::string text = to_json(first.value());
    auto second = parse_json(text);
    ASSERT_TRUE(second.ok()) << text;
    EXPECT_EQ(show(first.value()), show(second.value())) << text;
    EXPECT_EQ(to_json(second.value()), text);
  }
}

TEST(JsonRoundTrip, EveryDoubleWrittenReadsBackAsTheSameDouble) {
  for (double d : {0.1, 1.0 / 3, 123456789.125, 5e-324, 1.7976931348623157e308, -2.5e-10, 1e21, 1e22}) {
    auto back = parse_json(to_json(Value::real(d)));
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(back.value().kind(), Kind::Double) << to_json(Value::real(d));
    EXPECT_EQ(back.value().as_double(), d) << to_json(Value::real(d));
  }
}

}  // namespace
}  // namespace ithaca
