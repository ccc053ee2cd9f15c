// Every endpoint through Tracker::handle(), without sockets.
#include "ithaca/tracker/tracker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <utility>
#include <vector>

#include "ithaca/compiled_ruleset.hpp"
#include "ithaca/json.hpp"
#include "ithaca/ruleset.hpp"
#include "sqlite_db.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;
using testing::admin_request;
using testing::fixture;
using testing::json_of;
using testing::request;
using testing::TempDir;

constexpr const char* kIphone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1";
constexpr const char* kGooglebot =
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

class TrackerTest : public ::testing::Test {
 protected:
  void SetUp() override { options = testing::test_options(dir); }

  Tracker& start() {
    std::string error;
    tracker = Tracker::create(options, error);
    EXPECT_TRUE(tracker) << error;
    return *tracker;
  }

  HttpResponse collect(const std::string& body, testing::Headers headers = {}) {
    return tracker->handle(request("POST", "/v1/collect", body, headers));
  }

  json summary(const std::string& site = "shop", const std::string& query = "") {
    auto response = tracker->handle(admin_request("GET", "/v1/stats/" + site + "/summary" + query));
    EXPECT_EQ(response.status, 200) << response.body;
    return json_of(response);
  }

  std::int64_t query_int(const std::string& sql) {
    SqliteConnection db;
    EXPECT_TRUE(db.open(dir.str("data") + "/ithaca.db", false));
    SqliteStatement stmt;
    EXPECT_TRUE(db.prepare(sql, stmt)) << sql;
    EXPECT_EQ(stmt.step(), SQLITE_ROW) << sql;
    return stmt.column_int(0);
  }

  std::string query_text(const std::string& sql) {
    SqliteConnection db;
    EXPECT_TRUE(db.open(dir.str("data") + "/ithaca.db", false));
    SqliteStatement stmt;
    EXPECT_TRUE(db.prepare(sql, stmt)) << sql;
    EXPECT_EQ(stmt.step(), SQLITE_ROW) << sql;
    return stmt.column_text(0);
  }

  TempDir dir;
  TrackerOptions options;
  std::unique_ptr<Tracker> tracker;
};

void expect_error(const HttpResponse& response, int status, const std::string& code) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  json body = json_of(response);
  ASSERT_TRUE(body.is_object()) << response.body;
  ASSERT_TRUE(body.contains("error")) << response.body;
  EXPECT_EQ(body["error"]["code"], code) << response.body;
  EXPECT_TRUE(body["error"]["message"].is_string());
}

TEST_F(TrackerTest, CollectAcknowledgesAndCounts) {
  start();
  auto response = collect(R"({"site":"shop","events":[
      {"type":"pageview","id":"p1","url":"https://shop.example/","referrer":"https://www.google.com/search?q=x"},
      {"type":"event","id":"e1","name":"add_to_cart","url":"https://shop.example/p/1","props":{"sku":"A1"}}]})");
  EXPECT_EQ(response.status, 202) << response.body;
  EXPECT_EQ(json_of(response), json({{"accepted", 2}}));
  json s = summary();
  EXPECT_EQ(s["events"], 2);
  EXPECT_EQ(s["pageviews"], 1);
  EXPECT_EQ(s["visitors"], 1);
  EXPECT_EQ(s["bot_events"], 0);
  EXPECT_EQ(query_text("SELECT referrer_category FROM events WHERE event_id = 'p1'"), "search");
  EXPECT_EQ(query_text("SELECT path FROM events WHERE event_id = 'e1'"), "/p/1");
  EXPECT_EQ(query_text("SELECT props FROM events WHERE event_id = 'e1'"), R"({"sku":"A1"})");
  EXPECT_EQ(query_text("SELECT device_type FROM events WHERE event_id = 'e1'"), "desktop");
  // A props column of the wrong type is stored in props only, and the answer says so.
  auto warned = collect(R"({"site":"shop","events":[
      {"type":"conversion","id":"c0","name":"buy","url":"https://shop.example/","props":{"value":"12"}}]})");
  EXPECT_EQ(warned.status, 202) << warned.body;
  EXPECT_EQ(json_of(warned), json({{"accepted", 1},
                                   {"warnings", {"$.events[0].props.value is not a number: stored in props only"}}}));
  EXPECT_EQ(query_text("SELECT props FROM events WHERE event_id = 'c0'"), R"({"value":"12"})");
}

TEST_F(TrackerTest, CollectAcceptsSendBeaconTextPlainAndSingleEvents) {
  start();
  auto response = collect(R"({"site":"shop","type":"pageview","url":"https://shop.example/x"})",
                          {{"content-type", "text/plain;charset=UTF-8"}});
  EXPECT_EQ(response.status, 202) << response.body;
  EXPECT_EQ(summary()["pageviews"], 1);
}

TEST_F(TrackerTest, CollectStoresOnlyWellFormedTextFromHeaders) {
  start();
  // Header bytes are not checked as the body is: a Latin-1 path in Referer and a language
  // with a byte over 0x7f are not stored (every stored string is valid UTF-8).
  auto response = collect(R"({"site":"shop","events":[{"type":"pageview","id":"h1"}]})",
                          {{"referer", "https://shop.example/caf\xe9"}, {"accept-language", "d\xff" "e,en"}});
  ASSERT_EQ(response.status, 202) << response.body;
  EXPECT_EQ(query_text("SELECT path FROM events WHERE event_id = 'h1'"), "");
  EXPECT_EQ(query_text("SELECT language FROM events WHERE event_id = 'h1'"), "");
  collect(R"({"site":"shop","events":[{"type":"pageview","id":"h2"}]})",
          {{"referer", "https://shop.example/caf%C3%A9"}, {"accept-language", "pt-BR,en"}});
  EXPECT_EQ(query_text("SELECT path FROM events WHERE event_id = 'h2'"), "/caf%C3%A9");
  EXPECT_EQ(query_text("SELECT language FROM events WHERE event_id = 'h2'"), "pt-br");
}

