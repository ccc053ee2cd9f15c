// GET /v1/stats/{site}/{report}, and erasure and export of a first-party id, through
// Tracker::handle() without sockets: parameters, errors, CSV, the audit log.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "ithaca/tracker/tracker.hpp"
#include "logger.hpp"
#include "reports/time_zone.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;
using testing::admin_request;
using testing::json_of;
using testing::request;
using testing::TempDir;

std::int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Captures what the tracker logs on stderr.
class StderrCapture {
 public:
  explicit StderrCapture(const std::string& path) : path_(path) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 2);
    ::close(fd);
  }
  std::string finish() {
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    return testing::read_text(path_);
  }

 private:
  std::string path_;
  int saved_;
};

class ReportEndpoints : public ::testing::Test {
 protected:
  void SetUp() override {
    options = testing::test_options(dir);
    SiteConfig store;
    store.id = "store";
    store.rules_file = testing::fixture("rules_reports.json");
    store.timezone = "Europe/Berlin";
    store.retention_days = 30;
    options.sites.push_back(store);
    std::string error;
    tracker = Tracker::create(options, error);
    ASSERT_TRUE(tracker) << error;
  }

  HttpResponse get(const std::string& path) { return tracker->handle(admin_request("GET", path)); }

  void collect(const std::vector<json>& events, const std::string& visitor_id = "",
               const std::string& ip = "198.51.100.1") {
    json body = {{"site", "store"}, {"events", json(events)}};
    if (!visitor_id.empty()) body["visitor_id"] = visitor_id;
    auto r = request("POST", "/v1/collect", body.dump());
    r.remote_ip = ip;
    auto response = tracker->handle(r);
    ASSERT_EQ(response.status, 202) << response.body;
  }

  json pageview(const std::string& path, std::int64_t ts, const std::string& referrer = "") {
    json e = {{"type", "pageview"}, {"ts", ts}, {"url", "https://store.example" + path}};
    if (!referrer.empty()) e["referrer"] = referrer;
    return e;
  }

  TempDir dir;
  TrackerOptions options;
  std::unique_ptr<Tracker> tracker;
};

TEST_F(ReportEndpoints, NeedTheAdminToken) {
  EXPECT_EQ(tracker->handle(request("GET", "/v1/stats/store/pages")).status, 401);
  EXPECT_EQ(tracker->handle(request("DELETE", "/v1/admin/sites/store/visitors/abcdefgh")).status, 401);
  EXPECT_EQ(get("/v1/stats/nowhere/pages").status, 404);
}

