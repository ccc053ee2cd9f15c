// `text.matches(pattern)` where the pattern is computed at evaluation (an expression of its own:
// rule sets take literal patterns, which the parser compiles once). The pattern is compiled each
// time. Defined in computed_pattern.cpp — a file of its own so that the page's engine, whose
// rule sets carry every pattern compiled, can link without the regex compiler
// (wasm_sdk/bindings/page_patterns.cpp defines this function for it instead).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ithaca/value.hpp"

namespace ithaca {

// Charges `work` the text bytes × program size of the match (see Limits::max_match_work) and
// does not match when that takes it past `max_work`.
Value match_computed_pattern(std::string_view text, std::string_view pattern, std::uint64_t& work,
                             std::uint64_t max_work);

// Adds a match's bound, text bytes × program instructions, to `work`; false when that is over
// `max_work` (then the match must not run). Saturates: once over, stays over.
inline bool charge_match_work(std::uint64_t& work, std::uint64_t max_work, std::size_t text_bytes,
                              std::size_t program_size) {
  if (work > max_work) return false;
  work += static_cast<std::uint64_t>(text_bytes) * program_size;  // ≤ 2^32 × 2000: no overflow
  return work <= max_work;
}

inline constexpr const char* kMatchWork = "regular expression work";
inline constexpr const char* kMatchWorkUnit = " (text bytes × pattern size)";

}  // namespace ithaca
