// decide(): first match wins, errors never abort, explanations say why, experiments bucket
// deterministically and uniformly.
#include <gtest/gtest.h>

#include <map>

#include "ithaca/json.hpp"
#include "ithaca/ruleset.hpp"
#include "testing/rule_sets.hpp"

namespace ithaca {
namespace {

std::shared_ptr<const RuleSet> load(const std::string& json) {
  LoadResult r = load_ruleset(json);
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].path + ": " + r.errors[0].message);
  return r.rules;
}

Value context(const std::string& json) {
  auto v = parse_json(json);
  EXPECT_TRUE(v.ok());
  return v.value();
}

std::string field(const Value& out, const std::string& path) {
  const Value* v = out.find_path(path);
  return v ? to_json(*v) : "(absent)";
}

TEST(Bucketing, MatchesTheDocumentedAlgorithm) {
  // Golden values computed by an independent (Python) implementation of the algorithm in
  // ruleset.hpp; they pin the hash so native, wasm and any other home agree.
  EXPECT_EQ(bucket_of("hero-headline", "v-123"), 500u);
  EXPECT_EQ(bucket_of("hero-headline", ""), 3644u);
  EXPECT_EQ(bucket_of("exp", "visitor-42"), 7059u);
  EXPECT_EQ(bucket_of("\xC3\xA9", "\xC3\xBCn\xC3\xAF" "code \xE2\x9C\x93"), 5489u);
}

TEST(Bucketing, IsUniformByChiSquare) {
  // 100,000 ids into 100 bins; chi-square with 99 degrees of freedom stays below 148.2
  // (p = 0.001) for a uniform hash. Deterministic input, so this cannot flake.
  constexpr int kIds = 100000, kBins = 100;
  std::vector<int> bins(kBins, 0);
  for (int i = 0; i < kIds; ++i) ++bins[bucket_of("checkout-test", "visitor-" + std::to_string(i)) * kBins / 10000];
  double chi2 = 0;
  const double expected = static_cast<double>(kIds) / kBins;
  for (int b : bins) chi2 += (b - expected) * (b - expected) / expected;
  EXPECT_LT(chi2, 148.2);
}

TEST(Bucketing, SeparatesExperiments) {
  // The same visitors land in unrelated buckets of two experiments.
  int same_half = 0;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = "v" + std::to_string(i);
    same_half += (bucket_of("a", id) < 5000) == (bucket_of("b", id) < 5000);
  }
  EXPECT_NEAR(same_half, 5000, 300);
}

constexpr const char* kExperimentRules = R"({
  "schema": 1, "site": "t",
  "experiments": {"e": {"traffic": TRAFFIC, "variants": [{"id": "a", "weight": WA}, {"id": "b", "weight": WB}]}},
  "slots": {"s": {"default": "none", "variants": {"none": {}, "a": {}, "b": {}}, "rules": [{"id": "run", "experiment": "e"}]}}
})";

std::shared_ptr<const RuleSet> experiment_rules(int traffic, int wa, int wb) {
  std::string s = kExperimentRules;
  s.replace(s.find("TRAFFIC"), 7, std::to_string(traffic));
  s.replace(s.find("WA"), 2, std::to_string(wa));
  s.replace(s.find("WB"), 2, std::to_string(wb));
  return load(s);
}

std::string variant_for(const RuleSet& rules, const std::string& visitor) {
  Map v;
  v.set("id", Value::string(visitor));
  Map ctx;
  ctx.set("visitor", Value::map(std::move(v)));
  return std::string(decide(rules, Value::map(std::move(ctx))).find_path("decisions.s")->find("variant")->as_string());
}

TEST(Experiments, WeightsAreHonoured) {
  auto rules = experiment_rules(100, 20, 80);
  int a = 0;
  for (int i = 0; i < 20000; ++i) a += variant_for(*rules, "id-" + std::to_string(i)) == "a";
  EXPECT_NEAR(a, 4000, 300);
}

