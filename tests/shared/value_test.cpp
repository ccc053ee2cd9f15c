// Value, Map, CEL equality and ordering (value.cpp).
#include "ithaca/value.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace ithaca {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::int64_t kIntMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kIntMin = std::numeric_limits<std::int64_t>::min();
constexpr std::uint64_t kUintMax = std::numeric_limits<std::uint64_t>::max();

Value I(std::int64_t i) { return Value::integer(i); }
Value U(std::uint64_t u) { return Value::uinteger(u); }
Value D(double d) { return Value::real(d); }
Value S(std::string_view s) { return Value::string(s); }

Value list_of(std::initializer_list<Value> items) { return Value::list(List(items)); }
Value map_of(std::initializer_list<std::pair<Value, Value>> entries) {
  Map m;
  for (const auto& [k, v] : entries) EXPECT_TRUE(m.insert(k, v));
  return Value::map(std::move(m));
}

// ---- construction and accessors ----

TEST(Value, DefaultIsNull) {
  Value v;
  EXPECT_TRUE(v.is_null());
  EXPECT_EQ(v.kind(), Kind::Null);
  EXPECT_EQ(Value::null().kind(), Kind::Null);
  EXPECT_EQ(v.payload(), nullptr);
}

TEST(Value, ScalarsRoundTrip) {
  EXPECT_TRUE(Value::boolean(true).as_bool());
  EXPECT_FALSE(Value::boolean(false).as_bool());
  EXPECT_EQ(I(kIntMin).as_int(), kIntMin);
  EXPECT_EQ(I(kIntMax).as_int(), kIntMax);
  EXPECT_EQ(U(kUintMax).as_uint(), kUintMax);
  EXPECT_EQ(D(-0.5).as_double(), -0.5);
  EXPECT_TRUE(std::isnan(D(kNaN).as_double()));
  EXPECT_EQ(Value::type(Kind::Map).as_type(), Kind::Map);
  for (const Value& v : {Value::boolean(true), I(1), U(1), D(1), Value::type(Kind::Int)})
    EXPECT_EQ(v.payload(), nullptr) << kind_name(v.kind()) << " must live inline";
}

TEST(Value, KindsAndPredicates) {
  EXPECT_EQ(Value::boolean(true).kind(), Kind::Bool);
  EXPECT_EQ(I(1).kind(), Kind::Int);
  EXPECT_EQ(U(1).kind(), Kind::Uint);
  EXPECT_EQ(D(1).kind(), Kind::Double);
  EXPECT_EQ(S("a").kind(), Kind::String);
  EXPECT_EQ(Value::bytes("a").kind(), Kind::Bytes);
  EXPECT_EQ(Value::list({}).kind(), Kind::List);
  EXPECT_EQ(Value::map(Map()).kind(), Kind::Map);
  EXPECT_EQ(Value::timestamp({1, 2}).kind(), Kind::Timestamp);
  EXPECT_EQ(Value::duration({1, 2}).kind(), Kind::Duration);
  EXPECT_EQ(Value::type(Kind::Bool).kind(), Kind::Type);
  EXPECT_EQ(Value::error("x").kind(), Kind::Error);

  EXPECT_TRUE(I(1).is_number());
  EXPECT_TRUE(U(1).is_number());
  EXPECT_TRUE(D(1).is_number());
  EXPECT_FALSE(S("1").is_number());
  EXPECT_FALSE(Value::boolean(true).is_number());
  EXPECT_TRUE(Value::error("x").is_error());
  EXPECT_TRUE(S("x").is_string());
  EXPECT_FALSE(Value::bytes("x").is_string());
  EXPECT_TRUE(Value::list({}).is_list());
  EXPECT_TRUE(Value::map(Map()).is_map());
  EXPECT_TRUE(Value::boolean(false).is_bool());
}

TEST(Value, TextPayloads) {
  EXPECT_EQ(S("héllo").as_string(), "héllo");
  EXPECT_EQ(Value::bytes(std::string_view("\0\xff", 2)).as_string(), std::string_view("\0\xff", 2));
  EXPECT_EQ(Value::error("no such key: 'x'").as_string(), "no such key: 'x'");
  EXPECT_EQ(S("").as_string(), "");
}

