// A battery of hostile requests against a live server: malformed and oversized bodies, deep
// nesting, invalid UTF-8, injection strings, traversal paths, broken HTTP, missing or wrong
// tokens. Every refusal is a 4xx in the one error shape, nothing accepted earlier is lost, and
// the server keeps serving.
#include <httplib.h>
#include <gtest/gtest.h>

#include "sqlite_db.hpp"
#include "test_server.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;
using testing::body_of;
using testing::raw_exchange;
using testing::RunningServer;
using testing::status_of;
using testing::TempDir;

std::string percent_encode(const std::string& s) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

class HostileRequests : public ::testing::Test {
 protected:
  void SetUp() override {
    TrackerOptions options = testing::test_options(dir);
    options.limits.max_body_bytes = 64 * 1024;
    server = std::make_unique<RunningServer>(options);
    client = testing::browser_client(server->port());
    auto first = client->Post("/v1/collect", testing::pageview_batch("shop", "before", 10), "application/json");
    ASSERT_TRUE(first);
    ASSERT_EQ(first->status, 202);
  }

  void TearDown() override {
    // The server still serves, and every event accepted before the battery is still there.
    auto health = client->Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    auto after = client->Post("/v1/collect", testing::pageview_batch("shop", "after", 5), "application/json");
    ASSERT_TRUE(after);
    EXPECT_EQ(after->status, 202);
    auto stats = client->Get("/v1/stats/shop/summary", auth());
    ASSERT_TRUE(stats);
    EXPECT_EQ(json::parse(stats->body)["events"], 15 + extra_events);
  }

  static httplib::Headers auth() { return {{"Authorization", std::string("Bearer ") + testing::kAdminToken}}; }

