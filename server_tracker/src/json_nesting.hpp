// A linear pre-scan of JSON text for its nesting depth, run before a parser builds a tree:
// deeply nested input is refused up front rather than parsed (and destroyed) recursively.
#pragma once

#include <string_view>

namespace ithaca::tracker {

// True when no array/object in `text` nests deeper than `max_depth`. Brackets inside strings
// do not count. Malformed text is left to the parser.
bool json_depth_within(std::string_view text, int max_depth) noexcept;

}  // namespace ithaca::tracker
