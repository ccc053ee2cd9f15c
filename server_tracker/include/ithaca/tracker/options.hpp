// Everything the tracker can be told: command-line flags, their environment variables and the
// sites file (--config). parse_command_line() never exits the process; main() decides.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ithaca/tracker/status.hpp"

namespace ithaca::tracker {

struct SiteConfig {
  std::string id;                            // [A-Za-z0-9._-]{1,64}
  std::vector<std::string> allowed_origins;  // "scheme://host[:port]"; "*" allows any origin
  int retention_days = 395;                  // 0 keeps events forever
  std::string rules_file;                    // published at start when it changed; may be empty
  std::string timezone;                      // [reports] IANA zone of report days/hours; "" = UTC
};

struct RequestLimits {
  std::size_t max_body_bytes = 1u << 20;     // collect/decide/admin bodies
  std::size_t max_events_per_batch = 500;
  int max_json_depth = 16;
  std::size_t max_rules_bytes = 1u << 20;
  std::size_t max_header_fields = 100;       // more get 431 (Apache's LimitRequestFields)
  // Whole-request time limits against clients that hold a request thread by trickling bytes
  // (the 5 s read timeout is per read), as Apache's mod_reqtimeout sets them by default: the
  // request line and headers within 20 s of the request's first byte; a body at 500 bytes/s on
  // average after 20 s. Not flags: a reverse proxy is the place for site-specific limits
  // (docs/operations.md, Connections); tests shorten them.
  std::int64_t header_deadline_ms = 20'000;
  std::int64_t body_grace_ms = 20'000;
  std::size_t body_min_bytes_per_second = 500;
};

struct TrackerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0 picks a free port
  std::string data_dir = "data";
  std::string admin_token;          // empty: generated once into <data>/admin-token
  std::string config_file;
  std::string geo_db;               // .mmdb; empty disables IP geolocation
  std::string static_dir;           // served at /; empty: demo_site/ when it exists
  std::string sdk_dir;              // served at /sdk/; empty: wasm_sdk/dist/browser/ when it exists
  std::string sdk_tools_dir;        // served at /sdk/tools/ (the playground's engine); empty: wasm_sdk/dist/tools/
  std::vector<SiteConfig> sites;    // from --config, else the built-in demo site
  // [reports/scale-out] "" or "sqlite": SQLite under data_dir; "clickhouse://host:port/db":
  // ClickHouse, with a bounded local spool under data_dir (clickhouse/clickhouse_reports.hpp).
  std::string store;
  std::uint64_t clickhouse_spool_bytes = 1ULL << 30;

  int threads = 32;                 // HTTP worker threads
  RequestLimits limits;
  std::size_t queue_capacity_events = 200'000;  // events waiting for the writer
  std::size_t commit_max_events = 20'000;       // events per group commit
  double rate_limit_per_second = 50;            // requests per client; 0 disables
  double rate_limit_burst = 200;
  bool trust_proxy = false;         // take the client address from X-Forwarded-For
  bool sync_full = true;            // --sync full|normal
  int rules_max_age_seconds = 60;
  bool access_log = false;
  // How often the background job applies each site's retention_days (its first pass comes
  // after this or 10 s, whichever is shorter). Not a flag: an hour suits every deployment;
  // tests shorten it to watch the job work.
  std::int64_t retention_interval_ms = 3'600'000;
};

enum class ParseOutcome { Run, Help, Error };

// Environment lookups go through `getenv` so tests can supply their own.
using EnvLookup = std::function<const char*(const char*)>;

ParseOutcome parse_command_line(int argc, const char* const* argv, const EnvLookup& getenv,
                                TrackerOptions& out, std::string& message);
std::string usage_text();

// The --config file: {"sites": [{"id", "origins", "retention_days", "rules"}]}. Relative rules
// paths are resolved against the file's folder.
Status load_sites_file(const std::string& path, std::vector<SiteConfig>& out);

// Fills in what the flags left open: the demo site, the static and SDK folders (looked up
// relative to the working directory, then to the executable's repository layout).
void apply_defaults(TrackerOptions& options, const std::string& executable_path);

}  // namespace ithaca::tracker
