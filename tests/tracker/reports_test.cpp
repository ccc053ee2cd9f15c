// Every report against hand-computed numbers on a small fixed stream (twelve events, three
// visitors, two days across the start of summer time in Europe/Berlin), through both SQLite
// paths: the roll-ups and the raw-event fallback. The expected values are worked out in the
// comments next to them.
#include "reports/reports.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "reports/sqlite_report_source.hpp"
#include "rollup_test_support.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;
using testing::TempDir;

// 2024-03-30 and 2024-03-31 as local day numbers; summer time starts 2024-03-31 01:00 UTC.
constexpr std::int32_t kDayA = 19812;
constexpr std::int32_t kDayB = 19813;
constexpr std::int64_t kMarch30 = 19812LL * 86'400'000;  // 2024-03-30T00:00Z
constexpr std::int64_t H = 3'600'000, M = 60'000, S = 1000;

struct Who {
  std::uint64_t visitor;
  std::string id, device, country, language;
};
const Who kV1{101, "visitor-one", "mobile", "DE", "de-de"};
const Who kV2{202, "", "desktop", "US", "en-us"};
const Who kV3{303, "", "desktop", "DE", "de-de"};

StoredEvent make(const Who& who, EventType type, std::int64_t ts, std::string path, std::string referrer,
                 bool first_visit, std::int64_t visit, std::string stage) {
  StoredEvent e;
  e.site = "store";
  static int counter = 0;
  e.event_id = "e" + std::to_string(++counter);
  e.type = type;
  e.ts_ms = e.received_ms = e.client_ts_ms = ts;
  e.visitor = who.visitor;
  e.visitor_id = who.id;
  e.host = "store.example";
  e.path = std::move(path);
  e.referrer_category = std::move(referrer);
  e.device_type = who.device;
  e.country = who.country;
  e.language = who.language;
  e.visit_first = first_visit;
  e.visit_count = visit;
  e.journey_stage = std::move(stage);
  return e;
}

StoredEvent exposure(StoredEvent e, std::string variant) {
  e.name = "hero";
  e.slot = "hero";
  e.experiment = "hero-test";
  e.variant = std::move(variant);
  return e;
}

std::vector<StoredEvent> fixed_stream() {
  using T = EventType;
  std::vector<StoredEvent> s;
  // Day A (UTC+1). V1's first visit: "/" from a search, then "/shop", an exposure to B, a signup.
  s.push_back(make(kV1, T::Pageview, kMarch30 + 9 * H, "/", "search", true, 1, "awareness"));  // 10:00 local
  s.back().referrer_source = "google";
  s.push_back(make(kV1, T::Pageview, kMarch30 + 9 * H + 5 * M, "/shop", "internal", true, 1, "awareness"));
  s.push_back(exposure(make(kV1, T::Exposure, kMarch30 + 9 * H + 5 * M + 30 * S, "/shop", "internal", true, 1,
                            "awareness"),
                       "B"));
  StoredEvent signup = make(kV1, T::Conversion, kMarch30 + 9 * H + 10 * M, "/shop", "internal", true, 1, "consideration");
  signup.name = "signup";
  signup.value = 30.0;
  signup.context_json = json{{"journey",
                              {{"first_touch", {{"category", "search"}, {"source", "google"}}},
                               {"last_touch", {{"category", "email"}, {"source", "newsletter"}, {"campaign", "spring"}}},
                               {"touchpoints",
                                {{{"category", "search"}, {"source", "google"}},
                                 {{"category", "search"}, {"source", "google"}},
                                 {{"category", "email"}, {"source", "newsletter"}, {"campaign", "spring"}}}}}}}
                            .dump();
  s.push_back(signup);
  // V2 lands on "/shop" from social at 23:30 local, then crosses local midnight: a new day.
  s.push_back(make(kV2, T::Pageview, kMarch30 + 22 * H + 30 * M, "/shop", "social", true, 1, "awareness"));
  s.push_back(make(kV2, T::Pageview, kMarch30 + 23 * H + 10 * M, "/", "internal", true, 1, "consideration"));
  s.push_back(exposure(make(kV2, T::Exposure, kMarch30 + 23 * H + 11 * M, "/", "internal", true, 1, "consideration"), "A"));
  // Day B (UTC+2 from 01:00 UTC). V3 returns directly at 12:00 local; its signup comes before
  // its exposure, so it does not count for the experiment.
  s.push_back(make(kV3, T::Pageview, kMarch30 + 34 * H, "/", "direct", false, 2, "awareness"));
  StoredEvent early = make(kV3, T::Conversion, kMarch30 + 34 * H + 30 * S, "/", "direct", false, 2, "awareness");
  early.name = "signup";
  s.push_back(early);
  s.push_back(exposure(make(kV3, T::Exposure, kMarch30 + 34 * H + 1 * M, "/", "direct", false, 2, "awareness"), "A"));
  // V1 comes back from the newsletter at 14:00 local.
  s.push_back(make(kV1, T::Pageview, kMarch30 + 36 * H, "/pricing", "email", false, 2, "purchase"));
  s.back().utm_campaign = "spring";
  s.push_back(exposure(make(kV1, T::Exposure, kMarch30 + 36 * H + 30 * S, "/pricing", "email", false, 2, "purchase"), "B"));
  return s;
}

