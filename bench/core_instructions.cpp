// Load-independent counterpart of core_bench: runs one operation N times so that
// `bench/core_instructions.sh` can count its instructions under callgrind (N = 1 and N = 100,001;
// the difference ÷ 100,000 is the cost of one). Shared machines make wall-clock ratios noisy;
// instruction counts are what docs/performance.md compares.
//   core_instructions floor|evaluate|decide|brief N   (brief: decide without explanation details)
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core_workload.hpp"
#include "ithaca/expression.hpp"
#include "ithaca/json.hpp"
#include "ithaca/ruleset.hpp"

using namespace ithaca;
using namespace ithaca::bench;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: core_instructions floor|evaluate|decide|brief N\n");
    return 2;
  }
  const long n = std::atol(argv[2]);
  const Value ctx = small_context();
  const Program program = compile(kExpr).value();
  const LoadResult rules = load_ruleset(read("bench/data/realistic_rules.json"));
  const Value decide_ctx = parse_json(read("bench/data/realistic_context.json")).value();
  if (!rules.ok()) return 1;
  std::size_t sink = 0;
  for (long i = 0; i < n; ++i) {
    if (std::strcmp(argv[1], "floor") == 0) {
      sink += hand_written(ctx);
      asm volatile("" ::: "memory");  // keep the loop from being folded
    } else if (std::strcmp(argv[1], "evaluate") == 0) {
      sink += program.evaluate(ctx).as_bool();
    } else if (std::strcmp(argv[1], "decide") == 0) {
      sink += decide_to_json(*rules.rules, decide_ctx).size();
    } else {
      sink += decide_to_json(*rules.rules, decide_ctx, DecideOptions{false}).size();
    }
  }
  std::printf("%zu\n", sink);
  return 0;
}
