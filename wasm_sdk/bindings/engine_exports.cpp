// The wasm boundary: plain C functions over UTF-8 bytes, wrapped by the hand-written glue in
// wasm_sdk/src/engine.js. JS writes its inputs back to back into one scratch buffer
// (ithaca_input), calls a function with the byte lengths, and reads the UTF-8 result from
// ithaca_output_ptr()/ithaca_output_len() until the next call. Loaded rule sets live here,
// keyed by a small positive id that JS holds, so deciding many times parses the rules once.
// Everything is compiled with -fno-exceptions and every export is noexcept: nothing can throw
// into JS. An out-of-memory abort is the only way out, and the glue treats it as a dead engine.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ithaca/api.hpp"
#include "ithaca/compiled_ruleset.hpp"
#include "ithaca/context.hpp"
#include "ithaca/json.hpp"
#include "ithaca/packed_context.hpp"
#include "ithaca/ruleset.hpp"

namespace {

std::vector<char> g_input;
std::string g_output;
std::vector<std::int32_t> g_codes;  // ithaca_decide_codes' answer, read by JS through HEAP32
std::vector<std::shared_ptr<const ithaca::RuleSet>> g_rulesets;  // index + 1 is the id JS holds; unloaded slots are empty

std::string_view input_part(std::size_t offset, std::size_t length) noexcept {
  if (offset > g_input.size() || length > g_input.size() - offset) return {};
  return {g_input.data() + offset, length};
}

const ithaca::RuleSet* find_loaded(std::int32_t id) noexcept {
  if (id <= 0 || static_cast<std::size_t>(id) > g_rulesets.size()) return nullptr;
  return g_rulesets[static_cast<std::size_t>(id) - 1].get();
}

// Keeps a loaded rule set and returns the id JS will hold (> 0).
std::int32_t keep(std::shared_ptr<const ithaca::RuleSet> rules) {
  g_output.clear();
  for (std::size_t i = 0; i < g_rulesets.size(); ++i) {
    if (!g_rulesets[i]) {
      g_rulesets[i] = std::move(rules);
      return static_cast<std::int32_t>(i + 1);
    }
  }
  g_rulesets.push_back(std::move(rules));
  return static_cast<std::int32_t>(g_rulesets.size());
}

}  // namespace

