#include "computed_pattern.hpp"

#include <string>

#include "ast.hpp"
#include "regex.hpp"

namespace ithaca {

Value match_computed_pattern(std::string_view text, std::string_view pattern, std::uint64_t& work,
                             std::uint64_t max_work) {
  auto re = Regex::compile(pattern);
  if (!re.ok()) return Value::error("invalid regular expression: " + re.error().message);
  if (!charge_match_work(work, max_work, text.size(), re.value().program_size())) return over_limit(kMatchWork, max_work, kMatchWorkUnit);
  return Value::boolean(re.value().search(text));
}

}  // namespace ithaca