TEST(Value, TimestampAndDurationPayloads) {
  Value t = Value::timestamp({-62135596800, 999999999});
  EXPECT_EQ(t.as_timestamp().seconds, -62135596800);
  EXPECT_EQ(t.as_timestamp().nanos, 999999999);
  Value d = Value::duration({-5, -500000000});
  EXPECT_EQ(d.as_duration().seconds, -5);
  EXPECT_EQ(d.as_duration().nanos, -500000000);
}

TEST(KindName, IsTheCelTypeName) {
  EXPECT_STREQ(kind_name(Kind::Null), "null_type");
  EXPECT_STREQ(kind_name(Kind::Bool), "bool");
  EXPECT_STREQ(kind_name(Kind::Int), "int");
  EXPECT_STREQ(kind_name(Kind::Uint), "uint");
  EXPECT_STREQ(kind_name(Kind::Double), "double");
  EXPECT_STREQ(kind_name(Kind::String), "string");
  EXPECT_STREQ(kind_name(Kind::Bytes), "bytes");
  EXPECT_STREQ(kind_name(Kind::List), "list");
  EXPECT_STREQ(kind_name(Kind::Map), "map");
  EXPECT_STREQ(kind_name(Kind::Timestamp), "google.protobuf.Timestamp");
  EXPECT_STREQ(kind_name(Kind::Duration), "google.protobuf.Duration");
  EXPECT_STREQ(kind_name(Kind::Type), "type");
  EXPECT_STREQ(kind_name(Kind::Error), "error");
}

// ---- sharing, copy and move ----

TEST(Value, CopiesShareThePayload) {
  Value a = S("a fairly long string that does not fit any small-string buffer");
  Value b = a;
  EXPECT_NE(a.payload(), nullptr);
  EXPECT_EQ(a.payload(), b.payload());
  Value c;
  c = b;
  EXPECT_EQ(c.payload(), a.payload());
  EXPECT_EQ(c.as_string(), a.as_string());
}

TEST(Value, MoveLeavesNull) {
  Value a = list_of({I(1), I(2)});
  const void* p = a.payload();
  Value b = std::move(a);
  EXPECT_EQ(b.payload(), p);
  EXPECT_TRUE(a.is_null());  // NOLINT(bugprone-use-after-move): the contract says so
  Value c;
  c = std::move(b);
  EXPECT_EQ(c.payload(), p);
  EXPECT_TRUE(b.is_null());  // NOLINT(bugprone-use-after-move)
}

TEST(Value, ShortStringsLiveInline) {
  const std::string longest(Value::kInlineText, 'x');
  Value a = S(longest), b = S(longest + "y"), empty = S("");
  EXPECT_EQ(a.payload(), nullptr);
  EXPECT_NE(b.payload(), nullptr);
  EXPECT_EQ(empty.payload(), nullptr);
  EXPECT_EQ(empty.as_string(), "");
  Value copy = a, moved = std::move(a);
  EXPECT_EQ(copy.as_string(), longest);
  EXPECT_EQ(moved.as_string(), longest);
  EXPECT_TRUE(a.is_null());  // NOLINT(bugprone-use-after-move)
  // Replacing a heap string with a short one, and back, keeps both right.
  Value v = b;
  v = copy;
  EXPECT_EQ(v.as_string(), longest);
  v = b;
  EXPECT_EQ(v.as_string(), longest + "y");
  EXPECT_TRUE(cel_equal(S("abc"), S("abc")));
  Map m;
  m.set("short", S("v"));
  EXPECT_EQ(m.find("short")->as_string(), "v");
}

TEST(Value, SelfAssignmentKeepsTheValue) {
  Value a = S("self");
  Value& alias = a;
  a = alias;
  EXPECT_EQ(a.kind(), Kind::String);
  EXPECT_EQ(a.as_string(), "self");
  a = std::move(alias);
  EXPECT_EQ(a.as_string(), "self");
}

TEST(Value, PayloadOutlivesTheOriginal) {
  Value copy;
  {
    Value original = map_of({{S("k"), S("v")}});
    copy = original;
  }
  ASSERT_TRUE(copy.is_map());
  ASSERT_NE(copy.find("k"), nullptr);
  EXPECT_EQ(copy.find("k")->as_string(), "v");
}