std::string rules_text() { return testing::read_text(testing::fixture("rules_reports.json")); }

class Reports : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override { open_store(); }

  void open_store() { testing::open_events_database(dir, stores); }

  void start(std::vector<StoredEvent> events) {
    ASSERT_TRUE(stores.events->write(events));
    start_builder();
  }

  void start_builder() {
    testing::start_rollup_builder(dir, "store", zone, builder);
    ASSERT_TRUE(builder);
    std::string error;
    source = SqliteReportSource::open(dir.str("ithaca.db"), dir.str("rollups.db"), *builder, error);
    ASSERT_TRUE(source) << error;
    source->force_raw(GetParam());
  }

  json report(const std::string& name, ReportParams params = {}, std::vector<Filter> filters = {},
              std::int32_t first = kDayA, std::int32_t last = kDayB) {
    ReportScope scope;
    scope.site = "store";
    scope.zone = zone;
    scope.first_day = first;
    scope.last_day = last;
    scope.filters = std::move(filters);
    ReportResult result;
    ReportError error;
    EXPECT_TRUE(run_report(*source, name, scope, params, SiteRulesInfo::from_json(rules_text()), result, error))
        << error.message;
    last_table = result.table;
    return result.body;
  }

  // The message of a report refused with 400 (a failure if it was not refused).
  std::string report_error(const std::string& name, ReportParams params) {
    ReportScope scope;
    scope.site = "store";
    scope.zone = zone;
    scope.first_day = kDayA;
    scope.last_day = kDayB;
    ReportResult result;
    ReportError error;
    EXPECT_FALSE(run_report(*source, name, scope, params, SiteRulesInfo::from_json(rules_text()), result, error))
        << result.body.dump();
    EXPECT_EQ(error.status, 400);
    return error.message;
  }

  static json row_for(const json& rows, const std::string& key, const std::string& value) {
    for (const auto& r : rows) {
      if (r[key] == value) return r;
    }
    ADD_FAILURE() << "no row " << key << "=" << value << " in " << rows.dump();
    return json::object();
  }

  TempDir dir;
  SqliteStores stores;
  std::shared_ptr<const TimeZone> zone;
  std::unique_ptr<RollupBuilder> builder;
  std::unique_ptr<SqliteReportSource> source;
  ReportTable last_table;
};

TEST_P(Reports, DailyTimeseriesCountsVisitorDays) {
  start(fixed_stream());
  json r = report("timeseries");
  ASSERT_EQ(r["rows"].size(), 2u);
  // Day A: events 1-5 (3 pageviews) by V1 and V2.
  EXPECT_EQ(r["rows"][0], json({{"bucket", "2024-03-30"}, {"ts", kMarch30 - H}, {"visitors", 2}, {"pageviews", 3}, {"events", 5}}));
  // Day B: events 6-12 (3 pageviews) by V2, V3 and V1; it starts at 23:00 UTC the day before.
  EXPECT_EQ(r["rows"][1], json({{"bucket", "2024-03-31"}, {"ts", kMarch30 + 23 * H}, {"visitors", 3}, {"pageviews", 3}, {"events", 7}}));
  EXPECT_EQ(r["totals"], json({{"visitors", 5}, {"pageviews", 6}, {"events", 12}}));
}

