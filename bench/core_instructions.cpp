// Load-independent counterpart of core_bench: runs one operation N times so that
// `bench/core_instructions.sh` can count its instructions under callgrind (N = 1 and N = 100,001;
// the difference ÷ 100,000 is the cost of one). Shared machines make wall-clock ratios noisy;
// instruction counts are what docs/performance.md compares.
//   core_instructions floor|evaluate|decide|brief|context|codes|packed N
//   (brief: decide without explanation details; context: read the decision's context from its
//   JSON text and free it again, as every decision over HTTP starts; codes: the brief decision as
//   numbers (decide_codes) on a context already read; packed: what the wasm SDK runs per decision,
//   unpack_context of the packed context, then decide_codes)
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core_workload.hpp"
#include "ithaca/expression.hpp"
#include "ithaca/json.hpp"
#include "ithaca/packed_context.hpp"
#include "ithaca/ruleset.hpp"

using namespace ithaca;
using namespace ithaca::bench;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: core_instructions floor|evaluate|decide|brief|context|codes|packed N\n");
    return 2;
  }
  const long n = std::atol(argv[2]);
  const Value ctx = small_context();
  const Program program = compile(kExpr).value();
  const LoadResult rules = load_ruleset(read("bench/data/realistic_rules.json"));
  const std::string context_text = read("bench/data/realistic_context.json");
  const Value decide_ctx = parse_json(context_text).value();
  if (!rules.ok()) return 1;
  const std::string packed = pack_context(*rules.rules, decide_ctx);
  std::vector<std::int32_t> codes;
  std::string segment_errors;
  std::size_t sink = 0;
  for (long i = 0; i < n; ++i) {
    if (std::strcmp(argv[1], "floor") == 0) {
      sink += hand_written(ctx);
      asm volatile("" ::: "memory");  // keep the loop from being folded
    } else if (std::strcmp(argv[1], "evaluate") == 0) {
      sink += program.evaluate(ctx).as_bool();
    } else if (std::strcmp(argv[1], "decide") == 0) {
      sink += decide_to_json(*rules.rules, decide_ctx).size();
    } else if (std::strcmp(argv[1], "brief") == 0) {
      sink += decide_to_json(*rules.rules, decide_ctx, DecideOptions{false}).size();
    } else if (std::strcmp(argv[1], "codes") == 0) {
      decide_codes(*rules.rules, decide_ctx, codes, segment_errors);
      sink += codes.size();
    } else if (std::strcmp(argv[1], "packed") == 0) {
      decide_codes(*rules.rules, unpack_context(*rules.rules, packed).value(), codes, segment_errors);
      sink += codes.size();
    } else {
      sink += parse_json(context_text).value().as_map().size();
    }
  }
  std::printf("%zu\n", sink);
  return 0;
}
