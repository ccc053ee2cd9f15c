// Fuzzes load_compiled_ruleset(): any bytes must load or be refused with Load errors at "$" that
// name an offset inside them, never crash; a rule set that loads must decide against a fixed
// context (and an empty one) as valid JSON, give codes and a catalog, and compile to bytes that
// load again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_checks.hpp"
#include "ithaca/compiled_ruleset.hpp"
#include "ithaca/json.hpp"
#include "ithaca/ruleset.hpp"

using ithaca::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const ithaca::LoadResult loaded = ithaca::load_compiled_ruleset(bytes);
  if (!loaded.ok()) {
    require(!loaded.errors.empty(), "a refusal reports at least one error");
    for (const auto& e : loaded.errors) {
      require(e.kind == ithaca::ErrorKind::Load, "a refusal is a Load error");
      require(e.path == "$", "a refusal has the path $");
      require(e.position >= 0 && static_cast<std::size_t>(e.position) <= size, "a refusal names an offset inside the input");
    }
    return 0;
  }
  require(loaded.errors.empty(), "a loaded rule set has no errors");
  require(loaded.rules->document().is_null(), "a compiled rule set has no document");

  const ithaca::Value& context = ithaca::fuzz::visitor_context();
  static const ithaca::Value empty = ithaca::Value::map(ithaca::Map());
  for (const ithaca::Value* ctx : {&context, &empty}) {
    for (bool explain : {true, false}) {
      // With the limits decide() reads it with (decide.cpp): text it refuses would abort decide().
      auto parsed = ithaca::parse_json(ithaca::decide_to_json(*loaded.rules, *ctx, ithaca::DecideOptions{explain}),
                                       ithaca::JsonLimits{std::size_t{1} << 30, 256});
      require(parsed.ok(), "the decision is JSON that decide() can read");
      require(parsed.value().find("decisions") != nullptr, "the decision has decisions");
    }
    std::vector<std::int32_t> codes;
    std::string segment_errors;
    ithaca::decide_codes(*loaded.rules, *ctx, codes, segment_errors);
    require(codes.size() >= 2, "decide_codes writes at least the stage and advanced");
  }
  // The catalog is read by the SDK's JavaScript, which has no nesting limit.
  require(ithaca::parse_json(ithaca::decision_catalog_json(*loaded.rules), ithaca::JsonLimits{64u << 20, 256}).ok(),
          "the catalog is valid JSON");
  require(ithaca::load_compiled_ruleset(ithaca::compile_ruleset(*loaded.rules)).ok(),
          "a loaded rule set compiles to bytes that load again");
  return 0;
}
