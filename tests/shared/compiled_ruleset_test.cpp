// Compiled rule sets: the bytes load again and decide exactly as the JSON they came from, on the
// repository's rule sets and on one that uses every kind of thing the format carries; and
// whatever is done to the bytes, loading them never crashes.
#include "ithaca/compiled_ruleset.hpp"
#include "ithaca/expression.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "ithaca/json.hpp"
#include "ithaca/ruleset.hpp"
#include "testing/files.hpp"
#include "testing/rule_sets.hpp"

namespace ithaca {
namespace {

const std::string kHeader("ITHR\x02", 5);

std::string describe(const LoadResult& r) {
  std::string out;
  for (const auto& e : r.errors) out += e.path + " at " + std::to_string(e.position) + ": " + e.message + "\n";
  return out;
}

// Byte strings are compared by hand: gtest would print kilobytes of binary on a mismatch.
std::string first_difference(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return "sizes " + std::to_string(a.size()) + " and " + std::to_string(b.size()) + ", first difference at byte " +
         std::to_string(i);
}

std::string two_digits(unsigned n) { return {static_cast<char>('0' + n / 10 % 10), static_cast<char>('0' + n % 10)}; }

// Visitor contexts that reach the branches the rule sets here take: the attributes they read,
// each now and then absent or of the wrong type; time.now as RFC 3339 text, epoch milliseconds
// or garbage; visitor ids so experiments bucket. Deterministic for a seed.
std::vector<std::string> random_contexts(unsigned seed, int count) {
  std::mt19937 rng(seed);
  auto pick = [&](std::initializer_list<const char*> options) {
    return std::string(options.begin()[rng() % options.size()]);
  };
  auto between = [&](unsigned lo, unsigned hi) { return std::to_string(lo + rng() % (hi - lo + 1)); };
  // Each field is left out one time in eight.
  auto object = [&](std::initializer_list<std::pair<const char*, std::string>> fields) {
    std::string o = "{";
    for (const auto& [name, json] : fields) {
      if (rng() % 8 == 0) continue;
      o += (o.size() > 1 ? ",\"" : "\"") + std::string(name) + "\":" + json;
    }
    return o + "}";
  };
  auto now = [&]() -> std::string {
    switch (rng() % 6) {
      case 0: case 1: case 2: {
        // One draw per statement: the operands of + are evaluated in no fixed order.
        std::string text = "\"" + pick({"2026-10", "2026-11", "2026-12", "2027-01"});
        text += "-" + two_digits(1 + rng() % 28);
        text += "T" + two_digits(rng() % 24);
        text += ":" + two_digits(rng() % 60);
        return text + ":00" + pick({"Z", "Z", "+01:00", "-05:00"}) + "\"";
      }
      case 3: return std::to_string(1761955200000LL + static_cast<long long>(rng() % 7776000) * 1000);  // Nov–Jan, ms
      case 4: return pick({"\"yesterday\"", "12.5", "null"});
      default: return "\"2026-11-27T00:00:00Z\"";  // a schedule's start exactly
    }
  };
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    const std::string hour = rng() % 40 ? between(0, 23) : "\"seven\"";
    const std::string weekday = between(0, 6);
    out.push_back(object({
        {"time", object({{"hour", hour}, {"weekday", weekday}, {"now", now()}})},
        {"geo", object({{"country", pick({"\"DE\"", "\"AT\"", "\"CH\"", "\"FR\"", "\"NL\"", "\"US\"", "\"GB\"", "\"JP\"", "\"\""})},
                        {"languages", pick({R"(["de-de","en"])", R"(["en-us"])", R"(["fr-fr","en"])", "[]", R"("de")",
                                            R"(["de"])", R"(["en","de-at","es-es"])", "[1]"})},
                        {"city", pick({"\"Berlin\"", "\"\""})}})},
        {"device", object({{"type", pick({"\"mobile\"", "\"desktop\"", "\"tablet\"", "\"bot\"", "\"\"", "3"})},
                           {"os", pick({"\"ios\"", "\"android\"", "\"windows\"", "\"macos\"", "\"iOS\""})},
                           {"browser", pick({"\"safari\"", "\"chrome\"", "\"instagram\"", "\"facebook\""})}})},
        {"referrer", object({{"category", pick({"\"direct\"", "\"search\"", "\"social\"", "\"email\"", "\"paid\"", "null"})},
                             {"source", pick({"\"google\"", "\"bing\"", "\"duckduckgo\"", "\"facebook\"", "\"\""})}})},
        {"utm", object({{"campaign", pick({"\"winter\"", "\"winter-sale\"", "\"summer\"", "\"\"", "7"})},
                        {"medium", pick({"\"email\"", "\"cpc\"", "\"a\"", "\"\""})},
                        {"source", pick({"\"news\"", "\"x\"", "\"\""})}})},
        {"visit", object({{"count", rng() % 16 ? between(1, 12) : "\"3\""},
                          {"pageviews", between(1, 8)},
                          {"days_since_last", between(0, 90)},
                          {"first", pick({"true", "false"})}})},
        {"journey", object({{"stage", pick({"\"awareness\"", "\"consideration\"", "\"purchase\"", "\"loyalty\"", "\"new\"",
                                            "\"engaged\"", "\"buyer\"", "\"cart\"", "\"gone\"", "7"})},
                            {"interests", pick({R"(["espresso"])", R"(["filter"])", "[]", R"(["espresso","decaf","espresso"])"})}})},
        {"custom", object({{"cart_items", between(0, 3)},
                           {"cart_value", pick({"12.5", "30.0", "80.25", "45"})},
                           {"orders", between(0, 2)},
                           {"pattern", pick({"\"^win\"", "\"(?i)SALE\"", "\"[\"", "\"x*\"", "1"})},
                           {"headers", pick({R"({"content-type":"text/html"})", "{}"})}})},
        {"consent", object({{"personalization", pick({"true", "false"})}})},
        {"visitor", object({{"id", rng() % 12 ? "\"v-" + std::to_string(rng() % 100000) + "\"" : pick({"\"\"", "42"})}})},
    }));
  }
  return out;
}

// Contexts every rule set is decided against: odd shapes, the benchmark's visitor, and 300
// generated ones.
std::vector<std::string> common_contexts() {
  std::vector<std::string> out = {"{}", "null", "[]", "3", testing::read_file("bench/data/realistic_context.json")};
  for (std::string& c : random_contexts(20261122, 300)) out.push_back(std::move(c));
  return out;
}

// Why the compiled rule set decides otherwise than the JSON one for this context, if it does.
::testing::AssertionResult decides_alike(const RuleSet& json, const RuleSet& compiled, const std::string& context_text) {
  const auto context = parse_json(context_text);
  if (!context.ok()) return ::testing::AssertionFailure() << "bad test context: " << context_text;
  for (bool explain : {true, false}) {
    const std::string want = decide_to_json(json, context.value(), DecideOptions{explain});
    const std::string got = decide_to_json(compiled, context.value(), DecideOptions{explain});
    if (got != want)
      return ::testing::AssertionFailure() << "decide_to_json (explain " << explain << ") differs for context "
                                           << context_text << "\n  JSON rule set:     " << want
                                           << "\n  compiled rule set: " << got;
  }
  std::vector<std::int32_t> want_codes, got_codes;
  std::string want_errors, got_errors;
  decide_codes(json, context.value(), want_codes, want_errors);
  decide_codes(compiled, context.value(), got_codes, got_errors);
  if (got_codes != want_codes || got_errors != want_errors) {
    auto text = [](const std::vector<std::int32_t>& codes) {
      std::string s;
      for (auto c : codes) s += std::to_string(c) + " ";
      return s;
    };
    return ::testing::AssertionFailure() << "decide_codes differs for context " << context_text
                                         << "\n  JSON rule set:     " << text(want_codes) << want_errors
                                         << "\n  compiled rule set: " << text(got_codes) << got_errors;
  }
  return ::testing::AssertionSuccess();
}

// Compiles a JSON rule set, loads the bytes, and checks the promise of compiled_ruleset.hpp on
// every context given.
void expect_compiled_decides_alike(const std::string& json_text, const std::vector<std::string>& contexts) {
  const LoadResult from_json = load_ruleset(json_text);
  ASSERT_TRUE(from_json.ok()) << describe(from_json);
  const std::string bytes = compile_ruleset(*from_json.rules);
  ASSERT_EQ(bytes.substr(0, kHeader.size()), kHeader);
  const LoadResult compiled = load_compiled_ruleset(bytes);
  ASSERT_TRUE(compiled.ok()) << describe(compiled);
  EXPECT_TRUE(compiled.errors.empty()) << describe(compiled);
  const RuleSet& json = *from_json.rules;
  const RuleSet& loaded = *compiled.rules;

  EXPECT_EQ(loaded.site(), json.site());
  EXPECT_EQ(loaded.version(), json.version());
  EXPECT_TRUE(loaded.document().is_null());
  EXPECT_EQ(decision_catalog_json(loaded), decision_catalog_json(json));
  const std::string again = compile_ruleset(loaded);
  EXPECT_TRUE(again == bytes) << "compiling the loaded bytes gives other bytes: " << first_difference(bytes, again);

  int failures = 0;
  for (const std::string& context : contexts) {
    const auto alike = decides_alike(json, loaded, context);
    EXPECT_TRUE(alike);
    if (!alike && ++failures == 3) break;  // a few contexts say enough
  }
}

TEST(CompiledRuleset, BytesStartWithMagicAndFormat) {
  const LoadResult r = load_ruleset(testing::read_file("demo_site/rules/demo.json"));
  ASSERT_TRUE(r.ok());
  const std::string bytes = compile_ruleset(*r.rules);
  ASSERT_GT(bytes.size(), kHeader.size());
  EXPECT_EQ(bytes.substr(0, 4), kCompiledMagic);
  EXPECT_EQ(static_cast<unsigned char>(bytes[4]), kCompiledFormat);
  EXPECT_EQ(bytes.substr(0, 5), kHeader);
}

TEST(CompiledRuleset, IsDeterministic) {
  const std::string json = testing::read_file("demo_site/rules/demo.json");
  const LoadResult first = load_ruleset(json), second = load_ruleset(json);
  ASSERT_TRUE(first.ok() && second.ok());
  const std::string bytes = compile_ruleset(*first.rules);
  EXPECT_TRUE(compile_ruleset(*first.rules) == bytes);
  EXPECT_TRUE(compile_ruleset(*second.rules) == bytes) << first_difference(bytes, compile_ruleset(*second.rules));
}

TEST(CompiledRuleset, RepositoryRuleSetsDecideAsTheirJson) {
  std::vector<std::string> files = {"demo_site/rules/demo.json", "bench/sdk/rules.json"};
  for (const auto& entry : std::filesystem::directory_iterator(testing::source_path("bench/data"))) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("realistic_", 0) == 0 && name.find("rules") != std::string::npos) files.push_back("bench/data/" + name);
  }
  // The fuzz seeds that are valid rule sets (one is a deliberate cycle).
  for (const auto& entry : std::filesystem::directory_iterator(testing::source_path("tests/fuzz/corpus/ruleset_fuzz"))) {
    const std::string relative = "tests/fuzz/corpus/ruleset_fuzz/" + entry.path().filename().string();
    if (load_ruleset(testing::read_file(relative)).ok()) files.push_back(relative);
  }
  ASSERT_GE(files.size(), 5u);
  const std::vector<std::string> contexts = common_contexts();
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    expect_compiled_decides_alike(testing::read_file(file), contexts);
  }
}

