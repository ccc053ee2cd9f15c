// `text.matches(pattern)` where the pattern is computed at evaluation (an expression of its own:
// rule sets take literal patterns, which the parser compiles once). The pattern is compiled each
// time. Defined in computed_pattern.cpp — a file of its own so that the page's engine, whose
// rule sets carry every pattern compiled, can link without the regex compiler
// (wasm_sdk/bindings/page_patterns.cpp defines this function for it instead).
#pragma once

#include <string_view>

#include "ithaca/value.hpp"

namespace ithaca {

Value match_computed_pattern(std::string_view text, std::string_view pattern);

}  // namespace ithaca