TEST_F(TrackerTest, CollectStoresUtmReferrerAndContextDimensions) {
  start();
  auto response = collect(R"({"site":"shop","events":[{"type":"pageview","id":"u1",
      "url":"https://shop.example/landing?utm_source=newsletter&utm_medium=email&utm_campaign=spring&email=a@b.c",
      "context":{"time":{"timezone":"Europe/Berlin"},"geo":{"languages":["de-DE","en"],"country":"AT"},
                 "visit":{"first":false,"count":4,"landing_path":"/landing?x=1"},"journey":{"stage":"consideration"}}},
      {"type":"exposure","id":"x1","props":{"slot":"hero","experiment":"hero-headline","variant":"benefit"}},
      {"type":"conversion","id":"c1","name":"checkout","props":{"value":42.5},"context":{"journey":{"touchpoints":[{"channel":"email"}]}}}]})",
                          {{"accept-language", "fr-FR,fr;q=0.9"}});
  ASSERT_EQ(response.status, 202) << response.body;
  EXPECT_EQ(query_text("SELECT utm_campaign FROM events WHERE event_id = 'u1'"), "spring");
  EXPECT_EQ(query_text("SELECT utm_source FROM events WHERE event_id = 'u1'"), "newsletter");
  EXPECT_EQ(query_text("SELECT referrer_category FROM events WHERE event_id = 'u1'"), "email");
  EXPECT_EQ(query_text("SELECT path FROM events WHERE event_id = 'u1'"), "/landing");
  EXPECT_EQ(query_text("SELECT timezone FROM events WHERE event_id = 'u1'"), "Europe/Berlin");
  EXPECT_EQ(query_text("SELECT language FROM events WHERE event_id = 'u1'"), "de-de");
  EXPECT_EQ(query_text("SELECT language FROM events WHERE event_id = 'x1'"), "fr-fr");
  EXPECT_EQ(query_text("SELECT country FROM events WHERE event_id = 'u1'"), "AT");
  EXPECT_EQ(query_int("SELECT visit_first FROM events WHERE event_id = 'u1'"), 0);
  EXPECT_EQ(query_int("SELECT visit_count FROM events WHERE event_id = 'u1'"), 4);
  EXPECT_EQ(query_text("SELECT landing_path FROM events WHERE event_id = 'u1'"), "/landing");
  EXPECT_EQ(query_text("SELECT journey_stage FROM events WHERE event_id = 'u1'"), "consideration");
  EXPECT_EQ(query_text("SELECT variant FROM events WHERE event_id = 'x1'"), "benefit");
  EXPECT_EQ(query_text("SELECT experiment FROM events WHERE event_id = 'x1'"), "hero-headline");
  EXPECT_EQ(query_int("SELECT value * 10 FROM events WHERE event_id = 'c1'"), 425);
  EXPECT_NE(query_text("SELECT context FROM events WHERE event_id = 'c1'").find("touchpoints"), std::string::npos);
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE context IS NOT NULL"), 1);  // conversions only
  // No query string, no raw IP, no User-Agent anywhere in the row.
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE path LIKE '%email%' OR props LIKE '%203.0.113%'"), 0);
}

TEST_F(TrackerTest, ImplausibleClientTimesFallBackToServerTime) {
  start();
  const auto response = collect(R"({"site":"shop","events":[
      {"type":"pageview","id":"old","ts":946684800000},{"type":"pageview","id":"recent","ts":)" +
                                std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                   std::chrono::system_clock::now().time_since_epoch())
                                                   .count() -
                                               60'000) +
                                "}]}");
  ASSERT_EQ(response.status, 202) << response.body;
  EXPECT_EQ(query_int("SELECT ts = received FROM events WHERE event_id = 'old'"), 1);
  EXPECT_EQ(query_int("SELECT client_ts FROM events WHERE event_id = 'old'"), 946684800000);
  EXPECT_EQ(query_int("SELECT received - ts FROM events WHERE event_id = 'recent'") >= 60'000, true);

  // Plausible format but outside [now - 7 days, now + 5 minutes]: accepted, stored at receive time.
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const std::int64_t eight_days_ago = now - 8 * 86'400'000LL;
  const std::int64_t six_days_ago = now - 6 * 86'400'000LL;
  const std::int64_t ten_minutes_ahead = now + 600'000;
  ASSERT_EQ(collect(R"({"site":"shop","events":[{"type":"pageview","id":"stale","ts":)" + std::to_string(eight_days_ago) +
                    R"(},{"type":"pageview","id":"late","ts":)" + std::to_string(six_days_ago) +
                    R"(},{"type":"pageview","id":"ahead","ts":)" + std::to_string(ten_minutes_ahead) + "}]}")
                .status,
            202);
  EXPECT_EQ(query_int("SELECT ts = received AND client_ts = " + std::to_string(eight_days_ago) +
                      " FROM events WHERE event_id = 'stale'"),
            1);
  EXPECT_EQ(query_int("SELECT ts FROM events WHERE event_id = 'late'"), six_days_ago);
  EXPECT_EQ(query_int("SELECT ts = received AND client_ts = " + std::to_string(ten_minutes_ahead) +
                      " FROM events WHERE event_id = 'ahead'"),
            1);

  // A malformed ts refuses the whole batch with the event's path; none of it is stored.
  auto refused = collect(R"({"site":"shop","events":[{"type":"pageview","id":"fine"},)"
                         R"({"type":"pageview","id":"bad","ts":1716000000}]})");
  expect_error(refused, 400, "invalid_field");
  EXPECT_NE(refused.body.find("$.events[1].ts"), std::string::npos) << refused.body;
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE event_id IN ('fine', 'bad')"), 0);
}

