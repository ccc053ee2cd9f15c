// Rule sets that more than one suite decides with: the decision tests (decide_test.cpp), the
// packed-context tests (packed_context_test.cpp), and the compiled-rule-set round trips
// (compiled_ruleset_test.cpp), which must decide each exactly as its JSON does.
#pragma once

namespace ithaca::testing {

// Segments, a journey, rules that match, fail to evaluate and follow a schedule past midnight.
inline constexpr const char* kDecideRules = R"j({
  "schema": 1, "site": "t", "version": "7",
  "segments": {"morning": "time.hour >= 6 && time.hour < 11", "de": "geo.country == 'DE'"},
  "journey": {"stages": [{"id": "new", "when": "true"}, {"id": "engaged", "when": "visit.pageviews >= 3"}, {"id": "buyer", "when": "custom.orders > 0"}]},
  "slots": {
    "hero": {"default": "plain", "variants": {"plain": {"props": {"h": "Hi"}}, "breakfast": {}, "german": {}}, "rules": [
      {"id": "broken", "when": "geo.city.startsWith(1)", "variant": "german"},
      {"id": "de-morning", "when": "segment.morning && segment.de", "variant": "german"},
      {"id": "morning", "when": "segment.morning", "variant": "breakfast"}]},
    "night": {"default": "off", "rules": [{"id": "late", "schedule": {"hours": {"from": 22, "to": 6}}, "variant": "on"}]},
    "stage": {"default": "x", "rules": [{"id": "engaged", "when": "journey.stage == 'engaged'", "variant": "y"}]}
  }
})j";

// Segments with macros, a journey, an experiment with an audience, schedules and `in`.
inline constexpr const char* kPackedContextRules = R"json({
  "schema": 1, "site": "s",
  "segments": {
    "mobile": "device.type == 'mobile'",
    "german": "geo.languages.exists(l, l.startsWith('de'))",
    "big_cart": "size(custom) > 1 && custom.cart_value > 50.0"
  },
  "journey": {"stages": [
    {"id": "aware", "when": "true"},
    {"id": "buy", "when": "has(visit.count) && visit.count > 2"}
  ]},
  "experiments": {"hero-test": {"audience": "!segment.mobile",
    "variants": [{"id": "a", "weight": 50}, {"id": "b", "weight": 50}]}},
  "slots": {
    "hero": {"default": "plain", "rules": [
      {"id": "de", "when": "segment.german && time.hour < 12", "variant": "morning"},
      {"id": "t", "experiment": "hero-test"}]},
    "banner": {"default": "none", "rules": [
      {"id": "sale", "schedule": {"days": ["sat", "sun"]}, "variant": "weekend"},
      {"id": "ref", "when": "referrer.category in ['search', 'social'] && utm.source != 'x'", "variant": "found"}]}
  }
})json";

}  // namespace ithaca::testing