TEST(CompiledRuleset, VectorRuleSetsDecideAsTheirJsonOnTheirContexts) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::source_path("tests/vectors"))) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("decide_", 0) != 0 || entry.path().extension() != ".json") continue;
    SCOPED_TRACE(name);
    const auto doc = parse_json(testing::read_file("tests/vectors/" + name));
    ASSERT_TRUE(doc.ok());
    const Value& root = doc.value();
    const Value* file = root.find("rules_file");
    const std::string rules = file ? testing::read_file(std::string(file->as_string())) : to_json(*root.find("rules"));
    std::vector<std::string> contexts;
    for (const Value& c : root.find("cases")->as_list()) contexts.push_back(to_json(*c.find("context")));
    ASSERT_FALSE(contexts.empty());
    for (std::string& c : random_contexts(static_cast<unsigned>(files) + 1, 100)) contexts.push_back(std::move(c));
    expect_compiled_decides_alike(rules, contexts);
    ++files;
  }
  EXPECT_GE(files, 1);
}

// The rule sets of decide_test.cpp and packed_context_test.cpp (testing/rule_sets.hpp, and two small ones).
TEST(CompiledRuleset, SuiteRuleSetsDecideAsTheirJson) {
  const std::vector<std::string> rule_sets = {
      testing::kDecideRules,
      R"({"schema": 1, "site": "t",
        "experiments": {"e": {"traffic": 30, "variants": [{"id": "a", "weight": 20}, {"id": "b", "weight": 80}]}},
        "slots": {"s": {"default": "none", "variants": {"none": {}, "a": {}, "b": {}}, "rules": [{"id": "run", "experiment": "e"}]}}})",
      R"j({"schema": 1, "site": "t", "segments": {"ok": "true", "bad": "geo.country.startsWith(1)"},
        "slots": {"s": {"default": "d", "rules": []}}})j",
      testing::kPackedContextRules,
  };
  const std::vector<std::string> contexts = common_contexts();
  for (std::size_t i = 0; i < rule_sets.size(); ++i) {
    SCOPED_TRACE("rule set " + std::to_string(i));
    expect_compiled_decides_alike(rule_sets[i], contexts);
  }
}

