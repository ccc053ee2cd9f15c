// The core's speed, each beside its floor:
//  - evaluating a compiled personalization expression vs. a hand-written C++ function that reads
//    the same context value and computes the same thing (cel-cpp's modern_benchmark_test idea);
//  - parsing/compiling that expression;
//  - decide_to_json() on a realistic rule set (10 slots, 50 rules, 3 experiments) — the JSON
//    every home sends — and decide() (the same, parsed into a Value), and on the demo rule set.
// docs/performance.md records the ratios (`make bench`).
#include <benchmark/benchmark.h>

#include "core_workload.hpp"
#include "ithaca/expression.hpp"
#include "ithaca/json.hpp"
#include "ithaca/ruleset.hpp"

namespace {

using namespace ithaca;
using namespace ithaca::bench;

void BM_Expression_HandWritten(benchmark::State& state) {
  const Value ctx = small_context();
  for (auto _ : state) benchmark::DoNotOptimize(hand_written(ctx));
}
BENCHMARK(BM_Expression_HandWritten);

void BM_Expression_Evaluate(benchmark::State& state) {
  const Value ctx = small_context();
  const Program program = compile(kExpr).value();
  if (!program.evaluate(ctx).as_bool()) state.SkipWithError("expected true");
  for (auto _ : state) benchmark::DoNotOptimize(program.evaluate(ctx));
}
BENCHMARK(BM_Expression_Evaluate);

void BM_Expression_Compile(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(compile(kExpr));
}
BENCHMARK(BM_Expression_Compile);

void BM_Context_ParseJson(benchmark::State& state) {
  const std::string text = read("bench/data/realistic_context.json");
  for (auto _ : state) benchmark::DoNotOptimize(parse_json(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Context_ParseJson);

enum class Form { Json, Brief, AsValue };

void decide_bench(benchmark::State& state, const char* rules_path, Form form) {
  LoadResult rules = load_ruleset(read(rules_path));
  if (!rules.ok()) {
    state.SkipWithError(("rules do not load: " + rules.errors[0].path + " " + rules.errors[0].message).c_str());
    return;
  }
  const Value ctx = parse_json(read("bench/data/realistic_context.json")).value();
  for (auto _ : state) {
    if (form == Form::AsValue) benchmark::DoNotOptimize(decide(*rules.rules, ctx));
    else benchmark::DoNotOptimize(decide_to_json(*rules.rules, ctx, DecideOptions{form == Form::Json}));
  }
}

void BM_Decide_Realistic(benchmark::State& state) { decide_bench(state, "bench/data/realistic_rules.json", Form::Json); }
// What the browser SDK asks for outside debug mode: explanations cut to their summaries.
void BM_Decide_Realistic_Brief(benchmark::State& state) { decide_bench(state, "bench/data/realistic_rules.json", Form::Brief); }
void BM_Decide_Realistic_AsValue(benchmark::State& state) { decide_bench(state, "bench/data/realistic_rules.json", Form::AsValue); }
void BM_Decide_Demo(benchmark::State& state) { decide_bench(state, "demo_site/rules/demo.json", Form::Json); }
BENCHMARK(BM_Decide_Realistic);
BENCHMARK(BM_Decide_Realistic_Brief);
BENCHMARK(BM_Decide_Realistic_AsValue);
BENCHMARK(BM_Decide_Demo);

void BM_RuleSet_Load(benchmark::State& state) {
  const std::string text = read("bench/data/realistic_rules.json");
  for (auto _ : state) benchmark::DoNotOptimize(load_ruleset(text));
}
BENCHMARK(BM_RuleSet_Load);

}  // namespace

BENCHMARK_MAIN();
