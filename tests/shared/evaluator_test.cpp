// The evaluator (evaluator.cpp), table by table against the CEL language definition: arithmetic
// per kind, comparisons, equality, logical operators with error absorption, ?:, in, indexing,
// field selection and has(), the macros, limits on work and size, explain() traces.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "ithaca/expression.hpp"
#include "ithaca/json.hpp"
#include "testing/cel_test_util.hpp"

namespace ithaca {
namespace {

using cel_test::Case;
using cel_test::case_name;
using cel_test::CelTable;
using cel_test::matches;
using cel_test::run;

#define CEL_TABLE(Suite)         \
  class Suite : public CelTable {}; \
  TEST_P(Suite, Evaluates) { check(); }

// ---- arithmetic: same-kind overloads only, checked integers ----

CEL_TABLE(Arithmetic)

INSTANTIATE_TEST_SUITE_P(Int, Arithmetic, ::testing::Values(
    Case{"40 + 2", "42"},
    Case{"42 - 50", "-8"},
    Case{"6 * -7", "-42"},
    Case{"7 / 2", "3"},
    Case{"-7 / 2", "-3"},       // truncates toward zero
    Case{"7 / -2", "-3"},
    Case{"-80 / -2", "40"},
    Case{"47 % 5", "2"},
    Case{"43 % -5", "3"},       // the remainder takes the dividend's sign
    Case{"-42 % -5", "-2"},
    Case{"-3 % 5", "-3"},
    Case{"0 / 5", "0"},
    Case{"-(42)", "-42"},
    Case{"-(-42)", "42"},
    Case{"-(0)", "0"},
    Case{"5 * (15 + 25) == 5 * 15 + 5 * 25", "true"},
    Case{"9223372036854775806 + 1", "9223372036854775807"},
    Case{"-9223372036854775807 - 1", "-9223372036854775808"},
    Case{"3037000499 * 3037000499", "9223372030926249001"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(IntErrors, Arithmetic, ::testing::Values(
    Case{"9223372036854775807 + 1", "error: overflow"},
    Case{"-9223372036854775808 - 1", "error: overflow"},
    Case{"-9223372036854775808 + (-1)", "error: overflow"},
    Case{"1 - (-9223372036854775807)", "error: overflow"},
    Case{"-(-9223372036854775808)", "error: overflow"},
    Case{"(-9223372036854775808) * -1", "error: overflow"},
    Case{"(-9223372036854775808) / -1", "error: overflow"},
    Case{"(-9223372036854775808) % -1", "error"},
    Case{"5000000000 * 5000000000", "error: overflow"},
    Case{"(-5000000000) * 5000000000", "error: overflow"},
    Case{"3037000500 * 3037000500", "error: overflow"},
    Case{"15 / 0", "error: by zero"},
    Case{"34 % 0", "error: by zero"},
    Case{"0 / 0", "error: by zero"},
    Case{"x / 0", "error: by zero", R"({"x": 1})"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Uint, Arithmetic, ::testing::Values(
    Case{"42u + 2u", "44u"},
    Case{"42u - 12u", "30u"},
    Case{"40u * 2u", "80u"},
    Case{"60u / 7u", "8u"},
    Case{"42u % 5u", "2u"},
    Case{"18446744073709551614u + 1u", "18446744073709551615u"},
    Case{"18446744073709551615u + 1u", "error: overflow"},
    Case{"0u - 1u", "error: overflow"},
    Case{"5000000000u * 5000000000u", "error: overflow"},
    Case{"15u / 0u", "error: by zero"},
    Case{"34u % 0u", "error: by zero"},
    Case{"-(5u)", "error: no matching overload"},
    Case{"-5u", "error: no matching overload"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Double, Arithmetic, ::testing::Values(
    Case{"4.25 + 15.25", "19.5"},
    Case{"17.75 + (-7.75)", "10.0"},
    Case{"42.0 - 12.0", "30.0"},
    Case{"40.75 * (-2.25)", "-91.6875"},
    Case{"0.0625 / 0.002", "31.25"},
    Case{"0.1 + 0.2", "0.30000000000000004"},
    Case{"-(4.5)", "-4.5"},
    Case{"-(-1.25)", "1.25"},
    Case{"-(0.0)", "-0.0"},
    // IEEE 754: no errors, infinities and NaN instead.
    Case{"15.75 / 0.0", "+Inf"},
    Case{"-1.0 / 0.0", "-Inf"},
    Case{"0.0 / 0.0", "NaN"},
    Case{"2.0 * 8.988466e+307", "+Inf"},
    Case{"2.0 * -8.988466e+307", "-Inf"},
    Case{"1e-324 / 2.0", "0.0"},
    Case{"47.5 % 5.5", "error: no matching overload"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Concatenation, Arithmetic, ::testing::Values(
    Case{"'ab' + 'cd'", "\"abcd\""},
    Case{"'' + ''", "\"\""},
    Case{"'h\xc3\xa9' + 'llo'", "\"h\xc3\xa9llo\""},
    Case{"b'ab' + b'\\xff'", "b\"ab\\xff\""},
    Case{"[1] + [2, 3]", "[1, 2, 3]"},
    Case{"[] + []", "[]"},
    Case{"[] + [3, 4]", "[3, 4]"},
    Case{"[1, 2] + []", "[1, 2]"},
    Case{"[1, 'a'] + [true, null]", "[1, \"a\", true, null]"},
    Case{"[0, 1, 2] + [3, 4, 5] == [3, 4, 5, 0, 1, 2]", "false"},
    Case{"l + l", "[1, 2, 1, 2]", R"({"l": [1, 2]})"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(NoMixedKinds, Arithmetic, ::testing::Values(
    Case{"1 + 1u", "error: no matching overload"},
    Case{"1 + 1.0", "error: no matching overload"},
    Case{"1u + 1.0", "error: no matching overload"},
    Case{"1.0 - 1", "error: no matching overload"},
    Case{"2 * 1.5", "error: no matching overload"},
    Case{"1u / 1", "error: no matching overload"},
    Case{"5 % 2u", "error: no matching overload"},
    Case{"'a' + 1", "error: no matching overload"},
    Case{"'a' + b'a'", "error: no matching overload"},
    Case{"'a' - 'a'", "error: no matching overload"},
    Case{"'a' * 2", "error: no matching overload"},
    Case{"[1] + 1", "error: no matching overload"},
    Case{"[1] - [1]", "error: no matching overload"},
    Case{"{} + {}", "error: no matching overload"},
    Case{"null + null", "error: no matching overload"},
    Case{"true + true", "error: no matching overload"},
    Case{"-false", "error: no matching overload"},
    Case{"-'a'", "error: no matching overload"},
    Case{"-[1]", "error: no matching overload"},
    Case{"-null", "error: no matching overload"},
    // JSON numbers with a fraction or exponent are doubles, integral ones ints: they do not mix.
    Case{"f + 1", "error: no matching overload", R"({"f": 2.0})"},
    Case{"f + 1.0", "3.0", R"({"f": 2.0})"},
    Case{"i + 1", "3", R"({"i": 2})"},
    // Errors propagate through arithmetic.
    Case{"1 / 0 + 1", "error: by zero"},
    Case{"1 + missing", "error: undeclared reference to 'missing'"}),
    case_name);

// ---- ordering: <, <=, >, >= across numeric kinds, strings, bytes, bools ----

CEL_TABLE(Ordering)

INSTANTIATE_TEST_SUITE_P(SameKind, Ordering, ::testing::Values(
    Case{"1 < 2", "true"},
    Case{"2 <= 2", "true"},
    Case{"3 > 2", "true"},
    Case{"2 >= 3", "false"},
    Case{"-9223372036854775808 < 9223372036854775807", "true"},
    Case{"1u < 2u", "true"},
    Case{"18446744073709551615u > 0u", "true"},
    Case{"1.5 < 2.5", "true"},
    Case{"-0.0 >= 0.0", "true"},
    Case{"'a' < 'b'", "true"},
    Case{"'a' < 'aa'", "true"},
    Case{"'' <= ''", "true"},
    Case{"'abc' > 'abd'", "false"},
    Case{"'B' < 'a'", "true"},
    Case{"'a' < '\\u00E1'", "true"},
    Case{"'f' < '\\u1EBF'", "true"},
    Case{"'\\uFFFF' < '\\U00010000'", "true"},   // code point order, which UTF-8 byte order keeps
    Case{"b'a' < b'b'", "true"},
    Case{"b'\\x00' < b'\\xff'", "true"},
    Case{"b'' < b'\\x00'", "true"},
    Case{"false < true", "true"},
    Case{"true <= false", "false"},
    Case{"true >= true", "true"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(AcrossNumericKinds, Ordering, ::testing::Values(
    Case{"1 < 1.5", "true"},
    Case{"2 > 1.5", "true"},
    Case{"1 <= 1.0", "true"},
    Case{"1 < 1.0", "false"},
    Case{"1u < 2", "true"},
    Case{"1 >= 1u", "true"},
    Case{"-1 < 0u", "true"},
    Case{"0u > -1", "true"},
    Case{"18446744073709551615u > 9223372036854775807", "true"},
    Case{"9223372036854775807 < 18446744073709551615u", "true"},
    Case{"1.5 >= 1u", "true"},
    Case{"0u > -0.5", "true"},
    Case{"-9223372036854775808 <= -9223372036854775808.0", "true"},
    Case{"-9223372036854775808 > -9223372036854777856.0", "true"},
    Case{"1.0 / 0.0 > 18446744073709551615u", "true"},
    Case{"-1.0 / 0.0 < -9223372036854775808", "true"}),
    case_name);

// At the edges of the int64/uint64 ranges the conformance suite compares through double: an int
// that rounds to the same double as the other operand compares equal to it.
INSTANTIATE_TEST_SUITE_P(LossyDouble, Ordering, ::testing::Values(
    Case{"dyn(9223372036854775807) < 9223372036854775808.0", "false"},
    Case{"dyn(9223372036854775807) < 9223372036854777857.0", "true"},
    Case{"dyn(9223372036854775807) < -9223372036854777857.0", "false"},
    Case{"dyn(-9223372036854775808) < -9223372036854775809.0", "false"},
    Case{"dyn(18446744073709551615u) < -1.0", "false"},
    Case{"dyn(18446744073709551615u) < 18446744073709590000.0", "true"},
    Case{"dyn(18446744073709553665.0) < 18446744073709551615u", "false"},
    Case{"dyn(9223372036854775808.0) < 9223372036854775807", "false"},
    Case{"dyn(9223372036854775807) > 9223372036854775808.0", "false"},
    Case{"dyn(-9223372036854775808) > -9223372036854775809.0", "false"},
    Case{"dyn(-9223372036854775808) > -9223372036854777857.0", "true"},
    Case{"dyn(18446744073709551615u) > 18446744073709590000.0", "false"},
    Case{"dyn(18446744073709553665.0) > 18446744073709551615u", "true"},
    Case{"dyn(9223372036854775808.0) > 9223372036854775807", "false"},
    Case{"dyn(9223372036854775807) <= 9223372036854775808.0", "true"},
    Case{"dyn(-9223372036854775808) <= -9223372036854775809.0", "true"},
    Case{"dyn(-9223372036854775808) <= -9223372036854777857.0", "false"},
    Case{"dyn(18446744073709551615u) <= 18446744073709590000.0", "true"},
    Case{"dyn(9223372036854775808.0) <= 9223372036854775807", "true"},
    Case{"dyn(9223372036854775807) >= 9223372036854775808.0", "true"},
    Case{"dyn(9223372036854775807) >= 9223372036854777857.0", "false"},
    Case{"dyn(-9223372036854775808) >= -9223372036854775809.0", "true"},
    Case{"dyn(18446744073709551615u) >= 18446744073709553665.0", "false"},
    Case{"dyn(18446744073709553665.0) >= 18446744073709551615u", "true"},
    Case{"dyn(9223372036854775808.0) >= 9223372036854775807", "true"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(NaN, Ordering, ::testing::Values(
    Case{"0.0/0.0 < 1.0", "false"},
    Case{"0.0/0.0 > 1.0", "false"},
    Case{"0.0/0.0 <= 0.0/0.0", "false"},
    Case{"0.0/0.0 >= 1", "false"},
    Case{"1 < 0.0/0.0", "false"},
    Case{"1u > 0.0/0.0", "false"},
    Case{"!(0.0/0.0 < 1.0) && !(0.0/0.0 >= 1.0)", "true"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(NoOverload, Ordering, ::testing::Values(
    Case{"'a' < 1", "error: no matching overload"},
    Case{"1 < 'a'", "error: no matching overload"},
    Case{"true < 1", "error: no matching overload"},
    Case{"b'a' < 'a'", "error: no matching overload"},
    Case{"null < null", "error: no matching overload"},
    Case{"[1] < [2]", "error: no matching overload"},
    Case{"{} <= {}", "error: no matching overload"},
    Case{"int < uint", "error: no matching overload"},
    Case{"1 / 0 < 1", "error: by zero"},
    Case{"1 < missing", "error: undeclared reference"}),
    case_name);

// ---- equality: defined for all kinds; different kinds are unequal, numbers compare by value ----

CEL_TABLE(Equality)

INSTANTIATE_TEST_SUITE_P(Scalars, Equality, ::testing::Values(
    Case{"1 == 1", "true"},
    Case{"1 != 1", "false"},
    Case{"1 == 1u", "true"},
    Case{"1 == 1.0", "true"},
    Case{"1u == 1.0", "true"},
    Case{"2 == 1.0", "false"},
    Case{"1 != 1u", "false"},
    Case{"-1 == 18446744073709551615u", "false"},
    Case{"0.1 + 0.2 == 0.3", "false"},
    Case{"-0.0 == 0.0", "true"},
    Case{"0.0/0.0 == 0.0/0.0", "false"},
    Case{"0.0/0.0 != 0.0/0.0", "true"},
    Case{"1 == 0.0/0.0", "false"},
    Case{"'a' == 'a'", "true"},
    Case{"'a' == 'b'", "false"},
    Case{"'Am\\u00E9lie' == 'Ame\\u0301lie'", "false"},   // no Unicode normalization
    Case{"'a' == 1", "false"},                            // different kinds: false, not an error
    Case{"1 == 'a'", "false"},
    Case{"'1' != 1", "true"},
    Case{"null == null", "true"},
    Case{"null == 0", "false"},
    Case{"null != false", "true"},
    Case{"null == ''", "false"},
    Case{"true == true", "true"},
    Case{"true == 1", "false"},
    Case{"b'a' == b'a'", "true"},
    Case{"b'a' == 'a'", "false"},
    Case{"b'\\303\\277' == b'\xc3\xbf'", "true"},
    Case{"x == null", "true", R"({"x": null})"},
    Case{"1 / 0 == 1", "error: by zero"},
    Case{"missing == 1", "error: undeclared reference"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Aggregates, Equality, ::testing::Values(
    Case{"[1, 2] == [1, 2]", "true"},
    Case{"[1, 2] == [1.0, 2u]", "true"},
    Case{"[1, 2] == [2, 1]", "false"},
    Case{"[1] == [1, 1]", "false"},
    Case{"[] == []", "true"},
    Case{"[[1], [2]] == [[1], [2]]", "true"},
    Case{"[1, 'a'] == [1, 2]", "false"},
    Case{"[0.0/0.0] == [0.0/0.0]", "false"},
    Case{"[1] == 1", "false"},
    Case{"[1] != [1]", "false"},
    Case{"{'a': 1, 'b': 2} == {'b': 2, 'a': 1}", "true"},
    Case{"{'a': 1} == {'a': 1.0}", "true"},
    Case{"{1: 'x'} == {1u: 'x'}", "true"},
    Case{"{'a': 1} == {'b': 1}", "false"},
    Case{"{'a': 1} == {'a': 1, 'b': 2}", "false"},
    Case{"{'a': [1]} == {'a': [1.0]}", "true"},
    Case{"{'a': 0.0/0.0} == {'a': 0.0/0.0}", "false"},
    Case{"{} == []", "false"},
    Case{"{} == {}", "true"},
    Case{"m == {'k': [1, {'z': null}]}", "true", R"({"m": {"k": [1, {"z": null}]}})"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Types, Equality, ::testing::Values(
    Case{"type(1) == int", "true"},
    Case{"type(1u) == uint", "true"},
    Case{"type(1.0) == double", "true"},
    Case{"int == uint", "false"},
    Case{"int != string", "true"},
    Case{"type(type(1)) == type", "true"},
    Case{"type(null) == null_type", "true"},
    Case{"type([]) == list", "true"},
    Case{"type({}) == map", "true"},
    Case{"type('') == string && type(b'') == bytes && type(true) == bool", "true"},
    Case{"int == 1", "false"}),
    case_name);

// ---- && and ||: commutative error absorption; ! is strict ----

// 'E' in a pattern stands for an operand that evaluates to an error: either a constant one
// (folded at compile time) or one that depends on the context (evaluated at run time).
std::string with_err(std::string_view pattern, bool from_context) {
  std::string out;
  for (char c : pattern) {
    if (c == 'E') out += from_context ? "(1 / zero == 1)" : "(1 / 0 == 1)";
    else out += c;
  }
  return out;
}

struct LogicCase {
  const char* pattern;  // 'E' stands for an erroring operand
  const char* want;
};

void PrintTo(const LogicCase& c, std::ostream* os) { *os << with_err(c.pattern, false); }

class Logic : public ::testing::TestWithParam<LogicCase> {};

TEST_P(Logic, AbsorbsErrorsWhenTheOtherSideDecides) {
  const std::string folded = with_err(GetParam().pattern, false);
  EXPECT_TRUE(matches(run(folded), GetParam().want)) << folded;
  const std::string dynamic = with_err(GetParam().pattern, true);
  EXPECT_TRUE(matches(run(dynamic, R"({"zero": 0})"), GetParam().want)) << dynamic;
}

INSTANTIATE_TEST_SUITE_P(And, Logic, ::testing::Values(
    LogicCase{"true && true", "true"},
    LogicCase{"true && false", "false"},
    LogicCase{"false && true", "false"},
    LogicCase{"false && false", "false"},
    LogicCase{"false && E", "false"},
    LogicCase{"E && false", "false"},
    LogicCase{"true && E", "error: by zero"},
    LogicCase{"E && true", "error: by zero"},
    LogicCase{"E && E", "error: by zero"},
    LogicCase{"false && 32", "false"},
    LogicCase{"'horses' && false", "false"},
    LogicCase{"1 && true", "error: no matching overload"},
    LogicCase{"true && 'x'", "error: no matching overload"},
    LogicCase{"'less filling' && 'tastes great'", "error: no matching overload"},
    LogicCase{"null && false", "false"},
    LogicCase{"E && true && false", "false"},
    LogicCase{"true && E && true", "error: by zero"},
    LogicCase{"true && true && true && false", "false"},
    LogicCase{"true && true && true && true", "true"}));

INSTANTIATE_TEST_SUITE_P(Or, Logic, ::testing::Values(
    LogicCase{"true || true", "true"},
    LogicCase{"true || false", "true"},
    LogicCase{"false || true", "true"},
    LogicCase{"false || false", "false"},
    LogicCase{"true || E", "true"},
    LogicCase{"E || true", "true"},
    LogicCase{"false || E", "error: by zero"},
    LogicCase{"E || false", "error: by zero"},
    LogicCase{"E || E", "error: by zero"},
    LogicCase{"true || 32", "true"},
    LogicCase{"'horses' || true", "true"},
    LogicCase{"1 || false", "error: no matching overload"},
    LogicCase{"'less filling' || 'tastes great'", "error: no matching overload"},
    LogicCase{"E || false || true", "true"},
    LogicCase{"false || E || false", "error: by zero"},
    LogicCase{"false || false || false", "false"}));

INSTANTIATE_TEST_SUITE_P(Mixed, Logic, ::testing::Values(
    LogicCase{"E && false || true", "true"},
    LogicCase{"(E || true) && (false || E)", "error: by zero"},
    LogicCase{"(E || true) && !(false && E)", "true"},
    LogicCase{"!E", "error: by zero"},
    LogicCase{"!true", "false"},
    LogicCase{"!false", "true"},
    LogicCase{"!0", "error: no matching overload"},
    LogicCase{"!null", "error: no matching overload"},
    LogicCase{"!'a'", "error: no matching overload"}));

class LogicWithContext : public CelTable {};
TEST_P(LogicWithContext, Evaluates) { check(); }

INSTANTIATE_TEST_SUITE_P(Absorption, LogicWithContext, ::testing::Values(
    // Missing data is an error, and a guard on either side absorbs it.
    Case{"missing || true", "true"},
    Case{"true || missing", "true"},
    Case{"missing && false", "false"},
    Case{"missing && true", "error: undeclared reference to 'missing'"},
    Case{"has(m.x) && m.x > 1", "false", R"({"m": {}})"},
    Case{"m.x > 1 && has(m.x)", "false", R"({"m": {}})"},
    Case{"!has(m.x) || m.x > 1", "true", R"({"m": {}})"},
    Case{"m.x > 1 || m.y", "true", R"({"m": {"y": true}})"},
    Case{"m.x > 1 || m.y", "error: no such key", R"({"m": {"y": false}})"},
    Case{"[1, 2, 3][3] || true", "true"},
    Case{"[1, 2, 3][3] || false", "error"},
    Case{"[1, 2, 3][3] && false", "false"},
    Case{"[1, 2, 3][3] && true", "error"},
    Case{"[1, 2, 3]['x'] || true", "true"}),
    case_name);

// ---- ?: ----

CEL_TABLE(Conditional)

INSTANTIATE_TEST_SUITE_P(Table, Conditional, ::testing::Values(
    Case{"true ? 1 : 2", "1"},
    Case{"false ? 'foo' : 'bar'", "\"bar\""},
    Case{"true ? 'cows' : 17", "\"cows\""},        // branches may differ in kind
    Case{"2 / 0 > 4 ? 'baz' : 'quux'", "error: by zero"},
    Case{"'cows' ? false : 17", "error: no matching overload"},
    Case{"null ? 1 : 2", "error: no matching overload"},
    Case{"1 ? 1 : 2", "error: no matching overload"},
    Case{"true ? 1 : 1 / 0", "1"},                 // the branch not taken is not evaluated
    Case{"false ? 1 / 0 : 2", "2"},
    Case{"false ? missing : 'ok'", "\"ok\""},
    Case{"true ? missing : 'ok'", "error: undeclared reference"},
    Case{"x > 1 ? 'big' : 'small'", "\"big\"", R"({"x": 5})"},
    Case{"x > 1 ? 'big' : x > 0 ? 'small' : 'none'", "\"none\"", R"({"x": 0})"}),
    case_name);

// ---- in ----

CEL_TABLE(Membership)

INSTANTIATE_TEST_SUITE_P(Lists, Membership, ::testing::Values(
    Case{"7 in []", "false"},
    Case{"4u in [4u]", "true"},
    Case{"'alpha' in ['alpha', 'beta', 'gamma']", "true"},
    Case{"'hawaiian' in ['meat', 'veggie']", "false"},
    Case{"3 in [5, 4, 3, 2, 1]", "true"},
    Case{"3.0 in [5, 4, 3]", "true"},
    Case{"3u in [5, 4, 3]", "true"},
    Case{"3 in [5.0, 3.0]", "true"},
    Case{"3 in [5u, 3u]", "true"},
    Case{"3.5 in [3, 4]", "false"},
    Case{"1 in ['1']", "false"},
    Case{"null in [null]", "true"},
    Case{"[1] in [[1]]", "true"},
    Case{"[1] in [[1.0]]", "true"},
    Case{"{'a': 1} in [{'a': 1}]", "true"},
    Case{"0.0/0.0 in [0.0/0.0]", "false"},
    Case{"device.type in ['mobile', 'tablet']", "true", R"({"device": {"type": "tablet"}})"},
    Case{"'DE' in geo.languages", "false", R"({"geo": {"languages": ["de", "en"]}})"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(MapKeys, Membership, ::testing::Values(
    Case{"'a' in {'a': 1}", "true"},
    Case{"'b' in {'a': 1}", "false"},
    Case{"1 in {'a': 1}", "false"},             // values are not members
    Case{"1 in {1: 'x'}", "true"},
    Case{"1u in {1: 'x'}", "true"},
    Case{"1 in {1u: 'x'}", "true"},
    Case{"1.0 in {1: 'x'}", "true"},
    Case{"1.5 in {1: 'x'}", "false"},
    Case{"true in {true: 1}", "true"},
    Case{"1 in {true: 1}", "false"},
    Case{"1 in {'1': 1}", "false"},
    Case{"'a' in {}", "false"},
    Case{"'k' in m", "true", R"({"m": {"k": null}})"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Errors, Membership, ::testing::Values(
    Case{"'a' in 'abc'", "error: no matching overload"},
    Case{"1 in 1", "error: no matching overload"},
    Case{"1 in null", "error: no matching overload"},
    Case{"1 / 0 in [1]", "error: by zero"},
    Case{"1 in [1, 1 / 0]", "error: by zero"},
    Case{"1 in missing", "error: undeclared reference"}),
    case_name);

// ---- indexing ----

CEL_TABLE(Indexing)

INSTANTIATE_TEST_SUITE_P(Lists, Indexing, ::testing::Values(
    Case{"[7, 8, 9][0]", "7"},
    Case{"[7, 8, 9][2]", "9"},
    Case{"['George', 'John', 'Paul', 'Ringo'][3]", "\"Ringo\""},
    Case{"[7, 8, 9][1u]", "8"},
    Case{"[7, 8, 9][0.0]", "7"},     // an integral double is a valid index
    Case{"[7, 8, 9][2.0]", "9"},
    Case{"[7, 8, 9][-0.0]", "7"},
    Case{"[[1, 2], [3]][1][0]", "3"},
    Case{"l[i]", "\"b\"", R"({"l": ["a", "b"], "i": 1})"},
    Case{"[7, 8, 9][0.1]", "error"},
    Case{"[7, 8, 9][3]", "error: out of range"},
    Case{"[7, 8, 9][-1]", "error: out of range"},
    Case{"[7, 8, 9][3u]", "error: out of range"},
    Case{"[7, 8, 9][18446744073709551615u]", "error"},
    Case{"[][0]", "error: out of range"},
    Case{"[7, 8, 9]['a']", "error"},
    Case{"[7, 8, 9][true]", "error"},
    Case{"[7, 8, 9][null]", "error"},
    Case{"[7, 8, 9][1.0 / 0.0]", "error"},
    Case{"[7, 8, 9][0.0 / 0.0]", "error"},
    Case{"[1, 2][1 / 0]", "error: by zero"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Maps, Indexing, ::testing::Values(
    Case{"{'a': 1}['a']", "1"},
    Case{"{'a': 1}['b']", "error: no such key"},
    Case{"{0: 1, 2: 2, 5: true}[5]", "true"},
    Case{"{0u: 1u, 2u: 'happy'}[2u]", "\"happy\""},
    Case{"{true: 5}[true]", "5"},
    Case{"{true: 1, 2: 2, 5u: 3}[true]", "1"},
    Case{"{1u: 1.0, 2: 2.0, 3u: 3.0}[3.0]", "3.0"},   // numeric keys find each other
    Case{"{1u: 1.0, 2: 2.0, 3u: 3.0}[2u]", "2.0"},
    Case{"{1u: 1.0, 2: 2.0, 3u: 3.0}[1]", "1.0"},
    Case{"{1u: 1.0, 2: 2.0, 3u: 3.0}[3.1]", "error: no such key: 3.1"},   // names the key
    Case{"{0: 1, 2: 2}[1]", "error: no such key"},
    Case{"{true: 'x'}[1]", "error"},
    Case{"{'a': 1}[b'a']", "error"},
    Case{"{'a': 1}[null]", "error"},
    Case{"{'a': 1}[[1]]", "error"},
    Case{"{true: null}[true]", "null"},
    Case{"{'a': {'b': 2}}['a']['b']", "2"},
    Case{"m['content-type']", "\"json\"", R"({"m": {"content-type": "json"}})"},
    Case{"m[k]", "2", R"({"m": {"x": 1, "y": 2}, "k": "y"})"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Other, Indexing, ::testing::Values(
    Case{"1[0]", "error: no matching overload"},
    Case{"'abc'[0]", "error: no matching overload"},
    Case{"null['a']", "error"},
    Case{"missing[0]", "error: undeclared reference"}),
    case_name);

// ---- field selection and has() ----

constexpr const char* kSelectCtx =
    R"({"m": {"a": 1, "n": null, "o": {"p": [1, 2]}, "e": {}}, "l": [1], "s": "str", "i": 1})";

CEL_TABLE(Selection)

INSTANTIATE_TEST_SUITE_P(Fields, Selection, ::testing::Values(
    Case{"m.a", "1", kSelectCtx},
    Case{"m.n", "null", kSelectCtx},
    Case{"m.o.p[1]", "2", kSelectCtx},
    Case{"m.o.p.size()", "2", kSelectCtx},
    Case{"m.e", "{}", kSelectCtx},
    Case{"m.x", "error: no such key", kSelectCtx},
    Case{"m.x.y", "error: no such key", kSelectCtx},
    Case{"m.o.x.y.z", "error: no such key", kSelectCtx},
    Case{"l.a", "error", kSelectCtx},
    Case{"s.a", "error", kSelectCtx},
    Case{"i.a", "error", kSelectCtx},
    Case{"m.n.a", "error", kSelectCtx},
    Case{"missing.a", "error: undeclared reference to 'missing'", kSelectCtx},
    Case{"M.a", "error: undeclared reference", kSelectCtx},   // names are case-sensitive
    Case{"{'a': {'b': 'c'}}.a.b", "\"c\""},
    Case{"({'a': 1}).a", "1"},
    Case{"[{'a': 1}][0].a", "1"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Has, Selection, ::testing::Values(
    Case{"has(m.a)", "true", kSelectCtx},
    Case{"has(m.n)", "true", kSelectCtx},    // present with a null value
    Case{"has(m.x)", "false", kSelectCtx},
    Case{"has(m.o.p)", "true", kSelectCtx},
    Case{"has(m.o.q)", "false", kSelectCtx},
    Case{"has(m.e.a)", "false", kSelectCtx},
    Case{"has(m.x.y)", "error: no such key", kSelectCtx},   // only the last step is tested
    Case{"has(l.a)", "error", kSelectCtx},
    Case{"has(s.a)", "error", kSelectCtx},
    Case{"has(i.a)", "error", kSelectCtx},
    Case{"has(m.n.a)", "error", kSelectCtx},
    Case{"has(missing.a)", "error: undeclared reference", kSelectCtx},
    Case{"has(m.a) && has(m.o.p) && !has(m.z)", "true", kSelectCtx},
    Case{"[{'a': 1}, {}].map(x, has(x.a))", "[true, false]"}),
    case_name);

TEST(Selection, LongMissingChainsFailFast) {
  // Every selection step fails, at every depth: evaluation must stay linear in the chain length.
  std::string source = "x";
  for (int i = 0; i < 40; ++i) source += ".b";
  for (const char* ctx : {R"({"x": 1})", R"({"x": {}})", R"({"x": {"b": 1}})"}) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(matches(run(source, ctx), "error")) << ctx;
    EXPECT_TRUE(matches(run("has(" + source + ")", ctx), "error")) << ctx;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2)) << ctx;
  }
}

// ---- variables and the JSON context ----

CEL_TABLE(Variables)

INSTANTIATE_TEST_SUITE_P(Table, Variables, ::testing::Values(
    Case{"x", "1", R"({"x": 1})"},
    Case{"y", "error: undeclared reference to 'y'", R"({"x": 1})"},
    Case{"X", "error: undeclared reference to 'X'", R"({"x": 1})"},
    Case{"type(i)", "int", R"({"i": 1})"},
    Case{"type(n)", "int", R"({"n": -5})"},
    Case{"type(d)", "double", R"({"d": 1.5})"},
    Case{"type(f)", "double", R"({"f": 2.0})"},
    Case{"type(e)", "double", R"({"e": 1e3})"},
    Case{"type(u)", "uint", R"({"u": 18446744073709551615})"},
    Case{"type(s)", "string", R"({"s": ""})"},
    Case{"type(b)", "bool", R"({"b": false})"},
    Case{"type(z)", "null_type", R"({"z": null})"},
    Case{"type(l)", "list", R"({"l": []})"},
    Case{"type(o)", "map", R"({"o": {}})"},
    Case{"f == 2 && i == 1", "true", R"({"f": 2.0, "i": 1})"},
    Case{"big > 9223372036854775807", "true", R"({"big": 9223372036854775808})"}),
    case_name);

// ---- list and map literals ----

CEL_TABLE(Literals)

INSTANTIATE_TEST_SUITE_P(Table, Literals, ::testing::Values(
    Case{"[1, 'a', true, null, 1.5, b'x', [], {}]", "[1, \"a\", true, null, 1.5, b\"x\", [], {}]"},
    Case{"[x, x + 1]", "[1, 2]", R"({"x": 1})"},
    Case{"{'b': 1, 'a': 2}", "{\"b\": 1, \"a\": 2}"},
    Case{"{true: 1, 2: 2, 3u: 3, 's': 4}", "{true: 1, 2: 2, 3u: 3, \"s\": 4}"},
    Case{"{k: 1}", "{\"key\": 1}", R"({"k": "key"})"},
    Case{"[1, 1 / 0]", "error: by zero"},
    Case{"{'a': 1 / 0}", "error: by zero"},
    Case{"{1 / 0: 'a'}", "error: by zero"},
    Case{"{'a': 1, 'a': 2}", "error: repeated"},
    Case{"{true: 1, false: 2, true: 3}", "error: repeated"},
    Case{"{0: 1, 0u: 2}", "error: repeated"},
    Case{"{1.5: 1}", "error"},
    Case{"{3.3: 15.15, 1.0: 5}", "error"},
    Case{"{null: 1}", "error"},
    Case{"{[1]: 1}", "error"},
    Case{"{b'a': 1}", "error"}),
    case_name);

// ---- macros ----

CEL_TABLE(Macros)

INSTANTIATE_TEST_SUITE_P(All, Macros, ::testing::Values(
    Case{"[1, 2, 3].all(e, e > 0)", "true"},
    Case{"[1, 2, 3].all(e, e == 2)", "false"},
    Case{"[].all(e, e > 0)", "true"},
    Case{"[1, 'foo', 3].all(e, e == 1)", "false"},
    Case{"[1, 'foo', 3].all(e, e % 2 == 1)", "error: no matching overload"},
    Case{"[1, 2, 3].all(e, 6 / (2 - e) == 6)", "false"},    // a false absorbs the error
    Case{"[1, 2, 3].all(e, e / 0 != 17)", "error: by zero"},
    Case{"[0, 1].all(x, 1 / x > 0)", "error: by zero"},
    Case{"[1, 2].all(x, x == 1 ? 'a' : false)", "false"},   // a false absorbs a non-bool
    Case{"[1, 2].all(x, x)", "error: no matching overload"},
    Case{"{'key1': 1, 'key2': 2}.all(k, k == 'key2')", "false"},
    Case{"{'key1': 1, 'key2': 2}.all(k, k.startsWith('key'))", "true"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Exists, Macros, ::testing::Values(
    Case{"[1, 2, 3].exists(e, e > 0)", "true"},
    Case{"[1, 2, 3].exists(e, e > 3)", "false"},
    Case{"[].exists(e, e == 2)", "false"},
    Case{"[1, 'foo', 3].exists(e, e != '1')", "true"},
    Case{"[1, 'foo', 3].exists(e, e == '10')", "false"},
    Case{"[1, 2, 3].exists(e, e / 0 == 17)", "error: by zero"},
    Case{"[0, 1].exists(x, 1 / x > 0)", "true"},              // a true absorbs the error
    Case{"[0, 2].exists(x, 1 / x > 5)", "error: by zero"},
    Case{"[1, 2].exists(x, x == 1 ? 'a' : true)", "true"},
    Case{"[1].exists(x, 'a')", "error: no matching overload"},
    Case{"{'key1': 1, 'key2': 2}.exists(k, k == 'key2')", "true"},
    Case{"!{'key1': 1, 'key2': 2}.exists(k, k == 'key3')", "true"},
    Case{"{'key': 1, 1: 21}.exists(k, k != 2)", "true"},
    Case{"!{'key': 1, 1: 42}.exists(k, k == 2)", "true"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(ExistsOne, Macros, ::testing::Values(
    Case{"[].exists_one(a, a == 7)", "false"},
    Case{"[7].exists_one(a, a == 7)", "true"},
    Case{"[8].exists_one(a, a == 7)", "false"},
    Case{"[6, 7, 8].exists_one(foo, foo % 5 == 2)", "true"},
    Case{"[0, 1, 2, 3, 4].exists_one(n, n % 2 == 1)", "false"},
    Case{"['foal', 'foo', 'four'].exists_one(n, n.startsWith('fo'))", "false"},
    Case{"[3, 2, 1, 0].exists_one(n, 12 / n > 1)", "error: by zero"},   // strict: no absorption
    Case{"[0, 1].exists_one(x, 1 / x > 0)", "error: by zero"},
    Case{"[1].exists_one(x, 1)", "error: no matching overload"},
    Case{"{6: 'six', 7: 'seven', 8: 'eight'}.exists_one(foo, foo % 5 == 2)", "true"},
    Case{"{'a': 1, 'b': 2}.exists_one(k, true)", "false"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Map, Macros, ::testing::Values(
    Case{"[].map(n, n / 2)", "[]"},
    Case{"[3].map(n, n * n)", "[9]"},
    Case{"[2, 4, 6].map(n, n / 2)", "[1, 2, 3]"},
    Case{"[2, 1, 0].map(n, 4 / n)", "error: by zero"},
    Case{"['a', 'b'].map(s, s + s)", "[\"aa\", \"bb\"]"},
    Case{"[1, 2].map(x, [x, x * 10])", "[[1, 10], [2, 20]]"},
    Case{"{'John': 'smart'}.map(key, key) == ['John']", "true"},
    Case{"{'a': 1, 'b': 2}.map(k, k + '!')", "[\"a!\", \"b!\"]"},
    // The three-argument form filters, then transforms.
    Case{"[1, 2, 3].map(x, x % 2 == 1, x * 10)", "[10, 30]"},
    Case{"[1, 2, 3].map(x, x > 5, x)", "[]"},
    Case{"[1, 2, 0].map(x, x > 0, 4 / x)", "[4, 2]"},        // the transform skips filtered items
    Case{"[1, 2, 3].map(x, x > 1, x / 0)", "error: by zero"},
    Case{"[1, 2, 3].map(x, 1 / 0 > 1, x)", "error: by zero"},
    Case{"[1].map(x, 1, x)", "error: no matching overload"},
    Case{"{'a': 1, 'b': 2}.map(k, k == 'b', k + '!')", "[\"b!\"]"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Filter, Macros, ::testing::Values(
    Case{"[].filter(n, n % 2 == 0)", "[]"},
    Case{"[2].filter(n, n == 2)", "[2]"},
    Case{"[1].filter(n, n > 3)", "[]"},
    Case{"[0, 1, 2, 3, 4].filter(x, x % 2 == 1)", "[1, 3]"},
    Case{"[1, 2, 3].filter(n, n > 0)", "[1, 2, 3]"},
    Case{"[3, 2, 1, 0].filter(n, 12 / n > 4)", "error: by zero"},
    Case{"[1, 2].filter(x, 1)", "error: no matching overload"},
    Case{"{'John': 'smart', 'Paul': 'cute', 'George': 'quiet', 'Ringo': 'funny'}"
         ".filter(key, key == 'Ringo') == ['Ringo']", "true"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Ranges, Macros, ::testing::Values(
    Case{"1.all(x, true)", "error: no matching overload"},
    Case{"'abc'.exists(c, true)", "error: no matching overload"},
    Case{"null.map(x, x)", "error: no matching overload"},
    Case{"b'ab'.filter(x, true)", "error: no matching overload"},
    Case{"missing.all(x, true)", "error: undeclared reference"},
    Case{"[1, 1 / 0].all(x, true)", "error: by zero"},
    Case{"l.filter(x, x > 1).map(x, x * 2)", "[4, 6]", R"({"l": [1, 2, 3]})"},
    Case{"l.all(x, x > 0) && l.exists_one(x, x == 2)", "true", R"({"l": [1, 2, 3]})"},
    Case{"m.exists(k, m[k] > 1)", "true", R"({"m": {"a": 1, "b": 2}})"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Scoping, Macros, ::testing::Values(
    Case{"['signer'].filter(signer, ['artifact'].all(artifact, true))", "[\"signer\"]"},
    Case{"['signer'].all(signer, ['artifact'].all(artifact, true))", "true"},
    Case{"[1, 2].map(x, [10, 20].map(x, x))", "[[10, 20], [10, 20]]"},   // the inner x shadows
    Case{"[1, 2].map(x, [10].map(y, x + y))", "[[11], [12]]"},
    Case{"[[1, 2], [3]].map(l, l.size())", "[2, 1]"},
    Case{"[[1], [2, 3]].exists(l, l.exists(x, x == 3))", "true"},
    Case{"['a', 'b'].filter(x, ['b'].exists(y, y == x))", "[\"b\"]"},
    // The variable exists only inside its macro; outside, the context's x is seen again.
    Case{"[1].map(x, x) + [x]", "[1, 100]", R"({"x": 100})"},
    Case{"[1].exists(x, x == 1) && x == 100", "true", R"({"x": 100})"},
    Case{"x.exists(x, x == 2)", "true", R"({"x": [1, 2]})"},
    Case{"[1, 2].map(x, [3].map(y, x + y)).map(z, z[0])", "[4, 5]"}),
    case_name);

// ---- limits on evaluation work and size ----

Value eval_with(std::string_view source, std::string_view ctx, const Limits& limits) {
  auto p = compile(source, limits);
  EXPECT_TRUE(p.ok()) << source << ": " << (p.ok() ? "" : p.error().message);
  if (!p.ok()) return Value::error("compile");
  return p.value().evaluate(cel_test::context(ctx), limits);
}

TEST(EvaluationLimits, ComprehensionSteps) {
  Limits limits;
  limits.max_iterations = 3;
  EXPECT_EQ(cel_test::show(eval_with("[1, 2, 3].all(x, true)", "{}", limits)), "true");
  Value v = eval_with("[1, 2, 3, 4].all(x, true)", "{}", limits);
  ASSERT_TRUE(v.is_error());
  EXPECT_NE(v.as_string().find("comprehension work over the limit of 3 steps"), std::string::npos)
      << v.as_string();
}

TEST(EvaluationLimits, NestedAndSequentialStepsAddUp) {
  Limits limits;
  limits.max_iterations = 4;
  // 2 outer steps + 2 inner steps.
  EXPECT_EQ(cel_test::show(eval_with("[1, 2].all(x, [1].all(y, true))", "{}", limits)), "true");
  EXPECT_TRUE(eval_with("[1, 2].all(x, [1, 2].all(y, true))", "{}", limits).is_error());
  EXPECT_TRUE(eval_with("[1, 2, 3].map(x, x).size() + [1, 2].map(x, x).size()", "{}", limits).is_error());
}

TEST(EvaluationLimits, StepsAreCountedPerEvaluation) {
  Limits limits;
  limits.max_iterations = 3;
  auto p = compile("l.all(x, x > 0)", limits);
  ASSERT_TRUE(p.ok());
  const Value ctx = cel_test::context(R"({"l": [1, 2, 3]})");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(cel_test::show(p.value().evaluate(ctx, limits)), "true");
}

TEST(EvaluationLimits, AbsorbingOperatorsDoNotHideTheLimit) {
  // A comprehension stopped by the limit is an error like any other; `|| true` may absorb it,
  // but the work stays bounded.
  Limits limits;
  limits.max_iterations = 10;
  Value v = eval_with("l.exists(x, x == 99) || true", R"({"l": [1,2,3,4,5,6,7,8,9,10,11,12]})", limits);
  EXPECT_EQ(cel_test::show(v), "true");
}

TEST(EvaluationLimits, DefaultBoundsQuadraticWork) {
  std::string list = "[";
  for (int i = 0; i < 1000; ++i) list += (i ? "," : "") + std::to_string(i);
  list += "]";
  const std::string ctx = R"({"l": )" + list + "}";
  EXPECT_TRUE(matches(run("l.all(x, x >= 0)", ctx), "true"));
  EXPECT_TRUE(matches(run("l.all(x, l.all(y, true))", ctx), "error: comprehension work over the limit"));
  EXPECT_TRUE(matches(run("l.map(x, l.filter(y, y == x))", ctx), "error: comprehension work"));
}

TEST(EvaluationLimits, DefaultBoundsTheSpecsExponentialExample) {
  // langdef "Macro Performance": nested all() over [0, 1] doubles the work per level.
  std::string source;
  for (int i = 0; i < 16; ++i) source += "[0, 1].all(x" + std::to_string(i) + ", ";
  source += "true" + std::string(16, ')');
  Limits limits;
  limits.max_nesting = 1000;
  auto p = compile(source, limits);
  ASSERT_TRUE(p.ok()) << p.error().message;
  const auto start = std::chrono::steady_clock::now();
  Value v = p.value().evaluate(Value::map(Map()), limits);
  EXPECT_TRUE(v.is_error());
  EXPECT_NE(v.as_string().find("comprehension work"), std::string::npos) << cel_test::show(v);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(EvaluationLimits, BuiltStringsAndLists) {
  Limits limits;
  limits.max_value_items = 10;
  EXPECT_EQ(cel_test::show(eval_with("'abcde' + 'fghij'", "{}", limits)), "\"abcdefghij\"");
  Value s = eval_with("'abcde' + 'fghijk'", "{}", limits);
  ASSERT_TRUE(s.is_error());
  EXPECT_NE(s.as_string().find("evaluation limit"), std::string::npos) << s.as_string();
  EXPECT_EQ(cel_test::show(eval_with("[1,2,3,4,5] + [6,7,8,9,10]", "{}", limits)),
            "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]");
  Value l = eval_with("[1,2,3,4,5] + [6,7,8,9,10] + [11]", "{}", limits);
  ASSERT_TRUE(l.is_error());
  EXPECT_NE(l.as_string().find("evaluation limit"), std::string::npos) << l.as_string();
  EXPECT_TRUE(eval_with("s + s", R"({"s": "abcdef"})", limits).is_error());
}

TEST(EvaluationLimits, DefaultBoundsDoublingStrings) {
  const std::string ctx = R"({"s": ")" + std::string(60000, 'x') + R"("})";
  EXPECT_TRUE(matches(run("size(s + 'y')", ctx), "60001"));
  EXPECT_TRUE(matches(run("s + s", ctx), "error: evaluation limit"));
}

// ---- explain(): the value of each top-level condition ----

class MapActivation final : public Activation {
 public:
  explicit MapActivation(Value v) : v_(std::move(v)) {}
  const Value* find(std::string_view name) const noexcept override { return v_.find(name); }

 private:
  Value v_;
};

std::vector<std::string> trace_of(std::string_view source, std::string_view ctx, Value* result = nullptr) {
  auto p = compile(source);
  EXPECT_TRUE(p.ok()) << source;
  if (!p.ok()) return {};
  std::vector<ConditionTrace> trace;
  MapActivation activation(cel_test::context(ctx));
  Value v = p.value().explain(activation, trace);
  if (result) *result = v;
  std::vector<std::string> out;
  for (const auto& t : trace)
    out.push_back(std::string(source.substr(static_cast<std::size_t>(t.begin),
                                            static_cast<std::size_t>(t.end - t.begin))) +
                  " => " + cel_test::show(t.value));
  return out;
}

TEST(Explain, RecordsEachConditionOfAnAndChain) {
  Value result;
  auto trace = trace_of("a > 1 && b == 'x' && c", R"({"a": 2, "b": "y", "c": true})", &result);
  EXPECT_EQ(cel_test::show(result), "false");
  // Every operand is evaluated under explain, even after the result is decided.
  EXPECT_EQ(trace, (std::vector<std::string>{"a > 1 => true", "b == 'x' => false", "c => true"}));
}

TEST(Explain, RecordsEachConditionOfAnOrChain) {
  Value result;
  auto trace = trace_of("missing || flag", R"({"flag": true})", &result);
  EXPECT_EQ(cel_test::show(result), "true");
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace[0].substr(0, 18), "missing => error: ");
  EXPECT_EQ(trace[1], "flag => true");
}

TEST(Explain, ASingleConditionIsOneEntry) {
  EXPECT_EQ(trace_of("x * 2 > 3", R"({"x": 2})"), (std::vector<std::string>{"x * 2 > 3 => true"}));
}

TEST(Explain, OnlyTheTopLevelChainIsSplit) {
  auto trace = trace_of("(a && b) || c", R"({"a": true, "b": false, "c": true})");
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_NE(trace[0].find("a && b"), std::string::npos) << trace[0];
  EXPECT_NE(trace[0].find("=> false"), std::string::npos) << trace[0];
  EXPECT_EQ(trace[1], "c => true");
}

TEST(Explain, GivesTheSameResultAsEvaluate) {
  const char* ctx = R"({"a": 1, "l": [1, 2], "m": {"k": "v"}})";
  for (const char* source : {"a == 1 && l.size() == 2", "a == 2 || m.k == 'v'", "missing && false",
                             "missing && true", "l.exists(x, x == 2) && !has(m.z)", "a + 1",
                             "a > 0 ? 'pos' : 'neg'", "[1/0 > 1, true][1] && a == 1"}) {
    auto p = compile(source);
    ASSERT_TRUE(p.ok()) << source;
    MapActivation activation(cel_test::context(ctx));
    std::vector<ConditionTrace> trace;
    const Value explained = p.value().explain(activation, trace);
    const Value evaluated = p.value().evaluate(activation);
    EXPECT_EQ(cel_test::show(explained), cel_test::show(evaluated)) << source;
    EXPECT_FALSE(trace.empty()) << source;
  }
}

// ---- where an evaluation error arose ----

int error_position_of(std::string_view source, std::string_view ctx) {
  auto p = compile(source);
  EXPECT_TRUE(p.ok()) << source;
  if (!p.ok()) return -2;
  Value v = p.value().evaluate(cel_test::context(ctx));
  EXPECT_TRUE(v.is_error()) << source << " gave " << cel_test::show(v);
  return v.is_error() ? v.error_position() : -2;
}

TEST(ErrorPosition, IsTheStartOfTheFailingSubExpression) {
  EXPECT_EQ(error_position_of("1 + 2 * (3 / 0)", "{}"), 9);
  EXPECT_EQ(error_position_of("true && missing", "{}"), 8);
  EXPECT_EQ(error_position_of("x + a.b", R"({"x": 1, "a": {}})"), 4);
  EXPECT_EQ(error_position_of("x + a.b", R"({"a": {}})"), 0);
  EXPECT_EQ(error_position_of("l.map(v, 10 / v)", R"({"l": [1, 0]})"), 9);
  EXPECT_EQ(error_position_of("has(a.x.y)", R"({"a": {}})"), 4);
}

TEST(ErrorPosition, IsWithinThisExpressionForErrorsFromTheActivation) {
  // An error value the activation supplies (a segment that failed in its own expression) may
  // already carry a position in *another* source; here it must point into this one.
  Value failed = Value::error("no such key: 'days_since_last'");
  failed.mark_error_position(57);  // where it arose in the segment's expression
  Map segments;
  segments.set("lapsed", failed);
  Map ctx;
  ctx.set("segment", Value::map(std::move(segments)));
  auto p = compile("segment.lapsed || false");
  ASSERT_TRUE(p.ok());
  Value v = p.value().evaluate(Value::map(std::move(ctx)));
  ASSERT_TRUE(v.is_error());
  EXPECT_GE(v.error_position(), 0);
  EXPECT_LT(v.error_position(), static_cast<int>(std::string_view("segment.lapsed || false").size()));
}

// ---- activations ----

TEST(Activation, LayersNamesOverTheContext) {
  class Layered final : public Activation {
   public:
    Layered(const Value& context, const Value& segment) : context_(context), segment_(segment) {}
    const Value* find(std::string_view name) const noexcept override {
      if (name == "segment") return &segment_;
      return context_.find(name);
    }

   private:
    const Value& context_;
    const Value& segment_;
  };
  const Value ctx = cel_test::context(R"({"device": {"type": "mobile"}, "segment": "shadowed"})");
  const Value segments = cel_test::context(R"({"mobile": true, "morning": false})");
  Layered activation(ctx, segments);
  auto p = compile("segment.mobile && !segment.morning && device.type == 'mobile'");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(cel_test::show(p.value().evaluate(activation)), "true");
}

TEST(Activation, ANonMapContextHasNoVariables) {
  auto p = compile("x");
  ASSERT_TRUE(p.ok());
  Value v = p.value().evaluate(Value::integer(3));
  ASSERT_TRUE(v.is_error());
  EXPECT_NE(v.as_string().find("undeclared reference to 'x'"), std::string::npos);
  EXPECT_EQ(cel_test::show(compile("1 + 1").value().evaluate(Value())), "2");
}

}  // namespace
}  // namespace ithaca