// Everything a rule set can hold: segments built on segments (declared before them), a journey,
// experiments with audience, partial traffic, windows open at either end and one experiment in
// two slots; schedules of every shape, rules without `when`; conditions with every macro, constant
// and folded patterns, every literal, timestamps and durations, constant errors, selection on
// literals, comments and unicode; props of every JSON type.
constexpr const char* kEveryFeature = R"json({
  "schema": 1, "site": "every-feature.v2", "version": "2026-12-01 ✓ ünïcode", "description": "not carried",
  "segments": {
    "mobile_de": "segment.mobile && segment.de",
    "deep": {"when": "segment.mobile_de || segment.late_weekend", "description": "a segment of segments"},
    "mobile": "device.type == 'mobile'",
    "de": "geo.country == 'DE'",
    "late_weekend": "time.weekday in [0, 6] && (time.hour >= 22 || time.hour < 4)",
    "espresso": "has(journey.interests) && journey.interests.exists(i, i.startsWith('esp'))",
    "broken": "geo.city.startsWith(1)",
    "returning": "visit.count > 1"
  },
  "journey": {"description": "x", "stages": [
    {"id": "new", "when": "true", "description": "everyone"},
    {"id": "browsing", "when": "has(visit.pageviews) && visit.pageviews >= 3"},
    {"id": "cart", "when": "has(custom.cart_items) && custom.cart_items > 0"},
    {"id": "buyer", "when": "custom.orders > 0"}
  ]},
  "experiments": {
    "three-way": {"audience": "segment.mobile || device.type == 'tablet'", "traffic": 60,
      "start": "2026-11-10T00:00:00Z", "end": "2026-12-20T12:30:00+01:00", "goal": "g", "description": "d",
      "variants": [{"id": "red", "weight": 20}, {"id": "green", "weight": 30}, {"id": "blue", "weight": 50}]},
    "even": {"variants": [{"id": "red", "weight": 50}, {"id": "blue", "weight": 50}]},
    "opens": {"traffic": 15, "start": "2026-11-20T00:00:00Z",
      "variants": [{"id": "x", "weight": 100}, {"id": "y", "weight": 0}]},
    "closes": {"traffic": 99, "end": "2026-12-01T00:00:00Z", "audience": "segment.returning || segment.broken",
      "variants": [{"id": "x", "weight": 1}, {"id": "y", "weight": 99}]}
  },
  "slots": {
    "comprehensions": {"default": "none", "rules": [
      {"id": "c-all", "when": "geo.languages.all(l, l.size() >= 5) && size(geo.languages) > 1", "variant": "all"},
      {"id": "c-one", "when": "geo.languages.exists_one(l, l == 'en')", "variant": "one"},
      {"id": "c-map2", "when": "geo.languages.map(l, l.upperAscii()).exists(u, u.startsWith('FR'))", "variant": "map2"},
      {"id": "c-map3", "when": "geo.languages.map(l, l != 'en', l + '!').size() > 1", "variant": "map3"},
      {"id": "c-filter", "when": "geo.languages.filter(l, l.contains('-')).size() == 1", "variant": "filter"},
      {"id": "c-nested", "when": "[1, 2, 3].exists(n, geo.languages.all(l, size(l) > n) && n > 2)", "variant": "nested"},
      {"id": "c-map-keys", "when": "{'a': 1, 'b': 2}.map(k, k).exists(k, k == utm.medium)", "variant": "keys"},
      {"id": "c-journey", "when": "journey.interests.exists(i, journey.interests.exists_one(j, j == i))", "variant": "journey"}
    ]},
    "patterns": {"default": "none", "variants": {"none": {}, "const": {"props": {"p": "^(google|bing)$"}}, "func": {}, "ci": {}}, "rules": [
      {"id": "p-const", "when": "referrer.source.matches('^(google|bing)$')", "variant": "const"},
      {"id": "p-func", "when": "matches(device.os, '(?i)^IOS$')", "variant": "func"},
      {"id": "p-concat", "when": "utm.campaign.matches('^' + 'win')", "variant": "ci"}
    ]},
    "literals": {"default": "none", "rules": [
      {"id": "l-has", "when": "has(custom.cart_items) && !has(custom.nothing) && custom.cart_items == 3", "variant": "has"},
      {"id": "l-ternary", "when": "(visit.count > 2 ? 'many' : 'few') == 'few'", "variant": "ternary"},
      {"id": "l-maplit", "when": "{'DE': 'de', 'AT': 'de', 'FR': 'fr'}[geo.country] == 'de'", "variant": "maplit"},
      {"id": "l-listlit", "when": "[visit.count, 2, 3][0] == 3 && [1, 'a', 2.5, null, [true]][4][0]", "variant": "listlit"},
      {"id": "l-int", "when": "visit.count + 0x10 == 27 && -9223372036854775808 < visit.count", "variant": "int"},
      {"id": "l-uint", "when": "uint(visit.count) == 7u && 18446744073709551615u > 0u", "variant": "uint"},
      {"id": "l-double", "when": "custom.cart_value >= 29.99 && visit.count == 5 && 1e3 > 2.5E-3 && .5 < 1.0 && -0.0 == 0.0", "variant": "double"},
      {"id": "l-nan", "when": "0.0 / 0.0 != 0.0 / 0.0 && 1.0 / 0.0 > 1e308 && time.hour == 3", "variant": "nan"},
      {"id": "l-bytes", "when": "bytes(utm.campaign) == b'winter' || size(b'\\xff\\x00\\377') == 3 && utm.medium == 'cpc'", "variant": "bytes"},
      {"id": "l-strings", "when": "\"dq\" + '''tri'ple''' + r'\\d' == 'dqtri\\'ple\\\\d' && utm.source == 'news'", "variant": "strings"},
      {"id": "l-unicode", "when": "'Grüße 😀 ✓ ' + geo.country == 'Grüße 😀 ✓ DE' && size('héllo') == 5 && '\\u00e9' == 'é' && '\\U0001F600' == '😀' && time.hour < 12", "variant": "unicode"},
      {"id": "l-in", "when": "'k' in {'k': 1} && geo.country in ['NL', 'BE'] && !(2 in [1, 3])", "variant": "in"},
      {"id": "l-index", "when": "geo.languages[0] == 'de-de' || custom['cart_items'] > 2", "variant": "index"},
      {"id": "l-conv", "when": "string(visit.count) + type(1.5) == '4double' || int('42') + int(7.9) == 49 && double(visit.count) / 3.0 > 3.0 && dyn(visit.count) == 10u", "variant": "conv"},
      {"id": "l-methods", "when": "'  Padded '.trim().lowerAscii().endsWith('ded') && referrer.source.contains('ook')", "variant": "methods"},
      {"id": "l-arith", "when": "(visit.count * 3 - 1) % 4 == 0 && -visit.count < 0 && visit.count / 2 == 2", "variant": "arith"},
      {"id": "l-backquote", "when": "custom.headers.`content-type` == 'text/html' && visit.count == 1", "variant": "backquote"}
    ]},
    "time": {"default": "none", "rules": [
      {"id": "t-ts", "when": "time.now >= timestamp('2026-11-20T00:00:00Z') && time.now - timestamp('2026-11-01T00:00:00Z') < duration('720h')", "variant": "ts"},
      {"id": "t-tz", "when": "time.now.getDayOfWeek('Europe/Berlin') == 6 && time.now.getHours('America/New_York') < 12", "variant": "tz"},
      {"id": "t-dur", "when": "time.now + duration('1h30m') > timestamp('2027-01-01T00:00:00+01:00') || duration('-1.5s') < duration('0s') && time.hour == 5", "variant": "dur"},
      {"id": "t-int", "when": "int(time.now) % 7 == 0 || timestamp(1764547200) == time.now", "variant": "int"}
    ]},
    "errors": {"default": "none", "rules": [
      {"id": "e-const-or", "when": "1/0 == 1 || device.type == 'tablet'", "variant": "div"},
      {"id": "e-const-and", "when": "[1][5] == 1 && segment.de", "variant": "index"},
      {"id": "e-always", "when": "{'a': 1}.b == 1", "variant": "never"},
      {"id": "e-overflow", "when": "9223372036854775807 + 1 > 0 || segment.broken || geo.country == 'JP'", "variant": "jp"},
      {"id": "e-non-ident", "when": "{'a': device}.a.type == 'desktop' && [geo][0].country == 'US' && (device).os == 'windows'", "variant": "select"},
      {"id": "e-comment", "when": "segment.deep && // why\n  segment.espresso ||\n  segment.mobile_de", "variant": "comment"},
      {"id": "e-wrong-type", "when": "time.hour + 'x' == 1 || referrer.category == 'email'", "variant": "email"}
    ]},
    "schedules": {"default": "off", "variants": {
        "off": {"props": {"n": 0, "big": 9007199254740993, "u": 18446744073709551615, "d": 2.50, "e": 1e21, "neg": -0.0, "tiny": 1e-7,
                          "nested": {"a": [1, "ü", null, true, {"b": []}]}}},
        "bf": {"props": {"text": "Black Friday – 25 % 😀"}}, "win": {}, "weekend": {}, "night": {}, "office": {}, "combo": {},
        "last": {"props": {"x": "\u0000\u001f\"\\/"}}},
      "rules": [
        {"id": "s-window", "schedule": {"start": "2026-11-27T00:00:00Z", "end": "2026-12-01T00:00:00Z"}, "variant": "bf"},
        {"id": "s-start", "when": "segment.returning", "schedule": {"start": "2026-12-10T00:00:00+02:00"}, "variant": "win"},
        {"id": "s-end", "when": "segment.mobile", "schedule": {"end": "2026-11-15T08:00:00Z"}, "variant": "win"},
        {"id": "s-days", "schedule": {"days": ["sat", "sun"]}, "when": "time.hour >= 10", "variant": "weekend"},
        {"id": "s-night", "schedule": {"hours": {"from": 22, "to": 6}}, "variant": "night"},
        {"id": "s-office", "schedule": {"hours": {"from": 9, "to": 17}, "days": ["mon", "tue", "wed", "thu", "fri"]}, "variant": "office"},
        {"id": "s-combo", "schedule": {"start": "2026-11-01T00:00:00Z", "end": "2027-01-01T00:00:00Z", "days": ["fri"], "hours": {"from": 17, "to": 9}}, "variant": "combo"},
        {"id": "s-last", "variant": "last"}
      ]},
    "hero": {"default": "plain", "variants": {"plain": {}, "red": {"props": {"c": "#f00"}}, "green": {"props": {"c": "#0f0"}},
                                              "blue": {"props": {"c": "#00f"}}, "x": {}, "y": {"props": {"y": true}}, "fan": {}},
      "rules": [
        {"id": "h-fan", "when": "segment.espresso && segment.returning", "variant": "fan"},
        {"id": "h-three", "experiment": "three-way"},
        {"id": "h-opens", "when": "segment.de", "experiment": "opens"},
        {"id": "h-closes", "experiment": "closes"},
        {"id": "h-even", "when": "true", "experiment": "even"}
      ]},
    "footer": {"default": "plain", "variants": {"plain": {}, "red": {"props": {"footer": "rot"}}, "blue": {"props": {"footer": "blau"}}},
      "rules": [{"id": "f-even", "experiment": "even"}]},
    "stage": {"default": "x", "rules": [
      {"id": "st-cart", "when": "journey.stage == 'cart'", "variant": "cart"},
      {"id": "st-advanced", "when": "journey.stage != 'new' && segment.deep", "variant": "deep"}
    ]},
    "empty": {"default": "only", "description": "a slot without rules"},
    "empty-rules": {"default": "only", "rules": []}
  }
})json";