TEST_P(Reports, HourlyTimeseriesSkipsTheHourSummerTimeRemoves) {
  start(fixed_stream());
  json r = report("timeseries", {{"interval", "hour"}});
  // 24 hours on day A, 23 on day B (02:00 does not exist).
  ASSERT_EQ(r["rows"].size(), 47u);
  std::map<std::string, json> busy;
  for (const auto& row : r["rows"]) {
    EXPECT_NE(row["bucket"], "2024-03-31T02:00");
    if (row["events"] != 0) busy[row["bucket"]] = row;
  }
  ASSERT_EQ(busy.size(), 5u);
  EXPECT_EQ(busy["2024-03-30T10:00"]["events"], 4);
  EXPECT_EQ(busy["2024-03-30T10:00"]["pageviews"], 2);
  EXPECT_EQ(busy["2024-03-30T10:00"]["visitors"], 1);
  EXPECT_EQ(busy["2024-03-30T23:00"]["events"], 1);
  EXPECT_EQ(busy["2024-03-31T00:00"]["events"], 2);
  EXPECT_EQ(busy["2024-03-31T12:00"]["events"], 3);
  EXPECT_EQ(busy["2024-03-31T14:00"]["events"], 2);
  EXPECT_EQ(busy["2024-03-31T14:00"]["ts"], kMarch30 + 36 * H);  // 14:00 local is 12:00 UTC
  EXPECT_EQ(r["totals"]["visitors"], 5);
}

TEST_P(Reports, TimeseriesFilters) {
  start(fixed_stream());
  json de = report("timeseries", {}, {{Dim::Country, "DE"}});
  // Day A: V1's four events; day B: V3's three and V1's two.
  EXPECT_EQ(de["rows"][0]["events"], 4);
  EXPECT_EQ(de["rows"][0]["visitors"], 1);
  EXPECT_EQ(de["rows"][1]["events"], 5);
  EXPECT_EQ(de["rows"][1]["pageviews"], 2);
  EXPECT_EQ(de["rows"][1]["visitors"], 2);
  json both = report("timeseries", {}, {{Dim::Country, "DE"}, {Dim::Device, "mobile"}});
  EXPECT_EQ(both["rows"][0]["events"], 4);
  EXPECT_EQ(both["rows"][1]["events"], 2);
  EXPECT_EQ(both["totals"], json({{"visitors", 2}, {"pageviews", 3}, {"events", 6}}));
}

TEST_P(Reports, PagesWithEntriesAndShares) {
  start(fixed_stream());
  json r = report("pages");
  ASSERT_EQ(r["rows"].size(), 3u);
  EXPECT_EQ(r["totals"], json({{"visitors", 5}, {"pageviews", 6}, {"events", 12}}));
  // "/": V1 on A, V2 and V3 on B; the entry page of three visits (V2's day-B visit included).
  EXPECT_EQ(r["rows"][0], json({{"value", "/"}, {"visitors", 3}, {"pageviews", 3}, {"events", 6}, {"entries", 3}, {"share", 0.6}}));
  EXPECT_EQ(r["rows"][1], json({{"value", "/shop"}, {"visitors", 2}, {"pageviews", 2}, {"events", 4}, {"entries", 1}, {"share", 0.4}}));
  EXPECT_EQ(r["rows"][2], json({{"value", "/pricing"}, {"visitors", 1}, {"pageviews", 1}, {"events", 2}, {"entries", 1}, {"share", 0.2}}));
  EXPECT_EQ(last_table.columns, (std::vector<std::string>{"value", "visitors", "pageviews", "events", "entries", "share"}));
}

TEST_P(Reports, ReferrerCategoriesAndVisits) {
  start(fixed_stream());
  json r = report("referrers");
  std::vector<std::string> order;
  for (const auto& row : r["rows"]) order.push_back(row["value"]);
  // internal has two visitor-days; the rest one each, then by pageviews, events, name.
  EXPECT_EQ(order, (std::vector<std::string>{"internal", "direct", "email", "search", "social"}));
  EXPECT_EQ(row_for(r["rows"], "value", "internal"),
            json({{"value", "internal"}, {"visitors", 2}, {"pageviews", 2}, {"events", 5}, {"entries", 1}, {"share", 0.4}}));
  EXPECT_EQ(row_for(r["rows"], "value", "direct")["events"], 3);
  EXPECT_EQ(row_for(r["rows"], "value", "search")["entries"], 1);

  json visits = report("visits");
  EXPECT_EQ(row_for(visits["rows"], "value", "first"),
            json({{"value", "first"}, {"visitors", 3}, {"pageviews", 4}, {"events", 7}, {"entries", 3}, {"share", 0.6}}));
  EXPECT_EQ(row_for(visits["rows"], "value", "repeat"),
            json({{"value", "repeat"}, {"visitors", 2}, {"pageviews", 2}, {"events", 5}, {"entries", 2}, {"share", 0.4}}));
}

