// JSON text in, JSON text out: the one surface shared by the `ithaca` command, the wasm bindings
// and the tracker, so all of them answer byte for byte alike. Never throws; bad input comes back
// as {"error": {"kind": …, "message": …, "position": …}}.
#pragma once

#include <string>
#include <string_view>

#include "ithaca/ruleset.hpp"

namespace ithaca {

// {"value": …} or {"error": {"kind": "parse"|"eval", "message": …, "position": N}}.
// `context_json` may be empty (no variables).
std::string evaluate_json(std::string_view expr, std::string_view context_json);

// One line of `ithaca eval --batch`: {"expr": "...", "context": {...}} → one output line
// (without the trailing newline). A malformed line gets {"error": {"kind": "parse", …}}.
std::string evaluate_batch_line(std::string_view line);

}  // namespace ithaca

namespace ithaca {

// `ithaca check`: {"ok": true, "site": …, "slots": N, …} or
// {"ok": false, "errors": [{"path": "$.slots.hero.rules[1].when", "message": …, "position": N}]}.
std::string check_rules_json(std::string_view rules_json);

// `ithaca decide`: decide(load_ruleset(rules_json), context) as JSON, or {"error": {…}} when
// the rules do not load (with "errors": [...]) or the context is not a JSON object. The rules
// may also be a compiled rule set (ithaca/compiled_ruleset.hpp).
std::string decide_json(std::string_view rules_json, std::string_view context_json);
// The same for a rule set already loaded (`ithaca decide --batch`, the wasm SDK's loaded rule
// sets): only the context can be in error, and the error reads as above.
std::string decide_json(const RuleSet& rules, std::string_view context_json, const DecideOptions& options = {});

}  // namespace ithaca