TEST(CompiledRuleset, EveryFeatureDecidesAsItsJson) {
  std::vector<std::string> contexts = common_contexts();
  for (std::string& c : random_contexts(7, 300)) contexts.push_back(std::move(c));
  expect_compiled_decides_alike(kEveryFeature, contexts);
}

TEST(CompiledRuleset, SmallRuleSetsDecideAsTheirJson) {
  const std::vector<std::string> rule_sets = {
      R"({"schema": 1, "site": "no-version", "slots": {"s": {"default": "d"}}})",
      R"({"schema": 1, "site": "v", "version": "", "slots": {"s": {"default": "d", "rules": [{"id": "r", "variant": "e"}]}}})",
      R"({"schema": 1, "site": "x", "experiments": {"unused": {"traffic": 0, "variants": [{"id": "a", "weight": 100}]}},
          "slots": {"s": {"default": "d", "rules": [{"id": "r", "when": "visitor.id == 'v-1'", "experiment": "unused"}]}}})",
      R"({"schema": 1, "site": "y", "journey": {"stages": [{"id": "only", "when": "false"}]},
          "slots": {"s": {"default": "d", "variants": {"d": {"props": {}}}}}})",
  };
  const std::vector<std::string> contexts = common_contexts();
  for (std::size_t i = 0; i < rule_sets.size(); ++i) {
    SCOPED_TRACE(rule_sets[i]);
    expect_compiled_decides_alike(rule_sets[i], contexts);
  }
}

