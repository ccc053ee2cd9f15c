#include "ithaca/tracker/options.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using testing::TempDir;

ParseOutcome parse(std::vector<const char*> args, TrackerOptions& out, std::string& message,
                   std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), "ithaca-tracker");
  return parse_command_line(static_cast<int>(args.size()), args.data(),
                            [&env](const char* name) -> const char* {
                              auto it = env.find(name);
                              return it == env.end() ? nullptr : it->second.c_str();
                            },
                            out, message);
}

TEST(Options, DefaultsMatchTheDesign) {
  TrackerOptions o;
  std::string message;
  ASSERT_EQ(parse({}, o, message), ParseOutcome::Run) << message;
  EXPECT_EQ(o.host, "127.0.0.1");
  EXPECT_EQ(o.port, 8080);
  EXPECT_EQ(o.data_dir, "data");
  EXPECT_TRUE(o.sync_full);
  apply_defaults(o, "");
  ASSERT_EQ(o.sites.size(), 1u);
  EXPECT_EQ(o.sites[0].id, "demo");
  EXPECT_NE(o.sites[0].rules_file.find("demo_site/rules/demo.json"), std::string::npos);
}

TEST(Options, FlagsInBothSpellingsOverrideTheEnvironment) {
  TrackerOptions o;
  std::string message;
  ASSERT_EQ(parse({"--host", "0.0.0.0", "--port=9090", "--data", "/tmp/x", "--admin-token",
                   "0123456789abcdef0123", "--geo-db", "g.mmdb", "--trust-proxy", "--sync", "normal",
                   "--rate-limit", "0", "--threads", "4", "--max-batch", "10"},
                  o, message, {{"ITHACA_PORT", "7070"}, {"ITHACA_HOST", "10.0.0.1"}}),
            ParseOutcome::Run)
      << message;
  EXPECT_EQ(o.host, "0.0.0.0");
  EXPECT_EQ(o.port, 9090);
  EXPECT_EQ(o.data_dir, "/tmp/x");
  EXPECT_EQ(o.admin_token, "0123456789abcdef0123");
  EXPECT_EQ(o.geo_db, "g.mmdb");
  EXPECT_TRUE(o.trust_proxy);
  EXPECT_FALSE(o.sync_full);
  EXPECT_EQ(o.rate_limit_per_second, 0);
  EXPECT_EQ(o.threads, 4);
  EXPECT_EQ(o.limits.max_events_per_batch, 10u);
}

TEST(Options, EnvironmentVariables) {
  TrackerOptions o;
  std::string message;
  ASSERT_EQ(parse({}, o, message,
                  {{"ITHACA_PORT", "7070"}, {"ITHACA_ADMIN_TOKEN", "env-token-0123456789"},
                   {"ITHACA_DATA", "/var/lib/ithaca"}, {"ITHACA_TRUST_PROXY", "1"}}),
            ParseOutcome::Run)
      << message;
  EXPECT_EQ(o.port, 7070);
  EXPECT_EQ(o.admin_token, "env-token-0123456789");
  EXPECT_EQ(o.data_dir, "/var/lib/ithaca");
  EXPECT_TRUE(o.trust_proxy);
}

TEST(Options, BadInputIsAnErrorNamingTheOption) {
  struct Case {
    std::vector<const char*> args;
    const char* expected;
  };
  const Case cases[] = {
      {{"--port", "70000"}, "--port"},       {{"--port", "80x"}, "--port"},
      {{"--port"}, "needs a value"},         {{"--bogus"}, "unknown option --bogus"},
      {{"--admin-token", "short"}, "16"},    {{"--sync", "sometimes"}, "--sync"},
      {{"--trust-proxy=yes"}, "takes no value"}, {{"--threads", "1"}, "--threads"},
      {{"--config", "/no/such/file.json"}, "cannot read"},
  };
  for (const auto& c : cases) {
    TrackerOptions o;
    std::string message;
    EXPECT_EQ(parse(c.args, o, message), ParseOutcome::Error) << c.args[0];
    EXPECT_NE(message.find(c.expected), std::string::npos) << message;
  }
  TrackerOptions o;
  std::string message;
  EXPECT_EQ(parse({}, o, message, {{"ITHACA_PORT", "-1"}}), ParseOutcome::Error);
  EXPECT_NE(message.find("ITHACA_PORT"), std::string::npos);
}

TEST(Options, HelpListsEveryFlag) {
  TrackerOptions o;
  std::string message;
  EXPECT_EQ(parse({"--help"}, o, message), ParseOutcome::Help);
  for (const char* flag : {"--host", "--port", "--data", "--admin-token", "--config", "--geo-db", "ITHACA_ADMIN_TOKEN"}) {
    EXPECT_NE(message.find(flag), std::string::npos) << flag;
  }
}

TEST(Options, SitesFileResolvesRulesNextToIt) {
  TrackerOptions o;
  std::string message;
  ASSERT_EQ(parse({"--config", testing::fixture("sites.json").c_str()}, o, message), ParseOutcome::Run) << message;
  ASSERT_EQ(o.sites.size(), 2u);
  EXPECT_EQ(o.sites[0].id, "shop");
  EXPECT_EQ(o.sites[0].allowed_origins, std::vector<std::string>{"https://shop.example"});
  EXPECT_EQ(o.sites[0].retention_days, 30);
  EXPECT_EQ(o.sites[0].rules_file, testing::fixture("rules_shop.json"));
  EXPECT_EQ(o.sites[1].retention_days, 0);
  apply_defaults(o, "");
  EXPECT_EQ(o.sites.size(), 2u);  // no demo site added
}

TEST(Options, SitesFileErrorsAreSpecific) {
  TempDir dir;
  const std::pair<const char*, const char*> cases[] = {
      {"[]", "not a JSON object"},
      {R"({"sites":[]})", "non-empty"},
      {R"({"sites":[{"id":"a b"}]})", ".id"},
      {R"({"sites":[{"id":"a"},{"id":"a"}]})", "duplicate"},
      {R"({"sites":[{"id":"a","origins":["shop.example"]}]})", "origins"},
      {R"({"sites":[{"id":"a","origins":["https://x/path"]}]})", "origins"},
      {R"({"sites":[{"id":"a","retention_days":-1}]})", "retention_days"},
      {R"({"sites":[{"id":"a","colour":"red"}]})", "unknown key \"colour\""},
      {R"({"sites":[{"id":"a"}],"extra":1})", "unknown key \"extra\""},
      {R"({"sites":[{"origins":[]}]})", ".id is required"},
      {R"({"sites":[{"id":"a",}]})", "invalid JSON at line 1, column 21"},  // where, not "not an object"
      {"{\"sites\":[{\"id\":\"a\"}],\n \"sites\":[{\"id\":\"b\"}]}", "line 2, column 2: duplicate object key \"sites\""},
  };
  for (const auto& [text, expected] : cases) {
    const std::string path = dir.str("sites.json");
    std::ofstream(path) << text;
    std::vector<SiteConfig> sites;
    Status s = load_sites_file(path, sites);
    EXPECT_FALSE(s) << text;
    EXPECT_NE(s.message().find(expected), std::string::npos) << text << " → " << s.message();
  }
}

}  // namespace
}  // namespace ithaca::tracker
