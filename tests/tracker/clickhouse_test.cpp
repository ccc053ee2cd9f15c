// The scale-out store against a real ClickHouse 18.16 on loopback: two trackers share one
// ClickHouse while a third tracker keeps SQLite; the same generated stream goes to both sides
// and every report must give identical numbers. Then erasure (nothing of the id left in any
// table), and outages: acknowledged events wait in the spool and arrive exactly once, even when
// the tracker that spooled them is replaced before ClickHouse is back; a full spool answers
// 503; a failed insert is retried (a fault-injecting proxy between tracker and ClickHouse
// refuses one, or applies one and loses its answer) without spooling or storing twice.
// Skips only when clickhouse-server is not installed.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "clickhouse_server.hpp"
#include "reports/event_generator.hpp"
#include "test_server.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;
using testing::ClickHouseServer;
using testing::RunningServer;
using testing::TempDir;

std::int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const char* kReports[] = {
    "summary",
    "timeseries",
    "timeseries?interval=hour&from=" "%DAY2%",
    "timeseries?country=DE",
    "timeseries?country=DE&device=mobile",
    "pages",
    "landing-pages",
    "referrers",
    "sources",
    "utm-sources",
    "utm-mediums",
    "campaigns",
    "devices",
    "os",
    "browsers",
    "countries",
    "languages",
    "visits",
    "events",
    "types",
    "pages?device=mobile",
    "breakdown?dimension=referrer_source&country=DE",
    "funnel",
    "funnel?device=desktop",
    "paths",
    "paths?kind=stages&limit=50",
    "attribution",
    "attribution?by=source&goal=add_to_cart",
    "attribution?by=campaign",
    "experiments",
    "experiments?goal=purchase",
    "personalization",
    "personalization?goal=purchase",
    "journey",
    // Under one filter: SQLite answers these from its per-segment journey roll-ups (the last from
    // the raw events), ClickHouse from its events.
    "paths?referrer_category=search",
    "attribution?visit=repeat",
    "experiments?country=DE",
    "personalization?browser=Chrome",
    "journey?utm_medium=cpc",
    "funnel?page=/cart",
    // `type` is an Enum8 in ClickHouse: a name it does not have matches nothing, as in SQLite.
    "timeseries?type=nonsense",
    "pages?type=conversion",
};

