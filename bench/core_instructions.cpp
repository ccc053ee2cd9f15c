// Load-independent counterpart of core_bench: runs one operation N times so that
// `bench/core_instructions.sh` can count its instructions under callgrind (N = 1 and N = 100,001;
// the difference ÷ 100,000 is the cost of one). Shared machines make wall-clock ratios noisy;
// instruction counts are what docs/performance.md compares.
//   core_instructions floor|evaluate|decide|brief N   (brief: decide without explanation details)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "ithaca/expression.hpp"
#include "ithaca/json.hpp"
#include "ithaca/ruleset.hpp"

namespace {

using namespace ithaca;

std::string read(const std::string& path) {
  std::ifstream in(std::string(ITHACA_SOURCE_DIR) + "/" + path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The same floor as core_bench's BM_Expression_HandWritten.
bool hand_written(const Value& ctx) {
  const Value* time = ctx.find("time");
  const Value* hour = time ? time->find("hour") : nullptr;
  if (!hour || hour->kind() != Kind::Int || hour->as_int() < 6 || hour->as_int() >= 11) return false;
  const Value* device = ctx.find("device");
  const Value* type = device ? device->find("type") : nullptr;
  if (!type || !type->is_string() || (type->as_string() != "mobile" && type->as_string() != "tablet")) return false;
  const Value* geo = ctx.find("geo");
  const Value* country = geo ? geo->find("country") : nullptr;
  return country && country->is_string() && country->as_string() == "DE";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: core_instructions floor|evaluate|decide|brief N\n");
    return 2;
  }
  const long n = std::atol(argv[2]);
  const Value ctx = parse_json(R"({"time": {"hour": 8, "minute": 5, "weekday": 2}, "geo": {"country": "DE", "languages": ["de-de"]},
                                  "device": {"type": "tablet", "os": "ipados", "browser": "safari"}, "referrer": {"category": "direct"},
                                  "visit": {"count": 2}})").value();
  const Program program =
      compile("time.hour >= 6 && time.hour < 11 && device.type in ['mobile','tablet'] && geo.country == 'DE'").value();
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