extern "C" {

// A buffer of at least `size` bytes for the next call's inputs; valid until the next call here.
char* ithaca_input(std::size_t size) noexcept {
  if (g_input.size() < size) g_input.resize(size);
  return g_input.data();
}

const char* ithaca_output_ptr() noexcept { return g_output.data(); }
std::size_t ithaca_output_len() noexcept { return g_output.size(); }

// `ithaca eval --batch` semantics for one expression: input = expr bytes, then context bytes.
void ithaca_evaluate(std::size_t expr_len, std::size_t context_len) noexcept {
  g_output = ithaca::evaluate_json(input_part(0, expr_len), input_part(expr_len, context_len));
}

// One raw `ithaca eval --batch` line.
void ithaca_evaluate_line(std::size_t line_len) noexcept {
  g_output = ithaca::evaluate_batch_line(input_part(0, line_len));
}

void ithaca_check(std::size_t rules_len) noexcept {
  g_output = ithaca::check_rules_json(input_part(0, rules_len));
}

// `ithaca decide` semantics: input = rules bytes, then context bytes.
void ithaca_decide_json(std::size_t rules_len, std::size_t context_len) noexcept {
  g_output = ithaca::decide_json(input_part(0, rules_len), input_part(rules_len, context_len));
}

void ithaca_context(std::size_t raw_len) noexcept {
  g_output = ithaca::derive_context_json(input_part(0, raw_len));
}

// Loads a rule set and returns its id (> 0); on failure returns 0 and the output holds the
// `ithaca check` report with every error.
std::int32_t ithaca_load(std::size_t rules_len) noexcept {
  const std::string_view text = input_part(0, rules_len);
  ithaca::LoadResult loaded = ithaca::load_ruleset(text);
  if (!loaded.ok()) {
    g_output = ithaca::check_rules_json(text);
    return 0;
  }
  return keep(std::move(loaded.rules));
}

// `ithaca compile`: a JSON rule set → its compiled bytes in the output (returns 1), or the
// `ithaca check` report (returns 0). The output is then bytes, not UTF-8 text.
std::int32_t ithaca_compile(std::size_t rules_len) noexcept {
  const std::string_view text = input_part(0, rules_len);
  ithaca::LoadResult loaded = ithaca::load_ruleset(text);
  if (!loaded.ok()) {
    g_output = ithaca::check_rules_json(text);
    return 0;
  }
  g_output = ithaca::compile_ruleset(*loaded.rules);
  return 1;
}

// Loads a compiled rule set (`ithaca compile`, the tracker's GET /v1/rules/{site}?compiled=2)
// and returns its id (> 0); on failure returns 0 and the output holds the report as `check`
// shapes it: {"ok": false, "errors": [{"path": "$", "kind": "load", "message": …, "position": N}]}.
// The browser build's only loader: pages carry no JSON rule-set reader, CEL parser or validation.
std::int32_t ithaca_load_compiled(std::size_t bytes_len) noexcept {
  ithaca::LoadResult loaded = ithaca::load_compiled_ruleset(input_part(0, bytes_len));
  if (!loaded.ok()) {
    const ithaca::Error& e = loaded.errors.front();
    g_output = "{\"ok\":false,\"errors\":[{\"path\":\"$\",\"kind\":\"load\",\"message\":";
    ithaca::append_json_string(e.message, g_output);
    g_output += ",\"position\":" + std::to_string(e.position) + "}]}";
    return 0;
  }
  return keep(std::move(loaded.rules));
}

void ithaca_unload(std::int32_t id) noexcept {
  if (find_loaded(id) != nullptr) g_rulesets[static_cast<std::size_t>(id) - 1].reset();
}

// Decisions of a loaded rule set for a context (input = context bytes); byte for byte what
// decide_json gives for the same rules and context, or with `explain` 0 the same with each
// explanation cut to its summary (the SDK outside debug mode). Returns 0 for an unknown id.
std::int32_t ithaca_decide(std::int32_t id, std::size_t context_len, std::int32_t explain) noexcept {
  const ithaca::RuleSet* rules = find_loaded(id);
  if (rules == nullptr) return 0;
  g_output = ithaca::decide_json(*rules, input_part(0, context_len), ithaca::DecideOptions{explain != 0});
  return 1;
}

// The fixed texts of a loaded rule set's brief decisions (decision_catalog_json), which the glue
// parses once and combines with ithaca_decide_codes' numbers. Returns 0 for an unknown id.
std::int32_t ithaca_catalog(std::int32_t id) noexcept {
  const ithaca::RuleSet* rules = find_loaded(id);
  if (rules == nullptr) return 0;
  g_output = ithaca::decision_catalog_json(*rules);
  return 1;
}

// The brief decisions of a loaded rule set as numbers (ithaca::decide_codes) at
// ithaca_codes_ptr(), and in the output the segment errors' JSON object ("" when none): returns
// how many numbers, or -1 for an unknown id, or -2 for a context that is not a JSON object
// (only the JSON text phrases that error exactly as `ithaca decide` does).
std::int32_t ithaca_decide_codes(std::int32_t id, std::size_t context_len) noexcept {
  const ithaca::RuleSet* rules = find_loaded(id);
  if (rules == nullptr) return -1;
  auto context = ithaca::parse_json(input_part(0, context_len));
  if (!context.ok() || !context.value().is_map()) return -2;
  ithaca::decide_codes(*rules, context.value(), g_codes, g_output);
  return static_cast<std::int32_t>(g_codes.size());
}

// ithaca_decide_codes for a context packed by the glue (ithaca::unpack_context): only the
// attributes the rule set reads, no JSON to write and parse. Returns as ithaca_decide_codes, or -3
// when the bytes do not unpack (the reason in the output; the glue then sends the JSON text).
std::int32_t ithaca_decide_packed(std::int32_t id, std::size_t packed_len) noexcept {
  const ithaca::RuleSet* rules = find_loaded(id);
  if (rules == nullptr) return -1;
  auto context = ithaca::unpack_context(*rules, input_part(0, packed_len));
  if (!context.ok()) {
    g_output = context.error().message;
    return -3;
  }
  ithaca::decide_codes(*rules, context.value(), g_codes, g_output);
  return static_cast<std::int32_t>(g_codes.size());
}

const std::int32_t* ithaca_codes_ptr() noexcept { return g_codes.data(); }

}  // extern "C"