// Forwards every request to ClickHouse, except the inserts into `events` it is told to spoil:
// `refuse` of them get a 500 without reaching ClickHouse; `lose_answer` of them reach ClickHouse
// and are applied, then the connection closes before the answer's body (a dropped link).
class FaultyProxy {
 public:
  explicit FaultyProxy(int clickhouse_port) : target_(clickhouse_port) {
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      // Only event inserts: the control store also inserts (a new day's salt, published rules).
      const bool insert = req.get_param_value("query").rfind("INSERT INTO events ", 0) == 0;
      if (insert) {
        ++inserts;
        if (refuse > 0) {
          --refuse;
          res.status = 500;
          res.set_content("injected failure", "text/plain");
          return;
        }
      }
      httplib::Client client("127.0.0.1", target_);
      client.set_read_timeout(30, 0);
      auto answer = client.Post(req.target.c_str(), req.body, "text/plain; charset=utf-8");
      if (!answer) {
        res.status = 502;
        return;
      }
      if (insert && lose_answer > 0) {
        --lose_answer;
        // Headers promise a body the provider never sends: httplib closes the connection.
        res.set_content_provider(64, "text/plain", [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
        return;
      }
      res.status = answer->status;
      res.set_content(answer->body, "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FaultyProxy() {
    server_.stop();
    thread_.join();
  }
  std::string store_url(const std::string& database) const {
    return "clickhouse://127.0.0.1:" + std::to_string(port_) + "/" + database;
  }

  std::atomic<int> refuse{0}, lose_answer{0}, inserts{0};

 private:
  int target_;
  int port_ = 0;
  httplib::Server server_;
  std::thread thread_;
};

// Polls `database`.events until it holds `expected` rows (up to 30 s); returns the last count.
std::string wait_for_events(const ClickHouseServer& server, const std::string& database, std::int64_t expected) {
  const std::string want = std::to_string(expected) + "\n";
  std::string count;
  for (int i = 0; i < 150 && count != want; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    count = server.query("SELECT count() FROM " + database + ".events");
  }
  return count;
}

std::size_t spool_files(const std::string& data_dir) {
  std::size_t files = 0;
  const auto spool = std::filesystem::path(data_dir) / "clickhouse-spool";
  if (!std::filesystem::exists(spool)) return 0;
  for (const auto& entry : std::filesystem::directory_iterator(spool)) files += entry.path().extension() == ".spool";
  return files;
}

std::string report_path(const std::string& name) {
  std::string path = "/v1/stats/demo/" + name;
  if (auto at = path.find("%DAY2%"); at != std::string::npos) {
    const std::time_t t = static_cast<std::time_t>((now_millis() - 2 * 86'400'000LL) / 1000);
    char day[16];
    std::strftime(day, sizeof day, "%Y-%m-%d", std::gmtime(&t));
    path.replace(at, 6, day);
  }
  return path;
}

class ClickHouseStore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string why;
    server_ = ClickHouseServer::start(why).release();
    if (!server_) why_ = why;
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (!server_) {
      if (why_.find("not installed") != std::string::npos) GTEST_SKIP() << why_;
      FAIL() << why_;
    }
    static int counter = 0;
    database = "ithaca_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  }
  void TearDown() override {
    if (server_ && !server_->running()) server_->restart();  // a failed outage test must not leave it down
  }

 public:  // for the helpers below the fixture
  const ClickHouseServer& server() const { return *server_; }
  TrackerOptions options(const TempDir& dir, const std::string& store) {
    TrackerOptions o = testing::test_options(dir);
    o.trust_proxy = true;
    o.sites.clear();
    SiteConfig demo;
    demo.id = "demo";
    demo.rules_file = testing::fixture("../../../demo_site/rules/demo.json");
    demo.timezone = "Europe/Berlin";
    o.sites.push_back(demo);
    o.store = store;
    return o;
  }

  static httplib::Result post(int port, const GeneratedRequest& r) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30, 0);
    httplib::Headers headers = {{"User-Agent", r.user_agent}, {"X-Forwarded-For", r.forwarded_for}};
    if (!r.accept_language.empty()) headers.emplace("Accept-Language", r.accept_language);
    return client.Post("/v1/collect", headers, r.body.dump(), "application/json");
  }

  static json get(int port, const std::string& path) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60, 0);
    auto res = client.Get(path.c_str(), {{"Authorization", std::string("Bearer ") + testing::kAdminToken}});
    if (!res) return json{{"http_error", httplib::to_string(res.error())}};
    json body = json::parse(res->body, nullptr, false);
    if (res->status != 200) return json{{"status", res->status}, {"body", res->body}};
    body.erase("source");
    return body;
  }

  static GeneratorOptions stream(std::int64_t events) {
    GeneratorOptions g;
    g.site = "demo";
    g.seed = 42;
    g.events = events;
    g.days = 6;
    g.end_ms = now_millis() - 60'000;
    g.rules_json = testing::read_text(testing::fixture("../../../demo_site/rules/demo.json"));
    return g;
  }

  static void expect_same_reports(int sqlite_port, const std::vector<int>& clickhouse_ports) {
    for (const char* name : kReports) {
      const std::string path = report_path(name);
      const json expected = get(sqlite_port, path);
      ASSERT_FALSE(expected.contains("status")) << path << " " << expected.dump();
      for (int port : clickhouse_ports) EXPECT_EQ(get(port, path), expected) << path;
    }
  }

  std::string database;

 protected:
  static inline ClickHouseServer* server_ = nullptr;
  static inline std::string why_;
};

