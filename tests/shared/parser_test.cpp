// compile() (parser.cpp): precedence and associativity, every parse error with its byte
// position, reserved words, macros' shape, limits, what is outside the subset, references().
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ast.hpp"  // Node: the tree the parser builds
#include "ithaca/expression.hpp"
#include "testing/cel_test_util.hpp"

namespace ithaca {
namespace {

using cel_test::Case;
using cel_test::case_name;
using cel_test::CelTable;
using cel_test::matches;
using cel_test::run;

// ---- precedence and associativity (observed through evaluation) ----

CEL_TABLE(Precedence)

INSTANTIATE_TEST_SUITE_P(Parser, Precedence, ::testing::Values(
    Case{"1 + 2 * 3", "7"},
    Case{"(1 + 2) * 3", "9"},
    Case{"10 - 4 - 3", "3"},                  // left-associative
    Case{"100 / 10 / 5", "2"},
    Case{"7 % 4 * 2", "6"},                   // * / % share a level, left to right
    Case{"2 * 7 % 4", "2"},
    Case{"2 - -1", "3"},
    Case{"-2 * 3", "-6"},
    Case{"- -1", "1"},
    Case{"--19", "19"},
    Case{"!!true", "true"},
    Case{"!true == false", "true"},           // unary binds tighter than relations
    Case{"1 + 1 == 2", "true"},               // arithmetic binds tighter than relations
    Case{"1 < 2 == true", "true"},            // relations are left-associative: (1 < 2) == true
    Case{"1 in [1] == true", "true"},
    Case{"true || false && false", "true"},   // && binds tighter than ||
    Case{"false && false || true", "true"},
    Case{"1 == 1 && 2 == 2", "true"},
    Case{"true ? 1 : 2 + 3", "1"},            // ?: binds loosest
    Case{"false ? 1 : 2 + 3", "5"},
    Case{"false || true ? 'y' : 'n'", "\"y\""},
    Case{"true ? (false ? 1 : 2) : 3", "2"},  // the middle operand is not an Expr: parenthesize
    Case{"false ? 1 : false ? 2 : 3", "3"},   // right-associative
    Case{"[1, 2][1] + 1", "3"},               // member/index binds tightest
    Case{"{'a': {'b': 5}}.a.b * 2", "10"},
    Case{"-[1][0]", "-1"},
    Case{"'ab' + 'c' == 'abc'", "true"},
    Case{"(((1)))", "1"},
    Case{"-9223372036854775808", "-9223372036854775808"},
    Case{"-0x8000000000000000", "-9223372036854775808"},
    Case{"0x7FFFFFFFFFFFFFFF", "9223372036854775807"},
    Case{"-(9223372036854775807) - 1", "-9223372036854775808"},
    Case{"-1.5", "-1.5"},
    Case{"-.5", "-0.5"},
    Case{"1 < 2 < 3", "error: no matching overload"}),  // parses as (1 < 2) < 3: bool < int
    case_name);

// ---- parse errors, each at its exact byte offset ----

class ParseErrors : public CelTable {};
TEST_P(ParseErrors, ArePositioned) { check(); }

INSTANTIATE_TEST_SUITE_P(Syntax, ParseErrors, ::testing::Values(
    Case{"", "compile error @0: empty expression"},
    Case{"   ", "compile error @0: empty expression"},
    Case{"// nothing but a comment", "compile error @0: empty expression"},
    Case{"1 +", "compile error @3: unexpected end of expression"},
    Case{"1 + + 2", "compile error @4: unexpected '+'"},
    Case{"1 * / 2", "compile error @4: unexpected '/'"},
    Case{"(1 + 2", "compile error @6: expected ')'"},
    Case{"1 + 2)", "compile error @5: unexpected ')' after the expression"},
    Case{"a b", "compile error @2: unexpected identifier after the expression"},
    Case{"1 2", "compile error @2: unexpected number after the expression"},
    Case{"[1, 2", "compile error @5: expected ']'"},
    Case{"[,]", "compile error @1: unexpected ','"},
    Case{"[1 2]", "compile error @3: expected ']'"},
    Case{"{'a' 1}", "compile error @5: expected ':'"},
    Case{"{'a': 1", "compile error @7: expected '}'"},
    Case{"{'a': 1 'b': 2}", "compile error @8: expected '}'"},
    Case{"[1, 2,].size() + {'a': 1,}.size()", "3"},
    Case{"{,}", "compile error @1: unexpected ','"},
    Case{"a.", "compile error @2: expected a field name after '.'"},
    Case{"a.1", "compile error @1: unexpected number after the expression"},
    Case{"a.'b'", "compile error @2: expected a field name after '.'"},
    Case{"a[", "compile error @2: unexpected end of expression"},
    Case{"a[1", "compile error @3: expected ']'"},
    Case{"a[]", "compile error @2: unexpected ']'"},
    Case{"1 ? 2", "compile error @5: expected ':'"},
    Case{"1 ? 2 :", "compile error @7: unexpected end of expression"},
    Case{"!", "compile error @1: unexpected end of expression"},
    Case{"-", "compile error @1: unexpected end of expression"},
    Case{"x.y.z(", "compile error @6: unexpected end of expression"},
    Case{"a.size(", "compile error @7: unexpected end of expression"},
    Case{"size(1", "compile error @6: expected ')'"},
    // ExprList = Expr {"," Expr}: no trailing comma in an argument list (list and map literals
    // may end with one, as in cel-go's grammar).
    Case{"size('a',)", "compile error @9: unexpected ')'"},
    Case{"[1].all(x, true,)", "compile error @16: unexpected ')'"},
    Case{"a = 1", "compile error @2: '=' is not an operator"},
    Case{"a & b", "compile error @2: use '&&'"},
    Case{"a | b", "compile error @2: use '||'"},
    Case{"a # b", "compile error @2: unexpected character '#'"},
    Case{"'\xc3\xa9' + \xc3\xa9", "compile error @7: outside a string"},
    Case{"'abc", "compile error @0: unterminated string literal"},
    Case{"x == 'a\\q'", "compile error @7: invalid escape"},
    Case{"9223372036854775808", "compile error @0: integer literal out of range"},
    Case{"-9223372036854775809", "compile error @1: integer literal out of range"},
    Case{"-(9223372036854775808)", "compile error @2: integer literal out of range"},
    Case{"18446744073709551616u", "compile error @0: integer literal out of range"},
    Case{"1.5u", "compile error @3"},
    // Expr = ConditionalOr ["?" ConditionalOr ":" Expr]: an unparenthesized ?: in the middle is a
    // syntax error.
    Case{"true ? false ? 1 : 2 : 3", "compile error @13: expected ':'"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Calls, ParseErrors, ::testing::Values(
    Case{"f(1)", "compile error @0: unknown function 'f'"},
    Case{"a.f(1)", "compile error @2: unknown function 'f'"},
    Case{"x + a.b.frobnicate()", "compile error @8: unknown function 'frobnicate'"},
    Case{"size()", "compile error @0: 'size' takes 1 argument, not 0"},
    Case{"size('a', 'b')", "compile error @0: 'size' takes 1 argument, not 2"},
    Case{"'a'.size(1)", "compile error @4: takes 0 arguments, not 1"},
    Case{"'a'.contains()", "compile error @4: 'contains' takes 1 argument, not 0"},
    Case{"'a'.startsWith('a', 'b')", "compile error @4: takes 1 argument, not 2"},
    Case{"contains('abc', 'b')", "compile error @0: 'contains' is a method"},
    Case{"startsWith('abc', 'a')", "compile error @0: is a method"},
    Case{"1.int()", "compile error @2: 'int' is not a method"},
    Case{"'1'.double()", "compile error @4: is not a method"},
    Case{"int(1, 2)", "compile error @0: takes 1 argument, not 2"},
    Case{"timestamp(0).getHours('UTC', 1)", "compile error @13: takes 0 or 1 argument, not 2"},
    Case{"getHours(timestamp(0))", "compile error @0: is a method"},
    Case{"a.`b`()", "compile error @5: unexpected '('"},
    Case{"'abc'.matches('(')", "compile error @14: invalid regular expression"},
    Case{"x.matches('a(?=b)')", "compile error @10: invalid regular expression"},
    Case{"matches(x, '[a-')", "compile error @11: invalid regular expression"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Macros, ParseErrors, ::testing::Values(
    Case{"has(", "compile error @4: unexpected end of expression"},
    Case{"has()", "compile error @4: unexpected ')'"},
    Case{"has(a.b", "compile error @7: expected ')'"},
    Case{"has(a)", "compile error @4: has() needs a field selection"},
    Case{"has(a['b'])", "compile error @4: has() needs a field selection"},
    Case{"has(a.size())", "compile error @4: has() needs a field selection"},
    Case{"has(a.b, 1)", "compile error @7: expected ')'"},
    Case{"all(x, true)", "compile error @0: unknown function 'all'"},
    Case{"[1].all(x)", "compile error @9: expected ','"},
    Case{"[1].all(1, true)", "compile error @8: the first argument of all() must be a variable name"},
    Case{"[1].all(, x)", "compile error @8: must be a variable name"},
    Case{"[1].exists(x.y, true)", "compile error @12: expected ','"},
    Case{"[1].exists_one(`x`, true)", "compile error @15: must be a variable name"},
    Case{"[1].all(x, true, false)", "compile error @4: all() takes a variable and one expression"},
    Case{"[1].exists(x, )", "compile error @4: exists() takes a variable and one expression"},
    Case{"[1].filter(x, true, 1)", "compile error @4: filter() takes a variable and one expression"},
    Case{"[1].map(x)", "compile error @9: expected ','"},
    Case{"[1].map(x, x, x, x)", "compile error @4: map() takes a variable and one or two expressions"}),
    case_name);

// ---- outside the subset: a clear compile error, never a silent result ----

INSTANTIATE_TEST_SUITE_P(Unsupported, ParseErrors, ::testing::Values(
    Case{".a", "compile error @0: leading '.'"},
    Case{"x + .a.b", "compile error @4: leading '.'"},
    Case{"a.?b", "compile error @2: optional field selection"},
    Case{"a[?0]", "compile error @2: optional index"},
    Case{"Foo{a: 1}", "compile error @3: message construction"},
    Case{"google.protobuf.Timestamp{seconds: 1}", "compile error @25"},
    Case{"`a` == 1", "compile error @0: a backquoted name can only follow '.'"},
    Case{"a.``", "compile error @2: empty backquoted name"},
    Case{"optional.of(1)", "compile error @9: unknown function 'of'"},
    Case{"'a'.charAt(0)", "compile error @4: unknown function 'charAt'"},
    Case{"math.greatest(1, 2)", "compile error @5: unknown function 'greatest'"}),
    case_name);

// ---- reserved words: never identifiers, but fine as field names after '.' ----

class ReservedWords : public ::testing::TestWithParam<const char*> {};

TEST_P(ReservedWords, AreNotIdentifiers) {
  const std::string word = GetParam();
  EXPECT_TRUE(matches(run(word), "compile error @0: '" + word + "' is a reserved word"));
  EXPECT_TRUE(matches(run("1 + " + word), "compile error @4: reserved word"));
}

TEST(Parser, ReservedWordIsNotAMacroVariable) {
  // IDENT excludes RESERVED, and a macro's variable is an IDENT.
  EXPECT_TRUE(matches(run("[1].all(as, true)"), "compile error @8"));
  EXPECT_TRUE(matches(run("[1].map(while, 1)"), "compile error @8"));
}

TEST_P(ReservedWords, AreFieldNames) {
  const std::string word = GetParam();
  EXPECT_TRUE(matches(run("{'" + word + "': 1}." + word), "1"));
  EXPECT_TRUE(matches(run("m." + word, R"({"m": {")" + word + R"(": "x"}})"), "\"x\""));
  EXPECT_TRUE(matches(run("has(m." + word + ")", R"({"m": {}})"), "false"));
}

INSTANTIATE_TEST_SUITE_P(Parser, ReservedWords, ::testing::Values(
    "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
    "package", "namespace", "return", "var", "void", "while"));

TEST(Parser, LiteralWordsAreNotFieldNames) {
  // true, false, null and in are literals/operators, not IDENTs: `.true` is a syntax error.
  EXPECT_TRUE(matches(run("m.true"), "compile error @2: expected a field name"));
  EXPECT_TRUE(matches(run("m.null"), "compile error @2: expected a field name"));
  EXPECT_TRUE(matches(run("m.in"), "compile error @2: expected a field name"));
  EXPECT_TRUE(matches(run("m.`in`", R"({"m": {"in": 1}})"), "1"));  // backquotes make it a name
}

TEST(Parser, IdentifiersThatMerelyStartLikeKeywords) {
  const char* ctx = R"({"inx": 1, "nullable": 2, "true_": 3, "iffy": 4})";
  EXPECT_TRUE(matches(run("inx + nullable + true_ + iffy", ctx), "10"));
}

// ---- constant sub-expressions: folded, but errors still surface at evaluation ----

class Folding : public CelTable {};
TEST_P(Folding, KeepsEvaluationSemantics) { check(); }

INSTANTIATE_TEST_SUITE_P(Parser, Folding, ::testing::Values(
    Case{"1 / 0", "error: division by zero"},
    Case{"9223372036854775807 + 1", "error: integer overflow"},
    Case{"{'a': 1}.b", "error: no such key"},
    Case{"[1][5]", "error: index out of range"},
    Case{"int('x')", "error"},
    Case{"false && 1 / 0 == 1", "false"},
    Case{"1 / 0 == 1 || true", "true"},
    Case{"true ? 1 : 1 / 0", "1"},
    Case{"{'a': 1}.a", "1"},
    // has() takes the selection itself, so folding its operand must not break it.
    Case{"has({'a': 1, 'b': 2}.a)", "true"},
    Case{"has({'a': 1, 'b': 2}.c)", "false"},
    Case{"has({}.a)", "false"},
    Case{"has({'content-type': 'json'}.`content-type`)", "true"},
    Case{"has({'x': {'y': 1}}.x.y)", "true"},
    Case{"has({'x': {'y': 1}}.x.z)", "false"}),
    case_name);

// ---- backquoted field names ----

class Backquoted : public CelTable {};
TEST_P(Backquoted, SelectAnyKey) { check(); }

INSTANTIATE_TEST_SUITE_P(Parser, Backquoted, ::testing::Values(
    Case{"headers.`content-type`", "\"text/html\"", R"({"headers": {"content-type": "text/html"}})"},
    Case{"files.`foo.txt`", "32", R"({"files": {"foo.txt": 32}})"},
    Case{"routes.`/api/v1`", "true", R"({"routes": {"/api/v1": true}})"},
    Case{"m.`two words`", "2", R"({"m": {"two words": 2}})"},
    Case{"m.`a`", "1", R"({"m": {"a": 1}})"},
    Case{"has(m.`a-b`)", "false", R"({"m": {"a": 1}})"},
    Case{"m.`a-b`", "error: no such key", R"({"m": {"a": 1}})"}),
    case_name);

// ---- limits ----

TEST(ParserLimits, SourceLengthAtTheLimitCompiles) {
  Limits limits;
  limits.max_source_bytes = 64;
  std::string source = "'" + std::string(62, 'x') + "'";  // 64 bytes
  ASSERT_EQ(source.size(), 64u);
  EXPECT_TRUE(compile(source, limits).ok());
}

TEST(ParserLimits, SourceLengthOverTheLimitIsALimitError) {
  Limits limits;
  limits.max_source_bytes = 64;
  auto r = compile("'" + std::string(63, 'x') + "'", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Limit);
  EXPECT_EQ(r.error().position, 64);  // the first byte past the limit
  EXPECT_NE(r.error().message.find("65 bytes"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("limit of 64"), std::string::npos) << r.error().message;
}

TEST(ParserLimits, DefaultSourceLimitIs16KiB) {
  std::string ok = "'" + std::string(16 * 1024 - 2, 'x') + "'";
  EXPECT_TRUE(compile(ok).ok());
  auto r = compile(ok + " ");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Limit);
  EXPECT_EQ(r.error().position, 16 * 1024);
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// The CEL specification requires implementations to accept at least 32 levels of nesting and
// 32 repetitions of each recursive rule; the default limits must allow that.
class SpecMinimumNesting : public CelTable {};
TEST_P(SpecMinimumNesting, Compiles) { check(); }

const std::string kParens32 = repeat("(", 32) + "7" + repeat(")", 32);
const std::string kLists32 = "size(" + repeat("[", 32) + "0" + repeat("]", 32) + ")";
const std::string kMaps32 = "size(" + repeat("{0: ", 32) + "'foo'" + repeat("}", 32) + ")";
const std::string kCalls32 = repeat("int(uint(", 16) + "7" + repeat("))", 16);
const std::string kNot32 = repeat("!", 32) + "true";
const std::string kNeg32 = repeat("-", 32) + "19";
const std::string kIndex32 = repeat("[", 32) + "'foo'" + repeat("]", 32) + repeat("[0]", 32);
const std::string kSelect32 = "m" + repeat(".a", 32);
const std::string kTernary32 = repeat("true ? true : ", 32) + "true";
const std::string kOr32 = repeat("false || ", 32) + "true";
const std::string kAnd32 = repeat("true && ", 32) + "true";
const std::string kAdd32 = repeat("1 + ", 32) + "1";
const std::string kMixed = repeat("(", 32) + "x.a.b[0] + 1) * 2" + repeat(")", 31);

std::string nested_map_json(int depth) {
  return repeat("{\"a\": ", depth) + "1" + repeat("}", depth);
}
const std::string kSelectCtx = "{\"m\": " + nested_map_json(32) + "}";

INSTANTIATE_TEST_SUITE_P(Parser, SpecMinimumNesting, ::testing::Values(
    Case{kParens32.c_str(), "7"},
    Case{kLists32.c_str(), "1"},
    Case{kMaps32.c_str(), "1"},
    Case{kCalls32.c_str(), "7"},
    Case{kNot32.c_str(), "true"},
    Case{kNeg32.c_str(), "19"},
    Case{kIndex32.c_str(), "\"foo\""},
    Case{kSelect32.c_str(), "1", kSelectCtx.c_str()},
    Case{kTernary32.c_str(), "true"},
    Case{kOr32.c_str(), "true"},
    Case{kAnd32.c_str(), "true"},
    Case{kAdd32.c_str(), "33"},
    Case{kMixed.c_str(), "4", R"({"x": {"a": {"b": [1]}}})"}),
    case_name);

TEST(ParserLimits, DeepNestingIsALimitErrorNotACrash) {
  for (const std::string& source :
       {repeat("(", 100) + "1" + repeat(")", 100), repeat("[", 100) + repeat("]", 100),
        repeat("{1: ", 100) + "1" + repeat("}", 100), repeat("-", 200) + "1",
        repeat("!", 200) + "true", repeat("f(", 100), repeat("(", 10000)}) {
    auto r = compile(source);
    ASSERT_FALSE(r.ok()) << source.substr(0, 40);
    EXPECT_NE(r.error().message.find("nests deeper than 64 levels"), std::string::npos)
        << source.substr(0, 40) << ": " << r.error().message;
    EXPECT_GE(r.error().position, 0);
    EXPECT_LT(r.error().position, static_cast<int>(source.size()));
  }
}

TEST(ParserLimits, NestingLimitIsConfigurable) {
  Limits limits;
  limits.max_nesting = 200;
  const std::string deep = repeat("(", 50) + "1" + repeat(")", 50);
  EXPECT_TRUE(compile(deep, limits).ok());
  limits.max_nesting = 4;
  auto r = compile(deep, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nests deeper than 4 levels"), std::string::npos) << r.error().message;
}

TEST(ParserLimits, LongFlatChainsAreNotNesting) {
  // 2,000 terms joined by one operator are long, not deep.
  EXPECT_TRUE(matches(run(repeat("1 + ", 2000) + "1"), "2001"));
  EXPECT_TRUE(matches(run(repeat("false || ", 1500) + "true"), "true"));
  EXPECT_TRUE(matches(run(repeat("true && ", 1500) + "true"), "true"));
  EXPECT_TRUE(matches(run("[" + repeat("1, ", 2000) + "1].size()"), "2001"));
}

// Chains the nesting limit does not count still deepen the tree, which recursion walks: at most
// max_depth levels. `[x].a.a…a == 1` is the comparison, the selections, the list and `x`.
TEST(ParserLimits, TreeDepth) {
  auto chain = [](int selections) { return "[x]" + repeat(".a", selections) + " == 1"; };
  EXPECT_TRUE(compile(chain(997)).ok());
  auto r = compile(chain(998));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Limit);
  EXPECT_NE(r.error().message.find("syntax tree is 1001 levels deep, over the limit of 1000"), std::string::npos)
      << r.error().message;
  Limits limits;
  limits.max_depth = 5;
  EXPECT_TRUE(compile(chain(2), limits).ok());
  EXPECT_FALSE(compile(chain(3), limits).ok());
}

// Freeing a tree must not recurse once per level: a wasm stack holds a few thousand levels.
TEST(ParserLimits, DeepTreesAreFreedWithoutRecursion) {
  auto root = std::make_unique<Node>();
  Node* at = root.get();
  for (int i = 0; i < 1'000'000; ++i) {
    at->op = Op::Not;
    at->kids.push_back(std::make_unique<Node>());
    at = at->kids.back().get();
  }
  root.reset();  // a recursive destructor overflows the stack here, natively too
  SUCCEED();
}

TEST(ParserLimits, NodeCount) {
  Limits limits;
  limits.max_nodes = 11;
  // a + b + c + d + e + f: six identifiers and five additions.
  EXPECT_TRUE(compile("a + b + c + d + e + f", limits).ok());
  auto r = compile("a + b + c + d + e + f + g", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("more than 11 nodes"), std::string::npos) << r.error().message;
}

TEST(ParserLimits, DefaultNodeLimit) {
  // 8,192 nodes by default: 4,000 additions of 4,001 literals fit; 5,000 of 5,001 do not.
  EXPECT_TRUE(compile(repeat("1+", 4000) + "1").ok());
  auto r = compile(repeat("1+", 5000) + "1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("more than 8192 nodes"), std::string::npos) << r.error().message;
}

TEST(ParserLimits, ComprehensionNesting) {
  Limits limits;
  limits.max_nesting = 10000;  // isolate the comprehension limit from the nesting limit
  auto nest = [](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += "[1].all(v" + std::to_string(i) + ", ";
    s += "true";
    s += std::string(static_cast<std::size_t>(n), ')');
    return s;
  };
  auto ok = compile(nest(16), limits);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_TRUE(ok.value().evaluate(Value::map(Map()), limits).as_bool());
  auto r = compile(nest(17), limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("comprehensions nest deeper than 16 levels"), std::string::npos)
      << r.error().message;
}

// ---- Program ----

TEST(Program, KeepsItsSource) {
  auto p = compile("a  +  b");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value().source(), "a  +  b");
}

TEST(Program, CopiesEvaluateAlike) {
  auto p = compile("x * 2");
  ASSERT_TRUE(p.ok());
  Program copy = p.value();
  auto ctx = cel_test::context(R"({"x": 21})");
  EXPECT_EQ(copy.evaluate(ctx).as_int(), 42);
  EXPECT_EQ(p.value().evaluate(ctx).as_int(), 42);
  EXPECT_EQ(p.value().evaluate(cel_test::context(R"({"x": 5})")).as_int(), 10);
}

std::vector<std::string> refs(std::string_view source) {
  auto p = compile(source);
  EXPECT_TRUE(p.ok()) << source << ": " << (p.ok() ? "" : p.error().message);
  return p.ok() ? p.value().references() : std::vector<std::string>{};
}

TEST(ProgramReferences, AreSortedDottedAndUnique) {
  EXPECT_EQ(refs("time.hour >= 6 && time.hour < 11 && device.type in ['mobile', 'tablet'] && "
                 "geo.country == 'DE'"),
            (std::vector<std::string>{"device.type", "geo.country", "time.hour"}));
}

TEST(ProgramReferences, CutAtIndexesAndCalls) {
  EXPECT_EQ(refs("a.b[0].c"), (std::vector<std::string>{"a.b"}));
  EXPECT_EQ(refs("a.b.size() > 0"), (std::vector<std::string>{"a.b"}));
  EXPECT_EQ(refs("a['b'].c"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(refs("x"), (std::vector<std::string>{"x"}));
}

TEST(ProgramReferences, IncludeHasAndBackquotedNames) {
  EXPECT_EQ(refs("has(visit.first) && segment.mobile"),
            (std::vector<std::string>{"segment.mobile", "visit.first"}));
  EXPECT_EQ(refs("headers.`content-type` == 'x'"),
            (std::vector<std::string>{"headers.content-type"}));
}

TEST(ProgramReferences, ExcludeIterationVariablesAndLiterals) {
  EXPECT_EQ(refs("journey.touchpoints.exists(t, t.source == 'google' && t.n > min)"),
            (std::vector<std::string>{"journey.touchpoints", "min"}));
  EXPECT_EQ(refs("1 + 2 == 3 && 'a'.size() == 1 && type(1) == int"), std::vector<std::string>{});
  EXPECT_EQ(refs("[1, 2].map(x, x * k)"), (std::vector<std::string>{"k"}));
}

TEST(ProgramReferences, AContextVariableShadowedOnlyInsideTheMacro) {
  EXPECT_EQ(refs("x.exists(x, x > 0) && x.size() > 1"), (std::vector<std::string>{"x"}));
}

}  // namespace
}  // namespace ithaca
