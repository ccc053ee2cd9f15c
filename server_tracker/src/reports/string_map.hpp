// Hash maps keyed by std::string that are looked up by std::string_view without building a
// string (heterogeneous lookup): the report aggregators probe them once per event.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ithaca::tracker {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

}  // namespace ithaca::tracker