TEST_F(ClickHouseStore, TwoTrackersOnClickHouseReportWhatOneOnSqliteReports) {
  TempDir lite_dir, a_dir, b_dir;
  RunningServer lite(options(lite_dir, ""));
  RunningServer a(options(a_dir, server_->store_url(database)));
  RunningServer b(options(b_dir, server_->store_url(database)));

  EventGenerator generator(stream(4000));
  GeneratedRequest r;
  std::int64_t sent = 0;
  std::string consented;
  std::size_t consented_events = 0;
  for (int i = 0; generator.next(r); ++i) {
    auto to_sqlite = post(lite.port(), r);
    auto to_clickhouse = post(i % 2 ? b.port() : a.port(), r);  // the load balancer
    ASSERT_TRUE(to_sqlite && to_sqlite->status == 202) << (to_sqlite ? to_sqlite->body : "no answer");
    ASSERT_TRUE(to_clickhouse && to_clickhouse->status == 202) << (to_clickhouse ? to_clickhouse->body : "no answer");
    sent += static_cast<std::int64_t>(r.events);
    if (r.body.contains("visitor_id") && r.events > consented_events) {
      consented = r.body["visitor_id"];
      consented_events = r.events;
    }
  }
  // A retried batch (same client event ids) is stored once on both sides.
  EventGenerator again(stream(4000));
  ASSERT_TRUE(again.next(r));
  ASSERT_EQ(post(lite.port(), r)->status, 202);
  ASSERT_EQ(post(b.port(), r)->status, 202);

  const json summary = get(lite.port(), "/v1/stats/demo/summary");
  EXPECT_EQ(summary["events"].get<std::int64_t>() + summary["bot_events"].get<std::int64_t>(), sent);
  // The numbers are not trivially equal: the stream exercises every report.
  const json experiments = get(lite.port(), "/v1/stats/demo/experiments");
  EXPECT_GT(experiments["experiments"][1]["variants"][0]["visitors"].get<int>(), 0) << experiments.dump();
  EXPECT_GT(experiments["experiments"][1]["variants"][1]["conversions"].get<int>(), 0);
  EXPECT_GT(get(lite.port(), "/v1/stats/demo/attribution")["conversions"].get<int>(), 0);
  EXPECT_GT(get(lite.port(), "/v1/stats/demo/funnel")["stages"][2]["visitors"].get<int>(), 0);
  EXPECT_GT(get(lite.port(), "/v1/stats/demo/personalization")["rows"].size(), 5u);

  expect_same_reports(lite.port(), {a.port(), b.port()});

  // Erasure of one consented id on both sides: nothing of it is left in any ClickHouse table,
  // and the reports still agree.
  ASSERT_FALSE(consented.empty());
  const std::string hash = server_->query("SELECT any(visitor) FROM " + database +
                                          ".events WHERE visitor_id = '" + consented + "'");
  ASSERT_FALSE(hash.empty());
  for (int port : {lite.port(), a.port()}) {
    httplib::Client client("127.0.0.1", port);
    auto res = client.Delete(("/v1/admin/sites/demo/visitors/" + consented).c_str(),
                             {{"Authorization", std::string("Bearer ") + testing::kAdminToken}});
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    EXPECT_GT(json::parse(res->body)["events"].get<int>(), 0);
  }
  for (const char* table : {"events", "bot_events"}) {
    EXPECT_EQ(server_->query("SELECT count() FROM " + database + "." + table + " WHERE visitor_id = '" + consented +
                             "' OR visitor = " + hash.substr(0, hash.find('\n'))),
              "0\n")
        << table;
  }
  // The other tables hold rules, salts and keys — nothing per visitor.
  EXPECT_EQ(server_->query("SELECT count() FROM system.columns WHERE database = '" + database +
                           "' AND name IN ('visitor', 'visitor_id')"),
            "4\n");
  EXPECT_EQ(get(b.port(), "/v1/admin/sites/demo/visitors/" + consented + "/export")["count"], 0);
  expect_same_reports(lite.port(), {a.port(), b.port()});
}