// ---- untrusted bytes -------------------------------------------------------------------------

std::string compiled_demo() {
  const LoadResult r = load_ruleset(testing::read_file("demo_site/rules/demo.json"));
  EXPECT_TRUE(r.ok());
  return r.ok() ? compile_ruleset(*r.rules) : std::string();
}

// Refused as the header promises: errors of kind Load at "$", at an offset inside the input.
::testing::AssertionResult refused(const LoadResult& r, std::size_t size) {
  if (r.ok()) return ::testing::AssertionFailure() << "loaded";
  if (r.errors.empty()) return ::testing::AssertionFailure() << "refused without an error";
  for (const Error& e : r.errors) {
    if (e.kind != ErrorKind::Load || e.path != "$" || e.message.empty() || e.position < 0 ||
        static_cast<std::size_t>(e.position) > size)
      return ::testing::AssertionFailure() << "error of kind " << to_string(e.kind) << " at " << e.path << " position "
                                           << e.position << " (input of " << size << " bytes): " << e.message;
  }
  return ::testing::AssertionSuccess();
}

TEST(CompiledRulesetBytes, EveryTruncationIsRefused) {
  const std::string bytes = compiled_demo();
  ASSERT_FALSE(bytes.empty());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    ASSERT_TRUE(refused(load_compiled_ruleset(std::string_view(bytes).substr(0, n)), n)) << "first " << n << " of "
                                                                                        << bytes.size() << " bytes";
  }
}

