// The evaluator's machinery (evaluator.cpp): limits on evaluation work and size, explain()
// traces, where an error arose, and activations layered over the context. Its operators and
// what it reads are in evaluator_operators_test.cpp and evaluator_access_test.cpp.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "ithaca/expression.hpp"
#include "regex.hpp"
#include "testing/cel_test_util.hpp"

namespace ithaca {
namespace {

using cel_test::matches;
using cel_test::run;

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

// Everything an evaluation builds counts towards one budget: strings' bytes, 16 bytes for each
// element of a list or map. Operands handed back unchanged (`l + []`, dyn(l)) cost nothing.
TEST(EvaluationLimits, BuiltBytesAddUpAcrossTheEvaluation) {
  Limits limits;
  limits.max_built_bytes = 100;
  const std::string ctx = R"({"s": "abcdefghijklmnopqrst", "l6": [1,2,3,4,5,6], "l7": [1,2,3,4,5,6,7]})";
  auto over = [&](std::string_view source) {
    Value v = eval_with(source, ctx, limits);
    return v.is_error() && v.as_string() == "values built over the limit of 100 bytes";
  };
  EXPECT_EQ(cel_test::show(eval_with("size(s + s + s)", ctx, limits)), "60");  // 40 + 60 bytes
  EXPECT_TRUE(over("size(s + s + s + s)"));
  EXPECT_EQ(cel_test::show(eval_with("[1, 2].map(x, s.upperAscii()).size()", ctx, limits)), "2");  // 40 + 32
  EXPECT_TRUE(over("[1, 2, 3].map(x, s.upperAscii()).size()"));  // 60 + 48
  EXPECT_EQ(cel_test::show(eval_with("l6.map(x, x).size()", ctx, limits)), "6");  // 96 bytes
  EXPECT_TRUE(over("l7.map(x, x).size()"));
  EXPECT_TRUE(over("l7.filter(x, true).size()"));
  EXPECT_TRUE(over("size(l6 + [1])"));
  EXPECT_EQ(cel_test::show(eval_with("size([l6, l6, l6, l6, l6, l6])", ctx, limits)), "6");
  EXPECT_TRUE(over("size([l6, l6, l6, l6, l6, l6, l6])"));
  EXPECT_TRUE(over("size({'a': l6, 'b': l6, 'c': l6, 'd': l6})"));  // 8 values of 16 bytes
  EXPECT_EQ(cel_test::show(eval_with("l7.all(x, dyn(l7) == l7 && l7 + [] == l7 && [] + l7 == l7)", ctx, limits)), "true");
}

// A context {"l": [0, 1, …, n-1], "s": a string of `bytes` copies of `c`}.
std::string list_and_string(int n, std::size_t bytes, char c = 'x') {
  std::string list = "[";
  for (int i = 0; i < n; ++i) list += (i ? "," : "") + std::to_string(i);
  return R"({"l": )" + list + R"(], "s": ")" + std::string(bytes, c) + R"("})";
}

TEST(EvaluationLimits, DefaultBoundsWhatMacrosBuild) {
  // 2,000 copies of a 60 KB string: 120 MB, each under every per-value limit.
  const std::string ctx = list_and_string(2000, 60000);
  EXPECT_TRUE(matches(run("l.map(x, s).size()", ctx), "2000"));
  EXPECT_TRUE(matches(run("l.map(x, s + 'y').size()", ctx), "error: values built over the limit of 67108864 bytes"));
}

// `matches` costs text bytes × pattern instructions of the evaluation's regex budget.
TEST(EvaluationLimits, MatchWorkAddsUp) {
  const std::size_t program = Regex::compile("z").value().program_size();
  Limits limits;
  limits.max_match_work = 3 * 10 * program;  // three matches on 10 bytes
  const std::string ctx = R"({"s": "abcdefghij", "p": "z", "l3": [1,2,3], "l4": [1,2,3,4]})";
  EXPECT_EQ(cel_test::show(eval_with("l3.exists(x, s.matches('z'))", ctx, limits)), "false");
  EXPECT_EQ(cel_test::show(eval_with("l3.exists(x, s.matches(p))", ctx, limits)), "false");
  const std::string error = "regular expression work over the limit of " +
                            std::to_string(limits.max_match_work) + " (text bytes × pattern size)";
  for (const char* source : {"l4.exists(x, s.matches('z'))", "l4.exists(x, s.matches(p))",
                             "s.matches('z') || s.matches('z') || s.matches(p) || s.matches(p)"}) {
    Value v = eval_with(source, ctx, limits);
    EXPECT_TRUE(v.is_error() && v.as_string() == error) << source << ": " << cel_test::show(v);
  }
}

TEST(EvaluationLimits, DefaultBoundsMatchesInMacros) {
  // 90,000 matches of a 2,000-instruction program over 2,000 bytes: about ten minutes unbounded.
  const std::string ctx = list_and_string(300, 2000, 'a');
  EXPECT_TRUE(matches(run("s.matches('.{999}z')", ctx), "false"));
  EXPECT_TRUE(matches(run("l.exists(a, l.exists(b, s.matches('.{999}z')))", ctx),
                      "error: regular expression work over the limit"));
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
