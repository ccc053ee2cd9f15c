// libFuzzer target for the CEL engine: every input is an expression. It must compile or fail
// with a positioned error, and a compiled program must evaluate — against a rich visitor
// context and against an empty one — without crashing, deterministically, to a value whose JSON
// reads back to the same text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_checks.hpp"
#include "ithaca/expression.hpp"
#include "ithaca/json.hpp"

namespace {

// Every kind JSON can carry, at several depths, under the design's attribute names and the
// short names the conformance expressions use (x, y, a, s, l, m).
constexpr std::string_view kContext = R"json({
  "time": {"hour": 7, "minute": 45, "weekday": 1, "day": 14, "month": 7, "year": 2025,
           "date": "2025-07-14", "daypart": "morning", "timezone": "Europe/Berlin",
           "now": "2025-07-14T07:45:00+02:00"},
  "geo": {"country": "DE", "region": "BE", "city": "Berlin", "timezone_country": "DE",
          "languages": ["de-DE", "de", "en-US"]},
  "device": {"type": "mobile", "os": "iOS", "browser": "Safari", "browser_version": 17.4,
             "touch": true, "screen_width": 390, "dark_mode": false},
  "referrer": {"url": "https://www.google.com/search?q=shoes", "host": "www.google.com",
               "category": "search", "source": "google"},
  "utm": {"source": "newsletter", "medium": "email", "campaign": "summer_sale", "term": null,
          "content": ""},
  "visit": {"first": false, "count": 12, "days_since_last": 3, "pageviews": 5,
            "landing_path": "/de/schuhe", "path": "/de/schuhe/sneaker-42"},
  "journey": {"stage": "consideration", "first_touch": "search", "last_touch": "email",
              "touchpoints": [{"source": "google", "at": 1720000000},
                              {"source": "newsletter", "at": 1720500000}],
              "interests": {"sneakers": 0.8, "boots": 0.1, "sale": 1.0}},
  "consent": {"analytics": true, "personalization": true, "gpc": false, "dnt": false},
  "custom": {"cart_value": 129.95, "cart_items": 3, "tier": "gold", "tags": ["vip", "beta"],
             "big": 9223372036854775807, "huge": 18446744073709551615, "neg": -9223372036854775808,
             "tiny": 5e-324, "unicode": "Grüße, 世界 🐱", "escaped": "tab\tquote\"nl\n",
             "empty_list": [], "empty_map": {}, "nested": {"a": {"b": {"c": [1, [2, [3, {"d": null}]]]}}}},
  "x": 42, "y": 2.5, "a": [0, 1, 2, 3], "s": "hello", "b": true, "n": null,
  "l": [1, 2.0, "three", true, null, [4], {"five": 5}],
  "m": {"k": "v", "1": 1, "true": false}
})json";

const ithaca::Value& rich_context() {
  static const ithaca::Value context = [] {
    auto parsed = ithaca::parse_json(kContext);
    ithaca::fuzz::require(parsed.ok(), "the fixed fuzz context must parse");
    return parsed.value();
  }();
  return context;
}

void evaluate_and_check(const ithaca::Program& program, const ithaca::Value& context, bool utf8_source) {
  ithaca::Value first = program.evaluate(context);
  ithaca::Value second = program.evaluate(context);
  const std::string first_text = ithaca::fuzz::describe(first);
  ithaca::fuzz::require(first_text == ithaca::fuzz::describe(second),
                        "evaluating the same program twice gave different results");
  if (first.is_error()) {
    ithaca::fuzz::require(!first.as_string().empty(), "an error value needs a message");
    return;
  }
  if (utf8_source) ithaca::fuzz::require_json_round_trip(first);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  auto program = ithaca::compile(source);
  if (!program.ok()) {
    const ithaca::Error& e = program.error();
    ithaca::fuzz::require(e.kind == ithaca::ErrorKind::Parse || e.kind == ithaca::ErrorKind::Limit,
                          "compile() errors are Parse or Limit");
    ithaca::fuzz::require(e.position >= -1 && e.position <= static_cast<long>(size),
                          "compile() error position lies outside the source");
    ithaca::fuzz::require(!e.message.empty(), "compile() error without a message");
    return 0;
  }
  const bool utf8_source = ithaca::fuzz::is_valid_utf8(source);
  evaluate_and_check(program.value(), rich_context(), utf8_source);
  static const ithaca::Value empty = ithaca::Value::map(ithaca::Map());
  evaluate_and_check(program.value(), empty, utf8_source);
  return 0;
}
