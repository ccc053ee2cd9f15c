#include "ithaca/tracker/options.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ascii.hpp"
#include "ithaca/json.hpp"

namespace ithaca::tracker {
namespace fs = std::filesystem;

namespace {

template <typename T>
bool parse_number(std::string_view text, T& out) {
  if constexpr (std::is_floating_point_v<T>) {
    try {
      std::size_t used = 0;
      double v = std::stod(std::string(text), &used);
      if (used != text.size() || !(v >= 0)) return false;
      out = static_cast<T>(v);
      return true;
    } catch (...) {
      return false;
    }
  } else {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  }
}

struct Setter {
  const char* flag;
  const char* env;  // nullptr when there is no environment variable
  bool takes_value;
  // Returns an error message, or empty on success.
  std::string (*apply)(TrackerOptions&, std::string_view);
};

std::string set_port(TrackerOptions& o, std::string_view v) {
  int port = 0;
  if (!parse_number(v, port) || port < 0 || port > 65535) return "--port must be 0..65535";
  o.port = port;
  return {};
}

std::string set_threads(TrackerOptions& o, std::string_view v) {
  int n = 0;
  if (!parse_number(v, n) || n < 2 || n > 1024) return "--threads must be 2..1024";
  o.threads = n;
  return {};
}

std::string set_size(std::size_t& field, std::string_view v, const char* flag, std::size_t min,
                     std::size_t max) {
  std::size_t n = 0;
  if (!parse_number(v, n) || n < min || n > max) {
    return std::string(flag) + " must be " + std::to_string(min) + ".." + std::to_string(max);
  }
  field = n;
  return {};
}

const Setter kSetters[] = {
    {"--host", "ITHACA_HOST", true, [](TrackerOptions& o, std::string_view v) { o.host = v; return std::string(); }},
    {"--port", "ITHACA_PORT", true, set_port},
    {"--data", "ITHACA_DATA", true, [](TrackerOptions& o, std::string_view v) { o.data_dir = v; return std::string(); }},
    {"--admin-token", "ITHACA_ADMIN_TOKEN", true,
     [](TrackerOptions& o, std::string_view v) {
       if (v.size() < 16) return std::string("--admin-token must be at least 16 characters");
       o.admin_token = v;
       return std::string();
     }},
    {"--config", "ITHACA_CONFIG", true, [](TrackerOptions& o, std::string_view v) { o.config_file = v; return std::string(); }},
    {"--geo-db", "ITHACA_GEO_DB", true, [](TrackerOptions& o, std::string_view v) { o.geo_db = v; return std::string(); }},
    {"--static", "ITHACA_STATIC", true, [](TrackerOptions& o, std::string_view v) { o.static_dir = v; return std::string(); }},
    {"--sdk", "ITHACA_SDK", true, [](TrackerOptions& o, std::string_view v) { o.sdk_dir = v; return std::string(); }},
    {"--sdk-tools", "ITHACA_SDK_TOOLS", true, [](TrackerOptions& o, std::string_view v) { o.sdk_tools_dir = v; return std::string(); }},
    {"--threads", "ITHACA_THREADS", true, set_threads},
    {"--max-body", "ITHACA_MAX_BODY", true,
     [](TrackerOptions& o, std::string_view v) {
       return set_size(o.limits.max_body_bytes, v, "--max-body", 1024, 64u << 20);
     }},
    {"--max-batch", "ITHACA_MAX_BATCH", true,
     [](TrackerOptions& o, std::string_view v) {
       return set_size(o.limits.max_events_per_batch, v, "--max-batch", 1, 100'000);
     }},
    {"--queue-capacity", "ITHACA_QUEUE_CAPACITY", true,
     [](TrackerOptions& o, std::string_view v) {
       return set_size(o.queue_capacity_events, v, "--queue-capacity", 1, 100'000'000);
     }},
    {"--commit-max", "ITHACA_COMMIT_MAX", true,
     [](TrackerOptions& o, std::string_view v) {
       return set_size(o.commit_max_events, v, "--commit-max", 1, 10'000'000);
     }},
    {"--rate-limit", "ITHACA_RATE_LIMIT", true,
     [](TrackerOptions& o, std::string_view v) {
       double r = 0;
       if (!parse_number(v, r)) return std::string("--rate-limit must be a number >= 0 (0 disables)");
       o.rate_limit_per_second = r;
       return std::string();
     }},
    {"--rate-burst", "ITHACA_RATE_BURST", true,
     [](TrackerOptions& o, std::string_view v) {
       double r = 0;
       if (!parse_number(v, r) || r < 1) return std::string("--rate-burst must be a number >= 1");
       o.rate_limit_burst = r;
       return std::string();
     }},
    {"--sync", "ITHACA_SYNC", true,
     [](TrackerOptions& o, std::string_view v) {
       if (v == "full") {
         o.sync_full = true;
       } else if (v == "normal") {
         o.sync_full = false;
       } else {
         return std::string("--sync must be full or normal");
       }
       return std::string();
     }},
    {"--rules-max-age", "ITHACA_RULES_MAX_AGE", true,
     [](TrackerOptions& o, std::string_view v) {
       int n = 0;
       if (!parse_number(v, n) || n < 0 || n > 31'536'000) return std::string("--rules-max-age must be 0..31536000");
       o.rules_max_age_seconds = n;
       return std::string();
     }},
    {"--trust-proxy", "ITHACA_TRUST_PROXY", false,
     [](TrackerOptions& o, std::string_view) { o.trust_proxy = true; return std::string(); }},
    {"--access-log", "ITHACA_ACCESS_LOG", false,
     [](TrackerOptions& o, std::string_view) { o.access_log = true; return std::string(); }},
    // [reports/scale-out] the event store and the ClickHouse spool bound (docs/scale-out.md).
    {"--store", "ITHACA_STORE", true,
     [](TrackerOptions& o, std::string_view v) {
       if (v != "sqlite" && v.rfind("clickhouse://", 0) != 0) {
         return std::string("--store must be sqlite or clickhouse://host:port/database");
       }
       o.store = v == "sqlite" ? std::string() : std::string(v);
       return std::string();
     }},
    {"--spool-max-bytes", "ITHACA_SPOOL_MAX_BYTES", true,
     [](TrackerOptions& o, std::string_view v) {
       std::size_t n = 0;
       std::string e = set_size(n, v, "--spool-max-bytes", 4096, std::size_t{1} << 40);
       if (e.empty()) o.clickhouse_spool_bytes = n;
       return e;
     }},
};

bool truthy(std::string_view v) { return v == "1" || iequals(v, "true") || iequals(v, "yes") || iequals(v, "on"); }

std::string resolve(const std::string& relative, const fs::path& repository_guess, bool want_dir) {
  std::error_code ec;
  auto exists = [&](const fs::path& p) { return want_dir ? fs::is_directory(p, ec) : fs::is_regular_file(p, ec); };
  if (exists(relative)) return relative;
  if (!repository_guess.empty() && exists(repository_guess / relative)) {
    return (repository_guess / relative).lexically_normal().string();
  }
  return {};
}

bool valid_origin(std::string_view origin) {
  if (origin == "*") return true;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.rfind(scheme, 0) == 0) {
      std::string_view host = origin.substr(scheme.size());
      return !host.empty() && host.find_first_of("/?# ") == std::string_view::npos;
    }
  }
  return false;
}

}  // namespace