TEST(Experiments, RaisingTrafficOnlyAddsVisitorsAndKeepsTheirVariants) {
  auto low = experiment_rules(30, 50, 50), high = experiment_rules(60, 50, 50);
  int in_low = 0, in_high = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::string id = "id-" + std::to_string(i);
    const std::string before = variant_for(*low, id), after = variant_for(*high, id);
    in_low += before != "none";
    in_high += after != "none";
    if (before != "none") {
      EXPECT_EQ(after, before) << id;
    }
  }
  EXPECT_NEAR(in_low, 1500, 150);
  EXPECT_NEAR(in_high, 3000, 150);
}

TEST(Experiments, ChangingWeightsMovesOnlyTheDifference) {
  auto even = experiment_rules(100, 50, 50), skewed = experiment_rules(100, 60, 40);
  int moved = 0;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = "id-" + std::to_string(i);
    moved += variant_for(*even, id) != variant_for(*skewed, id);
  }
  EXPECT_NEAR(moved, 1000, 150);  // 10% of visitors, not a reshuffle
}

TEST(Experiments, AssignmentIsReportedWithBucket) {
  auto rules = experiment_rules(100, 50, 50);
  Value out = decide(*rules, context(R"({"visitor": {"id": "v-123"}})"));
  EXPECT_EQ(field(out, "decisions.s.reason"), "\"experiment\"");
  EXPECT_EQ(field(out, "decisions.s.experiment.id"), "\"e\"");
  EXPECT_EQ(field(out, "decisions.s.experiment.bucket"), std::to_string(bucket_of("e", "v-123")));
  EXPECT_EQ(field(out, "decisions.s.variant"), field(out, "decisions.s.experiment.variant"));
}

constexpr const char* kRules = testing::kDecideRules;

TEST(Decide, FirstMatchWinsAndExplains) {
  auto rules = load(kRules);
  Value out = decide(*rules, context(R"({"time": {"hour": 7}, "geo": {"country": "FR", "city": "Paris"}})"));
  EXPECT_EQ(field(out, "site"), "\"t\"");
  EXPECT_EQ(field(out, "version"), "\"7\"");
  EXPECT_EQ(field(out, "decisions.hero.variant"), "\"breakfast\"");
  EXPECT_EQ(field(out, "decisions.hero.reason"), "\"rule\"");
  EXPECT_EQ(field(out, "decisions.hero.rule"), "\"morning\"");
  EXPECT_EQ(field(out, "decisions.hero.explanation.summary"), "\"rule 'morning' matched: segment.morning\"");
  EXPECT_EQ(field(out, "decisions.hero.explanation.conditions"), R"({"segment.morning":true})");
  // Rules before the match are listed with why they did not apply.
  EXPECT_EQ(field(out, "decisions.hero.explanation.skipped"),
            R"j({"broken":"error: no matching overload for 'startsWith' applied to (string, int)",)j"
            R"("de-morning":"false"})");
  EXPECT_EQ(field(out, "segments"), R"({"morning":true,"de":false})");
}

TEST(Decide, DefaultKeepsPropsAndSaysWhy) {
  auto rules = load(kRules);
  Value out = decide(*rules, context(R"({"time": {"hour": 15}})"));
  EXPECT_EQ(field(out, "decisions.hero.variant"), "\"plain\"");
  EXPECT_EQ(field(out, "decisions.hero.reason"), "\"default\"");
  EXPECT_EQ(field(out, "decisions.hero.rule"), "null");
  EXPECT_EQ(field(out, "decisions.hero.props"), R"({"h":"Hi"})");
  EXPECT_EQ(field(out, "decisions.hero.explanation.summary"), "\"no rule matched; default 'plain' kept\"");
}

TEST(Decide, ConditionsOfTheMatchedRuleAreAllShown) {
  auto rules = load(kRules);
  Value out = decide(*rules, context(R"({"time": {"hour": 8}, "geo": {"country": "DE", "city": "Berlin"}})"));
  EXPECT_EQ(field(out, "decisions.hero.rule"), "\"de-morning\"");
  EXPECT_EQ(field(out, "decisions.hero.explanation.conditions"),
            R"({"segment.morning":true,"segment.de":true})");
}

