#include "computed_pattern.hpp"

#include <string>

#include "regex.hpp"

namespace ithaca {

Value match_computed_pattern(std::string_view text, std::string_view pattern) {
  auto re = Regex::compile(pattern);
  if (!re.ok()) return Value::error("invalid regular expression: " + re.error().message);
  return Value::boolean(re.value().search(text));
}

}  // namespace ithaca