  void expect_refused(const httplib::Result& result, int status, const std::string& code, const std::string& what) {
    ASSERT_TRUE(result) << what;
    EXPECT_EQ(result->status, status) << what << ": " << result->body;
    json body = json::parse(result->body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << what << ": " << result->body;
    EXPECT_EQ(body["error"]["code"], code) << what << ": " << result->body;
  }

  void expect_error_shape(const std::string& raw, const std::string& what) {
    const int status = status_of(raw);
    EXPECT_GE(status, 400) << what << "\n" << raw.substr(0, 200);
    EXPECT_LT(status, 500) << what << "\n" << raw.substr(0, 200);
    json body = json::parse(body_of(raw), nullptr, false);
    EXPECT_TRUE(body.is_object() && body.contains("error") && body["error"].contains("code") &&
                body["error"].contains("message"))
        << what << "\n" << raw.substr(0, 400);
  }

  TempDir dir;
  std::unique_ptr<RunningServer> server;
  std::unique_ptr<httplib::Client> client;
  int extra_events = 0;
};

TEST_F(HostileRequests, MalformedJson) {
  for (const char* body : {"{", "}", "[", "null", "true", "\"x\"", "{\"site\":}", "{\"site\":\"shop\",,}",
                           "{'site':'shop'}", "{\"site\":\"shop\",\"type\":\"pageview\"}{}", "\xef\xbb\xbf{}",
                           "{\"site\":\"shop\",\"events\":[{\"type\":\"pageview\"},]}"}) {
    auto r = client->Post("/v1/collect", body, "application/json");
    ASSERT_TRUE(r) << body;
    EXPECT_EQ(r->status, 400) << body << " → " << r->body;
    EXPECT_TRUE(json::parse(r->body, nullptr, false).contains("error")) << body;
  }
}

TEST_F(HostileRequests, HugeAndDeeplyNestedBodies) {
  expect_refused(client->Post("/v1/collect", std::string(2 << 20, 'a'), "application/json"), 413, "body_too_large",
                 "2 MB");
  expect_refused(client->Post("/v1/collect", std::string(60'000, '[') , "application/json"), 400, "too_deep",
                 "deep arrays");
  std::string objects = R"({"site":"shop","type":"pageview","props":)";
  for (int i = 0; i < 5000; ++i) objects += R"({"a":)";
  expect_refused(client->Post("/v1/collect", objects, "application/json"), 400, "too_deep", "deep objects");
  expect_refused(client->Post("/v1/decide", std::string(30'000, '[') + std::string(30'000, ']'), "application/json"),
                 400, "invalid_json", "deep decide");
  std::string many = R"({"site":"shop","events":[)";
  for (int i = 0; i < 501; ++i) many += std::string(i ? "," : "") + R"({"type":"pageview"})";
  many += "]}";
  expect_refused(client->Post("/v1/collect", many, "application/json"), 413, "too_many_events", "501 events");
}

TEST_F(HostileRequests, InvalidUtf8) {
  for (std::string bad : {std::string("\xff"), std::string("\xc3\x28"), std::string("\xed\xa0\x80"),
                          std::string("\xf4\x90\x80\x80"), std::string("\xe2\x82")}) {
    expect_refused(client->Post("/v1/collect", R"({"site":"shop","type":"pageview","url":"/)" + bad + "\"}",
                                "application/json"),
                   400, "invalid_json", "utf-8");
  }
  expect_refused(client->Post("/v1/collect", "{\"site\":\"sh\xffop\",\"type\":\"pageview\"}", "application/json"),
                 400, "invalid_json", "utf-8 site");
  auto decide = client->Post("/v1/decide", "{\"site\":\"shop\",\"context\":{\"x\":\"\xff\"}}", "application/json");
  ASSERT_TRUE(decide);
  EXPECT_EQ(decide->status, 400);
}

TEST_F(HostileRequests, InjectionStringsAreDataNotCode) {
  const std::string injections[] = {"'; DROP TABLE events; --", "\" OR 1=1 --", "<script>alert(1)</script>",
                                    "${jndi:ldap://x}", "../../etc/passwd", "%00", "\\u0000"};
  for (const auto& s : injections) {
    json body = {{"site", "shop"},
                 {"events", {{{"type", "event"}, {"name", s}, {"url", "https://shop.example/" + s},
                              {"props", {{"q", s}}}}}}};
    auto r = client->Post("/v1/collect", body.dump(), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 202) << s;
    ++extra_events;
    expect_refused(client->Post("/v1/collect", json({{"site", s}, {"type", "pageview"}}).dump(), "application/json"),
                   400, "invalid_field", "site " + s);
    auto stats = client->Get(("/v1/stats/" + percent_encode(s) + "/summary").c_str(), auth());
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->status, 404) << s;  // unknown_site, or not_found when '/' splits the path
    EXPECT_TRUE(json::parse(stats->body, nullptr, false).contains("error")) << s;
  }
  SqliteConnection db;
  ASSERT_TRUE(db.open(dir.str("data") + "/ithaca.db", false));
  SqliteStatement stmt;
  ASSERT_TRUE(db.prepare("SELECT count(*) FROM events WHERE name = ?1", stmt));
  stmt.bind_text(1, injections[0]);
  ASSERT_EQ(stmt.step(), SQLITE_ROW);
  EXPECT_EQ(stmt.column_int(0), 1);
}

TEST_F(HostileRequests, TraversalPathsNeverLeaveTheStaticFolder) {
  for (const char* path : {"/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt",
                           "/sub/../../secret.txt", "/sub/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt",
                           "/sdk/../secret.txt", "/sdk/..%2f..%2fsecret.txt", "//../secret.txt",
                           "/%252e%252e/secret.txt", "/sub/..%00/secret.txt", "/.%2e/.%2e/etc/passwd",
                           "/....//secret.txt", "/static/../../../../../../etc/passwd"}) {
    const std::string raw =
        raw_exchange(server->port(), std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(raw.find("secret outside"), std::string::npos) << path;
    EXPECT_EQ(raw.find("root:"), std::string::npos) << path;
    // cpp-httplib drops a request line whose path has ".." segments without answering;
    // everything else reaches the static handler and is refused there.
    const int status = status_of(raw);
    EXPECT_TRUE(raw.empty() || status == 400 || status == 404) << path << " → " << raw.substr(0, 80);
  }
}

TEST_F(HostileRequests, BrokenHttp) {
  const std::pair<std::string, std::string> cases[] = {
      {"garbage", "GARBAGE\r\n\r\n"},
      {"unknown method", "BREW /v1/collect HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"},
      {"long uri", "GET /" + std::string(20'000, 'a') + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"},
      {"huge header", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20'000, 'b') +
                          "\r\nConnection: close\r\n\r\n"},
      {"bad content length",
       "POST /v1/collect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n"
       "Connection: close\r\n\r\n{}"},
      {"oversized content length",
       "POST /v1/collect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n"
       "Connection: close\r\n\r\n{}"},
      {"oversized chunk",
       "POST /v1/collect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
       "Connection: close\r\n\r\nFFFFFFFF\r\n{}\r\n0\r\n\r\n"},
  };
  for (const auto& [what, bytes] : cases) {
    const std::string raw = raw_exchange(server->port(), bytes);
    if (raw.empty()) continue;  // closing the connection is an acceptable answer to garbage
    expect_error_shape(raw, what);
  }
}

TEST_F(HostileRequests, MissingOrWrongTokens) {
  const std::string rules = testing::read_text(testing::fixture("rules_shop_v2.json"));
  const httplib::Headers bad_headers[] = {
      {},
      {{"Authorization", "Bearer"}},
      {{"Authorization", "Bearer "}},
      {{"Authorization", "Bearer wrong"}},
      {{"Authorization", std::string("Bearer ") + testing::kAdminToken + "x"}},
      {{"Authorization", std::string("Bearer ") + std::string(testing::kAdminToken).substr(1)}},
      {{"Authorization", std::string("Basic ") + testing::kAdminToken}},
      {{"Authorization", testing::kAdminToken}},
      {{"X-Admin-Token", testing::kAdminToken}},
  };
  for (const auto& headers : bad_headers) {
    expect_refused(client->Put("/v1/admin/sites/shop/rules", headers, rules, "application/json"), 401, "unauthorized",
                   "put");
    expect_refused(client->Get("/v1/admin/sites/shop/rules/versions", headers), 401, "unauthorized", "versions");
    expect_refused(client->Post("/v1/admin/sites/shop/rules/rollback", headers, "", "application/json"), 401,
                   "unauthorized", "rollback");
    expect_refused(client->Get("/v1/stats/shop/summary", headers), 401, "unauthorized", "stats");
  }
  auto lower = client->Get("/v1/stats/shop/summary",
                           httplib::Headers{{"Authorization", std::string("bearer ") + testing::kAdminToken}});
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->status, 200);
}

TEST_F(HostileRequests, WrongMethodsTypesAndSites) {
  expect_refused(client->Delete("/v1/collect"), 405, "method_not_allowed", "delete collect");
  expect_refused(client->Put("/v1/collect", "{}", "application/json"), 405, "method_not_allowed", "put collect");
  expect_refused(client->Post("/v1/collect", "site=shop", "application/x-www-form-urlencoded"), 415,
                 "unsupported_media_type", "form");
  expect_refused(client->Post("/v1/collect", R"({"site":"other","type":"pageview"})", "application/json"), 404,
                 "unknown_site", "unknown site");
  expect_refused(client->Post("/v1/collect", httplib::Headers{{"Origin", "https://evil.example"}},
                              R"({"site":"shop","type":"pageview"})", "application/json"),
                 403, "origin_not_allowed", "origin");
  expect_refused(client->Get("/v1/rules/..%2f..%2fetc"), 404, "not_found", "rules traversal");
  expect_refused(client->Get("/v1/"), 404, "not_found", "v1 root");
}

}  // namespace
}  // namespace ithaca::tracker