// The conditions listed are the root's && / || operands, or the root itself: a chain inside a
// macro or under `!` is one condition. (It used to be listed once per element of the macro's
// list, which repeated keys and made decide() abort on its own output.)
TEST(Decide, ConditionsAreTheRootsOperandsNotChainsInside) {
  auto rules = load(R"j({"schema": 1, "site": "n", "slots": {"s": {"default": "d", "rules": [
      {"id": "macro", "when": "[1, 2].exists(n, n > 1 && n < 5)", "variant": "v"}]},
    "t": {"default": "d", "rules": [{"id": "not", "when": "!(geo.country == 'DE' && time.hour < 9)", "variant": "v"}]},
    "u": {"default": "d", "rules": [
      {"id": "chain", "when": "time.hour < 9 && [1].all(x, x > 0 || x < -5)", "variant": "v"}]}}})j");
  Value out = decide(*rules, context(R"j({"geo": {"country": "FR"}, "time": {"hour": 7}})j"));
  EXPECT_EQ(field(out, "decisions.s.explanation.conditions"), R"j({"[1, 2].exists(n, n > 1 && n < 5)":true})j");
  EXPECT_EQ(field(out, "decisions.t.explanation.conditions"), R"j({"!(geo.country == 'DE' && time.hour < 9)":true})j");
  EXPECT_EQ(field(out, "decisions.u.explanation.conditions"),
            R"j({"time.hour < 9":true,"[1].all(x, x > 0 || x < -5)":true})j");
}

// The conditions are a JSON object keyed by source text: a text written twice is listed once,
// with its first value (it used to be a repeated key).
TEST(Decide, RepeatedConditionTextsAreListedOnce) {
  auto rules = load(R"j({"schema": 1, "site": "n", "segments": {"m": "time.hour < 5"}, "slots": {"s": {"default": "d", "rules": [
      {"id": "r", "when": "segment.m || geo.country == 'DE' || segment.m || time.hour < 9", "variant": "v"}]}}})j");
  Value out = decide(*rules, context(R"j({"geo": {"country": "FR"}, "time": {"hour": 7}})j"));
  EXPECT_EQ(field(out, "decisions.s.rule"), "\"r\"");
  EXPECT_EQ(field(out, "decisions.s.explanation.conditions"),
            R"j({"segment.m":false,"geo.country == 'DE'":false,"time.hour < 9":true})j");
}

// time.now as epoch milliseconds: floored to the millisecond before it, and held to the range
// RFC 3339 text is (0001-01-01 to 9999-12-31); outside it, rules reading it get an error saying so.
TEST(Decide, EpochMillisecondsNowIsRangeChecked) {
  auto rules = load(R"j({"schema": 1, "site": "n", "segments": {"pre": "time.now == timestamp('1969-12-31T23:59:58.5Z')"},
    "slots": {"s": {"default": "d", "rules": [
      {"id": "late", "when": "time.now > timestamp('2020-01-01T00:00:00Z')", "variant": "v"}]},
      "w": {"default": "d", "rules": [{"id": "window", "schedule": {"start": "2020-01-01T00:00:00Z"}, "variant": "v"}]}}})j");
  Value out = decide(*rules, context(R"({"time": {"now": -1500}})"));
  EXPECT_EQ(field(out, "segments.pre"), "true");
  for (const char* ms : {"-9223372036854775808", "9223372036854775807", "253402300800000", "-62135596800001"}) {
    out = decide(*rules, context(std::string(R"({"time": {"now": )") + ms + "}}"));
    EXPECT_EQ(field(out, "segment_errors.pre"),
              "\"time.now is out of range: epoch milliseconds not within 0001-01-01 to 9999-12-31\"") << ms;
    EXPECT_EQ(field(out, "decisions.s.variant"), "\"d\"");
    EXPECT_EQ(field(out, "decisions.w.variant"), "\"d\"");
    EXPECT_EQ(field(out, "decisions.w.explanation.skipped.window"), "\"schedule needs time.now\"") << ms;
  }
  out = decide(*rules, context(R"({"time": {"now": 253402300799999}})"));  // 9999-12-31T23:59:59.999Z
  EXPECT_EQ(field(out, "decisions.s.variant"), "\"v\"");
}

