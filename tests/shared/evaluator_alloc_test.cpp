// Evaluating a compiled Program does not allocate in the common case (strings, numbers, booleans,
// small lists, has(), membership, comprehensions that build nothing). This is its own program
// because it replaces the global operator new/delete to count every heap allocation.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "ithaca/expression.hpp"
#include "ithaca/json.hpp"

namespace {
std::atomic<long> g_news{0};
}  // namespace

void* operator new(std::size_t size) {
  g_news.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  g_news.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// These deletes free what the news above took from malloc; GCC sees `free` of an `operator new`
// pointer and warns, not knowing the two are replaced together.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace ithaca {
namespace {

// A typical visitor context, as the SDK builds it.
constexpr const char* kContext = R"({
  "time": {"hour": 8, "minute": 15, "weekday": 2, "daypart": "morning", "timezone": "Europe/Berlin",
           "now": "2024-05-14T06:15:00Z"},
  "geo": {"country": "DE", "region": "BE", "languages": ["de", "en"]},
  "device": {"type": "mobile", "os": "iOS", "browser": "Safari", "touch": true, "screen_width": 390,
             "dark_mode": false},
  "referrer": {"host": "www.google.com", "category": "search", "source": "google"},
  "utm": {"source": "newsletter", "medium": "email", "campaign": "spring-sale"},
  "visit": {"first": false, "count": 4, "days_since_last": 2, "pageviews": 3,
            "path": "/products/espresso-42"},
  "journey": {"stage": "consideration", "touchpoints": ["search", "email", "direct"],
              "interests": {"coffee": 3, "tea": 1}},
  "consent": {"analytics": true, "personalization": true, "gpc": false}
})";

long allocations_during(const Program& program, const Value& context, int runs, Value* last) {
  const long before = g_news.load();
  for (int i = 0; i < runs; ++i) *last = program.evaluate(context);
  return g_news.load() - before;
}

TEST(AllocationCounter, CountsOperatorNew) {
  const long before = g_news.load();
  auto* p = new int(7);
  std::vector<int> v(100);
  delete p;
  EXPECT_GE(g_news.load() - before, 2);
}

struct AllocCase {
  const char* expr;
  const char* want;  // "true", "false", or "value" (any non-error value)
};

void PrintTo(const AllocCase& c, std::ostream* os) { *os << c.expr; }

class EvaluationAllocations : public ::testing::TestWithParam<AllocCase> {};

TEST_P(EvaluationAllocations, AreZero) {
  auto program = compile(GetParam().expr);
  ASSERT_TRUE(program.ok()) << program.error().message;
  auto context = parse_json(kContext);
  ASSERT_TRUE(context.ok()) << context.error().message;
  Value result;
  allocations_during(program.value(), context.value(), 1, &result);  // warm up
  const long n = allocations_during(program.value(), context.value(), 1000, &result);
  ASSERT_FALSE(result.is_error()) << result.as_string();
  const std::string want = GetParam().want;
  if (want != "value") {
    ASSERT_TRUE(result.is_bool());
    EXPECT_EQ(result.as_bool(), want == "true");
  }
  EXPECT_EQ(n, 0) << "allocations in 1000 evaluations of " << GetParam().expr;
}

INSTANTIATE_TEST_SUITE_P(Personalization, EvaluationAllocations, ::testing::Values(
    AllocCase{"time.hour >= 6 && time.hour < 11 && device.type in ['mobile','tablet'] && geo.country == 'DE'", "true"},
    AllocCase{"time.hour >= 12 && time.hour < 11 && device.type in ['mobile','tablet'] && geo.country == 'DE'", "false"},
    AllocCase{"device.type == 'mobile'", "true"},
    AllocCase{"device.type != 'desktop' && device.touch", "true"},
    AllocCase{"device.screen_width <= 480", "true"},
    AllocCase{"geo.country in ['DE', 'AT', 'CH']", "true"},
    AllocCase{"'de' in geo.languages", "true"},
    AllocCase{"visit.count > 3 || utm.source == 'newsletter'", "true"},
    AllocCase{"!visit.first && visit.days_since_last < 7", "true"},
    AllocCase{"has(utm.campaign) && utm.campaign.startsWith('spring')", "true"},
    AllocCase{"has(utm.term) || referrer.category == 'search'", "true"},
    AllocCase{"referrer.host.endsWith('google.com') && referrer.category != 'social'", "true"},
    AllocCase{"visit.path.contains('/products/')", "true"},
    AllocCase{"visit.path.matches('^/products/[a-z-]+[0-9]+$')", "true"},
    AllocCase{"size(journey.touchpoints) >= 2 && journey.stage == 'consideration'", "true"},
    AllocCase{"journey.touchpoints.exists(t, t == 'email')", "true"},
    AllocCase{"journey.touchpoints.all(t, t != 'paid')", "true"},
    AllocCase{"journey.interests.coffee > journey.interests.tea", "true"},
    AllocCase{"'coffee' in journey.interests", "true"},
    AllocCase{"time.daypart == 'morning' ? consent.personalization : false", "true"},
    AllocCase{"time.weekday >= 1 && time.weekday <= 5 && time.hour * 60 + time.minute < 600", "true"},
    AllocCase{"consent.analytics && !consent.gpc", "true"},
    AllocCase{"geo.languages[0] == 'de'", "true"},
    AllocCase{"device.os", "value"},
    AllocCase{"geo", "value"},
    AllocCase{"['mobile', 'tablet']", "value"}));

TEST(EvaluationAllocations, ThroughACustomActivation) {
  class Layered final : public Activation {
   public:
    Layered(const Value& context, const Value& segment) : context_(context), segment_(segment) {}
    const Value* find(std::string_view name) const noexcept override {
      return name == "segment" ? &segment_ : context_.find(name);
    }

   private:
    const Value& context_;
    const Value& segment_;
  };
  auto program = compile("segment.morning && device.type == 'mobile'");
  ASSERT_TRUE(program.ok());
  auto context = parse_json(kContext);
  auto segments = parse_json(R"({"morning": true})");
  ASSERT_TRUE(context.ok() && segments.ok());
  Layered activation(context.value(), segments.value());
  Value result = program.value().evaluate(activation);
  const long before = g_news.load();
  for (int i = 0; i < 1000; ++i) result = program.value().evaluate(activation);
  EXPECT_EQ(g_news.load() - before, 0);
  EXPECT_TRUE(result.as_bool());
}

TEST(EvaluationAllocations, BuildingNewValuesDoesAllocate) {
  // The counter is not blind: expressions that build strings or lists are expected to allocate
  // (a string longer than Value::kInlineText; shorter ones live inside the value).
  auto program = compile("device.os + '/' + device.browser + ' (mobile)'");
  ASSERT_TRUE(program.ok());
  auto context = parse_json(kContext);
  ASSERT_TRUE(context.ok());
  Value result;
  EXPECT_GT(allocations_during(program.value(), context.value(), 10, &result), 0);
  EXPECT_EQ(result.as_string(), "iOS/Safari (mobile)");
}

}  // namespace
}  // namespace ithaca
