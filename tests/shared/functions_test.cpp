// Built-in functions (functions.cpp, time_format.cpp): size, the string predicates, matches, the
// conversions with every range and format error, timestamps and durations with timezones.
#include <gtest/gtest.h>

#include "testing/cel_test_util.hpp"

namespace ithaca {
namespace {

using cel_test::Case;
using cel_test::case_name;
using cel_test::CelTable;

// ---- size ----

CEL_TABLE(Size)

INSTANTIATE_TEST_SUITE_P(Functions, Size, ::testing::Values(
    Case{"size('')", "0"},
    Case{"size('four')", "4"},
    Case{"size('\xc3\xbf')", "1"},                          // code points, not bytes
    Case{"size('\xcf\x80\xce\xad\xce\xbd\xcf\x84\xce\xb5')", "5"},
    Case{"size('\xf0\x9f\x98\x80')", "1"},
    Case{"size(b'')", "0"},
    Case{"size(b'abc')", "3"},
    Case{"size(b'\xc3\xbf')", "2"},                         // bytes count octets
    Case{"size([])", "0"},
    Case{"size([1, [2, 3]])", "2"},
    Case{"size({})", "0"},
    Case{"size({1: 'one', 2: 'two', 3: 'three'})", "3"},
    Case{"'abc'.size()", "3"},
    Case{"[1].size()", "1"},
    Case{"{'a': 1}.size()", "1"},
    Case{"b'ab'.size()", "2"},
    Case{"l.size() > 1", "true", R"({"l": [1, 2]})"},
    Case{"size(1)", "error: no matching overload for 'size' applied to (int)"},
    Case{"size(null)", "error: no matching overload"},
    Case{"size(true)", "error: no matching overload"},
    Case{"size(1 / 0)", "error: by zero"}),
    case_name);

// ---- contains, startsWith, endsWith ----

CEL_TABLE(StringPredicates)

INSTANTIATE_TEST_SUITE_P(Contains, StringPredicates, ::testing::Values(
    Case{"'hello'.contains('he')", "true"},
    Case{"'hello'.contains('')", "true"},
    Case{"'hello'.contains('ol')", "false"},
    Case{"'hello'.contains('L')", "false"},                 // case-sensitive
    Case{"'abababc'.contains('ababc')", "true"},
    Case{"'Stra\xc3\x9f" "e'.contains('a\xc3\x9f')", "true"},
    Case{"'\xf0\x9f\x90\xb1\xf0\x9f\x98\x80'.contains('\xf0\x9f\x98\x80')", "true"},
    Case{"''.contains('something')", "false"},
    Case{"''.contains('')", "true"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(StartsWith, StringPredicates, ::testing::Values(
    Case{"'foobar'.startsWith('foo')", "true"},
    Case{"'foobar'.startsWith('bar')", "false"},
    Case{"''.startsWith('foo')", "false"},
    Case{"'foobar'.startsWith('')", "true"},
    Case{"''.startsWith('')", "true"},
    Case{"'foo'.startsWith('foobar')", "false"},
    Case{"'\xd0\xb7\xd0\xb0\xd0\xb2\xd1\x82\xd1\x80\xd0\xb0'.startsWith('\xd0\xb7\xd0\xb0')", "true"},
    Case{"referrer.host.startsWith('www.')", "true", R"({"referrer": {"host": "www.google.com"}})"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(EndsWith, StringPredicates, ::testing::Values(
    Case{"'foobar'.endsWith('bar')", "true"},
    Case{"'foobar'.endsWith('foo')", "false"},
    Case{"''.endsWith('foo')", "false"},
    Case{"'foobar'.endsWith('')", "true"},
    Case{"''.endsWith('')", "true"},
    Case{"'bar'.endsWith('foobar')", "false"},
    Case{"'fort\xc3\xa9'.endsWith('t\xc3\xa9')", "true"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Errors, StringPredicates, ::testing::Values(
    Case{"'abc'.contains(1)", "error: no matching overload for 'contains' applied to (string, int)"},
    Case{"1.contains('a')", "error: no matching overload"},
    Case{"b'abc'.contains(b'a')", "error: no matching overload"},
    Case{"['a'].contains('a')", "error: no matching overload"},
    Case{"null.startsWith('a')", "error: no matching overload"},
    Case{"'a'.endsWith(null)", "error: no matching overload"},
    Case{"missing.startsWith('a')", "error: undeclared reference"},
    Case{"'a'.startsWith(missing)", "error: undeclared reference"}),
    case_name);

// ---- matches: RE2 syntax, unanchored search ----

CEL_TABLE(Matches)

INSTANTIATE_TEST_SUITE_P(Functions, Matches, ::testing::Values(
    Case{"'hubba'.matches('ubb')", "true"},                 // a substring match suffices
    Case{"''.matches('foo|bar')", "false"},
    Case{"'cows'.matches('')", "true"},
    Case{"''.matches('')", "true"},
    Case{"'abcd'.matches('bc')", "true"},
    Case{"'grey'.matches('gr(a|e)y')", "true"},
    Case{"'banana'.matches('ba(na)*')", "true"},
    Case{"'ma\xc3\xb1" "ana'.matches('a+\xc3\xb1+a+')", "true"},
    Case{"'\xf0\x9f\x90\xb1\xf0\x9f\x98\x80\xf0\x9f\x98\x80'.matches('(a|\xf0\x9f\x98\x80){2}')", "true"},
    Case{"'\xc3\xbf'.matches('^.$')", "true"},              // '.' is one code point
    Case{"'abc'.matches('^abc$')", "true"},
    Case{"'xabc'.matches('^abc$')", "false"},
    Case{"'abc'.matches('^b')", "false"},
    Case{"'a1'.matches(r'\\d')", "true"},
    Case{"'abc'.matches(r'\\d')", "false"},
    Case{"'abc'.matches('(?i)ABC')", "true"},
    Case{"'a'.matches(r'\\141')", "true"},                  // RE2: \123 is an octal character code
    Case{"'\\a'.matches(r'\\07')", "true"},
    Case{"'ABC'.matches('[[:lower:]]')", "false"},
    Case{"matches('abc', 'c$')", "true"},                   // global form
    Case{"path.matches('^/products/[0-9]+$')", "true", R"({"path": "/products/42"})"},
    Case{"path.matches(pattern)", "true", R"({"path": "/a/b", "pattern": "^/a/"})"},
    Case{"path.matches(pattern)", "error: invalid regular expression", R"({"path": "x", "pattern": "("})"},
    Case{"'x'.matches(p)", "error: invalid regular expression", R"j({"p": "a(?=b)"})j"},
    Case{"'abc'.matches(1)", "error: no matching overload"},
    Case{"1.matches('a')", "error: no matching overload"},
    Case{"b'abc'.matches('a')", "error: no matching overload"}),
    case_name);

// ---- int() ----

CEL_TABLE(Conversions)

INSTANTIATE_TEST_SUITE_P(Int, Conversions, ::testing::Values(
    Case{"int(1)", "1"},
    Case{"int(42u)", "42"},
    Case{"int(9223372036854775807u)", "9223372036854775807"},
    Case{"int(-123.456)", "-123"},
    Case{"int(1.9)", "1"},                 // truncation toward zero
    Case{"int(-7.9)", "-7"},
    Case{"int(11.5)", "11"},
    Case{"int(-3.5)", "-3"},
    Case{"int(double(36028797018963969))", "36028797018963968"},
    Case{"int(9.2233720368547748e18)", "9223372036854774784"},
    Case{"int('987')", "987"},
    Case{"int('-987')", "-987"},
    Case{"int('-9223372036854775808')", "-9223372036854775808"},
    Case{"int('9223372036854775807')", "9223372036854775807"},
    Case{"int(timestamp('2009-02-13T23:31:30Z'))", "1234567890"},
    Case{"int(timestamp('1969-12-31T23:59:59Z'))", "-1"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(IntErrors, Conversions, ::testing::Values(
    Case{"int(18446744073709551615u)", "error"},
    Case{"int(9223372036854775808u)", "error"},
    Case{"int(9223372036854775807.0)", "error"},   // rounds to 2^63: out of range
    Case{"int(-9223372036854775808.0)", "error"},
    Case{"int(1e99)", "error"},
    Case{"int(-1e19)", "error"},
    Case{"int(0.0 / 0.0)", "error"},
    Case{"int(1.0 / 0.0)", "error"},
    Case{"int('9223372036854775808')", "error"},
    Case{"int('-9223372036854775809')", "error"},
    Case{"int('')", "error"},
    Case{"int(' 1')", "error"},
    Case{"int('1 ')", "error"},
    Case{"int('1.0')", "error"},
    Case{"int('1e3')", "error"},
    Case{"int('0x10')", "error"},
    Case{"int('abc')", "error"},
    Case{"int(true)", "error: no matching overload"},
    Case{"int(null)", "error: no matching overload"},
    Case{"int([1])", "error: no matching overload"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Uint, Conversions, ::testing::Values(
    Case{"uint(1729)", "1729u"},
    Case{"uint(9223372036854775807)", "9223372036854775807u"},
    Case{"uint(1u)", "1u"},
    Case{"uint(3.14159265)", "3u"},
    Case{"uint(1.9)", "1u"},
    Case{"uint(25.5)", "25u"},
    Case{"uint(double(36028797018963969u))", "36028797018963968u"},
    Case{"uint(18446744073709549568.0)", "18446744073709549568u"},
    Case{"uint('300')", "300u"},
    Case{"uint('18446744073709551615')", "18446744073709551615u"},
    Case{"uint(-1)", "error"},
    Case{"uint(-9223372036854775808)", "error"},
    Case{"uint(-1.0)", "error"},
    Case{"uint(-0.5)", "error"},   // negative, though it truncates to 0 (cel-go: any double below 0)
    Case{"uint(-0.0)", "0u"},
    Case{"uint(6.022e23)", "error"},
    Case{"uint(18446744073709551616.0)", "error"},
    Case{"uint(0.0 / 0.0)", "error"},
    Case{"uint('18446744073709551616')", "error"},
    Case{"uint('-1')", "error"},
    Case{"uint('1u')", "error"},
    Case{"uint('')", "error"},
    Case{"uint(true)", "error: no matching overload"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Double, Conversions, ::testing::Values(
    Case{"double(0)", "0.0"},
    Case{"double(1000000000000)", "1e+12"},
    Case{"double(-9007199254740992)", "-9007199254740992.0"},
    Case{"double(9223372036854775807)", "9223372036854775808.0"},
    Case{"double(123u)", "123.0"},
    Case{"double(18446744073709551615u)", "18446744073709551616.0"},
    Case{"double(5.5)", "5.5"},
    Case{"double('0')", "0.0"},
    Case{"double('-0.0')", "-0.0"},
    Case{"double('123')", "123.0"},
    Case{"double('123.456')", "123.456"},
    Case{"double('-987.654')", "-987.654"},
    Case{"double('6.02214e23')", "6.02214e+23"},
    Case{"double('1.38e-23')", "1.38e-23"},
    Case{"double('-84.32e7')", "-843200000.0"},
    Case{"double('.5')", "0.5"},
    Case{"double('')", "error"},
    Case{"double('abc')", "error"},
    Case{"double(' 1')", "error"},
    Case{"double('1 ')", "error"},
    Case{"double('1,5')", "error"},
    Case{"double(true)", "error: no matching overload"},
    Case{"double(null)", "error: no matching overload"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(String, Conversions, ::testing::Values(
    Case{"string(123)", "\"123\""},
    Case{"string(-456)", "\"-456\""},
    Case{"string(9876u)", "\"9876\""},
    Case{"string(18446744073709551615u)", "\"18446744073709551615\""},
    Case{"string(-9223372036854775808)", "\"-9223372036854775808\""},
    Case{"string(123.456)", "\"123.456\""},
    Case{"string(-4.5e-3)", "\"-0.0045\""},
    Case{"string(1.5)", "\"1.5\""},
    Case{"string(100.0)", "\"100\""},
    Case{"string(0.0001)", "\"0.0001\""},
    Case{"string(1e21)", "\"1e+21\""},
    // cel-go formats with %g's shortest form: an exponent from 1e+06 on and below 1e-04.
    Case{"string(1e6)", "\"1e+06\""},
    Case{"string(123456789.0)", "\"1.23456789e+08\""},
    Case{"string(1.5e-7)", "\"1.5e-07\""},
    Case{"string(100000.0)", "\"100000\""},
    Case{"string(1.0 / 0.0)", "\"+Inf\""},
    Case{"string(-1.0 / 0.0)", "\"-Inf\""},
    Case{"string(0.0 / 0.0)", "\"NaN\""},
    Case{"string(true)", "\"true\""},
    Case{"string(false)", "\"false\""},
    Case{"string('hello')", "\"hello\""},
    Case{"string(b'abc')", "\"abc\""},
    Case{"string(b'\\303\\277')", "\"\xc3\xbf\""},
    Case{"string(b'\\000\\xff')", "error: invalid UTF-8"},
    Case{"string(int)", "\"int\""},
    Case{"string(type(1u))", "\"uint\""},
    Case{"string(timestamp('2009-02-13T23:31:30Z'))", "\"2009-02-13T23:31:30Z\""},
    Case{"string(timestamp('9999-12-31T23:59:59.999999999Z'))", "\"9999-12-31T23:59:59.999999999Z\""},
    Case{"string(timestamp('2000-01-01T00:00:00.5+01:00'))", "\"1999-12-31T23:00:00.5Z\""},
    Case{"string(duration('1000000s'))", "\"1000000s\""},
    Case{"string(duration('1h'))", "\"3600s\""},
    Case{"string(duration('-1.5s'))", "\"-1.5s\""},
    Case{"string(duration('1ns'))", "\"0.000000001s\""},
    Case{"string(null)", "error: no matching overload"},
    Case{"string([1])", "error: no matching overload"},
    Case{"string({})", "error: no matching overload"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Bool, Conversions, ::testing::Values(
    Case{"bool(true)", "true"},
    Case{"bool('1')", "true"},
    Case{"bool('t')", "true"},
    Case{"bool('true')", "true"},
    Case{"bool('TRUE')", "true"},
    Case{"bool('True')", "true"},
    Case{"bool('0')", "false"},
    Case{"bool('f')", "false"},
    Case{"bool('false')", "false"},
    Case{"bool('FALSE')", "false"},
    Case{"bool('False')", "false"},
    Case{"bool('TrUe')", "error"},
    Case{"bool('FaLsE')", "error"},
    Case{"bool('yes')", "error"},
    Case{"bool('')", "error"},
    Case{"bool(' true')", "error"},
    Case{"bool(1)", "error: no matching overload"},
    Case{"bool(null)", "error: no matching overload"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(BytesDynType, Conversions, ::testing::Values(
    Case{"bytes('')", "b\"\""},
    Case{"bytes('abc')", "b\"abc\""},
    Case{"bytes('\xc3\xbf')", "b\"\\xc3\\xbf\""},
    Case{"bytes('\\377') == b'\\377'", "false"},   // U+00FF is two bytes of UTF-8
    Case{"bytes(b'abc')", "b\"abc\""},
    Case{"bytes(1)", "error: no matching overload"},
    Case{"dyn(1)", "1"},
    Case{"dyn([1, 'a'])", "[1, \"a\"]"},
    Case{"dyn(1) == 1u", "true"},
    Case{"dyn(1) < 2.0", "true"},
    Case{"type(dyn(1))", "int"},
    Case{"type(1)", "int"},
    Case{"type(1u)", "uint"},
    Case{"type(1.0)", "double"},
    Case{"type('a')", "string"},
    Case{"type(b'a')", "bytes"},
    Case{"type(true)", "bool"},
    Case{"type(null)", "null_type"},
    Case{"type([1])", "list"},
    Case{"type({})", "map"},
    Case{"type(int)", "type"},
    Case{"type(type(1))", "type"},
    Case{"type(timestamp(0))", "google.protobuf.Timestamp"},
    Case{"type(duration('1s'))", "google.protobuf.Duration"},
    Case{"type(1 / 0)", "error: by zero"},
    Case{"google.protobuf.Duration == type(duration('1000000s'))", "true"},
    Case{"google.protobuf.Timestamp == type(timestamp(0))", "true"},
    Case{"int(uint(int(uint(int(uint(7))))))", "7"}),
    case_name);

// ---- timestamps ----

CEL_TABLE(Timestamps)

INSTANTIATE_TEST_SUITE_P(Parse, Timestamps, ::testing::Values(
    Case{"timestamp('2009-02-13T23:31:30Z')", "timestamp(\"2009-02-13T23:31:30Z\")"},
    Case{"timestamp('2009-02-13T23:31:30.123456789Z')", "timestamp(\"2009-02-13T23:31:30.123456789Z\")"},
    Case{"timestamp('2009-02-13T23:31:30.5Z')", "timestamp(\"2009-02-13T23:31:30.5Z\")"},
    Case{"timestamp('2009-02-14T01:31:30+02:00')", "timestamp(\"2009-02-13T23:31:30Z\")"},
    Case{"timestamp('2009-02-13T21:01:30-02:30')", "timestamp(\"2009-02-13T23:31:30Z\")"},
    Case{"timestamp('2009-02-13t23:31:30z')", "timestamp(\"2009-02-13T23:31:30Z\")"},
    Case{"timestamp('2024-02-29T00:00:00Z')", "timestamp(\"2024-02-29T00:00:00Z\")"},
    Case{"timestamp('0001-01-01T00:00:00Z')", "timestamp(\"0001-01-01T00:00:00Z\")"},
    Case{"timestamp('9999-12-31T23:59:59.999999999Z')", "timestamp(\"9999-12-31T23:59:59.999999999Z\")"},
    Case{"timestamp(1234567890)", "timestamp(\"2009-02-13T23:31:30Z\")"},
    Case{"timestamp(0)", "timestamp(\"1970-01-01T00:00:00Z\")"},
    Case{"timestamp(-62135596800)", "timestamp(\"0001-01-01T00:00:00Z\")"},
    Case{"timestamp(253402300799)", "timestamp(\"9999-12-31T23:59:59Z\")"},
    Case{"timestamp(timestamp(0))", "timestamp(\"1970-01-01T00:00:00Z\")"},
    // JSON has no timestamp type: a context passes RFC 3339 text, which timestamp() converts.
    Case{"timestamp(time.now).getHours()", "8", R"({"time": {"now": "2024-05-01T08:00:00Z"}})"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(ParseErrors, Timestamps, ::testing::Values(
    Case{"timestamp('')", "error: invalid timestamp"},
    Case{"timestamp('2009-02-13')", "error: invalid timestamp"},
    Case{"timestamp('2009-02-13T23:31:30')", "error: invalid timestamp"},      // no offset
    Case{"timestamp('2009-02-13 23:31:30Z')", "error: invalid timestamp"},
    Case{"timestamp('2009-02-13T23:31:30.Z')", "error: invalid timestamp"},
    Case{"timestamp('2009-2-13T23:31:30Z')", "error: invalid timestamp"},
    Case{"timestamp('2009-02-30T00:00:00Z')", "error: invalid timestamp"},
    Case{"timestamp('2023-02-29T00:00:00Z')", "error: invalid timestamp"},
    Case{"timestamp('2009-13-01T00:00:00Z')", "error: invalid timestamp"},
    Case{"timestamp('2009-00-01T00:00:00Z')", "error: invalid timestamp"},
    Case{"timestamp('2009-01-00T00:00:00Z')", "error: invalid timestamp"},
    Case{"timestamp('2009-01-01T24:00:00Z')", "error: invalid timestamp"},
    Case{"timestamp('2009-01-01T23:60:00Z')", "error: invalid timestamp"},
    Case{"timestamp('2009-01-01T23:59:60Z')", "error: invalid timestamp"},
    Case{"timestamp('2009-01-01T00:00:00+24:00')", "error: invalid timestamp"},
    Case{"timestamp('2009-01-01T00:00:00+0100')", "error: invalid timestamp"},
    Case{"timestamp('2009-01-01T00:00:00Zjunk')", "error: invalid timestamp"},
    Case{"timestamp('0000-01-01T00:00:00Z')", "error: invalid timestamp"},
    Case{"timestamp('10000-01-01T00:00:00Z')", "error: invalid timestamp"},
    Case{"timestamp('0001-01-01T00:00:00+01:00')", "error"},   // 0000-12-31T23:00Z: out of range
    Case{"timestamp('9999-12-31T23:59:59-01:00')", "error"},
    Case{"timestamp(-62135596801)", "error: out of range"},
    Case{"timestamp(253402300800)", "error: out of range"},
    Case{"timestamp(1.5)", "error: no matching overload"},
    Case{"timestamp(1u)", "error: no matching overload"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Arithmetic, Timestamps, ::testing::Values(
    Case{"timestamp('2009-02-13T23:00:00Z') + duration('240s') == timestamp('2009-02-13T23:04:00Z')", "true"},
    Case{"duration('120s') + timestamp('2009-02-13T23:01:00Z') == timestamp('2009-02-13T23:03:00Z')", "true"},
    Case{"timestamp('2009-02-13T23:10:00Z') - duration('600s') == timestamp('2009-02-13T23:00:00Z')", "true"},
    Case{"timestamp('2009-02-13T23:31:00Z') - timestamp('2009-02-13T23:29:00Z') == duration('120s')", "true"},
    Case{"timestamp('2023-01-01T00:00:00Z') - timestamp('2024-01-01T00:00:00Z')", "duration(\"-31536000s\")"},
    Case{"timestamp('0001-01-01T00:00:01.000000001Z') + duration('-999999999ns')",
         "timestamp(\"0001-01-01T00:00:00.000000002Z\")"},
    Case{"timestamp('0001-01-01T00:00:01.999999999Z') + duration('999999999ns')",
         "timestamp(\"0001-01-01T00:00:02.999999998Z\")"},
    Case{"timestamp('2024-01-01T00:00:00Z') - duration('0.5s')", "timestamp(\"2023-12-31T23:59:59.5Z\")"},
    Case{"timestamp('2262-01-01T00:00:00Z') - timestamp('1970-01-01T00:00:00Z')", "duration(\"9214646400s\")"},
    Case{"timestamp('9999-12-31T23:59:59Z') - timestamp('0001-01-01T00:00:00Z')", "error: out of range"},
    Case{"timestamp('0001-01-01T00:00:00Z') - timestamp('9999-12-31T23:59:59Z')", "error: out of range"},
    Case{"timestamp('0001-01-01T00:00:00Z') + duration('-1s')", "error: out of range"},
    Case{"timestamp('9999-12-31T23:59:59Z') + duration('1s')", "error: out of range"},
    Case{"timestamp('9999-12-31T23:59:59.999999999Z') + duration('1ns')", "error: out of range"},
    Case{"timestamp('0001-01-01T00:00:00Z') + duration('-1ns')", "error: out of range"},
    Case{"timestamp(0) + timestamp(0)", "error: no matching overload"},
    Case{"duration('1s') - timestamp(0)", "error: no matching overload"},
    Case{"timestamp(0) + 1", "error: no matching overload"},
    Case{"timestamp(0) < timestamp(1)", "true"},
    Case{"timestamp('2024-01-01T00:00:00Z') == timestamp('2024-01-01T01:00:00+01:00')", "true"},
    Case{"timestamp(0) < duration('1s')", "error: no matching overload"},
    Case{"timestamp(0) == duration('0s')", "false"}),
    case_name);

// 2009-02-13T23:31:30Z was a Friday, the 44th day of the year.
INSTANTIATE_TEST_SUITE_P(AccessorsUtc, Timestamps, ::testing::Values(
    Case{"timestamp('2009-02-13T23:31:30Z').getFullYear()", "2009"},
    Case{"timestamp('2009-02-13T23:31:30Z').getMonth()", "1"},          // zero-based
    Case{"timestamp('2009-02-13T23:31:30Z').getDate()", "13"},          // one-based
    Case{"timestamp('2009-02-13T23:31:30Z').getDayOfMonth()", "12"},    // zero-based
    Case{"timestamp('2009-02-13T23:31:30Z').getDayOfWeek()", "5"},      // Sunday = 0
    Case{"timestamp('2009-02-13T23:31:30Z').getDayOfYear()", "43"},     // zero-based
    Case{"timestamp('2009-02-13T23:31:30Z').getHours()", "23"},
    Case{"timestamp('2009-02-13T23:31:30Z').getMinutes()", "31"},
    Case{"timestamp('2009-02-13T23:31:30Z').getSeconds()", "30"},
    Case{"timestamp('2009-02-13T23:31:20.123456789Z').getMilliseconds()", "123"},
    Case{"timestamp('2024-12-31T23:59:59Z').getDayOfYear()", "365"},    // leap year
    Case{"timestamp('2023-12-31T23:59:59Z').getDayOfYear()", "364"},
    Case{"timestamp('1969-12-31T23:59:59.5Z').getHours()", "23"},
    Case{"timestamp('1969-12-31T23:59:59.5Z').getMilliseconds()", "500"},
    Case{"timestamp('0001-01-01T00:00:00Z').getDayOfWeek()", "1"},      // a Monday
    Case{"timestamp('0001-01-01T00:00:00Z').getFullYear()", "1"},
    Case{"timestamp('9999-12-31T23:59:59Z').getDayOfWeek()", "5"},
    Case{"getHours(timestamp(0))", "compile error @0: is a method"},
    Case{"1.getHours()", "error: no matching overload"},
    Case{"'2009-02-13T23:31:30Z'.getHours()", "error: no matching overload"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(AccessorsWithTimezone, Timestamps, ::testing::Values(
    Case{"timestamp('2009-02-13T23:31:30Z').getDate('Australia/Sydney')", "14"},
    Case{"timestamp('2009-02-13T23:31:30Z').getDayOfMonth('US/Central')", "12"},
    Case{"timestamp('2009-02-13T23:31:30Z').getDayOfMonth('+11:00')", "13"},
    Case{"timestamp('2009-02-13T02:00:00Z').getDayOfMonth('-02:30')", "11"},
    Case{"timestamp('2009-02-13T02:00:00Z').getDayOfMonth('America/St_Johns')", "11"},
    Case{"timestamp('2009-02-13T23:31:30Z').getDayOfWeek('UTC')", "5"},
    Case{"timestamp('2009-02-13T23:31:30Z').getDayOfYear('US/Central')", "43"},
    Case{"timestamp('2009-02-13T23:31:30Z').getFullYear('-09:30')", "2009"},
    Case{"timestamp('2009-02-13T23:31:30Z').getHours('02:00')", "1"},   // unsigned offset is east
    Case{"timestamp('2009-02-13T23:31:30Z').getMinutes('Asia/Kathmandu')", "16"},
    Case{"timestamp('2009-02-13T23:31:30Z').getMonth('UTC')", "1"},
    Case{"timestamp('2009-02-13T23:31:30Z').getSeconds('-00:00')", "30"},
    Case{"timestamp('2024-01-01T00:30:00Z').getHours('+05:30')", "6"},
    Case{"timestamp('2024-01-01T00:30:00Z').getMinutes('+05:30')", "0"},
    Case{"timestamp('2024-01-01T00:30:00Z').getHours('-08:00')", "16"},
    Case{"timestamp('2024-01-01T00:30:00Z').getHours('Asia/Kolkata')", "6"},
    // A year boundary crossed by the zone: New York is still in 2023, on a Sunday.
    Case{"timestamp('2024-01-01T00:30:00Z').getFullYear('America/New_York')", "2023"},
    Case{"timestamp('2024-01-01T00:30:00Z').getMonth('America/New_York')", "11"},
    Case{"timestamp('2024-01-01T00:30:00Z').getDate('America/New_York')", "31"},
    Case{"timestamp('2024-01-01T00:30:00Z').getDayOfWeek('America/New_York')", "0"},
    Case{"timestamp('2024-01-01T00:30:00Z').getDayOfYear('America/New_York')", "364"},
    // Daylight saving time in Berlin: clocks go 02:00 → 03:00 on 2024-03-31 and
    // 03:00 → 02:00 on 2024-10-27.
    Case{"timestamp('2024-03-31T00:59:59Z').getHours('Europe/Berlin')", "1"},
    Case{"timestamp('2024-03-31T01:00:00Z').getHours('Europe/Berlin')", "3"},
    Case{"timestamp('2024-10-27T00:59:59Z').getHours('Europe/Berlin')", "2"},
    Case{"timestamp('2024-10-27T01:00:00Z').getHours('Europe/Berlin')", "2"},
    Case{"timestamp('2024-07-01T12:00:00Z').getHours('Europe/Berlin')", "14"},
    Case{"timestamp('2024-01-01T12:00:00Z').getHours('Europe/Berlin')", "13"},
    Case{"timestamp('2024-07-01T12:00:00Z').getHours(tz)", "8", R"({"tz": "America/New_York"})"},
    Case{"timestamp('2024-01-01T00:30:00Z').getHours('Mars/Olympus')", "error: unknown timezone"},
    Case{"timestamp('2024-01-01T00:30:00Z').getHours('')", "error"},
    Case{"timestamp('2024-01-01T00:30:00Z').getHours('+25:00')", "error"},
    Case{"timestamp('2024-01-01T00:30:00Z').getHours(1)", "error: no matching overload"}),
    case_name);

// ---- durations ----

CEL_TABLE(Durations)

INSTANTIATE_TEST_SUITE_P(Parse, Durations, ::testing::Values(
    Case{"duration('0')", "duration(\"0s\")"},
    Case{"duration('0s')", "duration(\"0s\")"},
    Case{"duration('100s')", "duration(\"100s\")"},
    Case{"duration('1h')", "duration(\"3600s\")"},
    Case{"duration('1h30m')", "duration(\"5400s\")"},
    Case{"duration('1.5h')", "duration(\"5400s\")"},
    Case{"duration('2h45m30.5s')", "duration(\"9930.5s\")"},
    Case{"duration('-1.5s')", "duration(\"-1.5s\")"},
    Case{"duration('+1s')", "duration(\"1s\")"},
    Case{"duration('1ms')", "duration(\"0.001s\")"},
    Case{"duration('1us')", "duration(\"0.000001s\")"},
    Case{"duration('1\xc2\xb5s')", "duration(\"0.000001s\")"},
    Case{"duration('1ns')", "duration(\"0.000000001s\")"},
    Case{"duration('.5s')", "duration(\"0.5s\")"},
    // Fractions of every unit, exact to the nanosecond (truncated), up to 18 digits kept.
    Case{"duration('0.123456789123456789h')", "duration(\"444.444440844s\")"},
    Case{"duration('1.999999999999999999m')", "duration(\"119.999999999s\")"},
    Case{"duration('0.0000000000000000019h')", "duration(\"0s\")"},
    Case{"duration('0.00000000000028h')", "duration(\"0.000000001s\")"},
    Case{"duration('0.1234567891s')", "duration(\"0.123456789s\")"},
    Case{"duration('1.0000015ms')", "duration(\"0.001000001s\")"},
    Case{"duration('2.5us')", "duration(\"0.0000025s\")"},
    Case{"duration('1.9ns')", "duration(\"0.000000001s\")"},
    Case{"duration('-0.000000000000000001s')", "duration(\"0s\")"},
    // The range is that of a 64-bit count of nanoseconds (about ±292 years), as in the conformance
    // suite's timestamps/timestamp_range and duration_range cases.
    Case{"duration('2562047h')", "duration(\"9223369200s\")"},
    Case{"duration('9223372036s')", "duration(\"9223372036s\")"},
    Case{"duration('-9223372036s')", "duration(\"-9223372036s\")"},
    Case{"duration('2562047h47m16.854775807s')", "duration(\"9223372036.854775807s\")"},
    Case{"duration('2562047h47m16.854775808s')", "error"},
    Case{"duration('9223372037s')", "error"},
    Case{"duration(duration('100s'))", "duration(\"100s\")"},
    Case{"duration('')", "error"},
    Case{"duration('1')", "error"},
    Case{"duration('s')", "error"},
    Case{"duration('1d')", "error"},
    Case{"duration('1 s')", "error"},
    Case{"duration('1h-1m')", "error"},
    Case{"duration('--1s')", "error"},
    Case{"duration('1.2.3s')", "error"},
    Case{"duration('315576000001s')", "error"},
    Case{"duration('320000000000s')", "error"},
    Case{"duration('-320000000000s')", "error"},
    Case{"duration(1)", "error: no matching overload"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Arithmetic, Durations, ::testing::Values(
    Case{"duration('600s') + duration('50s') == duration('650s')", "true"},
    Case{"duration('900s') - duration('42s') == duration('858s')", "true"},
    Case{"duration('1h') - duration('2h')", "duration(\"-3600s\")"},
    Case{"duration('0.7s') + duration('0.6s')", "duration(\"1.3s\")"},
    Case{"duration('-0.7s') - duration('0.6s')", "duration(\"-1.3s\")"},
    Case{"-duration('1.5s')", "duration(\"-1.5s\")"},
    Case{"-duration('-1.5s')", "duration(\"1.5s\")"},
    Case{"duration('4611686018s') + duration('4611686018s')", "duration(\"9223372036s\")"},
    Case{"duration('-5000000000s') + duration('-5000000000s')", "error: out of range"},
    Case{"duration('5000000000s') + duration('5000000000s')", "error: out of range"},
    Case{"duration('-5000000000s') - duration('5000000000s')", "error: out of range"},
    Case{"duration('5000000000s') - duration('-5000000000s')", "error: out of range"},
    Case{"duration('-200000000000s') + duration('-200000000000s')", "error"},
    Case{"duration('1s') * 2", "error: no matching overload"},
    Case{"duration('1s') + 1", "error: no matching overload"},
    Case{"duration('60s') == duration('1m')", "true"},
    Case{"duration('60s') == duration('3600s')", "false"},
    Case{"duration('200s') <= duration('200s')", "true"},
    Case{"duration('300s') <= duration('200s')", "false"},
    Case{"duration('200s') < duration('300s')", "true"},
    Case{"duration('-1s') < duration('-0.5s')", "true"},
    Case{"duration('0.5s') > duration('0.4s')", "true"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Accessors, Durations, ::testing::Values(
    Case{"duration('10000s').getHours()", "2"},
    Case{"duration('3730s').getMinutes()", "62"},       // whole minutes in the span
    Case{"duration('3730s').getSeconds()", "3730"},
    Case{"duration('123.321456789s').getMilliseconds()", "321"},
    Case{"duration('-3723.5s').getHours()", "-1"},
    Case{"duration('-3723.5s').getMilliseconds()", "-500"},
    Case{"duration('1h').getHours('UTC')", "error: no matching overload"},
    Case{"duration('1h').getFullYear()", "error: no matching overload"}),
    case_name);

// ---- string extensions: lowerAscii, upperAscii, trim ----

CEL_TABLE(StringExtensions)

INSTANTIATE_TEST_SUITE_P(Functions, StringExtensions, ::testing::Values(
    Case{"'TacoCat'.lowerAscii()", "\"tacocat\""},
    Case{"'TacoCat'.upperAscii()", "\"TACOCAT\""},
    Case{"'\xc3\x89t\xc3\xa9'.lowerAscii()", "\"\xc3\x89t\xc3\xa9\""},  // ASCII letters only
    Case{"'  \\t trim me \\n'.trim()", "\"trim me\""},
    Case{"''.trim()", "\"\""},
    // Unicode white space, as cel-go: vertical tab, form feed, NBSP, ideographic space, U+2028.
    Case{"'\\v x \\f'.trim()", "\"x\""},
    Case{"'\\u00a0x\\u3000'.trim()", "\"x\""},
    Case{"'\\u2028 a b\\u2029'.trim()", "\"a b\""},
    Case{"' \\u00a0 '.trim()", "\"\""},
    Case{"'\\u200bx\\u200b'.trim() == '\\u200bx\\u200b'", "true"},  // zero-width space is not white space
    Case{"utm.source.lowerAscii() == 'google'", "true", R"({"utm": {"source": "Google"}})"},
    Case{"1.lowerAscii()", "error: no matching overload"},
    Case{"lowerAscii('A')", "compile error @0: is a method"}),
    case_name);

}  // namespace
}  // namespace ithaca