// Bytes that load must decide as valid JSON: decide() parses decide_to_json()'s text with the
// default limits and cannot fail, so text it cannot read would abort it.
::testing::AssertionResult decides_safely(const std::string& bytes, const Value& context) {
  const LoadResult r = load_compiled_ruleset(bytes);
  if (!r.ok()) return refused(r, bytes.size());
  for (bool explain : {true, false}) {
    const std::string text = decide_to_json(*r.rules, context, DecideOptions{explain});
    const auto parsed = parse_json(text);
    if (!parsed.ok())
      return ::testing::AssertionFailure() << "loaded, and decide_to_json (explain " << explain
                                           << ") wrote what parse_json refuses: " << parsed.error().message;
    if (parsed.value().find("decisions") == nullptr) return ::testing::AssertionFailure() << "no decisions in " << text;
  }
  return ::testing::AssertionSuccess();
}

const Value& fixed_context() {
  static const Value context = parse_json(R"({"time": {"hour": 7, "weekday": 6, "now": "2026-11-28T07:30:00Z"},
    "geo": {"country": "DE", "languages": ["de-de", "en"]}, "device": {"type": "mobile", "os": "ios"},
    "referrer": {"category": "social"}, "visit": {"count": 3, "pageviews": 5}, "journey": {"interests": ["espresso"]},
    "custom": {"cart_items": 1}, "visitor": {"id": "v-123"}})").value();
  return context;
}

// Every byte changed once, the kind of change taking turns (all four on every byte would take
// seconds: most changed inputs load, and a load is the cost).
TEST(CompiledRulesetBytes, ChangedBytesLoadSafelyOrAreRefused) {
  const std::string bytes = compiled_demo();
  ASSERT_FALSE(bytes.empty());
  const std::pair<const char*, char (*)(char)> changes[] = {
      {"xor 0x01", [](char c) { return static_cast<char>(c ^ 0x01); }},
      {"xor 0x80", [](char c) { return static_cast<char>(c ^ 0x80); }},
      {"xor 0xFF", [](char c) { return static_cast<char>(c ^ 0xFF); }},
      {"set to 0", [](char c) { return c ? '\0' : '\x01'; }},
  };
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto& [what, change] = changes[i % 4];
    std::string changed = bytes;
    changed[i] = change(changed[i]);
    ASSERT_TRUE(decides_safely(changed, fixed_context())) << "byte " << i << " " << what;
  }
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

// Well-formed bytes that compile_ruleset() would never write: two things of one name (which the
// JSON loader refuses), props nested deeper than JSON allows. They may load; if so, they decide
// as valid JSON.
TEST(CompiledRulesetBytes, HandEditedBytesLoadSafelyOrAreRefused) {
  const std::string rules = R"({"schema": 1, "site": "e",
    "segments": {"sgA": "device.type == 'mobile'", "sgB": "true"},
    "journey": {"stages": [{"id": "stA", "when": "true"}, {"id": "stB", "when": "visit.count > 1"}]},
    "experiments": {"exA": {"variants": [{"id": "vrA", "weight": 50}, {"id": "vrB", "weight": 50}]}},
    "slots": {
      "slA": {"default": "vrA", "variants": {"vrA": {"props": {"p": PROPS}}, "vrB": {}}, "rules": [
        {"id": "ruA", "when": "segment.sgA", "variant": "vrB"},
        {"id": "ruB", "when": "segment.sgB && false", "variant": "vrB"},
        {"id": "ruC", "experiment": "exA"}]},
      "slB": {"default": "vrB"}}})";
  auto compiled = [&](const std::string& props) {
    const LoadResult r = load_ruleset(replace_all(rules, "PROPS", props));
    EXPECT_TRUE(r.ok()) << describe(r);
    return r.ok() ? compile_ruleset(*r.rules) : std::string();
  };
  const std::string bytes = compiled(R"("MARKER")");
  ASSERT_FALSE(bytes.empty());
  const Value empty = Value::map(Map());
  for (const char* name : {"sg", "st", "vr", "ru", "sl"}) {
    SCOPED_TRACE(std::string("two of ") + name + "A");
    const std::string edited = replace_all(bytes, std::string(name) + "B", std::string(name) + "A");
    EXPECT_TRUE(decides_safely(edited, fixed_context()));
    EXPECT_TRUE(decides_safely(edited, empty));
  }
  // A list around the props' string shows how a list is written; then that many lists around it.
  const std::string in_list = compiled(R"(["MARKER"])");
  const std::size_t at = bytes.find("MARKER");  // after the string's kind and length bytes
  ASSERT_EQ(in_list.find("MARKER"), at + 2);
  const std::string list_prefix = in_list.substr(at - 2, 2);
  for (int depth : {63, 100, 127, 200}) {
    SCOPED_TRACE("props nested " + std::to_string(depth) + " lists deep");
    std::string deep = bytes;
    for (int i = 0; i < depth; ++i) deep.insert(at - 2, list_prefix);
    EXPECT_TRUE(decides_safely(deep, empty));  // no rule matches: the default, with the props
  }
}