TEST_F(ClickHouseStore, AnOutageLosesNoAcknowledgedEvent) {
  TempDir dir;
  TrackerOptions o = options(dir, server_->store_url(database));
  RunningServer tracker(o);
  EventGenerator generator(stream(600));
  std::vector<GeneratedRequest> requests;
  GeneratedRequest r;
  std::int64_t humans = 0, bots = 0;
  while (generator.next(r)) {
    (r.user_agent.find("bot") != std::string::npos ? bots : humans) += static_cast<std::int64_t>(r.events);
    requests.push_back(r);
  }
  // ClickHouse goes away mid-stream: the tracker keeps acknowledging, from its spool.
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (i == requests.size() / 3) server_->stop();
    auto res = post(tracker.port(), requests[i]);
    ASSERT_TRUE(res && res->status == 202) << i << " " << (res ? res->body : "no answer");
  }
  const auto spool = std::filesystem::path(o.data_dir) / "clickhouse-spool";
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(spool)) files += entry.path().extension() == ".spool";
  EXPECT_GT(files, 0u);

  // Back again: the spool drains, every event arrives, none twice.
  ASSERT_TRUE(server_->restart());
  const std::string expected = std::to_string(humans) + "\n";
  EXPECT_EQ(wait_for_events(*server_, database, humans), expected);
  EXPECT_EQ(server_->query("SELECT uniqExact(event_id) FROM " + database + ".events"), expected);
  EXPECT_EQ(server_->query("SELECT count() FROM " + database + ".bot_events"), std::to_string(bots) + "\n");
  files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(spool)) files += entry.path().extension() == ".spool";
  EXPECT_EQ(files, 0u);
}

TEST_F(ClickHouseStore, AFullSpoolRefusesInsteadOfAcknowledging) {
  TempDir dir;
  TrackerOptions o = options(dir, server_->store_url(database));
  o.clickhouse_spool_bytes = 64 * 1024;
  RunningServer tracker(o);
  server_->stop();
  EventGenerator generator(stream(2000));
  GeneratedRequest r;
  int accepted = 0, refused = 0;
  while (generator.next(r) && refused == 0) {
    auto res = post(tracker.port(), r);
    ASSERT_TRUE(res);
    if (res->status == 202) ++accepted;
    if (res->status == 503) {
      ++refused;
      EXPECT_FALSE(res->get_header_value("Retry-After").empty());
    }
  }
  EXPECT_GT(accepted, 0);
  EXPECT_EQ(refused, 1);
  ASSERT_TRUE(server_->restart());
}

// Five pageviews with client event ids, from a browser (bots go to another table).
std::string five_pageviews(const std::string& prefix) {
  json events = json::array();
  for (int i = 0; i < 5; ++i) {
    events.push_back({{"type", "pageview"}, {"id", prefix + std::to_string(i)}, {"url", "https://shop.example/p"}});
  }
  return json{{"site", "demo"}, {"events", events}}.dump();
}

httplib::Result post_body(int port, const std::string& body) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  return client.Post("/v1/collect", {{"User-Agent", testing::kChrome}}, body, "application/json");
}

// Sends five pageviews to a tracker whose ClickHouse sits behind a FaultyProxy that `arm`
// tells what to spoil; returns how many INSERTs reached the proxy. The spool stays in `dir`.
int inserts_through_fault(ClickHouseStore& suite, const TempDir& dir, const std::function<void(FaultyProxy&)>& arm) {
  FaultyProxy proxy(suite.server().http_port());
  RunningServer tracker(suite.options(dir, proxy.store_url(suite.database)));
  proxy.inserts = 0;
  arm(proxy);
  auto res = post_body(tracker.port(), five_pageviews("fault-"));
  EXPECT_TRUE(res && res->status == 202) << (res ? res->body : "no answer");
  return proxy.inserts.load();
}

TEST_F(ClickHouseStore, ARefusedInsertIsRetriedInsteadOfSpooled) {
  TempDir dir;
  // The refused attempt, then the retry.
  EXPECT_EQ(inserts_through_fault(*this, dir, [](FaultyProxy& p) { p.refuse = 1; }), 2);
  EXPECT_EQ(server_->query("SELECT count(), uniqExact(event_id) FROM " + database + ".events"), "5\t5\n");
  EXPECT_EQ(spool_files(dir.str("data")), 0u);
}