TEST(Value, AssigningOverAHeapValueReleasesIt) {
  Value a = S("first");
  Value b = a;
  a = I(3);
  EXPECT_EQ(a.as_int(), 3);
  EXPECT_EQ(b.as_string(), "first");
}

TEST(Value, EditListCopiesOnWriteWhenShared) {
  Value a = list_of({I(1)});
  Value b = a;
  b.edit_list().push_back(I(2));
  EXPECT_EQ(a.as_list().size(), 1u);
  EXPECT_EQ(b.as_list().size(), 2u);
  EXPECT_NE(a.payload(), b.payload());
}

TEST(Value, EditListInPlaceWhenUnshared) {
  Value a = list_of({I(1)});
  const void* p = a.payload();
  a.edit_list().push_back(I(2));
  EXPECT_EQ(a.payload(), p);
  EXPECT_EQ(a.as_list().size(), 2u);
}

TEST(Value, EditMapCopiesOnWriteWhenShared) {
  Value a = map_of({{S("x"), I(1)}});
  Value b = a;
  b.edit_map().set("y", I(2));
  EXPECT_EQ(a.as_map().size(), 1u);
  EXPECT_EQ(b.as_map().size(), 2u);
  EXPECT_EQ(a.find("y"), nullptr);
}

TEST(Value, FindOnNonMapIsNull) {
  EXPECT_EQ(I(1).find("a"), nullptr);
  EXPECT_EQ(S("a").find("a"), nullptr);
  EXPECT_EQ(list_of({S("a")}).find("a"), nullptr);
  EXPECT_EQ(Value().find("a"), nullptr);
}

TEST(Value, FindPathFollowsStringKeys) {
  Value ctx = map_of({{S("device"), map_of({{S("type"), S("mobile")},
                                            {S("screen"), map_of({{S("w"), I(390)}})}})}});
  ASSERT_NE(ctx.find_path("device.type"), nullptr);
  EXPECT_EQ(ctx.find_path("device.type")->as_string(), "mobile");
  EXPECT_EQ(ctx.find_path("device.screen.w")->as_int(), 390);
  EXPECT_TRUE(ctx.find_path("device")->is_map());
  EXPECT_EQ(ctx.find_path("device.os"), nullptr);
  EXPECT_EQ(ctx.find_path("device.type.x"), nullptr);  // through a string
  EXPECT_EQ(ctx.find_path("geo.country"), nullptr);
}

// ---- Map ----

TEST(Map, InsertRejectsDuplicatesByCelEquality) {
  Map m;
  EXPECT_TRUE(m.insert(I(1), S("int")));
  EXPECT_FALSE(m.insert(U(1), S("uint")));      // 1u == 1
  EXPECT_FALSE(m.insert(D(1.0), S("double")));  // 1.0 == 1
  EXPECT_TRUE(m.insert(S("1"), S("string")));   // a string is a different key
  EXPECT_TRUE(m.insert(Value::boolean(true), S("bool")));
  EXPECT_EQ(m.size(), 3u);
  EXPECT_EQ(m.find(I(1))->as_string(), "int");
}

TEST(Map, NumericKeysFindEachOther) {
  Map m;
  m.insert(U(3), S("three"));
  m.insert(I(-1), S("minus one"));
  EXPECT_EQ(m.find(I(3))->as_string(), "three");
  EXPECT_EQ(m.find(D(3.0))->as_string(), "three");
  EXPECT_EQ(m.find(D(-1.0))->as_string(), "minus one");
  EXPECT_EQ(m.find(D(3.5)), nullptr);
  EXPECT_EQ(m.find(U(kUintMax)), nullptr);
  EXPECT_EQ(m.find(S("3")), nullptr);
  EXPECT_EQ(m.find("3"), nullptr);
}