TEST_P(Reports, BreakdownWithAFilterAndLimit) {
  start(fixed_stream());
  json r = report("breakdown", {{"dimension", "page"}, {"limit", "1"}}, {{Dim::Country, "DE"}});
  // DE: V1 (both days) and V3. "/" has V1 on A and V3 on B.
  EXPECT_EQ(r["total_rows"], 3);
  ASSERT_EQ(r["rows"].size(), 1u);
  EXPECT_EQ(r["rows"][0]["value"], "/");
  EXPECT_EQ(r["rows"][0]["visitors"], 2);
  EXPECT_EQ(r["rows"][0]["events"], 4);
  EXPECT_EQ(r["totals"]["visitors"], 3);
}

TEST_P(Reports, FunnelCountsTheFurthestStage) {
  start(fixed_stream());
  json r = report("funnel");
  // Visitor-days: V1-A {awareness, consideration}, V2-A {awareness}, V2-B {consideration},
  // V3-B {awareness}, V1-B {purchase}.
  ASSERT_EQ(r["stages"].size(), 4u);
  EXPECT_EQ(r["stages"][0], json({{"stage", "awareness"}, {"position", 1}, {"visitors", 5}, {"conversion", nullptr},
                                  {"overall", 1.0}, {"drop_off", nullptr}}));
  EXPECT_EQ(r["stages"][1], json({{"stage", "consideration"}, {"position", 2}, {"visitors", 3}, {"conversion", 0.6},
                                  {"overall", 0.6}, {"drop_off", 2}}));
  EXPECT_EQ(r["stages"][2]["visitors"], 1);
  EXPECT_DOUBLE_EQ(r["stages"][2]["conversion"].get<double>(), 1.0 / 3);
  EXPECT_EQ(r["stages"][3]["visitors"], 0);
  EXPECT_EQ(r["stages"][3]["conversion"], 0.0);
  EXPECT_EQ(r["visitors_with_stage"], 5);
}

TEST_P(Reports, TopPagePathsAndStagePaths) {
  start(fixed_stream());
  json pages = report("paths");
  EXPECT_EQ(pages["visits"], 5);
  EXPECT_EQ(pages["distinct"], 4);
  ASSERT_EQ(pages["rows"].size(), 4u);
  EXPECT_EQ(pages["rows"][0], json({{"steps", {"/"}}, {"visits", 2}, {"share", 0.4}}));
  EXPECT_EQ(pages["rows"][1]["steps"], json({"/", "/shop"}));
  EXPECT_EQ(pages["rows"][2]["steps"], json({"/pricing"}));
  EXPECT_EQ(pages["rows"][3]["steps"], json({"/shop"}));

  json stages = report("paths", {{"kind", "stages"}, {"limit", "2"}});
  ASSERT_EQ(stages["rows"].size(), 2u);
  EXPECT_EQ(stages["rows"][0], json({{"steps", {"awareness"}}, {"visits", 2}, {"share", 0.4}}));
  EXPECT_EQ(stages["rows"][1]["steps"], json({"awareness", "consideration"}));
  EXPECT_EQ(stages["distinct"], 4);
}

TEST_P(Reports, AttributionFirstLastLinear) {
  start(fixed_stream());
  json r = report("attribution");
  // V1's signup (value 30): first touch search, last touch email, touchpoints search, search,
  // email. V3's signup carries no journey: everything goes to "".
  EXPECT_EQ(r["conversions"], 2);
  EXPECT_EQ(r["value"], 30.0);
  ASSERT_EQ(r["rows"].size(), 3u);
  EXPECT_EQ(r["rows"][0], json({{"channel", ""}, {"first_touch", 1.0}, {"last_touch", 1.0}, {"linear", 1.0},
                                {"first_touch_value", 0.0}, {"last_touch_value", 0.0}, {"linear_value", 0.0}}));
  EXPECT_EQ(r["rows"][1], json({{"channel", "search"}, {"first_touch", 1.0}, {"last_touch", 0.0}, {"linear", 0.666667},
                                {"first_touch_value", 30.0}, {"last_touch_value", 0.0}, {"linear_value", 20.0}}));
  EXPECT_EQ(r["rows"][2], json({{"channel", "email"}, {"first_touch", 0.0}, {"last_touch", 1.0}, {"linear", 0.333333},
                                {"first_touch_value", 0.0}, {"last_touch_value", 30.0}, {"linear_value", 10.0}}));

  json campaigns = report("attribution", {{"by", "campaign"}, {"goal", "signup"}});
  EXPECT_EQ(row_for(campaigns["rows"], "channel", "")["first_touch"], 2.0);
  EXPECT_EQ(row_for(campaigns["rows"], "channel", "")["linear"], 1.666667);
  EXPECT_EQ(row_for(campaigns["rows"], "channel", "spring")["last_touch"], 1.0);
  json none = report("attribution", {{"goal", "purchase"}});
  EXPECT_EQ(none["conversions"], 0);
  EXPECT_TRUE(none["rows"].empty());
}

