// context_paths() and unpack_context(): the paths a rule set reads, and a packed context that
// decides exactly as the whole context's JSON does.
#include "ithaca/packed_context.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>

#include "ithaca/json.hpp"
#include "ithaca/ruleset.hpp"

namespace ithaca {
namespace {

using Paths = std::vector<std::vector<std::string>>;

std::shared_ptr<const RuleSet> load(const std::string& json) {
  LoadResult r = load_ruleset(json);
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].message);
  return r.rules;
}

// The packer the SDK's glue is (wasm_sdk/src/context_packer.js), for Values: the plan is built
// from context_paths() the way the glue builds it from the catalog's "reads".
struct PlanKey {
  std::string key;
  std::vector<PlanKey> kids;
};

std::vector<PlanKey> plan_of(const Paths& paths, std::size_t from, std::size_t to, std::size_t depth) {
  std::vector<PlanKey> out;
  for (std::size_t i = from; i < to;) {
    std::size_t end = i + 1;
    while (end < to && paths[end][depth] == paths[i][depth]) ++end;
    PlanKey k{paths[i][depth], {}};
    if (paths[i].size() > depth + 1) k.kids = plan_of(paths, i, end, depth + 1);
    out.push_back(std::move(k));
    i = end;
  }
  return out;
}

class Packer {
 public:
  std::string bytes;

  void members(const Value& obj, const std::vector<PlanKey>& plan) {
    for (const auto& k : plan) {
      const Value* v = obj.find(k.key);
      if (!v) tag(PackedTag::Absent);
      else if (!k.kids.empty() && v->is_map()) { tag(PackedTag::Object); members(*v, k.kids); }
      else value(*v);
    }
  }

  void value(const Value& v) {
    switch (v.kind()) {
      case Kind::Null: return tag(PackedTag::Null);
      case Kind::Bool: return tag(v.as_bool() ? PackedTag::True : PackedTag::False);
      case Kind::Int:
        if (v.as_int() >= -(std::int64_t(1) << 53) && v.as_int() <= (std::int64_t(1) << 53))
          return number(PackedTag::Integer, static_cast<double>(v.as_int()));
        return json(v);
      case Kind::Double: return number(PackedTag::Double, v.as_double());
      case Kind::String: {
        const std::string_view s = v.as_string();
        for (unsigned char c : s)
          if (c >= 0x80) return json(v);  // as the glue: non-ASCII goes as JSON
        tag(PackedTag::String);
        u32(static_cast<std::uint32_t>(s.size()));
        bytes += s;
        return;
      }
      case Kind::List:
        tag(PackedTag::Items);
        u32(static_cast<std::uint32_t>(v.as_list().size()));
        for (const Value& item : v.as_list()) value(item);
        return;
      default: return json(v);
    }
  }

  void tag(PackedTag t) { bytes += static_cast<char>(t); }
  void u32(std::uint32_t n) {
    for (int k = 0; k < 4; ++k) bytes += static_cast<char>(n >> (8 * k) & 0xFF);
  }
  void number(PackedTag t, double d) {
    tag(t);
    std::uint64_t bits;
    std::memcpy(&bits, &d, sizeof d);
    for (int k = 0; k < 8; ++k) bytes += static_cast<char>(bits >> (8 * k) & 0xFF);
  }
  void json(const Value& v) {
    const std::string text = to_json(v);
    tag(PackedTag::Json);
    u32(static_cast<std::uint32_t>(text.size()));
    bytes += text;
  }
};

std::string pack(const RuleSet& rules, const Value& context) {
  const Paths& paths = context_paths(rules);
  Packer p;
  p.members(context, plan_of(paths, 0, paths.size(), 0));
  return p.bytes;
}

constexpr const char* kRules = R"json({
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
  auto unpacked = unpack_context(*rules, pack(*rules, context));
  ASSERT_TRUE(unpacked.ok()) << unpacked.error().message;
  EXPECT_EQ(to_json(unpacked.value()),
            R"({"custom":{"cart_value":80.5,"items":[1,{"k":"ü"}],"note":"größer"},)"
            R"("device":{"type":"mobile"},"geo":{"languages":["de-DE","en"]},)"
            R"("time":{"hour":9,"now":"2026-11-21T09:03:00Z","weekday":6},"visit":"not a map","visitor":{"id":"v1"}})");
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
    auto unpacked = unpack_context(*rules, pack(*rules, context));
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

}  // namespace
}  // namespace ithaca
