// Rule sets and decisions. A rule set (schema 1, docs/rule-sets.md) names segments, slots,
// experiments and a journey; load_ruleset() validates all of it up front and reports every
// problem with its JSON path, so a rule set that loads cannot fail later for structural
// reasons. decide() never fails: an expression that evaluates to an error makes its rule not
// match and is reported in the explanation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ithaca/result.hpp"
#include "ithaca/value.hpp"

namespace ithaca {

class RuleSet;

struct LoadResult {
  std::shared_ptr<const RuleSet> rules;  // null when errors is not empty
  std::vector<Error> errors;             // each with kind Load/Parse/Json, a path and a position
  bool ok() const noexcept { return rules != nullptr; }
};

LoadResult load_ruleset(std::string_view json_text);
LoadResult load_ruleset(const Value& document);

// Decisions for every slot of the rule set, as a Value map shaped like the JSON in
// docs/rule-sets.md ("Decisions"):
//   {"site": …, "version": …, "journey": {"stage": …}, "segments": {name: bool, …},
//    "decisions": {slot: {"variant": …, "reason": "rule"|"experiment"|"default", "rule": …,
//                         "experiment": {…}, "props": {…}, "explanation": {…}}}}
Value decide(const RuleSet& rules, const Value& context);
// The same decisions as compact JSON text: what the CLI, the wasm SDK and the tracker send.
// This is the fast path; decide() parses this text.
struct DecideOptions {
  // false: each explanation holds only its "summary" — no "conditions" (which re-evaluate the
  // matched rule) and no "skipped" (a reason per rule passed over). What a browser needs outside
  // debug mode; the decisions themselves are identical.
  bool explain = true;
};
std::string decide_to_json(const RuleSet& rules, const Value& context, const DecideOptions& options = {});

// The brief decisions (DecideOptions{false}) as numbers, for a host that keeps the rule set's
// fixed texts itself instead of parsing them again on every decision (the wasm SDK:
// docs/sdk.md, "How the SDK decides"). `codes` becomes, in order:
//   journey stage index (-1: none or no journey), advanced (0/1),
//   one 0/1 per segment in the rule set's order,
//   per slot in order: matched rule index (-1: the default), experiment variant index, bucket.
// `segment_errors` becomes "" or, when segments evaluated to errors, the JSON object the text
// carries as "segment_errors" (their messages are the one part that is not a fixed text).
// decision_catalog_json() gives the texts the numbers index; together they rebuild exactly what
// decide_to_json(rules, context, {false}) writes.
void decide_codes(const RuleSet& rules, const Value& context, std::vector<std::int32_t>& codes,
                  std::string& segment_errors);
// {"site", "version", "stages": [id…] or null, "segments": [name…], "slots": [{"name",
//  "default": decision, "rules": [decision, or for an experiment rule one
//  {"decision": …with bucket 0, "summary_prefix": "…(bucket "} per variant],
//  "variants": the slot's declared variants as in the rule set ({} when none)}],
//  "reads": the attribute paths decisions read, as lists of keys (context_paths in packed_context.hpp)}
std::string decision_catalog_json(const RuleSet& rules);

// Deterministic experiment bucketing: 64-bit FNV-1a over the UTF-8 bytes of
// experiment_id, a 0x1F byte, and visitor_id; then the SplitMix64 finalizer; then modulo 10000.
// Only 64-bit integer arithmetic on bytes: identical native and in wasm (docs/rule-sets.md).
std::uint32_t bucket_of(std::string_view experiment_id, std::string_view visitor_id) noexcept;

class RuleSet {
 public:
  std::string_view site() const noexcept;
  std::string_view version() const noexcept;
  const Value& document() const noexcept;  // the validated source document
  struct Impl;
  explicit RuleSet(std::unique_ptr<Impl> impl);
  ~RuleSet();
  const Impl& impl() const noexcept { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace ithaca