// A condition's operand is shown with its value, which can be a literal as deep as the parser
// allows: the decision is then deeper than parse_json's default 64 levels, and decide() (which
// reads its own text back) must still read it.
TEST(Decide, DeepValuesInExplanationsReadBack) {
  const std::string deep = std::string(62, '[') + "1" + std::string(62, ']');
  auto rules = load(R"({"schema": 1, "site": "d", "slots": {"s": {"default": "a", "rules": [
      {"id": "r", "when": ")" + deep + R"( || time.hour == 9", "variant": "b"}]}}})");
  Value out = decide(*rules, context(R"({"time": {"hour": 9}})"));
  EXPECT_EQ(field(out, "decisions.s.variant"), "\"b\"");
}

TEST(Decide, SegmentErrorsAreReportedNotFatal) {
  auto rules = load(kRules);
  Value out = decide(*rules, context(R"({"time": {"hour": "seven"}})"));
  EXPECT_EQ(field(out, "segments.morning"), "false");
  EXPECT_EQ(field(out, "segment_errors.morning"), "\"no matching overload for '_>=_' applied to (string, int)\"");
  EXPECT_EQ(field(out, "decisions.hero.variant"), "\"plain\"");
}

TEST(Decide, ScheduleHoursWrapPastMidnight) {
  auto rules = load(kRules);
  for (int h : {22, 23, 0, 5}) {
    Value out = decide(*rules, context(R"({"time": {"hour": )" + std::to_string(h) + "}}"));
    EXPECT_EQ(field(out, "decisions.night.variant"), "\"on\"") << h;
  }
  for (int h : {6, 12, 21}) {
    Value out = decide(*rules, context(R"({"time": {"hour": )" + std::to_string(h) + "}}"));
    EXPECT_EQ(field(out, "decisions.night.variant"), "\"off\"") << h;
    EXPECT_EQ(field(out, "decisions.night.explanation.skipped"), R"({"late":"outside the scheduled hours 22–6"})");
  }
  Value out = decide(*rules, context("{}"));
  EXPECT_EQ(field(out, "decisions.night.explanation.skipped"), R"({"late":"schedule needs time.hour"})");
}

TEST(Decide, JourneyStageIsComputedAndNeverGoesBack) {
  auto rules = load(kRules);
  Value out = decide(*rules, context(R"({"visit": {"pageviews": 4}})"));
  EXPECT_EQ(field(out, "journey"), R"({"stage":"engaged","index":1,"advanced":true})");
  EXPECT_EQ(field(out, "decisions.stage.variant"), "\"y\"");
  out = decide(*rules, context(R"({"visit": {"pageviews": 1}, "journey": {"stage": "buyer"}})"));
  EXPECT_EQ(field(out, "journey"), R"({"stage":"buyer","index":2,"advanced":false})");
  out = decide(*rules, context(R"({"visit": {"pageviews": 1}, "journey": {"stage": "unknown-stage"}})"));
  EXPECT_EQ(field(out, "journey.stage"), "\"new\"");
}

TEST(Decide, NonObjectContextIsTreatedAsEmpty) {
  auto rules = load(kRules);
  Value out = decide(*rules, Value::integer(3));
  EXPECT_EQ(field(out, "decisions.hero.variant"), "\"plain\"");
}

TEST(Decide, IsDeterministic) {
  auto rules = load(kRules);
  const Value ctx = context(R"({"time": {"hour": 7}, "geo": {"country": "DE", "city": "x"}, "visit": {"pageviews": 9}})");
  const std::string first = to_json(decide(*rules, ctx));
  for (int i = 0; i < 50; ++i) EXPECT_EQ(to_json(decide(*rules, ctx)), first);
}