// A double finds only the key it equals exactly (cel-go's lookup), though `==` rounds the
// integer to a double: 2^53 + 1 == 2^53 as CEL compares, yet is not the key 2^53.0 names.
TEST(Map, ADoubleFindsOnlyTheIntegerKeyItEqualsExactly) {
  Map m;
  m.insert(I(9007199254740993), S("x"));
  EXPECT_EQ(m.find(D(9007199254740992.0)), nullptr);
  m.insert(I(9007199254740992), S("y"));
  EXPECT_EQ(m.find(D(9007199254740992.0))->as_string(), "y");
  Map big;
  big.insert(I(INT64_MAX), S("int max"));
  big.insert(U(kUintMax), S("uint max"));
  EXPECT_EQ(big.find(D(9223372036854775808.0)), nullptr);   // 2^63: above every int, not uint max
  EXPECT_EQ(big.find(D(18446744073709551616.0)), nullptr);  // 2^64: no uint at all
  Map low;
  low.insert(I(INT64_MIN), S("int min"));
  low.insert(U(9223372036854775808u), S("2^63"));
  EXPECT_EQ(low.find(D(-9223372036854775808.0))->as_string(), "int min");
  EXPECT_EQ(low.find(D(9223372036854775808.0))->as_string(), "2^63");
  EXPECT_EQ(low.find(D(std::nan(""))), nullptr);
  EXPECT_EQ(low.find(D(-INFINITY)), nullptr);
}

TEST(Map, BoolKeysAreNotNumbers) {
  Map m;
  m.insert(Value::boolean(true), S("t"));
  EXPECT_EQ(m.find(I(1)), nullptr);
  EXPECT_EQ(m.find(Value::boolean(true))->as_string(), "t");
  EXPECT_EQ(m.find(Value::boolean(false)), nullptr);
}

TEST(Map, SetAddsOrReplaces) {
  Map m;
  m.set("a", I(1));
  m.set("b", I(2));
  m.set("a", I(3));
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.find("a")->as_int(), 3);
  // Insertion order is kept; replacing does not move the entry.
  auto it = m.begin();
  EXPECT_EQ(it->first.as_string(), "a");
  ++it;
  EXPECT_EQ(it->first.as_string(), "b");
}

TEST(Map, Erase) {
  Map m;
  m.set("a", I(1));
  m.set("b", I(2));
  EXPECT_TRUE(m.erase("a"));
  EXPECT_FALSE(m.erase("a"));
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.find("a"), nullptr);
  EXPECT_EQ(m.find("b")->as_int(), 2);
  EXPECT_FALSE(m.empty());
  EXPECT_TRUE(m.erase("b"));
  EXPECT_TRUE(m.empty());
}

TEST(Map, StringViewFindIgnoresNonStringKeys) {
  Map m;
  m.insert(I(1), S("one"));
  EXPECT_EQ(m.find("1"), nullptr);
  EXPECT_EQ(m.find(std::string_view("1")), nullptr);
}

// ---- equality: a table of (a, b, equal?) ----

struct EqualityCase {
  const char* what;
  Value a;
  Value b;
  bool equal;
};

void PrintTo(const EqualityCase& c, std::ostream* os) { *os << c.what; }

class CelEqual : public ::testing::TestWithParam<EqualityCase> {};

TEST_P(CelEqual, IsSymmetricAndMatchesTheSpec) {
  const auto& c = GetParam();
  EXPECT_EQ(cel_equal(c.a, c.b), c.equal) << c.what;
  EXPECT_EQ(cel_equal(c.b, c.a), c.equal) << c.what << " (swapped)";
}