std::string usage_text() {
  return R"(ithaca-tracker — Ithaca's first-party tracking endpoint

Usage: ithaca-tracker [options]

  --host HOST           address to listen on (127.0.0.1)                ITHACA_HOST
  --port N              port, 0 picks a free one (8080)                  ITHACA_PORT
  --data DIR            data folder: SQLite store, admin token (./data)  ITHACA_DATA
  --admin-token TOKEN   bearer token for /v1/admin and /v1/stats         ITHACA_ADMIN_TOKEN
                        (default: generated once into DIR/admin-token)
  --config FILE         sites file (default: the demo site)              ITHACA_CONFIG
  --geo-db FILE.mmdb    MaxMind DB for IP geolocation (off)              ITHACA_GEO_DB
  --static DIR          files served at / (demo_site/)                   ITHACA_STATIC
  --sdk DIR             files served at /sdk/ (wasm_sdk/dist/browser/)   ITHACA_SDK
  --sdk-tools DIR       files served at /sdk/tools/ (wasm_sdk/dist/tools/) ITHACA_SDK_TOOLS
  --threads N           HTTP worker threads (32)                         ITHACA_THREADS
  --max-body BYTES      largest request body (1048576)                   ITHACA_MAX_BODY
  --max-batch N         most events per collect request (500)            ITHACA_MAX_BATCH
  --queue-capacity N    events waiting for the writer before 503 (200000) ITHACA_QUEUE_CAPACITY
  --commit-max N        most events per group commit (20000)             ITHACA_COMMIT_MAX
  --rate-limit R        requests per second per client, 0 = off (50)     ITHACA_RATE_LIMIT
  --rate-burst N        burst size per client (200)                      ITHACA_RATE_BURST
  --sync full|normal    fsync each commit (full) or rely on the OS (full) ITHACA_SYNC
  --rules-max-age S     Cache-Control max-age of /v1/rules (60)          ITHACA_RULES_MAX_AGE
  --trust-proxy         client address from X-Forwarded-For              ITHACA_TRUST_PROXY=1
  --access-log          log every request (without addresses)            ITHACA_ACCESS_LOG=1
  --store STORE         sqlite, or clickhouse://host:port/db (sqlite)    ITHACA_STORE
  --spool-max-bytes N   ClickHouse spool bound when it is down (1 GiB)   ITHACA_SPOOL_MAX_BYTES
  --help                this text
)";
}

