// What the evaluator reads and builds (evaluator.cpp): indexing, field selection and has(),
// variables from the JSON context, list and map literals, and the macros.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "testing/cel_test_util.hpp"

namespace ithaca {
namespace {

using cel_test::Case;
using cel_test::case_name;
using cel_test::matches;
using cel_test::run;

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

}  // namespace
}  // namespace ithaca