TEST_F(ClickHouseStore, AnInsertWhoseAnswerIsLostIsStoredOnce) {
  TempDir dir;
  // ClickHouse applied the insert; the tracker, left without an answer, found its batch there
  // instead of sending it again.
  EXPECT_EQ(inserts_through_fault(*this, dir, [](FaultyProxy& p) { p.lose_answer = 1; }), 1);
  EXPECT_EQ(server_->query("SELECT count(), uniqExact(event_id) FROM " + database + ".events"), "5\t5\n");
  EXPECT_EQ(spool_files(dir.str("data")), 0u);
}

TEST_F(ClickHouseStore, TheSpoolOutlivesTheTrackerThatAcknowledged) {
  TempDir dir;
  TrackerOptions o = options(dir, server_->store_url(database));
  {
    RunningServer tracker(o);
    server_->stop();
    for (int i = 0; i < 4; ++i) {
      auto res = post_body(tracker.port(), five_pageviews("spooled-" + std::to_string(i) + "-"));
      ASSERT_TRUE(res && res->status == 202) << (res ? res->body : "no answer");
    }
    EXPECT_GT(spool_files(o.data_dir), 0u);
  }  // this tracker stops while ClickHouse is still down: 20 acknowledged events only on its disk

  ASSERT_TRUE(server_->restart());
  RunningServer next(o);  // a new process on the same data folder delivers them
  EXPECT_EQ(wait_for_events(*server_, database, 20), "20\n");
  EXPECT_EQ(server_->query("SELECT uniqExact(event_id) FROM " + database + ".events"), "20\n");
  EXPECT_EQ(spool_files(o.data_dir), 0u);
}

// A database left by schema 1 (`type` a String) and a spool file from before the spool had a
// format (JSONEachRow lines): a tracker of this version converts the tables in place, delivers
// the old spool, and every row — old and new — is counted.
TEST_F(ClickHouseStore, ASchemaOneDatabaseAndItsOldSpoolKeepWorking) {
  const std::int64_t hour_ago = now_millis() - 3'600'000;
  server_->query("CREATE DATABASE " + database);
  for (const char* table : {"events", "bot_events"}) {
    const std::string ddl = "CREATE TABLE " + database + "." + table +
                            " (site String, event_id String, type String, name String, ts Int64, client_ts Int64, "
                            "received Int64, visitor UInt64, visitor_id String, host String, path String, landing_path "
                            "String, referrer_host String, referrer_category String, referrer_source String, utm_source "
                            "String, utm_medium String, utm_campaign String, utm_term String, utm_content String, "
                            "device_type String, os String, browser String, country String, region String, city String, "
                            "language String, timezone String, visit_first Int8, visit_count Int64, journey_stage "
                            "String, slot String, experiment String, variant String, value Float64, has_value UInt8, "
                            "value_micro Int64, props String, context String, t_first_category String, t_first_source "
                            "String, t_first_campaign String, t_last_category String, t_last_source String, "
                            "t_last_campaign String, t_category Array(String), t_source Array(String), t_campaign "
                            "Array(String), batch String) ENGINE = MergeTree PARTITION BY intDiv(ts, 2592000000) ORDER "
                            "BY (site, ts)";
    server_->query(ddl);
  }
  ASSERT_EQ(server_->query("SELECT type FROM system.columns WHERE database = '" + database +
                           "' AND table = 'events' AND name = 'type'"),
            "String\n");
  server_->query("INSERT INTO " + database + ".events (site, event_id, type, ts, visitor, path, visit_first, "
                 "visit_count) VALUES ('demo', 'old-1', 'pageview', " + std::to_string(hour_ago) + ", 42, '/old', 1, 1)");

  TempDir dir;
  TrackerOptions o = options(dir, server_->store_url(database));
  const auto spool = std::filesystem::path(o.data_dir) / "clickhouse-spool";
  std::filesystem::create_directories(spool);
  {
    std::ofstream f(spool / "00000000000000000000.spool", std::ios::binary);
    f << R"({"table":"events","batch":"0123456789abcdef01234567","rows":1})" << "\n"
      << json{{"site", "demo"}, {"event_id", "old-2"}, {"type", "pageview"}, {"ts", hour_ago + 1000},
              {"visitor", 42}, {"path", "/old\tspooled"}, {"visit_first", 1}, {"visit_count", 1},
              {"batch", "0123456789abcdef01234567"}}
             .dump()
      << "\n";
  }
  RunningServer tracker(o);
  for (const char* table : {"events", "bot_events"}) {
    EXPECT_EQ(server_->query("SELECT type = 'Enum8(\\'pageview\\' = 1, \\'event\\' = 2, \\'exposure\\' = 3, "
                             "\\'conversion\\' = 4)' FROM system.columns WHERE database = '" + database +
                             "' AND table = '" + table + "' AND name = 'type'"),
              "1\n")
        << table;
  }
  ASSERT_EQ(wait_for_events(*server_, database, 2), "2\n");
  EXPECT_EQ(server_->query("SELECT path FROM " + database + ".events WHERE event_id = 'old-2'"), "/old\\tspooled\n");

  auto res = post_body(tracker.port(), five_pageviews("new-"));
  ASSERT_TRUE(res && res->status == 202) << (res ? res->body : "no answer");
  const json summary = get(tracker.port(), "/v1/stats/demo/summary");
  EXPECT_EQ(summary["events"], 7) << summary.dump();
  EXPECT_EQ(summary["pageviews"], 7) << summary.dump();
}

