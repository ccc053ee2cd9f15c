// Helpers for the tracker suites: temporary folders, a tracker configured for tests (site
// "shop" with the fixture rules, rate limiting off), and request builders.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "ithaca/tracker/http_types.hpp"
#include "ithaca/tracker/options.hpp"

namespace ithaca::tracker::testing {

inline constexpr const char* kAdminToken = "test-admin-token-0123456789";
// HTTP libraries (curl, cpp-httplib, …) are classified as bots, so test traffic that should
// count as human carries a browser's User-Agent.
inline constexpr const char* kChrome =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
    "Safari/537.36";
inline constexpr const char* kFirefox =
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0";

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }
  std::string str(const char* child = nullptr) const;

 private:
  std::filesystem::path path_;
};

std::string fixture(const std::string& name);  // absolute path of tests/tracker/fixtures/NAME

// Writes the MMDB fixture (fixtures/make_test_mmdb.pl) to `out`. Returns false only when
// Debian's libmaxmind-db-writer-perl is missing (the caller skips); if the module is there but
// the script fails, that is a failure of the calling test, not a skip.
bool build_test_mmdb(const std::string& out);
std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

TrackerOptions test_options(const TempDir& dir);

using Headers = std::initializer_list<std::pair<std::string, std::string>>;
HttpRequest request(std::string method, std::string path, std::string body = {}, Headers headers = {});
HttpRequest admin_request(std::string method, std::string path, std::string body = {});
nlohmann::json json_of(const HttpResponse& response);

// A collect body for `n` pageviews with ids prefix-0 … prefix-(n-1).
std::string pageview_batch(const std::string& site, const std::string& id_prefix, int n);

}  // namespace ithaca::tracker::testing