TEST_P(Reports, ExperimentWithSignificanceAndSampleRatio) {
  start(fixed_stream());
  json r = report("experiments");
  ASSERT_EQ(r["experiments"].size(), 1u);
  const json& e = r["experiments"][0];
  EXPECT_EQ(e["experiment"], "hero-test");
  EXPECT_EQ(e["goal"], "signup");
  EXPECT_EQ(e["control"], "A");
  // A: V2-B and V3-B exposed, V3 signed up before its exposure. B: V1-A (signed up after) and V1-B.
  const json& a = e["variants"][0];
  const json& b = e["variants"][1];
  EXPECT_EQ(a["visitors"], 2);
  EXPECT_EQ(a["conversions"], 0);
  EXPECT_EQ(a["rate"], 0.0);
  EXPECT_EQ(b["visitors"], 2);
  EXPECT_EQ(b["exposures"], 2);
  EXPECT_EQ(b["conversions"], 1);
  EXPECT_EQ(b["rate"], 0.5);
  EXPECT_TRUE(b["lift"].is_null());  // no lift over a control rate of 0
  // Pooled p = 1/4, se = sqrt(0.25 * 0.75 * (1/2 + 1/2)), z = 0.5 / se = 1.1547.
  EXPECT_NEAR(b["z"].get<double>(), 1.1547005383792515, 1e-12);
  EXPECT_NEAR(b["p_value"].get<double>(), 0.24821307898992373, 1e-9);
  EXPECT_EQ(b["significant"], false);
  EXPECT_EQ(e["srm"]["statistic"], 0.0);
  EXPECT_EQ(e["srm"]["warning"], false);
  // goal= given empty is the default goal (as attribution reads it), not a goal named "".
  EXPECT_EQ(report("experiments", {{"goal", ""}})["experiments"][0]["variants"], e["variants"]);
  EXPECT_EQ(report("experiments", {{"goal", ""}})["experiments"][0]["goal"], "signup");
  EXPECT_EQ(report("experiments", {{"control", "B"}})["experiments"][0]["control"], "B");
}

TEST_P(Reports, ExperimentControlMustBeOneOfItsVariants) {
  start(fixed_stream());
  const std::string message = report_error("experiments", {{"control", "Z"}});
  EXPECT_NE(message.find("control Z"), std::string::npos) << message;
  EXPECT_NE(message.find("hero-test"), std::string::npos) << message;
  EXPECT_NE(message.find("A, B"), std::string::npos) << message;
}

TEST_P(Reports, PersonalizationPerSlotAndVariant) {
  start(fixed_stream());
  json r = report("personalization");
  ASSERT_EQ(r["rows"].size(), 2u);
  EXPECT_EQ(r["goal"], "*");
  const json a = row_for(r["rows"], "variant", "A");
  const json b = row_for(r["rows"], "variant", "B");
  EXPECT_EQ(a["default"], true);
  EXPECT_EQ(a["visitors"], 2);
  EXPECT_EQ(a["conversions"], 0);
  EXPECT_EQ(b["default"], false);
  EXPECT_EQ(b["conversions"], 1);
  EXPECT_EQ(b["rate"], 0.5);
  EXPECT_NEAR(b["p_value_vs_default"].get<double>(), 0.24821307898992373, 1e-9);
}