// Values with tabs, newlines, backslashes and quotes survive the TabSeparated rows: the export
// of a consented visitor gives back what the SQLite tracker gives back.
TEST_F(ClickHouseStore, AwkwardTextRoundTripsThroughTabSeparatedRows) {
  TempDir lite_dir, ch_dir;
  RunningServer lite(options(lite_dir, ""));
  RunningServer ch(options(ch_dir, server_->store_url(database)));
  const std::string odd = "tab\there\nnew line \\ back 'single' \"double\" caf\u00e9";
  json events = json::array();
  events.push_back({{"type", "pageview"}, {"id", "odd-1"}, {"url", "https://shop.example/odd?x=1"}});
  events.push_back({{"type", "event"}, {"id", "odd-2"}, {"name", "note"}, {"props", {{"text", odd}}}});
  events.push_back({{"type", "conversion"}, {"id", "odd-3"}, {"name", "purchase"}, {"props", {{"value", 12.25}}}});
  const std::string body = json{{"site", "demo"}, {"visitor_id", "odd-visitor-1"}, {"events", events}}.dump();
  for (int port : {lite.port(), ch.port()}) {
    auto res = post_body(port, body);
    ASSERT_TRUE(res && res->status == 202) << (res ? res->body : "no answer");
  }
  const std::string path = "/v1/admin/sites/demo/visitors/odd-visitor-1/export";
  const json expected = get(lite.port(), path);
  const json actual = get(ch.port(), path);
  ASSERT_EQ(expected["count"], 3) << expected.dump();
  ASSERT_EQ(actual["count"], 3) << actual.dump();
  // By id (events of one request may share a time), without what each tracker's clock set.
  auto by_id = [](const json& list) {
    std::map<std::string, json> out;
    for (json e : list) {
      for (const char* clock : {"received", "ts", "client_ts"}) e.erase(clock);
      out[e["id"].get<std::string>()] = e;
    }
    return out;
  };
  EXPECT_EQ(by_id(actual["events"]), by_id(expected["events"]));
  EXPECT_NE(actual.dump().find("tab\\there"), std::string::npos) << actual.dump();
  EXPECT_EQ(get(ch.port(), "/v1/stats/demo/events"), get(lite.port(), "/v1/stats/demo/events"));
}

}  // namespace
}  // namespace ithaca::tracker
