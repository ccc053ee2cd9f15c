// The generator: deterministic for a seed, shaped like real traffic, and accepted as is by the
// collect decoder.
#include "reports/event_generator.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "collect_decoder.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

GeneratorOptions options(std::int64_t events) {
  GeneratorOptions o;
  o.events = events;
  o.end_ms = 1'795'000'000'000;
  o.rules_json = testing::read_text(testing::fixture("../../../demo_site/rules/demo.json"));
  return o;
}

TEST(EventGenerator, SameSeedSameStream) {
  EventGenerator a(options(3000)), b(options(3000));
  GeneratedRequest ra, rb;
  int requests = 0;
  while (a.next(ra)) {
    ASSERT_TRUE(b.next(rb));
    EXPECT_EQ(ra.body, rb.body);
    EXPECT_EQ(ra.user_agent, rb.user_agent);
    ++requests;
  }
  EXPECT_FALSE(b.next(rb));
  EXPECT_GT(requests, 100);
  EXPECT_GE(a.events_generated(), 3000);
}

TEST(EventGenerator, RealisticMixThatTheTrackerAccepts) {
  auto o = options(20'000);
  EventGenerator g(o);
  GeneratedRequest r;
  std::map<std::string, int> types, goals;
  std::set<std::string> ips, variants;
  std::int64_t first = INT64_MAX, last = 0;
  int consented = 0, requests = 0;
  while (g.next(r)) {
    ++requests;
    CollectPayload payload;
    DecodeError error;
    ASSERT_TRUE(decode_collect(r.body.dump(), CollectLimits{}, payload, error)) << error.message;
    ips.insert(r.forwarded_for);
    if (r.body.contains("visitor_id")) ++consented;
    for (const auto& e : r.body["events"]) {
      types[e["type"]]++;
      const std::int64_t ts = e["ts"];
      first = std::min(first, ts);
      last = std::max(last, ts);
      if (e["type"] == "conversion") goals[e["name"]]++;
      if (e["type"] == "exposure" && e["props"].contains("experiment")) variants.insert(e["props"]["variant"]);
    }
  }
  EXPECT_GT(types["pageview"], types["event"]);
  EXPECT_GT(types["exposure"], 0);
  EXPECT_GT(goals["add_to_cart"], goals["checkout"]);
  EXPECT_GT(goals["checkout"], goals["purchase"]);
  EXPECT_GT(goals["purchase"], 0);
  EXPECT_EQ(variants, (std::set<std::string>{"benefit", "browse", "free-shipping", "standard"}));
  EXPECT_GT(ips.size(), 1000u);
  EXPECT_GT(consented, requests / 8);
  EXPECT_LT(consented, requests / 2);
  EXPECT_GE(first, o.end_ms - static_cast<std::int64_t>(o.days * 86'400'000));
  EXPECT_LE(last, o.end_ms);
  EXPECT_GT(last - first, 5 * 86'400'000LL);  // spread over the days, not bunched
}

}  // namespace
}  // namespace ithaca::tracker
