// The page's engine (browser/ithaca.wasm) links this definition of match_computed_pattern in
// place of shared/src/computed_pattern.cpp, and with it leaves the regex compiler out (7 KB
// gzipped, docs/compiled-rules.md): a static library's member is linked only for a symbol that
// nothing before it defines. The page loads compiled rule sets only, which carry every pattern
// compiled and never a computed one (their reader refuses it), so this is not reached.
#include "computed_pattern.hpp"

namespace ithaca {

Value match_computed_pattern(std::string_view, std::string_view, std::uint64_t&, std::uint64_t) {
  return Value::error("a computed pattern needs the tools engine: the page's engine has no regex compiler");
}

}  // namespace ithaca
