// context_paths() and unpack_context(): the paths a rule set reads, and a packed context that
// decides exactly as the whole context's JSON does.
#include "ithaca/packed_context.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

#include "ithaca/json.hpp"
#include "ithaca/ruleset.hpp"
#include "testing/rule_sets.hpp"

namespace ithaca {
namespace {

using Paths = std::vector<std::vector<std::string>>;

std::shared_ptr<const RuleSet> load(const std::string& json) {
  LoadResult r = load_ruleset(json);
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].message);
  return r.rules;
}

constexpr const char* kRules = testing::kPackedContextRules;

TEST(ContextPaths, AreEveryReferencePlusWhatDecidingReadsSortedWithoutPrefixes) {
  auto rules = load(kRules);
  const Paths want = {
      {"custom"},  // size(custom) reads the whole map: custom.cart_value is inside it
      {"device", "type"},
      {"geo", "languages"},
      {"journey", "stage"},
      {"referrer", "category"},
      {"time", "hour"},
      {"time", "now"},
      {"time", "weekday"},
      {"utm", "source"},
      {"visit", "count"},
      {"visitor", "id"},
  };
  EXPECT_EQ(context_paths(*rules), want);
}

TEST(ContextPaths, LeaveOutWhatOnlySchedulesExperimentsAndJourneysRead) {
  auto rules = load(R"({"schema": 1, "site": "s", "slots": {"a": {"default": "x",
      "rules": [{"id": "r", "when": "geo.country == 'DE'", "variant": "y"}]}}})");
  EXPECT_EQ(context_paths(*rules), (Paths{{"geo", "country"}, {"time", "now"}}));
}

TEST(ContextPaths, AreInTheCatalog) {
  auto rules = load(R"({"schema": 1, "site": "s", "slots": {"a": {"default": "x",
      "rules": [{"id": "r", "when": "geo.country == 'DE' && custom['k'] == 1", "variant": "y"}]}}})");
  auto catalog = parse_json(decision_catalog_json(*rules));
  ASSERT_TRUE(catalog.ok());
  EXPECT_EQ(to_json(*catalog.value().find("reads")), R"([["custom"],["geo","country"],["time","now"]])");
}

TEST(UnpackContext, GivesTheContextCutToThePathsRead) {
  auto rules = load(kRules);
  const Value context = parse_json(R"({
    "device": {"type": "mobile", "os": "ios"},
    "geo": {"country": "DE", "languages": ["de-DE", "en"]},
    "custom": {"cart_value": 80.5, "items": [1, {"k": "ü"}], "note": "größer"},
    "time": {"hour": 9, "minute": 3, "now": "2026-11-21T09:03:00Z", "weekday": 6},
    "visit": "not a map",
    "visitor": {"id": "v1"},
    "unread": {"a": 1}
  })").value();
  auto unpacked = unpack_context(*rules, pack_context(*rules, context));
  ASSERT_TRUE(unpacked.ok()) << unpacked.error().message;
  EXPECT_EQ(to_json(unpacked.value()),
            R"({"custom":{"cart_value":80.5,"items":[1,{"k":"ü"}],"note":"größer"},)"
            R"("device":{"type":"mobile"},"geo":{"languages":["de-DE","en"]},)"
            R"("time":{"hour":9,"now":"2026-11-21T09:03:00Z","weekday":6},"visit":"not a map","visitor":{"id":"v1"}})");
}

TEST(PackContext, WritesEveryValueItCarriesExactly) {
  auto rules = load(R"({"schema": 1, "site": "s", "slots": {"a": {"default": "x",
      "rules": [{"id": "r", "when": "size(custom.items) > 0", "variant": "y"}]}}})");
  List items{Value::real(std::nan("")), Value::real(-INFINITY), Value::real(-0.0), Value::integer(INT64_MIN),
             Value::integer(9007199254740993), Value::uinteger(UINT64_MAX), Value::string("größer"), Value()};
  Map custom;
  custom.append(Value::string("items"), Value::list(items));
  Map context;
  context.append(Value::string("custom"), Value::map(std::move(custom)));
  auto unpacked = unpack_context(*rules, pack_context(*rules, Value::map(std::move(context))));
  ASSERT_TRUE(unpacked.ok()) << unpacked.error().message;
  const List& got = unpacked.value().find("custom")->find("items")->as_list();
  ASSERT_EQ(got.size(), items.size());
  EXPECT_TRUE(std::isnan(got[0].as_double()));
  EXPECT_EQ(got[1].as_double(), -INFINITY);
  EXPECT_TRUE(std::signbit(got[2].as_double()));
  for (std::size_t i = 3; i < items.size(); ++i) EXPECT_EQ(to_json(got[i]), to_json(items[i])) << i;
  EXPECT_EQ(got[3].kind(), Kind::Int);
  EXPECT_EQ(got[5].kind(), Kind::Uint);
}

