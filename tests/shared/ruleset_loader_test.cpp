// Loading validates a rule set up front and reports every problem with its JSON path.
#include <gtest/gtest.h>

#include "ithaca/api.hpp"
#include "ithaca/ruleset.hpp"
#include "testing/files.hpp"

namespace ithaca {
namespace {

// A minimal valid rule set with one slot; tests splice fragments into it.
std::string rules_with(const std::string& extra_top, const std::string& slot_body =
                           R"("default": "a", "variants": {"a": {}, "b": {}}, "rules": [{"id": "r1", "when": "true", "variant": "b"}])") {
  return R"({"schema": 1, "site": "test", )" + extra_top + R"("slots": {"s": {)" + slot_body + "}}}";
}

// Every error as "path: message" lines, for readable failures.
std::string describe(const LoadResult& r) {
  std::string out;
  for (const auto& e : r.errors) out += e.path + ": " + e.message + "\n";
  return out;
}

bool has_error(const LoadResult& r, const std::string& path, const std::string& fragment) {
  for (const auto& e : r.errors)
    if (e.path == path && e.message.find(fragment) != std::string::npos) return true;
  return false;
}

TEST(RuleSetLoader, MinimalRuleSetLoads) {
  LoadResult r = load_ruleset(rules_with(""));
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_EQ(r.rules->site(), "test");
}

TEST(RuleSetLoader, DemoRuleSetLoads) {
  LoadResult r = load_ruleset(testing::read_file("demo_site/rules/demo.json"));
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_EQ(r.rules->site(), "demo");
}

TEST(RuleSetLoader, MalformedJsonReportsLineAndColumn) {
  LoadResult r = load_ruleset("{\"schema\": 1,\n  \"site\": }");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].kind, ErrorKind::Json);
  EXPECT_NE(r.errors[0].message.find("line 2, column 11"), std::string::npos) << r.errors[0].message;
  EXPECT_EQ(r.errors[0].position, 24);
}

TEST(RuleSetLoader, SchemaVersionIsRequired) {
  EXPECT_TRUE(has_error(load_ruleset(R"({"site": "x", "slots": {"s": {"default": "a"}}})"), "$.schema", "missing"));
  EXPECT_TRUE(has_error(load_ruleset(R"({"schema": 2, "site": "x", "slots": {"s": {"default": "a"}}})"), "$.schema", "unsupported schema 2"));
}

TEST(RuleSetLoader, UnknownFieldsAreErrorsWithTheirPath) {
  LoadResult r = load_ruleset(rules_with(R"("segmnts": {}, )",
                                         R"("default": "a", "rules": [{"id": "r1", "whne": "true", "variant": "a"}])"));
  EXPECT_TRUE(has_error(r, "$.segmnts", "unknown field \"segmnts\"")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.slots.s.rules[0].whne", "unknown field")) << describe(r);
}

TEST(RuleSetLoader, WrongTypesAreNamed) {
  LoadResult r = load_ruleset(rules_with(R"("segments": {"m": 5}, )", R"("default": 3, "rules": {})"));
  EXPECT_TRUE(has_error(r, "$.segments.m", "must be a CEL expression string, not int")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.slots.s.default", "must be a string, not int")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.slots.s.rules", "must be a list")) << describe(r);
}

TEST(RuleSetLoader, ExpressionErrorsCarryPathAndPosition) {
  LoadResult r = load_ruleset(rules_with("", R"("default": "a", "rules": [{"id": "r1", "when": "time.hour >= ", "variant": "a"}])"));
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 1u) << describe(r);
  EXPECT_EQ(r.errors[0].path, "$.slots.s.rules[0].when");
  EXPECT_EQ(r.errors[0].kind, ErrorKind::Parse);
  EXPECT_EQ(r.errors[0].position, 13);
}