// Several filters, and journey reports under a page filter: on the roll-up path these come
// from the visitor_events chunks, aggregated per visitor-day.
TEST_P(Reports, SeveralFiltersOnEveryKindOfReport) {
  start(fixed_stream());
  const std::vector<Filter> v1 = {{Dim::Country, "DE"}, {Dim::Device, "mobile"}};  // V1 only
  json pages = report("pages", {}, v1);
  // V1-A: "/" (a pageview, its visit's entry), "/shop" (pageview, exposure, signup);
  // V1-B: "/pricing" (pageview and exposure, the second visit's entry).
  EXPECT_EQ(pages["totals"], json({{"visitors", 2}, {"pageviews", 3}, {"events", 6}}));
  ASSERT_EQ(pages["rows"].size(), 3u);
  EXPECT_EQ(pages["rows"][0], json({{"value", "/shop"}, {"visitors", 1}, {"pageviews", 1}, {"events", 3}, {"entries", 0}, {"share", 0.5}}));
  EXPECT_EQ(pages["rows"][1], json({{"value", "/pricing"}, {"visitors", 1}, {"pageviews", 1}, {"events", 2}, {"entries", 1}, {"share", 0.5}}));
  EXPECT_EQ(pages["rows"][2], json({{"value", "/"}, {"visitors", 1}, {"pageviews", 1}, {"events", 1}, {"entries", 1}, {"share", 0.5}}));

  // V1-A reached consideration, V1-B purchase: both count up to their furthest stage.
  json funnel = report("funnel", {}, v1);
  EXPECT_EQ(funnel["stages"][0]["visitors"], 2);
  EXPECT_EQ(funnel["stages"][1]["visitors"], 2);
  EXPECT_EQ(funnel["stages"][2]["visitors"], 1);
  EXPECT_EQ(funnel["stages"][3]["visitors"], 0);
  EXPECT_EQ(funnel["visitors_with_stage"], 2);

  // V1's signup alone: first touch search, last email, touchpoints search, search, email.
  json attribution = report("attribution", {}, v1);
  EXPECT_EQ(attribution["conversions"], 1);
  EXPECT_EQ(attribution["value"], 30.0);
  ASSERT_EQ(attribution["rows"].size(), 2u);
  EXPECT_EQ(attribution["rows"][0], json({{"channel", "search"}, {"first_touch", 1.0}, {"last_touch", 0.0},
                                          {"linear", 0.666667}, {"first_touch_value", 30.0},
                                          {"last_touch_value", 0.0}, {"linear_value", 20.0}}));

  // B: V1-A (signed up after its exposure) and V1-B.
  json experiments = report("experiments", {}, v1);
  const json& b = experiments["experiments"][0]["variants"][1];
  EXPECT_EQ(b["visitors"], 2);
  EXPECT_EQ(b["exposures"], 2);
  EXPECT_EQ(b["conversions"], 1);

  // DE on a desktop: V3-B only, whose signup came before its exposure to A.
  const std::vector<Filter> v3 = {{Dim::Country, "DE"}, {Dim::Device, "desktop"}};
  json a = report("experiments", {}, v3)["experiments"][0]["variants"][0];
  EXPECT_EQ(a["visitors"], 1);
  EXPECT_EQ(a["conversions"], 0);
  json v3_pages = report("paths", {}, v3);
  EXPECT_EQ(v3_pages["visits"], 1);
  EXPECT_EQ(v3_pages["rows"][0]["steps"], json({"/"}));

  // A third filter that no event of V1 matches leaves nothing.
  json none = report("timeseries", {}, {{Dim::Country, "DE"}, {Dim::Device, "mobile"}, {Dim::ReferrerCategory, "social"}});
  EXPECT_EQ(none["totals"], json({{"visitors", 0}, {"pageviews", 0}, {"events", 0}}));
}

// A report under several filters keeps its visitor_events scan for the next report with the same
// filters; events rolled up since must show all the same.
TEST_P(Reports, ScansUnderSeveralFiltersFollowNewEvents) {
  const auto events = fixed_stream();
  start(std::vector<StoredEvent>(events.begin(), events.begin() + 7));  // day A only
  const std::vector<Filter> v1 = {{Dim::Country, "DE"}, {Dim::Device, "mobile"}};
  // V1-A: "/" and "/shop" (pageviews), the exposure and the signup; awareness, then consideration.
  EXPECT_EQ(report("timeseries", {}, v1)["totals"], json({{"visitors", 1}, {"pageviews", 2}, {"events", 4}}));
  json funnel = report("funnel", {}, v1);
  EXPECT_EQ(funnel["stages"][0]["visitors"], 1);
  EXPECT_EQ(funnel["stages"][1]["visitors"], 1);
  EXPECT_EQ(funnel["stages"][2]["visitors"], 0);
  EXPECT_EQ(report("journey", {}, v1)["funnel"], funnel);  // the same scan, kept
  // Day B adds V3 (desktop) and V1-B: "/pricing" and its exposure, at the purchase stage.
  ASSERT_TRUE(stores.events->write(std::vector<StoredEvent>(events.begin() + 7, events.end())));
  EXPECT_EQ(report("timeseries", {}, v1)["totals"], json({{"visitors", 2}, {"pageviews", 3}, {"events", 6}}));
  funnel = report("funnel", {}, v1);
  EXPECT_EQ(funnel["stages"][0]["visitors"], 2);
  EXPECT_EQ(funnel["stages"][1]["visitors"], 2);
  EXPECT_EQ(funnel["stages"][2]["visitors"], 1);
  EXPECT_EQ(report("journey", {}, v1)["funnel"], funnel);
  // Day A alone: a range of its own, the first answer again.
  EXPECT_EQ(report("funnel", {}, v1, kDayA, kDayA)["stages"][2]["visitors"], 0);
}

