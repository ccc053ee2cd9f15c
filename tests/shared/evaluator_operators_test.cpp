// The evaluator's operators (evaluator.cpp), table by table against the CEL language definition:
// arithmetic per kind with checked integers, comparisons, equality across kinds, && and || with
// error absorption, ?: and in.
#include <gtest/gtest.h>

#include <string>

#include "testing/cel_test_util.hpp"

namespace ithaca {
namespace {

using cel_test::Case;
using cel_test::case_name;
using cel_test::matches;
using cel_test::run;

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

CEL_TABLE(LogicWithContext)

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

}  // namespace
}  // namespace ithaca