ParseOutcome parse_command_line(int argc, const char* const* argv, const EnvLookup& getenv,
                                TrackerOptions& out, std::string& message) {
  // Environment first, so flags override it.
  for (const Setter& setter : kSetters) {
    if (!setter.env) continue;
    const char* value = getenv ? getenv(setter.env) : nullptr;
    if (!value || !*value) continue;
    if (!setter.takes_value) {
      if (truthy(value)) setter.apply(out, "");
      continue;
    }
    if (std::string error = setter.apply(out, value); !error.empty()) {
      message = std::string(setter.env) + ": " + error;
      return ParseOutcome::Error;
    }
  }
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      message = usage_text();
      return ParseOutcome::Help;
    }
    std::string_view name = arg;
    std::string_view value;
    bool inline_value = false;
    if (auto eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      inline_value = true;
    }
    const Setter* setter = nullptr;
    for (const Setter& s : kSetters) {
      if (name == s.flag) setter = &s;
    }
    if (!setter) {
      message = "unknown option " + std::string(name) + " (see --help)";
      return ParseOutcome::Error;
    }
    if (setter->takes_value && !inline_value) {
      if (i + 1 >= argc) {
        message = std::string(setter->flag) + " needs a value";
        return ParseOutcome::Error;
      }
      value = argv[++i];
    } else if (!setter->takes_value && inline_value) {
      message = std::string(setter->flag) + " takes no value";
      return ParseOutcome::Error;
    }
    if (std::string error = setter->apply(out, value); !error.empty()) {
      message = error;
      return ParseOutcome::Error;
    }
  }
  if (!out.config_file.empty()) {
    if (Status s = load_sites_file(out.config_file, out.sites); !s) {
      message = s.message();
      return ParseOutcome::Error;
    }
  }
  return ParseOutcome::Run;
}

