// Compiled rule sets: a loaded rule set written as bytes that load again without the JSON
// reader, the CEL lexer and parser or the rule-set validation — what a page needs to decide,
// so that it can leave those out of its download and not compile them before its first decision
// (docs/compiled-rules.md). The bytes are made where the JSON is validated (the tracker, the
// `ithaca compile` command) and decide exactly as the JSON they came from.
//
// load_compiled_ruleset() treats its input as untrusted: whatever the bytes, it returns a rule
// set that is safe to decide with or errors, never crashes and never reads out of bounds.
// Bytes that are well-formed but were not written by compile_ruleset() (edited by hand, say)
// load and decide safely, but nothing promises their decisions match any JSON rule set.
#pragma once

#include <string>
#include <string_view>

#include "ithaca/ruleset.hpp"

namespace ithaca {

// The first bytes of every compiled rule set, then one byte: the format's version.
inline constexpr std::string_view kCompiledMagic = "ITHR";
// Format 2 carries `matches` patterns compiled; format 1 (2026-11-24) compiled them at load.
inline constexpr unsigned char kCompiledFormat = 2;

// The bytes for a rule set loaded from JSON (load_ruleset). Deterministic: the same rule set
// gives the same bytes.
std::string compile_ruleset(const RuleSet& rules);

// Loads what compile_ruleset() wrote. Errors have kind Load, the path "$" and the byte offset
// where reading stopped as their position. A rule set loaded here has a null document().
LoadResult load_compiled_ruleset(std::string_view bytes);

// Either form, told apart by the magic: what `ithaca decide` and decide_json() accept.
LoadResult load_ruleset_or_compiled(std::string_view json_or_bytes);

}  // namespace ithaca