TEST_F(ReportEndpoints, ListsTheReportsWhenOneIsUnknown) {
  auto r = get("/v1/stats/store/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(json_of(r)["error"]["message"].get<std::string>().find("timeseries"), std::string::npos);
}

TEST_F(ReportEndpoints, SummaryStillBelongsToTheTracker) {
  const std::int64_t t = now_millis() - 3'600'000;
  collect({pageview("/", t), pageview("/a", t + 1000)});
  auto summary = json_of(get("/v1/stats/store/summary"));
  EXPECT_EQ(summary["pageviews"], 2);
  EXPECT_EQ(summary["visitors"], 1);
}

TEST_F(ReportEndpoints, ReportsWhatWasCollected) {
  const std::int64_t t = now_millis() - 3'600'000;
  collect({pageview("/", t, "https://www.google.com/"), pageview("/shop", t + 1000, "https://store.example/")});
  collect({pageview("/shop", t + 2000, "https://www.facebook.com/")}, "", "198.51.100.2");
  json pages = json_of(get("/v1/stats/store/pages"));
  EXPECT_EQ(pages["timezone"], "Europe/Berlin");
  EXPECT_EQ(pages["source"], "rollups");
  EXPECT_EQ(pages["totals"], json({{"visitors", 2}, {"pageviews", 3}, {"events", 3}}));
  EXPECT_EQ(pages["rows"][0]["value"], "/shop");
  EXPECT_EQ(pages["rows"][0]["visitors"], 2);
  json referrers = json_of(get("/v1/stats/store/breakdown?dimension=referrer_category"));
  std::set<std::string> categories;
  for (const auto& row : referrers["rows"]) categories.insert(row["value"]);
  EXPECT_EQ(categories, (std::set<std::string>{"internal", "search", "social"}));
  json filtered = json_of(get("/v1/stats/store/pages?referrer_category=social"));
  EXPECT_EQ(filtered["filters"], json({{"referrer_category", "social"}}));
  EXPECT_EQ(filtered["source"], "rollups");  // referrer_category segments the roll-ups
  EXPECT_EQ(filtered["totals"]["pageviews"], 1);
  json by_page = json_of(get("/v1/stats/store/referrers?page=/shop"));
  EXPECT_EQ(by_page["source"], "rollups");  // a breakdown under a page filter: pair roll-ups
  EXPECT_EQ(by_page["totals"]["pageviews"], 2);
  json paths_by_page = json_of(get("/v1/stats/store/paths?page=/shop"));
  EXPECT_EQ(paths_by_page["source"], "rollups");  // journeys under a page filter: visitor_events
  EXPECT_EQ(paths_by_page["visits"], 2);
  EXPECT_EQ(paths_by_page["rows"][0]["steps"], json({"/shop"}));
  json two = json_of(get("/v1/stats/store/referrers?page=/shop&referrer_category=social"));
  EXPECT_EQ(two["source"], "rollups");  // two filters: visitor_events
  EXPECT_EQ(two["totals"], json({{"visitors", 1}, {"pageviews", 1}, {"events", 1}}));
}

TEST_F(ReportEndpoints, CsvOnRequest) {
  const std::int64_t t = now_millis() - 3'600'000;
  collect({pageview("/", t)});
  auto r = get("/v1/stats/store/pages?format=csv");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(r.body, "value,visitors,pageviews,events,entries,share\r\n/,1,1,1,1,1.0\r\n");
  EXPECT_NE(std::string(r.header("content-disposition")).find("store-pages.csv"), std::string::npos);
}

TEST_F(ReportEndpoints, RejectsBadParameters) {
  for (const char* query : {"timeseries?interval=week", "pages?from=2024-05-02&to=2024-05-01", "pages?colour=red",
                            "pages?country=DE&country=FR", "pages?limit=0", "pages?from=yesterday", "pages?format=xml",
                            "breakdown?dimension=shoe_size", "paths?kind=words", "attribution?by=weather",
                            "experiments?confidence=2", "timeseries?from=2026-02-31&to=2026-02-31",
                            "pages?to=2025-04-31", "journey?format=csv", "summary?foo=bar",
                            "summary?device=mobile", "pages?from=2026-01-01&from=2026-02-01", "experiments?goal=a&goal=b", "summary?to=2026-01-01&to=2026-02-01"}) {
    auto r = get(std::string("/v1/stats/store/") + query);
    EXPECT_EQ(r.status, 400) << query << " " << r.body;
    EXPECT_TRUE(json_of(r)["error"].contains("message")) << query;
  }
  // Parameters of another report are refused, naming the report's own.
  for (const auto& [query, names] : std::vector<std::pair<std::string, std::string>>{
           {"timeseries?limit=abc", "takes interval, from"},
           {"pages?interval=week", "takes limit, from"},
           {"funnel?limit=5", "takes from"},
           {"summary?kind=pages", "takes from and to"},
           {"experiments?slot=hero", "experiment, goal, control, confidence"}}) {
    auto r = get("/v1/stats/store/" + query);
    EXPECT_EQ(r.status, 400) << query << " " << r.body;
    EXPECT_NE(r.body.find(names), std::string::npos) << query << " " << r.body;
  }
  // Dates outside 2000-01-01..2100-12-31 say so, in any of the three forms.
  for (const char* query : {"timeseries?from=1990-01-01", "timeseries?to=999999999999999",
                            "timeseries?from=-999999999999999", "timeseries?to=2101-01-01T00:00:00Z"}) {
    auto r = get(std::string("/v1/stats/store/") + query);
    EXPECT_EQ(r.status, 400) << query << " " << r.body;
    EXPECT_NE(r.body.find("from 2000-01-01 to 2100-12-31"), std::string::npos) << query << " " << r.body;
  }
  EXPECT_EQ(get("/v1/stats/store/timeseries?to=2100-12-31&from=2100-12-01").status, 200);
  EXPECT_EQ(get("/v1/stats/store/journey?goal=signup&format=json").status, 200);
  EXPECT_EQ(get("/v1/stats/shop/funnel").status, 409);  // the shop's rules define no journey
  EXPECT_EQ(get("/v1/stats/blog/timeseries?interval=hour&from=2000-01-01").status, 400);  // 395 days of hours
}

TEST_F(ReportEndpoints, RangesAreLocalDaysWithinRetention) {
  json r = json_of(get("/v1/stats/store/timeseries?from=2000-01-01"));
  EXPECT_EQ(r["from"], r["retained_from"]) << r.dump();
  // The day after the one the cut (30 × 24 h ago) falls in, to today: 30 local days, or 29
  // when a clock change moves the cut's local time past midnight.
  std::string error;
  const auto zone = TimeZone::load("Europe/Berlin", error);
  ASSERT_TRUE(zone) << error;
  const std::int64_t now = now_millis();
  const std::int64_t days = zone->local_day(now) - zone->local_day(now - 30 * 86'400'000LL);
  EXPECT_TRUE(days == 30 || days == 29) << days;
  EXPECT_EQ(r["rows"].size(), static_cast<std::size_t>(days)) << r.dump().substr(0, 600);
  // Whole retained days only: a range entirely older than the retention is empty, with no
  // buckets (none of its days is kept), and names the range asked for.
  for (const char* report : {"timeseries", "timeseries?interval=hour", "pages", "funnel", "experiments"}) {
    const std::string sep = std::string(report).find('?') == std::string::npos ? "?" : "&";
    auto answer = get(std::string("/v1/stats/store/") + report + sep + "from=2024-03-30&to=2024-03-31");
    ASSERT_EQ(answer.status, 200) << report << " " << answer.body;
    json d = json_of(answer);
    EXPECT_EQ(d["from"], "2024-03-30") << report;
    EXPECT_EQ(d["to"], "2024-03-31") << report;
    EXPECT_LT(d["from_ms"].get<std::int64_t>(), d["to_ms"].get<std::int64_t>()) << report;
    EXPECT_GT(d["retained_from"].get<std::string>(), "2026-01-01") << report;
    if (d.contains("totals")) {
      EXPECT_EQ(d["totals"]["visitors"], 0) << report;
    }
    if (std::string(report).rfind("timeseries", 0) == 0) {
      EXPECT_TRUE(d["rows"].empty()) << d.dump();
    }
  }
}

TEST_F(ReportEndpoints, ExportAndErasureOfAFirstPartyId) {
  const std::int64_t t = now_millis() - 3'600'000;
  collect({pageview("/", t), pageview("/shop", t + 1000)}, "consented-visitor-1");
  collect({{{"type", "conversion"}, {"name", "signup"}, {"ts", t + 2000}, {"url", "https://store.example/shop"},
            {"props", {{"value", 12.5}}}}},
          "consented-visitor-1");
  collect({pageview("/", t + 3000)}, "", "198.51.100.9");
  collect({pageview("/", t + 4000)}, "other-visitor-22", "198.51.100.10");
  ASSERT_EQ(json_of(get("/v1/stats/store/timeseries"))["totals"]["events"], 5);

  StderrCapture export_log(dir.str("export-log.txt"));
  set_log_enabled(true);
  auto exported = get("/v1/admin/sites/store/visitors/consented-visitor-1/export");
  set_log_enabled(false);
  const std::string export_logged = export_log.finish();
  ASSERT_EQ(exported.status, 200);
  json body = json_of(exported);
  EXPECT_NE(export_logged.find("visitor data exported"), std::string::npos) << export_logged;
  EXPECT_NE(export_logged.find("audit=" + body["audit"].get<std::string>()), std::string::npos) << export_logged;
  EXPECT_EQ(export_logged.find("consented-visitor-1"), std::string::npos) << export_logged;
  EXPECT_EQ(body["count"], 3);
  EXPECT_EQ(body["events"][0]["path"], "/");
  EXPECT_EQ(body["events"][2]["type"], "conversion");
  EXPECT_EQ(body["events"][2]["value"], 12.5);

  StderrCapture log(dir.str("log.txt"));
  set_log_enabled(true);
  auto erased = tracker->handle(admin_request("DELETE", "/v1/admin/sites/store/visitors/consented-visitor-1"));
  set_log_enabled(false);
  const std::string logged = log.finish();
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_EQ(json_of(erased)["events"], 3);
  EXPECT_NE(logged.find("visitor data erased"), std::string::npos);
  EXPECT_NE(logged.find("site=store"), std::string::npos);
  EXPECT_EQ(logged.find("consented-visitor-1"), std::string::npos) << logged;  // audited without the id

  EXPECT_EQ(json_of(get("/v1/admin/sites/store/visitors/consented-visitor-1/export"))["count"], 0);
  EXPECT_EQ(json_of(get("/v1/admin/sites/store/visitors/other-visitor-22/export"))["count"], 1);
  json after = json_of(get("/v1/stats/store/timeseries"));
  EXPECT_EQ(after["totals"]["events"], 2);
  EXPECT_EQ(after["totals"]["visitors"], 2);
  EXPECT_EQ(json_of(get("/v1/stats/store/attribution"))["conversions"], 0);

  EXPECT_EQ(get("/v1/admin/sites/store/visitors/short/export").status, 400);
  EXPECT_EQ(get("/v1/admin/sites/store/visitors/consented-visitor-1").status, 405);
  EXPECT_EQ(get("/v1/admin/sites/store/visitors/consented-visitor-1/other").status, 404);
}

}  // namespace
}  // namespace ithaca::tracker
