#include "test_support.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "logger.hpp"

namespace ithaca::tracker::testing {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          ("ithaca-tracker-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
           std::to_string(random()));
  std::filesystem::create_directories(path_);
  set_log_enabled(false);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::str(const char* child) const { return child ? (path_ / child).string() : path_.string(); }

std::string fixture(const std::string& name) { return std::string(ITHACA_TRACKER_FIXTURES) + "/" + name; }

bool build_test_mmdb(const std::string& out) {
  if (std::system("perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null") != 0) return false;
  const std::string command = "perl '" + fixture("make_test_mmdb.pl") + "' '" + out + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return true;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TrackerOptions test_options(const TempDir& dir) {
  TrackerOptions o;
  o.port = 0;
  o.data_dir = dir.str("data");
  o.admin_token = kAdminToken;
  o.rate_limit_per_second = 0;
  o.threads = 8;
  o.static_dir = fixture("static");
  o.sdk_dir = "";
  SiteConfig shop;
  shop.id = "shop";
  shop.allowed_origins = {"https://shop.example"};
  shop.rules_file = fixture("rules_shop.json");
  o.sites.push_back(shop);
  SiteConfig blog;
  blog.id = "blog";
  o.sites.push_back(blog);
  return o;
}

HttpRequest request(std::string method, std::string path, std::string body, Headers headers) {
  HttpRequest r;
  r.method = std::move(method);
  auto q = path.find('?');
  if (q != std::string::npos) {
    std::string query = path.substr(q + 1);
    path.resize(q);
    std::istringstream parts(query);
    std::string part;
    while (std::getline(parts, part, '&')) {
      auto eq = part.find('=');
      r.query.emplace_back(part.substr(0, eq), eq == std::string::npos ? "" : part.substr(eq + 1));
    }
  }
  r.path = std::move(path);
  r.body = std::move(body);
  r.remote_ip = "203.0.113.7";
  r.headers.emplace_back("user-agent", kChrome);
  for (const auto& [name, value] : headers) {
    bool replaced = false;
    for (auto& [n, v] : r.headers) {
      if (n == name) {
        v = value;
        replaced = true;
      }
    }
    if (!replaced) r.headers.emplace_back(name, value);
  }
  if (!r.body.empty() && !r.has_header("content-type")) r.headers.emplace_back("content-type", "application/json");
  return r;
}

HttpRequest admin_request(std::string method, std::string path, std::string body) {
  return request(std::move(method), std::move(path), std::move(body),
                 {{"authorization", std::string("Bearer ") + kAdminToken}});
}

nlohmann::json json_of(const HttpResponse& response) {
  return nlohmann::json::parse(response.body, nullptr, false);
}

std::string pageview_batch(const std::string& site, const std::string& id_prefix, int n) {
  nlohmann::json events = nlohmann::json::array();
  for (int i = 0; i < n; ++i) {
    events.push_back({{"type", "pageview"},
                      {"id", id_prefix + "-" + std::to_string(i)},
                      {"url", "https://shop.example/p/" + std::to_string(i % 7)}});
  }
  return nlohmann::json({{"site", site}, {"events", events}}).dump();
}

}  // namespace ithaca::tracker::testing
