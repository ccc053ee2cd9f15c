// Fuzzes unpack_context(): any bytes must unpack or be refused with an error that names a byte
// offset inside them, never crash; a context that unpacks must decide, and writing it as JSON
// and reading that back must give the same JSON (only values JSON can carry come out).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_checks.hpp"
#include "ithaca/json.hpp"
#include "ithaca/packed_context.hpp"
#include "ithaca/ruleset.hpp"

using ithaca::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Whole values (custom, geo.languages), nested keys, and what deciding reads itself.
  static const auto rules = ithaca::load_ruleset(R"json({"schema": 1, "site": "f",
    "segments": {"m": "device.type == 'mobile'", "c": "size(custom) > 0"},
    "journey": {"stages": [{"id": "a", "when": "true"}, {"id": "b", "when": "visit.count > 1"}]},
    "experiments": {"e": {"variants": [{"id": "x", "weight": 50}, {"id": "y", "weight": 50}]}},
    "slots": {"s": {"default": "d", "rules": [
      {"id": "r1", "when": "segment.m && geo.languages.exists(l, l == 'de')", "variant": "v"},
      {"id": "r2", "schedule": {"hours": {"from": 8, "to": 18}}, "variant": "w"},
      {"id": "r3", "experiment": "e"}]}}})json");
  require(rules.ok(), "the fuzz rule set loads");
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto unpacked = ithaca::unpack_context(*rules.rules, bytes);
  if (!unpacked.ok()) {
    require(unpacked.error().position >= 0 && static_cast<std::size_t>(unpacked.error().position) <= size,
            "a refusal names a byte offset inside the input");
    require(unpacked.error().message.rfind("packed context at byte ", 0) == 0, "a refusal says where");
    return 0;
  }
  require(unpacked.value().is_map(), "a context unpacks to a map");
  const std::string json = ithaca::to_json(unpacked.value());
  auto reread = ithaca::parse_json(json);
  require(reread.ok() && ithaca::to_json(reread.value()) == json, "an unpacked context round-trips through JSON");
  std::vector<std::int32_t> codes;
  std::string segment_errors;
  ithaca::decide_codes(*rules.rules, unpacked.value(), codes, segment_errors);
  require(codes.size() == 2 + 2 + 3, "decide_codes writes stage, advanced, 2 segments and 1 slot");
  return 0;
}
