// libFuzzer target for the core's JSON reader and writer, and for the `ithaca eval --batch`
// line contract built on them. Every input is a JSON document (or junk):
//  - parse_json() accepts it or fails with a message and an offset inside the input;
//  - what it accepts writes back as JSON that reads again to the same text;
//  - evaluate_batch_line() answers any line with exactly one JSON line, {"value"} or {"error"}.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_checks.hpp"
#include "ithaca/api.hpp"
#include "ithaca/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool utf8 = ithaca::fuzz::is_valid_utf8(text);

  auto parsed = ithaca::parse_json(text);
  if (parsed.ok()) {
    ithaca::fuzz::require(utf8, "parse_json() accepted invalid UTF-8");
    ithaca::fuzz::require_json_round_trip(parsed.value());
  } else {
    const ithaca::Error& e = parsed.error();
    ithaca::fuzz::require(!e.message.empty(), "parse_json() error without a message");
    ithaca::fuzz::require(e.position >= -1 && e.position <= static_cast<long>(size),
                          "parse_json() error offset lies outside the input");
  }

  // The batch contract covers any line the CLI can read (it splits on '\n').
  if (text.find('\n') == std::string_view::npos) {
    const std::string out = ithaca::evaluate_batch_line(text);
    ithaca::fuzz::require(out.find('\n') == std::string::npos, "a batch answer spans several lines");
    ithaca::fuzz::require(out.rfind("{\"value\":", 0) == 0 || out.rfind("{\"error\":", 0) == 0,
                          "a batch answer is neither {\"value\"} nor {\"error\"}");
    if (utf8) {
      ithaca::JsonLimits generous;
      generous.max_depth = 100000;
      generous.max_bytes = out.size() + 1;
      ithaca::fuzz::require(ithaca::parse_json(out, generous).ok(), "a batch answer is not valid JSON");
    }
  }
  return 0;
}