TEST_F(TrackerTest, ARepeatedEventIdIsStoredOnce) {
  start();
  const std::string body = testing::pageview_batch("shop", "dup", 5);
  EXPECT_EQ(collect(body).status, 202);
  EXPECT_EQ(collect(body).status, 202);  // a retried beacon
  EXPECT_EQ(summary()["events"], 5);
}

TEST_F(TrackerTest, BotsAreStoredApartAndNotCountedAsVisitors) {
  start();
  EXPECT_EQ(collect(testing::pageview_batch("shop", "human", 2)).status, 202);
  EXPECT_EQ(collect(testing::pageview_batch("shop", "bot", 3), {{"user-agent", kGooglebot}}).status, 202);
  json s = summary();
  EXPECT_EQ(s["events"], 2);
  EXPECT_EQ(s["visitors"], 1);
  EXPECT_EQ(s["bot_events"], 3);
  EXPECT_EQ(query_int("SELECT count(*) FROM bot_events"), 3);
}

TEST_F(TrackerTest, VisitorsAreCountedByDailyHashOrConsentedId) {
  start();
  auto from = [&](const char* ip, const char* ua, const std::string& body, testing::Headers extra = {}) {
    HttpRequest r = request("POST", "/v1/collect", body, extra);
    r.remote_ip = ip;
    for (auto& [n, v] : r.headers) {
      if (n == "user-agent") v = ua;
    }
    return tracker->handle(r);
  };
  const std::string anonymous = R"({"site":"shop","type":"pageview"})";
  EXPECT_EQ(from("198.51.100.1", testing::kChrome, anonymous).status, 202);
  EXPECT_EQ(from("198.51.100.1", testing::kChrome, anonymous).status, 202);
  EXPECT_EQ(from("198.51.100.2", testing::kChrome, anonymous).status, 202);
  EXPECT_EQ(from("198.51.100.1", testing::kFirefox, anonymous).status, 202);
  EXPECT_EQ(summary()["visitors"], 3);

  const std::string consented = R"({"site":"shop","visitor_id":"fp-0123456789","type":"pageview"})";
  EXPECT_EQ(from("198.51.100.7", testing::kChrome, consented).status, 202);
  EXPECT_EQ(from("198.51.100.8", testing::kFirefox, consented).status, 202);  // same person, elsewhere
  EXPECT_EQ(summary()["visitors"], 4);
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE visitor_id = 'fp-0123456789'"), 2);

  // Global Privacy Control withdraws the first-party id: the event counts anonymously.
  EXPECT_EQ(from("198.51.100.9", testing::kChrome, consented, {{"sec-gpc", "1"}}).status, 202);
  EXPECT_EQ(summary()["visitors"], 5);
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE visitor_id = 'fp-0123456789'"), 2);
  // Nor does a conversion's stored context keep it (erasure and export, which look ids up in
  // visitor_id, would never find it there); with consent the context keeps its own id.
  const auto conversion = [](const std::string& id) {
    return R"({"site":"shop","visitor_id":"fp-0123456789","events":[{"type":"conversion","id":")" + id +
           R"(","name":"purchase","context":{"visitor":{"id":"fp-0123456789"},"visit":{"count":2}}}]})";
  };
  EXPECT_EQ(from("198.51.100.9", testing::kChrome, conversion("gpc-c1"), {{"sec-gpc", "1"}}).status, 202);
  const std::string withdrawn = query_text("SELECT context FROM events WHERE event_id = 'gpc-c1'");
  EXPECT_EQ(withdrawn.find("fp-0123456789"), std::string::npos) << withdrawn;
  EXPECT_NE(withdrawn.find(R"("count":2)"), std::string::npos) << withdrawn;
  EXPECT_EQ(from("198.51.100.9", testing::kChrome, conversion("ok-c2")).status, 202);
  EXPECT_NE(query_text("SELECT context FROM events WHERE event_id = 'ok-c2'").find("fp-0123456789"), std::string::npos);
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE visitor_id = 'fp-0123456789'"), 3);

  // The SDK sends the consented id as the context's visitor.id, event by event.
  const std::string sdk = R"({"site":"shop","events":[
      {"type":"pageview","context":{"visitor":{"id":"6f1c2a4e-0b7d-4e35-9a61-3c2f8d9e7b10"}}},
      {"type":"pageview","context":{"visitor":{"id":"short"}}}]})";
  EXPECT_EQ(from("198.51.100.10", testing::kChrome, sdk).status, 202);
  EXPECT_EQ(from("198.51.100.11", testing::kFirefox, sdk).status, 202);
  EXPECT_EQ(query_int("SELECT count(*) FROM events WHERE visitor_id = '6f1c2a4e-0b7d-4e35-9a61-3c2f8d9e7b10'"), 2);
  // One consented visitor, plus one anonymous visitor per network for the malformed id.
  EXPECT_EQ(summary()["visitors"], 8);
}

TEST_F(TrackerTest, CollectRejectsBadInputWithTheErrorShape) {
  start();
  expect_error(collect("{nope"), 400, "invalid_json");
  expect_error(collect(R"({"site":"nowhere","type":"pageview"})"), 404, "unknown_site");
  expect_error(collect(R"({"site":"shop","type":"pageview"})", {{"content-type", "application/xml"}}), 415,
               "unsupported_media_type");
  expect_error(tracker->handle(request("GET", "/v1/collect")), 405, "method_not_allowed");
  EXPECT_EQ(tracker->handle(request("GET", "/v1/collect")).header("Allow"), "POST, OPTIONS");
  EXPECT_EQ(summary()["events"], 0);
}

