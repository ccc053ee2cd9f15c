// Fuzzes the rule-set loader and decide(): any bytes must load or be rejected with errors that
// each carry a JSON path, never crash; a rule set that loads must decide against a fixed
// context (and an empty one) without failing, and the decision must be valid JSON.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz_checks.hpp"
#include "ithaca/json.hpp"
#include "ithaca/ruleset.hpp"

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ithaca::LoadResult loaded = ithaca::load_ruleset(text);
  if (!loaded.ok()) {
    check(!loaded.errors.empty(), "a rejected rule set reports at least one error");
    for (const auto& e : loaded.errors) check(!e.path.empty() && e.path[0] == '$', "every error has a JSON path");
    return 0;
  }
  check(loaded.errors.empty(), "a loaded rule set has no errors");
  const ithaca::Value& context = ithaca::fuzz::visitor_context();
  for (const ithaca::Value* ctx : {&context, static_cast<const ithaca::Value*>(nullptr)}) {
    const std::string out = ithaca::decide_to_json(*loaded.rules, ctx ? *ctx : ithaca::Value::map(ithaca::Map()));
    auto parsed = ithaca::parse_json(out, ithaca::JsonLimits{64u << 20, 256});
    check(parsed.ok(), "the decision is valid JSON");
    check(parsed.value().find("decisions") != nullptr, "the decision has decisions");
  }
  return 0;
}