std::vector<EqualityCase> equality_cases() {
  const Value ts = Value::timestamp({100, 5});
  return {
      {"null == null", Value(), Value(), true},
      {"null != false", Value(), Value::boolean(false), false},
      {"null != 0", Value(), I(0), false},
      {"true == true", Value::boolean(true), Value::boolean(true), true},
      {"true != false", Value::boolean(true), Value::boolean(false), false},
      {"1 == 1", I(1), I(1), true},
      {"1 != 2", I(1), I(2), false},
      {"1 == 1u", I(1), U(1), true},
      {"1 == 1.0", I(1), D(1.0), true},
      {"1u == 1.0", U(1), D(1.0), true},
      {"-1 != max uint (no wrap-around)", I(-1), U(kUintMax), false},
      {"int max == uint 2^63-1", I(kIntMax), U(static_cast<std::uint64_t>(kIntMax)), true},
      {"int max != uint 2^63", I(kIntMax), U(9223372036854775808ull), false},
      {"int min == -2^63 double", I(kIntMin), D(-9223372036854775808.0), true},
      {"2^53 == 2^53 double", I(9007199254740992), D(9007199254740992.0), true},
      {"1 != 1.5", I(1), D(1.5), false},
      {"-0.0 == 0.0", D(-0.0), D(0.0), true},
      {"0 == -0.0", I(0), D(-0.0), true},
      {"NaN != NaN", D(kNaN), D(kNaN), false},
      {"NaN != 1", D(kNaN), I(1), false},
      {"inf == inf", D(kInf), D(kInf), true},
      {"inf != int max", D(kInf), I(kIntMax), false},
      {"'a' == 'a'", S("a"), S("a"), true},
      {"'a' != 'A'", S("a"), S("A"), false},
      {"no normalization: é precomposed != e + combining", S("\xc3\xa9"), S("e\xcc\x81"), false},
      {"'1' != 1", S("1"), I(1), false},
      {"string != bytes with the same text", S("a"), Value::bytes("a"), false},
      {"bytes equal", Value::bytes(std::string_view("\0\1", 2)), Value::bytes(std::string_view("\0\1", 2)), true},
      {"[] == []", Value::list({}), Value::list({}), true},
      {"[1, 2] == [1u, 2.0]", list_of({I(1), I(2)}), list_of({U(1), D(2.0)}), true},
      {"[1, 2] != [2, 1]", list_of({I(1), I(2)}), list_of({I(2), I(1)}), false},
      {"[1] != [1, 1]", list_of({I(1)}), list_of({I(1), I(1)}), false},
      {"[NaN] != [NaN]", list_of({D(kNaN)}), list_of({D(kNaN)}), false},
      {"[[1]] == [[1]]", list_of({list_of({I(1)})}), list_of({list_of({I(1)})}), true},
      {"['a', 1] != ['a', 'b']", list_of({S("a"), I(1)}), list_of({S("a"), S("b")}), false},
      {"{} == {}", Value::map(Map()), Value::map(Map()), true},
      {"order does not matter", map_of({{S("a"), I(1)}, {S("b"), I(2)}}),
       map_of({{S("b"), I(2)}, {S("a"), I(1)}}), true},
      {"{'a': 1} == {'a': 1.0}", map_of({{S("a"), I(1)}}), map_of({{S("a"), D(1.0)}}), true},
      {"{1: 'x'} == {1u: 'x'}", map_of({{I(1), S("x")}}), map_of({{U(1), S("x")}}), true},
      {"different keys", map_of({{S("a"), I(1)}}), map_of({{S("b"), I(1)}}), false},
      {"different sizes", map_of({{S("a"), I(1)}}), map_of({{S("a"), I(1)}, {S("b"), I(1)}}), false},
      {"different values", map_of({{S("a"), I(1)}}), map_of({{S("a"), I(2)}}), false},
      {"list != map", Value::list({}), Value::map(Map()), false},
      {"timestamps", ts, Value::timestamp({100, 5}), true},
      {"timestamps differ in nanos", ts, Value::timestamp({100, 6}), false},
      {"durations", Value::duration({-1, -5}), Value::duration({-1, -5}), true},
      {"timestamp != duration", Value::timestamp({1, 0}), Value::duration({1, 0}), false},
      {"types", Value::type(Kind::Int), Value::type(Kind::Int), true},
      {"int type != uint type", Value::type(Kind::Int), Value::type(Kind::Uint), false},
      {"errors are never equal", Value::error("x"), Value::error("x"), false},
  };
}

INSTANTIATE_TEST_SUITE_P(Table, CelEqual, ::testing::ValuesIn(equality_cases()));

// ---- ordering: (a, b, expected sign or unordered) ----

struct OrderCase {
  const char* what;
  Value a;
  Value b;
  int want;  // -1, 0, 1 or unordered
};

void PrintTo(const OrderCase& c, std::ostream* os) { *os << c.what; }

class CelCompare : public ::testing::TestWithParam<OrderCase> {};

TEST_P(CelCompare, IsAntisymmetricAndMatchesTheSpec) {
  const auto& c = GetParam();
  EXPECT_EQ(cel_compare(c.a, c.b), c.want) << c.what;
  const int swapped = c.want == unordered ? unordered : -c.want;
  EXPECT_EQ(cel_compare(c.b, c.a), swapped) << c.what << " (swapped)";
}