TEST_P(Reports, JourneyReportsUnderAPageFilter) {
  start(fixed_stream());
  const std::vector<Filter> shop = {{Dim::Page, "/shop"}};
  // Events on "/shop": V1-A's pageview (09:05 UTC, awareness), exposure (awareness) and signup
  // (09:10, consideration); V2-A's landing pageview (awareness).
  json pages = report("paths", {}, shop);
  EXPECT_EQ(pages["visits"], 2);
  ASSERT_EQ(pages["rows"].size(), 1u);
  EXPECT_EQ(pages["rows"][0], json({{"steps", {"/shop"}}, {"visits", 2}, {"share", 1.0}}));
  json stages = report("paths", {{"kind", "stages"}}, shop);
  ASSERT_EQ(stages["rows"].size(), 2u);
  EXPECT_EQ(stages["rows"][0]["steps"], json({"awareness"}));
  EXPECT_EQ(stages["rows"][1]["steps"], json({"awareness", "consideration"}));
  json funnel = report("funnel", {}, shop);
  EXPECT_EQ(funnel["stages"][0]["visitors"], 2);
  EXPECT_EQ(funnel["stages"][1]["visitors"], 1);
  EXPECT_EQ(report("attribution", {}, shop)["conversions"], 1);
  // Under an event-name filter only the signups remain: V1's (DE, mobile) and V3's.
  json signups = report("attribution", {}, {{Dim::Event, "signup"}});
  EXPECT_EQ(signups["conversions"], 2);
  json landing = report("paths", {}, {{Dim::Landing, ""}});  // no event carries a landing path
  EXPECT_EQ(landing["visits"], 5);
}

TEST_P(Reports, JourneyAtAGlance) {
  start(fixed_stream());
  json r = report("journey");
  EXPECT_EQ(r["funnel"]["stages"][1]["visitors"], 3);
  EXPECT_EQ(r["paths"]["pages"]["rows"][0]["steps"], json({"/"}));
  EXPECT_EQ(r["paths"]["stages"]["visits"], 5);
  EXPECT_EQ(r["attribution"]["conversions"], 2);
  EXPECT_EQ(last_table.columns[0], "stage");  // its CSV is the funnel
}

TEST_P(Reports, CsvOfAReport) {
  start(fixed_stream());
  report("pages");
  EXPECT_EQ(to_csv(last_table),
            "value,visitors,pageviews,events,entries,share\r\n/,3,3,6,3,0.6\r\n/shop,2,2,4,1,0.4\r\n"
            "/pricing,1,1,2,1,0.2\r\n");
}

TEST_P(Reports, OrderOfArrivalDoesNotMatter) {
  auto events = fixed_stream();
  std::reverse(events.begin(), events.end());
  // Half now, half after the builder has rolled up the first half.
  std::vector<StoredEvent> first(events.begin(), events.begin() + 6), second(events.begin() + 6, events.end());
  start(first);
  report("pages");
  ASSERT_TRUE(stores.events->write(second));
  EXPECT_EQ(report("pages")["rows"][0]["entries"], 3);
  EXPECT_EQ(report("funnel")["stages"][1]["visitors"], 3);
  EXPECT_EQ(report("paths")["rows"][1]["steps"], json({"/", "/shop"}));
  EXPECT_EQ(report("experiments")["experiments"][0]["variants"][1]["conversions"], 1);
}

TEST_P(Reports, RestartedBuilderKeepsCounting) {
  auto events = fixed_stream();
  std::vector<StoredEvent> first(events.begin(), events.begin() + 7), second(events.begin() + 7, events.end());
  start(first);
  report("timeseries");
  source.reset();
  builder.reset();  // a restart: the day's state is rebuilt from stored events when needed
  ASSERT_TRUE(stores.events->write(second));
  start_builder();
  json r = report("timeseries");
  EXPECT_EQ(r["totals"], json({{"visitors", 5}, {"pageviews", 6}, {"events", 12}}));
  EXPECT_EQ(report("pages")["rows"][0]["entries"], 3);
}

INSTANTIATE_TEST_SUITE_P(SqlitePaths, Reports, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "RawEvents" : "Rollups"; });

// -------------------------------------------------------------------------- erasure, retention

class RollupMaintenance : public Reports {};