// The property the SDK relies on: for any context, the packed one decides identically.
TEST(UnpackContext, DecidesAsTheWholeContextForRandomContexts) {
  auto rules = load(kRules);
  std::mt19937 rng(7);
  auto pick = [&](std::initializer_list<const char*> options) {
    return std::string(options.begin()[rng() % options.size()]);
  };
  for (int i = 0; i < 2000; ++i) {
    std::string text = "{";
    auto member = [&](const std::string& m) { text += (text.size() > 1 ? "," : "") + m; };
    if (rng() % 8) member(R"("device":{"type":")" + pick({"mobile", "desktop", "tablet"}) + R"(","os":"ios"})");
    if (rng() % 8) member(R"("geo":{"languages":)" + pick({R"(["de-DE"])", R"(["en","de"])", "[]", R"("de")", "[1]"}) + "}");
    if (rng() % 4) member(R"("custom":)" + pick({R"({"cart_value":80.0,"n":1})", R"({"cart_value":10})", R"({"a":1})", "{}", "[]"}));
    if (rng() % 8) member(R"("time":{"hour":)" + std::to_string(rng() % 24) + R"(,"weekday":)" + std::to_string(rng() % 7) +
                          (rng() % 2 ? R"(,"now":"2026-11-2)" + std::to_string(rng() % 10) + R"(T10:00:00Z")" : "") + "}");
    if (rng() % 4) member(R"("visit":)" + pick({R"({"count":1})", R"({"count":3})", R"({"count":"3"})", "{}", "null"}));
    if (rng() % 4) member(R"("journey":{"stage":)" + pick({R"("aware")", R"("buy")", R"("gone")", "7"}) + "}");
    if (rng() % 4) member(R"("referrer":{"category":)" + pick({R"("search")", R"("social")", R"("direct")", "null"}) + "}");
    if (rng() % 4) member(R"("utm":{"source":)" + pick({R"("x")", R"("y")", "1.5", "[]"}) + "}");
    if (rng() % 8) member(R"("visitor":{"id":"v)" + std::to_string(rng() % 100000) + R"("})");
    text += "}";
    const Value context = parse_json(text).value();
    auto unpacked = unpack_context(*rules, pack_context(*rules, context));
    ASSERT_TRUE(unpacked.ok()) << text << ": " << unpacked.error().message;
    std::vector<std::int32_t> want, got;
    std::string want_errors, got_errors;
    decide_codes(*rules, context, want, want_errors);
    decide_codes(*rules, unpacked.value(), got, got_errors);
    ASSERT_EQ(got, want) << text;
    ASSERT_EQ(got_errors, want_errors) << text;
  }
}

struct BadBytes {
  std::string bytes;
  std::string message;
};

std::string u32le(std::uint32_t n) {
  std::string s;
  for (int k = 0; k < 4; ++k) s += static_cast<char>(n >> (8 * k) & 0xFF);
  return s;
}

