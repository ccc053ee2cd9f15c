// Visitor languages from navigator.languages or an Accept-Language header, as lower-case
// BCP 47 tags in preference order.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ithaca::language {

inline constexpr std::size_t kMaxLanguages = 10;

// "en_US" → "en-us"; "" for what is not a plausible tag ("*", "en--us", 9-letter subtags…).
std::string normalize_tag(std::string_view tag);

// Tags by descending q (ties keep header order), q=0 dropped, duplicates removed, at most
// kMaxLanguages. A missing or malformed q counts as 1.
std::vector<std::string> parse_accept_language(std::string_view header);

// Normalizes a list already in preference order: invalid tags dropped, duplicates removed, bounded.
std::vector<std::string> normalize_list(const std::vector<std::string>& tags);

// "pt-br" → "pt".
std::string primary_subtag(std::string_view tag);

}  // namespace ithaca::language
