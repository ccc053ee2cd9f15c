// A decision's context handed over without JSON: only the attributes a rule set can read, their
// values in a small binary layout. Built for the wasm SDK, where JSON.stringify of the whole
// context and parsing it again cost more than deciding (docs/performance.md, "Browser SDK").
// unpack_context() gives the context that parse_json of the whole context would give, cut to
// those attributes, and a decision on it is identical (tests/shared/packed_context_test.cpp).
// Bad bytes give an Error naming the byte offset; nothing throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ithaca/result.hpp"
#include "ithaca/ruleset.hpp"
#include "ithaca/value.hpp"

namespace ithaca {

// The attribute paths a decision under `rules` can read, sorted, none a prefix of another (a
// path reads the whole value below it): every condition's references plus what deciding reads
// itself (time.now; time.weekday and time.hour for schedules; visitor.id for experiments;
// journey.stage for journeys). In the catalog as "reads" (decision_catalog_json).
const std::vector<std::vector<std::string>>& context_paths(const RuleSet& rules);

// The layout. The paths form a tree (children in the order the sorted paths first name them).
// The bytes hold one entry per top-level key of that tree, in order. An entry is a tag byte and
// its payload; numbers are little-endian, lengths and counts u32:
//   0 absent   1 null   2 false   3 true
//   4 integer: f64 holding an integer of magnitude at most 2^53
//   5 double: f64
//   6 string: length, UTF-8 bytes
//   7 JSON: length, a JSON text (any value the other tags cannot carry)
//   8 list (Items): count, then that many entries (not absent, not object)
//   9 object: only at a key with children in the tree; one entry per child, in order
enum class PackedTag : unsigned char {
  Absent = 0, Null, False, True, Integer, Double, String, Json, Items, Object
};

Result<Value> unpack_context(const RuleSet& rules, std::string_view bytes);

// The same layout written from a Value, as the glue writes it from a JavaScript object
// (wasm_sdk/src/context_packer.js): for native callers, tests and benchmarks. As there, a map
// the rules read whole travels as JSON text, so a NaN or infinity inside one comes back as the
// JSON writer writes it (a string); everywhere else every value comes back exactly.
std::string pack_context(const RuleSet& rules, const Value& context);

}  // namespace ithaca