Status load_sites_file(const std::string& path, std::vector<SiteConfig>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error("cannot read the config file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  // The core's reader first: its errors say where (line and column), and it refuses a key given
  // twice, which nlohmann would let the last one win.
  if (auto checked = ithaca::parse_json(text.str()); !checked.ok()) {
    return Status::error(path + ": " + checked.error().message);
  }
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Status::error(path + ": not a JSON object");
  const fs::path base = fs::path(path).parent_path();
  for (const auto& [key, value] : doc.items()) {
    if (key != "sites") return Status::error(path + ": unknown key \"" + key + "\"");
  }
  auto sites = doc.find("sites");
  if (sites == doc.end() || !sites->is_array() || sites->empty()) {
    return Status::error(path + ": \"sites\" must be a non-empty array");
  }
  std::vector<SiteConfig> result;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < sites->size(); ++i) {
    const auto& item = (*sites)[i];
    const std::string where = path + ": sites[" + std::to_string(i) + "]";
    if (!item.is_object()) return Status::error(where + " must be an object");
    SiteConfig site;
    for (const auto& [key, value] : item.items()) {
      if (key == "id") {
        if (!value.is_string() || !is_identifier(value.get<std::string>(), 1, 64)) {
          return Status::error(where + ".id must be 1-64 characters of [A-Za-z0-9._-]");
        }
        site.id = value.get<std::string>();
      } else if (key == "origins") {
        if (!value.is_array()) return Status::error(where + ".origins must be an array of origins");
        for (const auto& origin : value) {
          if (!origin.is_string() || !valid_origin(origin.get<std::string>())) {
            return Status::error(where + ".origins: each must be \"*\" or scheme://host[:port]");
          }
          site.allowed_origins.push_back(origin.get<std::string>());
        }
      } else if (key == "retention_days") {
        if (!value.is_number_integer() || value.get<long long>() < 0 || value.get<long long>() > 36500) {
          return Status::error(where + ".retention_days must be an integer 0..36500 (0 keeps forever)");
        }
        site.retention_days = value.get<int>();
      } else if (key == "timezone") {  // [reports] checked when the tracker starts
        if (!value.is_string() || value.get<std::string>().size() > 64) {
          return Status::error(where + ".timezone must be an IANA time zone name such as \"Europe/Berlin\"");
        }
        site.timezone = value.get<std::string>();
      } else if (key == "rules") {
        if (!value.is_string()) return Status::error(where + ".rules must be a file path");
        fs::path rules = value.get<std::string>();
        site.rules_file = (rules.is_absolute() ? rules : base / rules).lexically_normal().string();
      } else {
        return Status::error(where + ": unknown key \"" + key + "\"");
      }
    }
    if (site.id.empty()) return Status::error(where + ".id is required");
    if (!seen.insert(site.id).second) return Status::error(where + ": duplicate site " + site.id);
    result.push_back(std::move(site));
  }
  out = std::move(result);
  return Status::ok();
}

void apply_defaults(TrackerOptions& options, const std::string& executable_path) {
  // build/native/bin/ithaca-tracker → the repository is three folders up.
  fs::path repository;
  if (!executable_path.empty()) {
    repository = fs::path(executable_path).parent_path() / ".." / ".." / "..";
  }
  if (options.sites.empty()) {
    SiteConfig demo;
    demo.id = "demo";
    demo.rules_file = resolve("demo_site/rules/demo.json", repository, false);
    if (demo.rules_file.empty()) demo.rules_file = "demo_site/rules/demo.json";
    options.sites.push_back(std::move(demo));
  }
  if (options.static_dir.empty()) options.static_dir = resolve("demo_site", repository, true);
  if (options.sdk_dir.empty()) options.sdk_dir = resolve("wasm_sdk/dist/browser", repository, true);
  if (options.sdk_tools_dir.empty()) options.sdk_tools_dir = resolve("wasm_sdk/dist/tools", repository, true);
}

}  // namespace ithaca::tracker