TEST(DecideCodes, NumbersSayWhatTheTextSays) {
  auto rules = load(kRules);
  std::vector<std::int32_t> codes;
  // hour 7 in DE, pageviews 4: stage engaged (advanced), both segments true, hero matches its
  // second rule, night its default (hour 7 is outside 22–6), stage its only rule.
  const Value ctx = context(R"({"time": {"hour": 7}, "geo": {"country": "DE", "city": "Bonn"}, "visit": {"pageviews": 4}})");
  std::string errors = "stale";
  decide_codes(*rules, ctx, codes, errors);
  EXPECT_EQ(errors, "");
  const std::vector<std::int32_t> want = {1, 1, 1, 1, /*hero*/ 1, 0, 0, /*night*/ -1, 0, 0, /*stage*/ 0, 0, 0};
  EXPECT_EQ(codes, want);
  const Value text = decide(*rules, ctx);
  EXPECT_EQ(field(text, "decisions.hero.rule"), "\"de-morning\"");
  EXPECT_EQ(field(text, "decisions.night.reason"), "\"default\"");
}

TEST(DecideCodes, ExperimentsCarryVariantAndBucket) {
  auto rules = experiment_rules(100, 50, 50);
  std::vector<std::int32_t> codes;
  const Value ctx = context(R"({"visitor": {"id": "v-123"}})");
  std::string errors;
  decide_codes(*rules, ctx, codes, errors);
  EXPECT_EQ(errors, "");
  ASSERT_EQ(codes.size(), 5u);  // no stages: -1, 0; no segments; one slot
  EXPECT_EQ(codes[0], -1);
  EXPECT_EQ(codes[2], 0);
  const Value out = decide(*rules, ctx);
  EXPECT_EQ(field(out, "decisions.s.variant"), codes[3] == 0 ? "\"a\"" : "\"b\"");
  EXPECT_EQ(codes[4], static_cast<std::int32_t>(bucket_of("e", "v-123")));
}

TEST(DecideCodes, SegmentErrorsComeAsTheTextWritesThem) {
  auto rules = load(R"j({"schema": 1, "site": "t", "segments": {"ok": "true", "bad": "geo.country.startsWith(1)"},
                         "slots": {"s": {"default": "d", "rules": []}}})j");
  const Value ctx = context(R"({"geo": {"country": "DE"}})");
  std::vector<std::int32_t> codes;
  std::string errors;
  decide_codes(*rules, ctx, codes, errors);
  const std::string text = field(decide(*rules, ctx), "segment_errors");
  ASSERT_NE(text, "(absent)");
  EXPECT_EQ(errors, text);
  const std::vector<std::int32_t> want = {-1, 0, /*ok*/ 1, /*bad*/ 0, /*s*/ -1, 0, 0};
  EXPECT_EQ(codes, want);
}

TEST(DecideCodes, CatalogHoldsTheFixedTexts) {
  auto rules = load(kRules);
  const Value cat = parse_json(decision_catalog_json(*rules)).value();
  EXPECT_EQ(field(cat, "site"), "\"t\"");
  EXPECT_EQ(field(cat, "stages"), R"(["new","engaged","buyer"])");
  EXPECT_EQ(field(cat, "segments"), R"(["morning","de"])");
  const Value* hero = &cat.find("slots")->as_list()[0];
  EXPECT_EQ(field(*hero, "name"), "\"hero\"");
  // The default and each rule's decision are exactly the brief text's objects.
  const Value brief = parse_json(decide_to_json(*rules, context(R"({"time": {"hour": 7}})"), DecideOptions{false})).value();
  EXPECT_EQ(to_json(hero->find("rules")->as_list()[2]), field(brief, "decisions.hero"));
  // The declared variants, props and all: what the SDK shows when a QA preview forces one.
  EXPECT_EQ(field(*hero, "variants"), R"({"plain":{"props":{"h":"Hi"}},"breakfast":{},"german":{}})");
  EXPECT_EQ(field(cat.find("slots")->as_list()[1], "variants"), "{}");  // "night" declares none
  auto exp = experiment_rules(100, 50, 50);
  const Value ecat = parse_json(decision_catalog_json(*exp)).value();
  const Value& variants = ecat.find("slots")->as_list()[0].find("rules")->as_list()[0];
  ASSERT_EQ(variants.as_list().size(), 2u);
  EXPECT_EQ(field(variants.as_list()[1], "summary_prefix"), "\"rule 'run' runs experiment 'e': variant 'b' (bucket \"");
}

}  // namespace
}  // namespace ithaca