TEST_F(TrackerTest, CorsFollowsEachSitesAllowedOrigins) {
  start();
  const std::string body = R"({"site":"shop","type":"pageview"})";
  auto allowed = collect(body, {{"origin", "https://shop.example"}});
  EXPECT_EQ(allowed.status, 202);
  EXPECT_EQ(allowed.header("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(allowed.header("Vary"), "Origin");
  expect_error(collect(body, {{"origin", "https://evil.example"}}), 403, "origin_not_allowed");
  // The tracker's own origin (it serves the demo pages) is always allowed.
  EXPECT_EQ(collect(body, {{"origin", "http://127.0.0.1:8080"}, {"host", "127.0.0.1:8080"}}).status, 202);
  // "blog" lists no origins: only its own.
  expect_error(collect(R"({"site":"blog","type":"pageview"})", {{"origin", "https://shop.example"}}), 403,
               "origin_not_allowed");

  // Refusals carry CORS too, so that a cross-origin SDK reads the status (and Retry-After) and
  // knows not to send that batch again; a disallowed origin gets none.
  auto refused = collect(R"({"site":"shop","type":"nonsense"})", {{"origin", "https://shop.example"}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.header("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(refused.header("Access-Control-Expose-Headers"), "ETag, Retry-After, X-Ithaca-Rules-Version");
  EXPECT_EQ(collect(body, {{"origin", "https://evil.example"}}).header("Access-Control-Allow-Origin"), "");
  EXPECT_EQ(collect(body).header("Access-Control-Expose-Headers"), "") << "no Origin, no CORS";
  EXPECT_EQ(collect(body).header("Vary"), "Origin") << "but a cache must still tell the two apart";

  auto preflight = tracker->handle(request("OPTIONS", "/v1/collect", "", {{"origin", "https://shop.example"}}));
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.header("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_NE(preflight.header("Access-Control-Allow-Headers").find("Content-Type"), std::string::npos);
  // The SDK revalidates its cached rule set with If-None-Match, and reads the ETag it gets.
  EXPECT_NE(preflight.header("Access-Control-Allow-Headers").find("If-None-Match"), std::string::npos);
  auto rules = tracker->handle(request("GET", "/v1/rules/shop?compiled=2", "", {{"origin", "https://shop.example"}}));
  EXPECT_EQ(rules.header("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_NE(rules.header("Access-Control-Expose-Headers").find("ETag"), std::string::npos);
  expect_error(tracker->handle(request("OPTIONS", "/v1/collect", "", {{"origin", "https://evil.example"}})), 403,
               "origin_not_allowed");
}

// The browser SDK's form: the same rules compiled (docs/compiled-rules.md), under their own
// entity tag, deciding exactly as the JSON does; a format the tracker does not write is a 406.
TEST_F(TrackerTest, RulesAreServedCompiledOnRequest) {
  start();
  const std::string json_etag(tracker->handle(request("GET", "/v1/rules/shop")).header("ETag"));
  auto response = tracker->handle(request("GET", "/v1/rules/shop?compiled=2"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "application/vnd.ithaca.compiled-rules");
  EXPECT_EQ(response.body.rfind("ITHR\x02", 0), 0u);
  const std::string etag(response.header("ETag"));
  EXPECT_EQ(etag, json_etag.substr(0, json_etag.size() - 1) + "-c2\"");
  EXPECT_NE(response.header("Cache-Control").find("max-age=60"), std::string::npos);

  const std::string json_rules = testing::read_text(fixture("rules_shop.json"));
  auto compiled = ithaca::load_compiled_ruleset(response.body);
  ASSERT_TRUE(compiled.ok()) << compiled.errors.front().message;
  auto from_json = ithaca::load_ruleset(json_rules);
  ASSERT_TRUE(from_json.ok());
  const auto context = ithaca::parse_json(R"({"device": {"type": "mobile"}, "geo": {"country": "DE"},
                                              "time": {"hour": 9}, "visitor": {"id": "v1"}})").value();
  EXPECT_EQ(ithaca::decide_to_json(*compiled.rules, context), ithaca::decide_to_json(*from_json.rules, context));

  EXPECT_EQ(tracker->handle(request("GET", "/v1/rules/shop?compiled=2", "", {{"if-none-match", etag}})).status, 304);
  // The JSON's tag does not revalidate the compiled form, nor the other way round.
  EXPECT_EQ(tracker->handle(request("GET", "/v1/rules/shop?compiled=2", "", {{"if-none-match", json_etag}})).status, 200);
  EXPECT_EQ(tracker->handle(request("GET", "/v1/rules/shop", "", {{"if-none-match", etag}})).status, 200);
  // Format 1 (before patterns were carried compiled) is not written any more.
  auto unsupported = tracker->handle(request("GET", "/v1/rules/shop?compiled=1"));
  expect_error(unsupported, 406, "unsupported_format");
  EXPECT_NE(unsupported.body.find("format 2"), std::string::npos) << unsupported.body;
}

TEST_F(TrackerTest, RulesAreServedWithEtagAndRevalidation) {
  start();
  auto response = tracker->handle(request("GET", "/v1/rules/shop"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, testing::read_text(fixture("rules_shop.json")));
  EXPECT_EQ(response.content_type, "application/json");
  const std::string etag(response.header("ETag"));
  EXPECT_EQ(etag.rfind("\"v1-", 0), 0u) << etag;
  EXPECT_NE(response.header("Cache-Control").find("max-age=60"), std::string::npos);

  auto again = tracker->handle(request("GET", "/v1/rules/shop", "", {{"if-none-match", etag}}));
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("ETag"), etag);
  EXPECT_EQ(tracker->handle(request("GET", "/v1/rules/shop", "", {{"if-none-match", "\"x\", W/" + etag}})).status, 304);
  EXPECT_EQ(tracker->handle(request("GET", "/v1/rules/shop", "", {{"if-none-match", "\"v0-x\""}})).status, 200);

  expect_error(tracker->handle(request("GET", "/v1/rules/nowhere")), 404, "unknown_site");
  expect_error(tracker->handle(request("GET", "/v1/rules/blog")), 404, "no_rules");
  expect_error(tracker->handle(request("GET", "/v1/rules/blog?compiled=2")), 404, "no_rules");
  expect_error(tracker->handle(request("GET", "/v1/rules/shop", "", {{"origin", "https://evil.example"}})), 403,
               "origin_not_allowed");
}

TEST_F(TrackerTest, AdminPublishesValidatesListsAndRollsBack) {
  start();
  const std::string v2 = testing::read_text(fixture("rules_shop_v2.json"));
  expect_error(tracker->handle(request("PUT", "/v1/admin/sites/shop/rules", v2)), 401, "unauthorized");
  expect_error(tracker->handle(request("PUT", "/v1/admin/sites/shop/rules", v2,
                                       {{"authorization", "Bearer wrong-token-0123456789x"}})),
               401, "unauthorized");
  expect_error(tracker->handle(request("PUT", "/v1/admin/sites/shop/rules", v2, {{"authorization", "Basic abc"}})),
               401, "unauthorized");

  auto invalid = tracker->handle(admin_request("PUT", "/v1/admin/sites/shop/rules",
                                               testing::read_text(fixture("rules_invalid.json"))));
  expect_error(invalid, 422, "invalid_rules");
  json errors = json_of(invalid)["error"]["errors"];
  ASSERT_GE(errors.size(), 2u) << invalid.body;  // every error, not only the first
  bool saw_expression = false;
  for (const auto& e : errors) {
    EXPECT_TRUE(e["path"].get<std::string>().rfind("$", 0) == 0) << e;
    if (e["path"].get<std::string>().find("rules[0].when") != std::string::npos) saw_expression = true;
  }
  EXPECT_TRUE(saw_expression) << invalid.body;

  auto wrong_site = tracker->handle(admin_request("PUT", "/v1/admin/sites/blog/rules", v2));
  expect_error(wrong_site, 422, "invalid_rules");
  // Every problem, the other site among them, also when the document does not load.
  auto both = tracker->handle(admin_request("POST", "/v1/admin/sites/blog/rules/validate",
                                            R"({"schema":1,"site":"shop","slots":{}})"));
  expect_error(both, 422, "invalid_rules");
  EXPECT_NE(both.body.find("at least one slot"), std::string::npos) << both.body;
  EXPECT_NE(both.body.find(R"(the rule set is for site \"shop\", not \"blog\")"), std::string::npos) << both.body;

  auto validate = tracker->handle(admin_request("POST", "/v1/admin/sites/shop/rules/validate", v2));
  EXPECT_EQ(validate.status, 200) << validate.body;
  EXPECT_EQ(tracker->handle(request("GET", "/v1/rules/shop")).header("X-Ithaca-Rules-Version"), "1");

  auto published = tracker->handle(admin_request("PUT", "/v1/admin/sites/shop/rules", v2));
  ASSERT_EQ(published.status, 201) << published.body;
  EXPECT_EQ(json_of(published)["version"], 2);
  auto served = tracker->handle(request("GET", "/v1/rules/shop"));
  EXPECT_EQ(served.body, v2);
  EXPECT_EQ(tracker->handle(request("GET", "/v1/rules/shop?compiled=2")).body,
            ithaca::compile_ruleset(*ithaca::load_ruleset(v2).rules));
  EXPECT_EQ(served.header("ETag"), json_of(published)["etag"].get<std::string>());

  auto versions = tracker->handle(admin_request("GET", "/v1/admin/sites/shop/rules/versions"));
  ASSERT_EQ(versions.status, 200);
  json list = json_of(versions);
  EXPECT_EQ(list["active"], 2);
  ASSERT_EQ(list["versions"].size(), 2u);
  EXPECT_EQ(list["versions"][0]["version"], 2);
  EXPECT_EQ(list["versions"][0]["source"], "admin");
  EXPECT_EQ(list["versions"][1]["source"], "file");
  EXPECT_EQ(list["versions"][1]["active"], false);

  auto old = tracker->handle(admin_request("GET", "/v1/admin/sites/shop/rules/versions/1"));
  EXPECT_EQ(old.body, testing::read_text(fixture("rules_shop.json")));
  expect_error(tracker->handle(admin_request("GET", "/v1/admin/sites/shop/rules/versions/99")), 404, "not_found");
  expect_error(tracker->handle(admin_request("GET", "/v1/admin/sites/shop/rules/versions/x1")), 404, "not_found");

  auto rollback = tracker->handle(admin_request("POST", "/v1/admin/sites/shop/rules/rollback"));
  ASSERT_EQ(rollback.status, 200) << rollback.body;
  EXPECT_EQ(json_of(rollback)["version"], 1);
  EXPECT_EQ(tracker->handle(request("GET", "/v1/rules/shop")).body, testing::read_text(fixture("rules_shop.json")));
  // The compiled form follows every change of the active version.
  const auto compiled_of = [](const std::string& json_text) {
    return ithaca::compile_ruleset(*ithaca::load_ruleset(json_text).rules);
  };
  EXPECT_EQ(tracker->handle(request("GET", "/v1/rules/shop?compiled=2")).body,
            compiled_of(testing::read_text(fixture("rules_shop.json"))));
  expect_error(tracker->handle(admin_request("POST", "/v1/admin/sites/shop/rules/rollback")), 409,
               "nothing_to_roll_back");
  auto forward = tracker->handle(admin_request("POST", "/v1/admin/sites/shop/rules/rollback", R"({"version":2})"));
  EXPECT_EQ(forward.status, 200) << forward.body;
  EXPECT_EQ(tracker->handle(request("GET", "/v1/rules/shop")).body, v2);
  EXPECT_EQ(tracker->handle(request("GET", "/v1/rules/shop?compiled=2")).body, compiled_of(v2));
  expect_error(tracker->handle(admin_request("POST", "/v1/admin/sites/shop/rules/rollback", R"({"version":"2"})")), 400,
               "invalid_field");
  expect_error(tracker->handle(admin_request("POST", "/v1/admin/sites/shop/rules/rollback", R"({"version":9})")), 404,
               "not_found");
  expect_error(tracker->handle(admin_request("PUT", "/v1/admin/sites/nowhere/rules", v2)), 404, "unknown_site");
  expect_error(tracker->handle(admin_request("DELETE", "/v1/admin/sites/shop/rules")), 405, "method_not_allowed");
  expect_error(tracker->handle(admin_request("GET", "/v1/admin/sites/shop/other")), 404, "not_found");
}

TEST_F(TrackerTest, PublishedRulesSurviveARestartAndFileChangesPublishOnce) {
  const std::string rules_copy = dir.str("rules.json");
  std::filesystem::copy_file(fixture("rules_shop.json"), rules_copy);
  options.sites[0].rules_file = rules_copy;
  start();
  tracker.reset();
  start();  // unchanged file: no new version
  auto versions = json_of(tracker->handle(admin_request("GET", "/v1/admin/sites/shop/rules/versions")));
  EXPECT_EQ(versions["versions"].size(), 1u);
  tracker.reset();
  std::filesystem::copy_file(fixture("rules_shop_v2.json"), rules_copy, std::filesystem::copy_options::overwrite_existing);
  start();
  versions = json_of(tracker->handle(admin_request("GET", "/v1/admin/sites/shop/rules/versions")));
  EXPECT_EQ(versions["versions"].size(), 2u);
  EXPECT_EQ(versions["active"], 2);
  tracker.reset();
  std::ofstream(rules_copy) << "{ broken";
  start();  // an invalid file is logged and the active version kept
  EXPECT_EQ(tracker->handle(request("GET", "/v1/rules/shop")).header("X-Ithaca-Rules-Version"), "2");
}

TEST_F(TrackerTest, DecideUsesTheRequestsDeviceAndTheClientsContext) {
  start();
  auto mobile = tracker->handle(request("POST", "/v1/decide", R"({"site":"shop"})", {{"user-agent", kIphone}}));
  ASSERT_EQ(mobile.status, 200) << mobile.body;
  json decision = json_of(mobile);
  EXPECT_EQ(decision["decisions"]["hero"]["variant"], "mobile") << mobile.body;
  EXPECT_EQ(mobile.header("Cache-Control"), "no-store");

  auto overridden = tracker->handle(request("POST", "/v1/decide",
                                            R"({"site":"shop","context":{"device":{"type":"desktop"},"visitor":{"id":"v1"}}})",
                                            {{"user-agent", kIphone}}));
  ASSERT_EQ(overridden.status, 200) << overridden.body;
  EXPECT_EQ(json_of(overridden)["decisions"]["hero"]["variant"], "standard") << overridden.body;

  expect_error(tracker->handle(request("POST", "/v1/decide", "{")), 400, "invalid_json");
  expect_error(tracker->handle(request("POST", "/v1/decide", R"({"site":"nowhere"})")), 404, "unknown_site");
  expect_error(tracker->handle(request("POST", "/v1/decide", R"({"site":"blog"})")), 404, "no_rules");
  expect_error(tracker->handle(request("POST", "/v1/decide", R"({"site":"shop","context":[1]})")), 400, "invalid_field");
  expect_error(tracker->handle(request("POST", "/v1/decide", R"({"context":{}})")), 400, "invalid_field");
  expect_error(tracker->handle(request("POST", "/v1/decide", std::string(100, '[') + std::string(100, ']'))), 400,
               "invalid_json");
  expect_error(tracker->handle(request("GET", "/v1/decide")), 405, "method_not_allowed");
}

// The handler writes decisions with decide_to_json; the answer must be the bytes the core's
// to_json(decide(…)) gives for the same context, i.e. the core's canonical JSON.
TEST_F(TrackerTest, DecideAnswersAreTheCoresCanonicalDecisionJson) {
  const std::string demo_rules = fixture("../../../demo_site/rules/demo.json");
  SiteConfig demo;
  demo.id = "demo";
  demo.rules_file = demo_rules;
  options.sites.push_back(demo);
  start();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"site":"demo"})", testing::kChrome},
      {R"({"site":"demo","visitor_id":"visitor-0001","url":"https://demo.example/?utm_source=news&utm_medium=email"})",
       kIphone},
      {R"({"site":"demo","context":{"time":{"timezone":"Europe/Berlin"},"geo":{"country":"DE","languages":["de-DE"]},)"
       R"("visit":{"count":4,"days_since_last":40,"pageviews":5},"journey":{"interests":["espresso"]},)"
       R"("custom":{"cart_items":2},"consent":{"personalization":true},"visitor":{"id":"v-42"}}})",
       kIphone},
      {R"({"site":"shop","context":{"device":{"type":"desktop"}}})", kIphone},
  };
  for (const auto& [body, user_agent] : cases) {
    auto response = tracker->handle(request("POST", "/v1/decide", body, {{"user-agent", user_agent}}));
    ASSERT_EQ(response.status, 200) << body << " -> " << response.body;
    auto parsed = ithaca::parse_json(response.body);
    ASSERT_TRUE(parsed.ok()) << response.body;
    EXPECT_EQ(ithaca::to_json(parsed.value()), response.body) << body;
    EXPECT_TRUE(json_of(response)["decisions"].is_object()) << response.body;
  }

  // And the core's two paths agree on the demo rule set for a context like the tracker builds.
  auto loaded = ithaca::load_ruleset(testing::read_text(demo_rules));
  ASSERT_TRUE(loaded.ok());
  auto context = ithaca::parse_json(
      R"({"time":{"hour":8,"weekday":6,"timezone":"Europe/Berlin"},"device":{"type":"mobile"},)"
      R"("geo":{"country":"AT","languages":["de-AT"]},"referrer":{"category":"email"},)"
      R"("visit":{"count":2,"pageviews":3},"visitor":{"id":"v-7"}})");
  ASSERT_TRUE(context.ok());
  EXPECT_EQ(ithaca::decide_to_json(*loaded.rules, context.value()),
            ithaca::to_json(ithaca::decide(*loaded.rules, context.value())));
}

TEST_F(TrackerTest, ContextDescribesTheRequestWithoutStoringIt) {
  start();
  auto response = tracker->handle(request("GET", "/v1/context", "", {{"user-agent", kIphone}, {"accept-language", "de-DE,de;q=0.9"}}));
  ASSERT_EQ(response.status, 200) << response.body;
  json context = json_of(response);
  EXPECT_EQ(context["device"]["type"], "mobile");
  EXPECT_EQ(context["device"]["os"], "ios");
  EXPECT_TRUE(context["geo"].is_object());
  EXPECT_EQ(response.header("Cache-Control"), "private, no-store");
  EXPECT_EQ(summary()["events"], 0);
  expect_error(tracker->handle(request("GET", "/v1/context?site=nowhere")), 404, "unknown_site");
  expect_error(tracker->handle(request("GET", "/v1/context", "", {{"origin", "https://evil.example"}})), 403,
               "origin_not_allowed");
}

TEST_F(TrackerTest, GeoDatabaseFillsCountryAndTheAddressIsDropped) {
  const std::string mmdb = dir.str("geo.mmdb");
  if (!testing::build_test_mmdb(mmdb)) GTEST_SKIP() << "libmaxmind-db-writer-perl is not installed";
  ASSERT_FALSE(HasFailure());
  options.geo_db = mmdb;
  start();
  HttpRequest r = request("POST", "/v1/collect", R"({"site":"shop","type":"pageview","id":"g1"})");
  r.remote_ip = "81.2.69.160";
  ASSERT_EQ(tracker->handle(r).status, 202);
  EXPECT_EQ(query_text("SELECT country FROM events WHERE event_id = 'g1'"), "GB");
  EXPECT_EQ(query_text("SELECT city FROM events WHERE event_id = 'g1'"), "London");

  HttpRequest c = request("GET", "/v1/context");
  c.remote_ip = "81.2.69.160";
  auto context = json_of(tracker->handle(c));
  EXPECT_EQ(context["geo"]["country"], "GB") << context;

  tracker->shutdown();
  tracker.reset();
  for (const char* file : {"/ithaca.db", "/ithaca.db-wal"}) {
    EXPECT_EQ(testing::read_text(dir.str("data") + file).find("81.2.69.160"), std::string::npos) << file;
  }
}

TEST_F(TrackerTest, StatsNeedTheTokenAndValidRanges) {
  start();
  expect_error(tracker->handle(request("GET", "/v1/stats/shop/summary")), 401, "unauthorized");
  expect_error(tracker->handle(admin_request("GET", "/v1/stats/shop/summary?from=yesterday")), 400, "invalid_parameter");
  expect_error(tracker->handle(admin_request("GET", "/v1/stats/shop/summary?from=2024-05-02&to=2024-05-01")), 400,
               "invalid_parameter");
  expect_error(tracker->handle(admin_request("GET", "/v1/stats/nowhere/summary")), 404, "unknown_site");
  // [reports] funnel is a report now (docs/reports.md); an unknown report is still a 404.
  expect_error(tracker->handle(admin_request("GET", "/v1/stats/shop/no-such-report")), 404, "not_found");

  ASSERT_EQ(collect(R"({"site":"shop","events":[{"type":"pageview","ts":1000000000000},{"type":"pageview"}]})").status,
            202);
  json all = summary();
  EXPECT_EQ(all["events"], 2);
  EXPECT_TRUE(all["from"].is_null());
  json recent = summary("shop", "?from=2020-01-01");
  EXPECT_EQ(recent["from"], 1577836800000);
  EXPECT_EQ(recent["events"], 2);  // a year-2001 ts is implausible, so server time is used
  json empty = summary("shop", "?from=2000-01-01&to=2000-01-02");
  EXPECT_EQ(empty["events"], 0);
}

TEST_F(TrackerTest, RateLimitingAnswers429WithRetryAfter) {
  options.rate_limit_per_second = 0.5;
  options.rate_limit_burst = 2;
  start();
  const std::string body = R"({"site":"shop","type":"pageview"})";
  EXPECT_EQ(collect(body).status, 202);
  EXPECT_EQ(collect(body).status, 202);
  auto limited = collect(body, {{"origin", "https://shop.example"}});
  expect_error(limited, 429, "rate_limited");
  EXPECT_EQ(limited.header("Retry-After"), "2");
  // Readable by the page that sent it (the SDK waits that long before sending again).
  EXPECT_EQ(limited.header("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(limited.header("Access-Control-Expose-Headers"), "ETag, Retry-After, X-Ithaca-Rules-Version");
  // Another client (a different address) is unaffected.
  HttpRequest other = request("POST", "/v1/collect", body);
  other.remote_ip = "198.51.100.200";
  EXPECT_EQ(tracker->handle(other).status, 202);
  EXPECT_EQ(summary()["events"], 3);
}

TEST_F(TrackerTest, AFullWriteQueueAnswers503WithRetryAfterAndLosesNothingAccepted) {
  options.queue_capacity_events = 1;  // any batch waiting for the writer fills it
  start();
  std::atomic<int> accepted{0}, overloaded{0}, other{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 16; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        const std::string id = "q" + std::to_string(t) + "-" + std::to_string(i);
        auto response = collect(R"({"site":"shop","type":"pageview","id":")" + id + R"("})");
        if (response.status == 202) {
          ++accepted;
        } else if (response.status == 503 && json_of(response)["error"]["code"] == "overloaded" &&
                   response.header("Retry-After") == "1") {
          ++overloaded;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_GT(overloaded.load(), 0);
  EXPECT_GT(accepted.load(), 0);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(summary()["events"], accepted.load());  // every 202 stored, no refused one
  auto metrics = tracker->handle(request("GET", "/metrics"));
  EXPECT_NE(metrics.body.find("ithaca_queue_full_total " + std::to_string(overloaded.load())), std::string::npos);
}

TEST_F(TrackerTest, HealthMetricsStaticAndUnknownPaths) {
  start();
  auto health = tracker->handle(request("GET", "/healthz"));
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json_of(health)["status"], "ok");
  ASSERT_EQ(collect(R"({"site":"shop","type":"pageview"})").status, 202);
  auto metrics = tracker->handle(request("GET", "/metrics"));
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.content_type.find("text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(metrics.body.find("ithaca_http_requests_total{route=\"collect\",status=\"202\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("ithaca_events_written_total{kind=\"human\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("ithaca_rules_active_version{site=\"shop\"} 1"), std::string::npos);
  // The SQLite store's write-ahead log: the commit above wrote frames; nothing waited.
  EXPECT_NE(metrics.body.find("ithaca_wal_frames "), std::string::npos);
  EXPECT_EQ(metrics.body.find("ithaca_wal_frames 0\n"), std::string::npos);
  EXPECT_NE(metrics.body.find("ithaca_wal_throttled_commits_total 0\n"), std::string::npos);
  // The roll-up builder takes the committed event from the writer's hand-off (it looks every
  // 250 ms), not from the table.
  const std::string handed_over = "ithaca_rollup_events_total{source=\"handoff\"} 1\n";
  for (int i = 0; i < 200 && metrics.body.find(handed_over) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    metrics = tracker->handle(request("GET", "/metrics"));
  }
  EXPECT_NE(metrics.body.find(handed_over), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("ithaca_rollup_events_total{source=\"table\"} 0\n"), std::string::npos);
  EXPECT_NE(metrics.body.find("ithaca_rollup_handoff_events 0\n"), std::string::npos);

  auto index = tracker->handle(request("GET", "/"));
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("index"), std::string::npos);
  EXPECT_EQ(index.header("X-Content-Type-Options"), "nosniff");
  expect_error(tracker->handle(request("GET", "/sdk/ithaca.js")), 404, "not_found");
  expect_error(tracker->handle(request("POST", "/index.html", "x")), 405, "method_not_allowed");
  expect_error(tracker->handle(request("GET", "/v1/nothing")), 404, "not_found");
  expect_error(tracker->handle(request("GET", "/v1/rules/shop/extra")), 404, "not_found");
}

TEST_F(TrackerTest, AfterShutdownNothingIsAccepted) {
  start();
  ASSERT_EQ(collect(R"({"site":"shop","type":"pageview"})").status, 202);
  tracker->shutdown();
  expect_error(collect(R"({"site":"shop","type":"pageview"})"), 503, "shutting_down");
  expect_error(tracker->handle(request("GET", "/healthz")), 503, "shutting_down");
}

TEST_F(TrackerTest, AdminTokenIsGeneratedOnceWhenNoneIsGiven) {
  options.admin_token.clear();
  start();
  const std::string token = tracker->admin_token();
  EXPECT_GE(token.size(), 32u);
  const auto path = dir.str("data") + "/admin-token";
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
  tracker.reset();
  start();
  EXPECT_EQ(tracker->admin_token(), token);
  auto ok = tracker->handle(request("GET", "/v1/stats/shop/summary", "", {{"authorization", "Bearer " + token}}));
  EXPECT_EQ(ok.status, 200);
}

// /sdk/ serves what a page downloads, /sdk/tools/ the tools engine the playground loads: two
// folders, so the page's files stay exactly what the size goal counts (docs/compiled-rules.md).
TEST(TrackerCreate, ServesTheSdkAndItsToolsFromTheirOwnFolders) {
  TempDir dir;
  TrackerOptions options = testing::test_options(dir);
  options.sdk_dir = dir.str("browser");
  options.sdk_tools_dir = dir.str("tools");
  std::filesystem::create_directories(options.sdk_dir);
  std::filesystem::create_directories(options.sdk_tools_dir);
  std::ofstream(options.sdk_dir + "/ithaca.mjs") << "page";
  std::ofstream(options.sdk_tools_dir + "/ithaca-tools.mjs") << "tools";
  std::string error;
  auto tracker = Tracker::create(options, error);
  ASSERT_TRUE(tracker) << error;
  EXPECT_EQ(tracker->handle(request("GET", "/sdk/ithaca.mjs")).body, "page");
  EXPECT_EQ(tracker->handle(request("GET", "/sdk/tools/ithaca-tools.mjs")).body, "tools");
  EXPECT_EQ(tracker->handle(request("GET", "/sdk/ithaca-tools.mjs")).status, 404);
  EXPECT_EQ(tracker->handle(request("GET", "/sdk/tools/ithaca.mjs")).status, 404);
  EXPECT_EQ(tracker->handle(request("GET", "/sdk/tools/../ithaca.mjs")).status, 400);
  tracker->shutdown();
}

TEST(TrackerCreate, FailsClearlyOnBadGeoDatabase) {
  TempDir dir;
  TrackerOptions options = testing::test_options(dir);
  options.geo_db = dir.str("missing.mmdb");
  std::string error;
  EXPECT_FALSE(Tracker::create(options, error));
  EXPECT_NE(error.find("missing.mmdb"), std::string::npos) << error;
}

}  // namespace
}  // namespace ithaca::tracker