TEST(CompiledRulesetBytes, WrongMagicOrFormatIsRefused) {
  const std::string bytes = compiled_demo();
  ASSERT_GT(bytes.size(), kHeader.size());
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"magic ITHX", "ITHX" + bytes.substr(4)},
      {"magic in lower case", "ithr" + bytes.substr(4)},
      {"format 1 (patterns compiled at load)", bytes.substr(0, 4) + '\x01' + bytes.substr(5)},
      {"format 3", bytes.substr(0, 4) + '\x03' + bytes.substr(5)},
      {"format 0", bytes.substr(0, 4) + '\x00' + bytes.substr(5)},
      {"the JSON rule set", testing::read_file("demo_site/rules/demo.json")},
  };
  for (const auto& [what, changed] : cases) EXPECT_TRUE(refused(load_compiled_ruleset(changed), changed.size())) << what;
}

TEST(CompiledRulesetBytes, EmptyInputIsRefused) {
  EXPECT_TRUE(refused(load_compiled_ruleset(""), 0));
  EXPECT_TRUE(refused(load_compiled_ruleset(kHeader), kHeader.size()));
}

// Small, with one of each section and field the format has.
constexpr const char* kSmallComplete = R"json({"schema": 1, "site": "small", "version": "1",
  "segments": {"m": "device.type == 'mobile'", "n": "segment.m && geo.languages.exists(l, l == 'de')"},
  "journey": {"stages": [{"id": "a", "when": "true"}, {"id": "b", "when": "visit.count > 1"}]},
  "experiments": {"e": {"audience": "segment.n", "traffic": 50, "start": "2026-01-01T00:00:00Z", "end": "2027-01-01T00:00:00Z",
                        "variants": [{"id": "x", "weight": 50}, {"id": "y", "weight": 50}]}},
  "slots": {"s": {"default": "x", "variants": {"x": {"props": {"k": [1, 2.5, "t", null, {"u": true}]}}, "y": {}},
    "rules": [{"id": "r1", "when": "time.hour > 20 ? true : 1 / 0 == 1", "variant": "y",
               "schedule": {"days": ["sat"], "hours": {"from": 22, "to": 6}, "start": "2026-01-01T00:00:00Z"}},
              {"id": "r2", "experiment": "e"}]}}})json";

// A count of 2^40 with a handful of bytes behind it: refused when the bytes run out, not after
// reserving room for the count (which ASan, or the allocator, would turn into a crash).
TEST(CompiledRulesetBytes, HugeCountsAreRefusedWithoutAllocating) {
  const std::string huge("\x80\x80\x80\x80\x80\x20", 6);  // LEB128 of 2^40
  // The header, the site "demo", no version, then 2^40 segments; then a string of 2^40 bytes.
  const std::string segments = kHeader + "\x04" "demo" + '\0' + huge + "\x01x";
  EXPECT_TRUE(refused(load_compiled_ruleset(segments), segments.size()));
  const std::string site = kHeader + huge + "demo";
  EXPECT_TRUE(refused(load_compiled_ruleset(site), site.size()));
  const LoadResult small = load_ruleset(kSmallComplete);
  ASSERT_TRUE(small.ok()) << describe(small);
  const std::string bytes = compile_ruleset(*small.rules);
  // Wherever the counts are, one of these puts 2^40 in the place of one.
  for (std::size_t i = kHeader.size(); i < bytes.size(); ++i) {
    const std::string inserted = bytes.substr(0, i) + huge + bytes.substr(i);
    const LoadResult r = load_compiled_ruleset(inserted);
    if (!r.ok()) {
      ASSERT_TRUE(refused(r, inserted.size())) << "2^40 inserted at " << i;
    }
    std::string overwritten = bytes;
    overwritten.replace(i, std::min(huge.size(), bytes.size() - i), huge);
    const LoadResult o = load_compiled_ruleset(overwritten);
    if (!o.ok()) {
      ASSERT_TRUE(refused(o, overwritten.size())) << "2^40 written at " << i;
    }
  }
}