// Where an int or uint is not exactly representable as a double, CEL implementations compare
// through the double (the conformance suite's *_lossy_double cases); those boundaries are tested
// at the expression level in evaluator_test.cpp, not here.
std::vector<OrderCase> order_cases() {
  return {
      {"1 < 2", I(1), I(2), -1},
      {"2 == 2", I(2), I(2), 0},
      {"int min < int max", I(kIntMin), I(kIntMax), -1},
      {"1u < 2u", U(1), U(2), -1},
      {"uint max > 0u", U(kUintMax), U(0), 1},
      {"-1 < 0u (no wrap-around)", I(-1), U(0), -1},
      {"int min < 0u", I(kIntMin), U(0), -1},
      {"int max < uint max", I(kIntMax), U(kUintMax), -1},
      {"int max == 2^63-1 uint", I(kIntMax), U(static_cast<std::uint64_t>(kIntMax)), 0},
      {"1 < 1.5", I(1), D(1.5), -1},
      {"2 > 1.5", I(2), D(1.5), 1},
      {"-1 > -1.5", I(-1), D(-1.5), 1},
      {"-2 < -1.5", I(-2), D(-1.5), -1},
      {"1 == 1.0", I(1), D(1.0), 0},
      {"int min == -2^63 double", I(kIntMin), D(-9223372036854775808.0), 0},
      {"int min > -1e19", I(kIntMin), D(-1e19), 1},
      {"0u > -0.5", U(0), D(-0.5), 1},
      {"0u == -0.0", U(0), D(-0.0), 0},
      {"1u < 1.25", U(1), D(1.25), -1},
      {"-inf < int min", D(-kInf), I(kIntMin), -1},
      {"inf > uint max", D(kInf), U(kUintMax), 1},
      {"1.5 < 2.5", D(1.5), D(2.5), -1},
      {"NaN unordered with NaN", D(kNaN), D(kNaN), unordered},
      {"NaN unordered with 1", D(kNaN), I(1), unordered},
      {"NaN unordered with 1u", D(kNaN), U(1), unordered},
      {"NaN unordered with 1.0", D(kNaN), D(1.0), unordered},
      {"'a' < 'b'", S("a"), S("b"), -1},
      {"'a' < 'aa'", S("a"), S("aa"), -1},
      {"'' < 'a'", S(""), S("a"), -1},
      {"'B' < 'a' (code points)", S("B"), S("a"), -1},
      {"'z' < 'é' (code points, U+7A < U+E9)", S("z"), S("\xc3\xa9"), -1},
      {"'\\uffff' < '\\U00010000'", S("\xef\xbf\xbf"), S("\xf0\x90\x80\x80"), -1},
      {"bytes by octet", Value::bytes("\x01"), Value::bytes("\xff"), -1},
      {"false < true", Value::boolean(false), Value::boolean(true), -1},
      {"true == true", Value::boolean(true), Value::boolean(true), 0},
      {"timestamps by seconds", Value::timestamp({1, 999}), Value::timestamp({2, 0}), -1},
      {"timestamps by nanos", Value::timestamp({1, 1}), Value::timestamp({1, 2}), -1},
      {"negative durations", Value::duration({-2, 0}), Value::duration({-1, -500000000}), -1},
      {"durations by nanos", Value::duration({0, 1}), Value::duration({0, 2}), -1},
      {"string vs int", S("1"), I(1), unordered},
      {"bool vs int", Value::boolean(true), I(1), unordered},
      {"string vs bytes", S("a"), Value::bytes("a"), unordered},
      {"null vs null", Value(), Value(), unordered},
      {"lists are not ordered", Value::list({}), Value::list({}), unordered},
      {"maps are not ordered", Value::map(Map()), Value::map(Map()), unordered},
      {"types are not ordered", Value::type(Kind::Int), Value::type(Kind::Int), unordered},
      {"timestamp vs duration", Value::timestamp({1, 0}), Value::duration({1, 0}), unordered},
      {"errors are not ordered", Value::error("x"), Value::error("x"), unordered},
  };
}

INSTANTIATE_TEST_SUITE_P(Table, CelCompare, ::testing::ValuesIn(order_cases()));

}  // namespace
}  // namespace ithaca