TEST_P(RollupMaintenance, ErasureRemovesEveryEventAndRollupContributionOfTheId) {
  start(fixed_stream());
  ASSERT_EQ(report("timeseries")["totals"]["visitors"], 5);
  ErasureResult erased;
  ASSERT_TRUE(builder->erase_visitor("store", "visitor-one", erased));
  EXPECT_EQ(erased.events, 6);
  EXPECT_EQ(erased.days_rebuilt, (std::vector<std::int32_t>{kDayA, kDayB}));
  // What remains is exactly V2's and V3's stream.
  json r = report("timeseries");
  EXPECT_EQ(r["totals"], json({{"visitors", 3}, {"pageviews", 3}, {"events", 6}}));
  EXPECT_EQ(report("pages")["rows"].size(), 2u);
  EXPECT_EQ(report("experiments")["experiments"][0]["variants"][1]["visitors"], 0);
  EXPECT_EQ(report("attribution")["conversions"], 1);

  // The roll-ups equal roll-ups built from scratch over the remaining events.
  TempDir fresh;
  std::string error;
  SqliteOptions options;
  options.path = fresh.str("ithaca.db");
  auto other = open_sqlite_stores(options, error);
  std::vector<StoredEvent> rest;
  for (auto& e : fixed_stream()) {
    if (e.visitor_id != "visitor-one") rest.push_back(e);
  }
  ASSERT_TRUE(other.events->write(rest));
  RollupBuilderOptions o;
  o.events_path = fresh.str("ithaca.db");
  o.rollups_path = fresh.str("rollups.db");
  o.zones["store"] = zone;
  auto rebuilt = RollupBuilder::start(o, error);
  ASSERT_TRUE(rebuilt && rebuilt->sync(std::chrono::seconds(10)));
  rebuilt.reset();
  builder->sync(std::chrono::seconds(10));
  SqliteConnection a, b;
  ASSERT_TRUE(a.open(dir.str("rollups.db"), false));
  ASSERT_TRUE(b.open(fresh.str("rollups.db"), false));
  for (const char* table :
       {"dim_day", "dim_hour", "dim_pair_day", "stage_sets", "paths", "attribution", "units", "unit_goals"}) {
    auto dump = [&](SqliteConnection& db) {
      SqliteQuery q;
      EXPECT_TRUE(q.prepare(db.handle(), std::string("SELECT * FROM ") + table));
      std::string text;
      while (q.step() == SQLITE_ROW) {
        for (int i = 0; i < q.columns(); ++i) text += q.text(i) + "|";
        text += "\n";
      }
      return text;
    };
    EXPECT_EQ(dump(a), dump(b)) << table;
  }
  // And no event of the id is left anywhere.
  SqliteConnection events;
  ASSERT_TRUE(events.open(dir.str("ithaca.db"), false));
  for (const char* table : {"events", "bot_events"}) {
    SqliteQuery q;
    ASSERT_TRUE(q.prepare(events.handle(), std::string("SELECT count(*) FROM ") + table +
                                               " WHERE visitor_id = 'visitor-one' OR visitor = 101"));
    ASSERT_EQ(q.step(), SQLITE_ROW);
    EXPECT_EQ(q.integer(0), 0) << table;
  }
}

TEST_P(RollupMaintenance, RetentionDropsWholeOldDays) {
  start(fixed_stream());
  std::int64_t deleted = 0;
  // A cut inside day B keeps day B whole and removes day A.
  ASSERT_TRUE(builder->apply_retention("store", kMarch30 + 30 * H, deleted));
  EXPECT_EQ(deleted, 5);
  json r = report("timeseries");
  EXPECT_EQ(r["rows"][0]["events"], 0);
  EXPECT_EQ(r["rows"][1]["events"], 7);
}

INSTANTIATE_TEST_SUITE_P(SqlitePaths, RollupMaintenance, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "RawEvents" : "Rollups"; });

TEST(SiteRulesInfo, KeepsTheRuleSetsOrderOfExperiments) {
  // The experiments report lists them as the rule set does, not alphabetically.
  const SiteRulesInfo info = SiteRulesInfo::from_json(R"({"experiments": {
      "zeta": {"goal": "buy", "variants": [{"id": "a"}, {"id": "b"}]},
      "alpha": {"goal": "buy", "variants": [{"id": "a"}, {"id": "b"}]}}})");
  ASSERT_EQ(info.experiments.size(), 2u);
  EXPECT_EQ(info.experiments[0].id, "zeta");
  EXPECT_EQ(info.experiments[1].id, "alpha");
}

}  // namespace
}  // namespace ithaca::tracker