// A rule set that reads geo.country and time.now: two top-level entries, `geo` with one child.
TEST(UnpackContext, RefusesBadBytesSayingWhatAndWhere) {
  auto rules = load(R"({"schema": 1, "site": "s", "slots": {"a": {"default": "x",
      "rules": [{"id": "r", "when": "geo.country == 'DE'", "variant": "y"}]}}})");
  const std::string absent(1, '\0');
  const std::string object(1, '\x09');
  const std::vector<BadBytes> cases = {
      {"", "packed context at byte 0: truncated: expected a tag"},
      {absent, "packed context at byte 1: truncated: expected a tag"},
      {absent + absent + "x", "packed context at byte 2: unexpected bytes after the context"},
      {std::string(1, '\x0c') + absent, "packed context at byte 0: unknown tag 12"},
      {object + "\x06" + u32le(5) + "DE" + absent, "packed context at byte 6: truncated text of 5 bytes"},
      {object + "\x06" + u32le(2) + "\xC3\x28" + absent, "packed context at byte 1: string is not valid UTF-8"},
      {object + "\x04" + std::string("\0\0\0\0\0\0\xE0\x3F", 8) + absent,  // 0.5
       "packed context at byte 1: an integer entry holds a number that is not an integer of magnitude at most 2^53"},
      {object + "\x05" + std::string(3, '\0'), "packed context at byte 2: truncated number"},
      {object + object + absent, "packed context at byte 1: an object entry where the rule set reads no keys below"},
      {object + "\x07" + u32le(3) + "{\"a" + absent,
       "packed context at byte 1: invalid JSON at line 1, column 4: unterminated string"},
      {object + "\x08" + u32le(1) + absent + absent, "packed context at byte 6: a list item cannot be absent"},
      {object + "\x08" + u32le(1000) + absent, "packed context at byte 6: a list of 1000 items cannot fit in what is left"},
  };
  for (const auto& c : cases) {
    auto r = unpack_context(*rules, c.bytes);
    ASSERT_FALSE(r.ok()) << c.message;
    EXPECT_EQ(r.error().message, c.message);
  }
}

TEST(UnpackContext, BoundsNesting) {
  auto rules = load(R"({"schema": 1, "site": "s", "slots": {"a": {"default": "x",
      "rules": [{"id": "r", "when": "size(custom) > 0", "variant": "y"}]}}})");
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += '\x08' + u32le(1);
  deep += '\x01';
  auto r = unpack_context(*rules, deep + std::string(1, '\0'));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nesting deeper than 64 levels"), std::string::npos) << r.error().message;
}

// Nesting and size as parse_json allows them in the whole context's text: a packed context
// decides exactly when that text would parse (the SDK's first decision and debug mode go
// through the text, later ones through the packed bytes).
TEST(UnpackContext, AllowsTheNestingAndSizeTheJsonTextAllows) {
  auto rules = load(R"json({"schema": 1, "site": "s", "slots": {"a": {"default": "x",
      "rules": [{"id": "r", "when": "has(custom.x)", "variant": "y"}]}}})json");
  // {"custom": {"x": V}}: V is at level 3 of the context's text.
  const auto context = [](Value x) {
    Map custom;
    custom.append(Value::string("x"), std::move(x));
    Map c;
    c.append(Value::string("custom"), Value::map(std::move(custom)));
    return Value::map(std::move(c));
  };
  const auto lists = [](int levels, Value inner) {  // `levels` lists around `inner`
    for (int i = 0; i < levels; ++i) inner = Value::list(List{std::move(inner)});
    return inner;
  };
  const auto maps = [](int levels, Value inner) {  // `levels` objects around `inner`
    for (int i = 0; i < levels; ++i) {
      Map m;
      m.append(Value::string("k"), std::move(inner));
      inner = Value::map(std::move(m));
    }
    return inner;
  };
  for (int levels = 58; levels <= 64; ++levels) {
    const Value shapes[] = {
        lists(levels, Value::integer(1)),
        lists(levels - 1, Value::list({})),  // the innermost list empty
        maps(levels, Value::integer(1)),
        lists(levels - 1, maps(1, Value::integer(1))),
    };
    for (const Value& x : shapes) {
      const Value ctx = context(x);
      const std::string text = to_json(ctx);
      const bool text_parses = parse_json(text).ok();
      auto unpacked = unpack_context(*rules, pack_context(*rules, ctx));
      EXPECT_EQ(unpacked.ok(), text_parses) << levels << " levels: " << text.substr(0, 80) << "… "
                                            << (unpacked.ok() ? "" : unpacked.error().message);
    }
  }
  // Size: what the rules read is bounded as the whole text is (8 MiB).
  const std::string big((8u << 20) + 1, 'a');
  EXPECT_FALSE(parse_json(to_json(context(Value::string(big)))).ok());
  auto unpacked = unpack_context(*rules, pack_context(*rules, context(Value::string(big))));
  ASSERT_FALSE(unpacked.ok());
  EXPECT_NE(unpacked.error().message.find("over the limit of 8388608"), std::string::npos) << unpacked.error().message;
}

}  // namespace
}  // namespace ithaca