// `matches` carries its pattern's program, read back through Regex::from_program: what the
// program must be is regex_program_test.cpp's; here, that the reader asks it and says where.
TEST(CompiledRulesetBytes, PatternsTravelCompiledAndAreChecked) {
  const LoadResult json = load_ruleset(R"j({"schema": 1, "site": "p", "slots": {"s": {"default": "d", "variants": {"d": {}, "q": {}},
      "rules": [{"id": "r", "when": "referrer.host.matches('q')", "variant": "q"}]}}})j");
  ASSERT_TRUE(json.ok());
  const std::string bytes = compile_ruleset(*json.rules);
  // 'q' searched: two instructions — the character q (113, zigzag 226) and the match — no ranges.
  const std::string program("\x02" "\x00\x00\xe2\x01\x00" "\x07\x00\x00\x00" "\x00", 11);
  const std::size_t at = bytes.find(program);
  ASSERT_NE(at, std::string::npos);
  const LoadResult loaded = load_compiled_ruleset(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.errors.front().message;
  for (const auto& [host, variant] : {std::pair{"q.example", "q"}, {"example.org", "d"}}) {
    const Value context = parse_json(std::string(R"({"referrer": {"host": ")") + host + "\"}}").value();
    EXPECT_EQ(decide_to_json(*loaded.rules, context), decide_to_json(*json.rules, context)) << host;
    EXPECT_NE(decide_to_json(*loaded.rules, context).find("\"variant\":\"" + std::string(variant) + "\""), std::string::npos) << host;
  }
  auto edited = [&](std::size_t offset, const std::string& with, std::size_t replaced) {
    std::string b = bytes;
    b.replace(at + offset, replaced, with);
    return load_compiled_ruleset(b);
  };
  auto says = [](const LoadResult& r, const std::string& what) {
    if (r.ok()) return ::testing::AssertionFailure() << "loaded";
    if (r.errors.front().message.find(what) == std::string::npos) return ::testing::AssertionFailure() << r.errors.front().message;
    return ::testing::AssertionSuccess();
  };
  EXPECT_TRUE(says(edited(0, std::string("\x00\x00", 2), 11), "a pattern's program is empty"));
  EXPECT_TRUE(says(edited(6, std::string("\x00", 1), 1), "a pattern's program ends without a match at instruction 1"));
  EXPECT_TRUE(says(edited(6, std::string("\x06\x00\x0a\x00", 4), 4), "a pattern's program jumps outside itself at instruction 1"));
  EXPECT_TRUE(says(edited(3, "\x80\x80\x88\x01", 2), "a pattern's program has a character that is no code point at instruction 0"));
  EXPECT_TRUE(says(edited(3, "\x80\x80\x80\x80\x20", 2), "a pattern's instruction is out of range"));
  EXPECT_TRUE(says(edited(10, "\xe8\x07", 1), "a pattern's range count of 1000 is more than the bytes left can hold"));
  // The pattern itself must be a string literal: the same bytes as bytes, not text.
  const std::size_t literal = bytes.rfind(std::string("\x06\x01q", 3), at);
  ASSERT_NE(literal, std::string::npos);
  std::string as_bytes = bytes;
  as_bytes[literal] = static_cast<char>(Kind::Bytes);
  EXPECT_TRUE(says(load_compiled_ruleset(as_bytes), "a matches() pattern is not a string literal"));
}

// A tree deeper than the parser would build (Limits::max_depth) is refused before anything
// recurses over it: in wasm, a few thousand levels overflow the reader's and evaluator's stack.
TEST(CompiledRulesetBytes, TreesDeeperThanTheParserBuildsAreRefused) {
  // One segment whose condition is `!` applied `nots` times to `true`, then an empty slot.
  auto with_nots = [](int nots) {
    std::string tree;
    for (int i = 0; i < nots; ++i) tree += "\x09\x01";  // Op::Not, one operand
    tree += std::string("\x00\x01\x01\x00", 4);      // Op::Literal, a bool, true, no operands
    return kHeader + "\x01s" + '\0' + "\x01" "\x01" "g" "\x01" "x" + '\0' + tree + '\0' + std::string(2, '\0') +
           "\x01" "\x01" "a" "\x01" "d" "\x09" + std::string(2, '\0');
  };
  const LoadResult ok = load_compiled_ruleset(with_nots(Limits{}.max_depth - 1));
  ASSERT_TRUE(ok.ok()) << ok.errors.front().message;
  EXPECT_TRUE(parse_json(decide_to_json(*ok.rules, Value::map(Map()))).ok());
  for (int nots : {Limits{}.max_depth, 100000}) {
    const LoadResult deep = load_compiled_ruleset(with_nots(nots));
    ASSERT_FALSE(deep.ok()) << nots;
    EXPECT_NE(deep.errors.front().message.find("deeper than 1000 levels"), std::string::npos) << deep.errors.front().message;
  }
}

// A count must fit the bytes after it at the fewest bytes its items take (a rule: 5), so what
// loading allocates for items stays proportional to the input, not to the counts it claims.
TEST(CompiledRulesetBytes, CountsAreBoundedByTheBytesTheirItemsNeed) {
  // One slot "a" (default "d", no variants) holding `claimed` rules, each written as five zero
  // bytes (an empty id, no condition, the empty variant, no schedule), `given` of them present.
  auto slot_of_rules = [](std::size_t claimed, std::size_t given) {
    std::string count;
    for (std::size_t v = claimed; ; v >>= 7) {
      count += static_cast<char>((v & 0x7F) | (v >= 0x80 ? 0x80 : 0));
      if (v < 0x80) break;
    }
    return kHeader + "\x01s" + '\0' + std::string(3, '\0') + "\x01" "\x01" "a" "\x01" "d" "\x09" + '\0' + count +
           std::string(5 * given, '\0');
  };
  const std::string short_by_one = slot_of_rules(1000, 1000);
  const LoadResult refused_count = load_compiled_ruleset(short_by_one.substr(0, short_by_one.size() - 1));
  ASSERT_FALSE(refused_count.ok());
  EXPECT_NE(refused_count.errors.front().message.find("more than the bytes left can hold"), std::string::npos)
      << refused_count.errors.front().message;
  // Enough bytes: the count passes, and the thousand rules are refused for what they say (their
  // ids repeat), not for their number.
  const LoadResult full = load_compiled_ruleset(short_by_one);
  ASSERT_FALSE(full.ok());
  EXPECT_NE(full.errors.front().message.find("rule '' appears twice"), std::string::npos) << full.errors.front().message;
  // A single such rule loads.
  EXPECT_TRUE(load_compiled_ruleset(slot_of_rules(1, 1)).ok());
}

}  // namespace
}  // namespace ithaca