// Patterns are string literals in a rule set (compiled with it, for pages: docs/compiled-rules.md);
// a computed one is refused where it is written, in either call form and inside a macro.
TEST(RuleSetLoader, PatternsAreStringLiterals) {
  for (const auto& [when, position] : std::vector<std::pair<std::string, int>>{
           {"utm.campaign.matches(custom.pattern)", 21},
           {"matches(device.os, custom.os)", 19},
           {"custom.list.exists(x, referrer.host.matches(x))", 44},
           {"referrer.host.matches(custom.prefix + '.*')", 22}}) {
    LoadResult r = load_ruleset(rules_with("", R"("default": "a", "variants": {"a": {}}, "rules": [{"id": "r1", "when": ")" + when + R"(", "variant": "a"}])"));
    ASSERT_FALSE(r.ok()) << when;
    ASSERT_EQ(r.errors.size(), 1u) << describe(r);
    EXPECT_EQ(r.errors[0].path, "$.slots.s.rules[0].when");
    EXPECT_EQ(r.errors[0].position, position) << when;
    EXPECT_NE(r.errors[0].message.find("matches() takes a string literal as its pattern"), std::string::npos) << r.errors[0].message;
  }
  // Literal patterns, and constant expressions the parser folds into one, load.
  for (const char* when : {"utm.campaign.matches('^win')", "matches(device.os, '(?i)^ios$')", "utm.campaign.matches('^' + 'win')"})
    EXPECT_TRUE(load_ruleset(rules_with("", std::string(R"("default": "a", "variants": {"a": {}}, "rules": [{"id": "r1", "when": ")") + when + R"(", "variant": "a"}])")).ok()) << when;
}

TEST(RuleSetLoader, EveryErrorIsReportedAtOnce) {
  LoadResult r = load_ruleset(rules_with(R"("segments": {"a": "(", "b": "segment.nope"}, )",
                                         R"("default": "zzz", "variants": {"a": {}}, "rules": [{"id": "r", "when": "1 +", "variant": "q"}, {"id": "r", "when": "true", "variant": "a"}])"));
  EXPECT_GE(r.errors.size(), 6u) << describe(r);
  EXPECT_TRUE(has_error(r, "$.segments.a", "")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.segments.b", "unknown segment 'nope'")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.slots.s.default", "unknown variant 'zzz'")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.slots.s.rules[0].when", "")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.slots.s.rules[0].variant", "unknown variant 'q'")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.slots.s.rules[1].id", "duplicate rule id 'r'")) << describe(r);
}

TEST(RuleSetLoader, SegmentCyclesAreFound) {
  LoadResult r = load_ruleset(rules_with(R"("segments": {"a": "segment.b", "b": "segment.c", "c": "segment.a", "d": "segment.d"}, )"));
  EXPECT_FALSE(r.ok());
  bool abc = false, self = false;
  for (const auto& e : r.errors) {
    abc |= e.message.find("cycle: a → b → c → a") != std::string::npos;
    self |= e.path == "$.segments.d" && e.message.find("cycle") != std::string::npos;
  }
  EXPECT_TRUE(abc) << describe(r);
  EXPECT_TRUE(self) << describe(r);
}

// Segments are ordered without recursion: a chain this long overflowed the native stack (and a
// tenth of it the wasm engine's).
TEST(RuleSetLoader, LongSegmentChainsLoadAndLongCyclesAreNamed) {
  auto chain = [](int n, bool cycle) {
    std::string segments = R"("segments": {)";
    for (int i = 0; i < n; ++i)
      segments += "\"s" + std::to_string(i) + "\": \"segment.s" + std::to_string(i + 1) + "\", ";
    segments += "\"s" + std::to_string(n) + "\": \"" + (cycle ? "segment.s0" : "true") + "\"}, ";
    return segments;
  };
  LoadResult r = load_ruleset(rules_with(chain(100'000, false)));
  EXPECT_TRUE(r.ok()) << describe(r);

  r = load_ruleset(rules_with(chain(50'000, true)));
  ASSERT_EQ(r.errors.size(), 1u) << describe(r);
  EXPECT_EQ(r.errors[0].path, "$.segments.s0");
  EXPECT_EQ(r.errors[0].message.rfind("segments refer to each other in a cycle: s0 → s1 → s2 → ", 0), 0u);
  EXPECT_NE(r.errors[0].message.find("s49999 → s50000 → s0"), std::string::npos);
}

TEST(RuleSetLoader, SegmentsMayBuildOnEachOtherInAnyOrder) {
  LoadResult r = load_ruleset(rules_with(R"("segments": {"both": "segment.x && segment.y", "x": "true", "y": "segment.x"}, )",
                                         R"("default": "a", "rules": [{"id": "r1", "when": "segment.both", "variant": "a"}])"));
  EXPECT_TRUE(r.ok()) << describe(r);
}

TEST(RuleSetLoader, SegmentReferencesInRulesMustExist) {
  LoadResult r = load_ruleset(rules_with("", R"("default": "a", "rules": [{"id": "r1", "when": "segment.ghost", "variant": "a"}])"));
  EXPECT_TRUE(has_error(r, "$.slots.s.rules[0].when", "unknown segment 'ghost'")) << describe(r);
  r = load_ruleset(rules_with("", R"("default": "a", "rules": [{"id": "r1", "when": "segment['x']", "variant": "a"}])"));
  EXPECT_TRUE(has_error(r, "$.slots.s.rules[0].when", "segment.NAME")) << describe(r);
}

TEST(RuleSetLoader, ExperimentWeightsMustAddUpTo100) {
  LoadResult r = load_ruleset(rules_with(
      R"("experiments": {"e": {"variants": [{"id": "a", "weight": 30}, {"id": "b", "weight": 30}]}}, )",
      R"("default": "a", "rules": [{"id": "r1", "experiment": "e"}])"));
  EXPECT_TRUE(has_error(r, "$.experiments.e.variants", "add up to 60.0, not 100")) << describe(r);
}

TEST(RuleSetLoader, ExperimentProblems) {
  LoadResult r = load_ruleset(rules_with(
      R"("experiments": {"e": {"traffic": 120, "start": "2026-02-01T00:00:00Z", "end": "2026-01-01T00:00:00Z", "variants": [{"id": "a", "weight": 50}, {"id": "a", "weight": -1}]}}, )",
      R"("default": "a", "variants": {"a": {}}, "rules": [{"id": "r1", "experiment": "e"}, {"id": "r2", "experiment": "nope"}, {"id": "r3", "variant": "a", "experiment": "e"}])"));
  EXPECT_TRUE(has_error(r, "$.experiments.e.traffic", "0 to 100")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.experiments.e.end", "after")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.experiments.e.variants[1].id", "duplicate variant 'a'")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.experiments.e.variants[1].weight", "0 to 100")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.slots.s.rules[1].experiment", "unknown experiment 'nope'")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.slots.s.rules[2]", "not both")) << describe(r);
}

TEST(RuleSetLoader, ExperimentVariantsMustExistInTheSlot) {
  LoadResult r = load_ruleset(rules_with(
      R"("experiments": {"e": {"variants": [{"id": "a", "weight": 50}, {"id": "c", "weight": 50}]}}, )",
      R"("default": "a", "variants": {"a": {}, "b": {}}, "rules": [{"id": "r1", "experiment": "e"}])"));
  EXPECT_TRUE(has_error(r, "$.slots.s.rules[0].experiment", "unknown variant 'c'")) << describe(r);
}

TEST(RuleSetLoader, ScheduleProblems) {
  LoadResult r = load_ruleset(rules_with("",
      R"("default": "a", "rules": [{"id": "r1", "schedule": {"start": "tomorrow", "days": ["mon", "funday"], "hours": {"from": 25, "to": 3}}, "variant": "a"}])"));
  EXPECT_TRUE(has_error(r, "$.slots.s.rules[0].schedule.start", "RFC 3339")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.slots.s.rules[0].schedule.days[1]", "one of sun")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.slots.s.rules[0].schedule.hours", "\"from\": 0–23")) << describe(r);
}

TEST(RuleSetLoader, UnconditionalRuleBeforeOthersIsAnError) {
  LoadResult r = load_ruleset(rules_with("", R"("default": "a", "rules": [{"id": "r1", "variant": "a"}, {"id": "r2", "when": "true", "variant": "a"}])"));
  EXPECT_TRUE(has_error(r, "$.slots.s.rules[0].when", "always matches")) << describe(r);
}

TEST(RuleSetLoader, JourneyStagesCannotUseSegments) {
  LoadResult r = load_ruleset(rules_with(R"("segments": {"m": "true"}, "journey": {"stages": [{"id": "a", "when": "segment.m"}, {"id": "a", "when": "true"}]}, )"));
  EXPECT_TRUE(has_error(r, "$.journey.stages[0].when", "cannot use segments")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.journey.stages[1].id", "duplicate stage id 'a'")) << describe(r);
}

TEST(RuleSetLoader, NamesAreChecked) {
  LoadResult r = load_ruleset(R"({"schema": 1, "site": "bad site!", "segments": {"has space": "true"}, "slots": {"s": {"default": "a"}}})");
  EXPECT_TRUE(has_error(r, "$.site", "site id")) << describe(r);
  EXPECT_TRUE(has_error(r, "$.segments[\"has space\"]", "identifiers")) << describe(r);
}

TEST(RuleSetLoader, NoSlotsIsAnError) {
  EXPECT_TRUE(has_error(load_ruleset(R"({"schema": 1, "site": "x"})"), "$.slots", "missing"));
  EXPECT_TRUE(has_error(load_ruleset(R"({"schema": 1, "site": "x", "slots": {}})"), "$.slots", "at least one slot"));
  EXPECT_TRUE(has_error(load_ruleset("[]"), "$", "JSON object"));
}

TEST(CheckRulesJson, ReportsOkAndErrorsAsJson) {
  EXPECT_EQ(check_rules_json(rules_with("")), R"({"ok":true,"site":"test","slots":1,"segments":0,"experiments":0})");
  const std::string bad = check_rules_json(rules_with("", R"("default": "a", "rules": [{"id": "r1", "when": "1 +", "variant": "a"}])"));
  EXPECT_EQ(bad.rfind(R"({"ok":false,"errors":[{"path":"$.slots.s.rules[0].when","kind":"parse",)", 0), 0u) << bad;
  EXPECT_NE(bad.find(R"("position":3)"), std::string::npos) << bad;
}

}  // namespace
}  // namespace ithaca
