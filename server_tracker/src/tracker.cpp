#include "ithaca/tracker/tracker.hpp"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "handlers.hpp"
#include "committed_events.hpp"
#include "ithaca/tracker/sqlite_store.hpp"
#include "logger.hpp"
#include "random_bytes.hpp"
#include "request_guards.hpp"
#include "sqlite_control_store.hpp"
#include "thread_name.hpp"
#include "clickhouse/clickhouse_reports.hpp"  // [reports] --store clickhouse://…
#include "reports/report_handlers.hpp"        // [reports] shared rules refresh
#include "reports/rollup_builder.hpp"         // [reports] the committed events' hand-off

namespace ithaca::tracker {
namespace fs = std::filesystem;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream content;
  content << in.rdbuf();
  out = content.str();
  return true;
}

// The admin token: given, or generated once and kept (mode 0600) in the data folder.
Status resolve_admin_token(const TrackerOptions& options, std::string& token) {
  if (!options.admin_token.empty()) {
    token = options.admin_token;
    return Status::ok();
  }
  const std::string path = (fs::path(options.data_dir) / "admin-token").string();
  if (read_file(path, token)) {
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
    if (!token.empty()) return Status::ok();
  }
  token = to_hex(random_bytes(24));
  const mode_t old_mask = ::umask(077);
  std::ofstream out(path, std::ios::trunc);
  out << token << "\n";
  out.close();
  ::umask(old_mask);
  if (!out) return Status::error("cannot write " + path);
  log_info("admin token generated", {{"file", path}});
  return Status::ok();
}

// Publishes a site's rules file when its content differs from what the file last published.
void publish_rules_file(Tracker::State& state, const SiteConfig& site) {
  if (site.rules_file.empty()) return;
  std::string body;
  if (!read_file(site.rules_file, body)) {
    log_warn("rules file not found; the site serves no rules until some are published",
             {{"site", site.id}, {"file", site.rules_file}});
    return;
  }
  RuleVersion last;
  bool found = false;
  if (Status s = state.control->latest_rules_from(site.id, "file", last, found); !s) {
    log_error("cannot read rule versions", {{"site", site.id}, {"error", s.message()}});
    return;
  }
  if (found && last.content_hash == content_hash(body)) return;
  RuleVersion published;
  std::vector<ithaca::Error> errors;
  if (Status s = publish_rules(state, site, body, "file", published, errors); !s) {
    for (const auto& e : errors) {
      log_error("invalid rules file", {{"site", site.id}, {"file", site.rules_file}, {"path", e.path},
                                       {"message", e.message}});
    }
    if (errors.empty()) log_error("cannot publish rules file", {{"site", site.id}, {"error", s.message()}});
  }
}

// Salt rotation and the rate limiter's sweep. Retention is the report service's job
// (reports/report_service.hpp): it cuts whole local days and the roll-ups with them, so that
// reports and stored events never disagree.
void run_maintenance(Tracker::State& state) {
  name_this_thread("ithaca-maint");
  std::unique_lock<std::mutex> lock(state.maintenance_mutex);
  while (!state.maintenance_stop) {
    lock.unlock();
    const std::int64_t now = now_ms();
    if (Status s = state.hasher->rotate(now); !s) log_error("salt rotation failed", {{"error", s.message()}});
    state.limiter->sweep(now);
    lock.lock();
    state.maintenance_cv.wait_for(lock, std::chrono::seconds(30), [&] { return state.maintenance_stop; });
  }
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::optional<HttpResponse> route_request(Tracker::State& state, const HttpRequest& request, Route& route,
                                          const AnswerLater* later) {
  const std::string_view path = request.path;
  if (path == "/healthz") {
    route = Route::Healthz;
    return handle_healthz(state, request);
  }
  if (path == "/metrics") {
    route = Route::Metrics;
    return handle_metrics(state, request);
  }
  if (path.rfind("/v1/", 0) == 0) {
    if (request.method == "OPTIONS") {
      route = Route::Preflight;
      return handle_preflight(state, request);
    }
    if (state.stopping.load()) {
      route = Route::Other;
      HttpResponse response = json_error(503, "shutting_down", "the tracker is shutting down");
      response.set_header("Retry-After", "5");
      return response;
    }
    const auto parts = split_path(path.substr(4));
    if (parts.size() == 1 && parts[0] == "collect") {
      route = Route::Collect;
      return handle_collect(state, request, later);
    }
    if (parts.size() == 2 && parts[0] == "rules") {
      route = Route::Rules;
      return handle_rules(state, request, parts[1]);
    }
    if (parts.size() == 1 && parts[0] == "decide") {
      route = Route::Decide;
      return handle_decide(state, request);
    }
    if (parts.size() == 1 && parts[0] == "context") {
      route = Route::Context;
      return handle_context(state, request);
    }
    if (parts.size() == 3 && parts[0] == "stats") {
      route = Route::Stats;
      return handle_stats(state, request, parts[1], parts[2]);
    }
    if (parts.size() >= 4 && parts[0] == "admin" && parts[1] == "sites") {
      route = Route::Admin;
      const std::size_t prefix = 4 + 6 + 6 + parts[2].size() + 1;  // "/v1/" "admin/" "sites/" site "/"
      return handle_admin_site(state, request, parts[2], path.substr(prefix));
    }
    route = Route::Other;
    return json_error(404, "not_found", "no such endpoint");
  }

  route = Route::Static;
  if (request.method != "GET" && request.method != "HEAD") return method_not_allowed("GET, HEAD");
  // The tools engine for pages that edit rules (the playground): not part of what a page with
  // the SDK downloads (docs/compiled-rules.md).
  if (path.rfind("/sdk/tools/", 0) == 0) {
    if (!state.sdk_tools_root) return json_error(404, "not_found", "the SDK's tools engine is not built");
    return state.sdk_tools_root->serve(request, path.substr(10));
  }
  if (path == "/sdk" || path.rfind("/sdk/", 0) == 0) {
    if (!state.sdk_root) return json_error(404, "not_found", "the SDK is not built");
    return state.sdk_root->serve(request, path.substr(4));
  }
  if (!state.static_root) return json_error(404, "not_found", "no such file");
  return state.static_root->serve(request, path);
}

}  // namespace

Tracker::Tracker(std::unique_ptr<State> state) : state_(std::move(state)) {}

Tracker::~Tracker() { shutdown(); }

std::unique_ptr<Tracker> Tracker::create(TrackerOptions options, std::string& error) {
  auto state = std::make_unique<State>();
  State& s = *state;
  s.options = std::move(options);
  const TrackerOptions& o = s.options;

  std::error_code ec;
  fs::create_directories(o.data_dir, ec);
  if (!fs::is_directory(o.data_dir, ec)) {
    error = "cannot create the data folder " + o.data_dir;
    return nullptr;
  }
  if (Status st = resolve_admin_token(o, s.admin_token); !st) {
    error = st.message();
    return nullptr;
  }

  s.collect_limits.max_body_bytes = o.limits.max_body_bytes;
  s.collect_limits.max_events = o.limits.max_events_per_batch;
  s.collect_limits.max_depth = o.limits.max_json_depth;

  SqliteOptions sqlite;
  sqlite.path = (fs::path(o.data_dir) / "ithaca.db").string();
  sqlite.synchronous_full = o.sync_full;
  // [reports] --store clickhouse://… opens the ClickHouse stores instead (scale-out).
  const bool clickhouse = is_clickhouse_store(o.store);
  // The writer hands what it commits to the roll-up builder (committed_events.hpp); it holds
  // as many events as the builder reads from the table at a time.
  if (!clickhouse) sqlite.committed = std::make_shared<CommittedEvents>(RollupBuilderOptions{}.chunk_events);
  SqliteStores stores = clickhouse ? open_clickhouse_stores(o, error) : open_sqlite_stores(sqlite, error);
  if (!stores.events) return nullptr;
  s.events = std::move(stores.events);
  s.control = std::move(stores.control);

  if (!o.geo_db.empty()) {
    s.geo = GeoDatabase::open(o.geo_db, error);
    if (!s.geo) return nullptr;
  }
  s.hasher = std::make_unique<VisitorHasher>(*s.control);
  if (Status st = s.hasher->rotate(now_ms()); !st) {
    error = "cannot prepare the daily salt: " + st.message();
    return nullptr;
  }
  s.limiter = std::make_unique<RateLimiter>(o.rate_limit_per_second, o.rate_limit_burst);
  GroupCommitWriter::Options writer;
  writer.queue_capacity_events = o.queue_capacity_events;
  writer.commit_max_events = o.commit_max_events;
  s.writer = std::make_unique<GroupCommitWriter>(*s.events, writer, &s.metrics);
  s.static_root = StaticFiles::open(o.static_dir);
  s.sdk_root = StaticFiles::open(o.sdk_dir);
  s.sdk_tools_root = StaticFiles::open(o.sdk_tools_dir);
  s.sites = std::make_unique<SiteRegistry>(o.sites);

  for (const auto& site : s.sites->sites()) {
    publish_rules_file(s, site);
    if (Status st = activate_stored_rules(s, site); !st) {
      log_error("cannot activate stored rules", {{"site", site.id}, {"error", st.message()}});
    }
  }
  // [reports] reports, erasure/export and retention; trackers sharing ClickHouse also pick up
  // rules another tracker published.
  s.reports = open_report_service(s.options, *s.events, sqlite.committed, error);
  if (!s.reports) return nullptr;
  s.reports->start_retention(std::chrono::milliseconds(o.retention_interval_ms));
  if (clickhouse) {
    s.reports->start_rules_refresh([&s] { refresh_shared_rules(s); }, std::chrono::seconds(10));
  }
  s.maintenance = std::thread([&s] { run_maintenance(s); });
  return std::unique_ptr<Tracker>(new Tracker(std::move(state)));
}

namespace {

// What every answer gets, now or later: the nosniff header, the metrics, the access log line.
void finish(Tracker::State& state, HttpResponse& response, Route route, std::string_view method,
            std::chrono::steady_clock::time_point start) {
  response.set_header("X-Content-Type-Options", "nosniff");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  state.metrics.observe_request(route, response.status, seconds);
  if (state.options.access_log) {
    log_info("request", {{"method", std::string(method)},
                         {"route", route_name(route)},
                         {"status", std::to_string(response.status)},
                         {"ms", std::to_string(seconds * 1000.0)}});
  }
}

}  // namespace

HttpResponse Tracker::handle(const HttpRequest& request) { return *handle(request, AnswerLater()); }

std::optional<HttpResponse> Tracker::handle(const HttpRequest& request, const AnswerLater& later) {
  const auto start = std::chrono::steady_clock::now();
  Route route = Route::Other;
  // A late answer is finished like one given now, with the time until it was sent.
  AnswerLater finishing_later;
  if (later) {
    finishing_later = [this, &later, &route, &request, start]() -> std::function<void(HttpResponse)> {
      auto answer = later();
      if (!answer) return nullptr;
      return [state = state_.get(), answer = std::move(answer), route, method = request.method,
              start](HttpResponse response) {
        finish(*state, response, route, method, start);
        answer(std::move(response));
      };
    };
  }
  std::optional<HttpResponse> response;
  try {
    response = route_request(*state_, request, route, later ? &finishing_later : nullptr);
  } catch (const std::exception& e) {
    // Handlers validate their input; reaching this is a bug, reported without the request.
    log_error("handler failed", {{"route", route_name(route)}, {"error", e.what()}});
    response = json_error(500, "internal", "internal error");
  }
  if (response) finish(*state_, *response, route, request.method, start);
  return response;
}

void Tracker::record_external(const HttpRequest& request, int status, double seconds) {
  (void)request;
  state_->metrics.observe_request(Route::Other, status, seconds);
}

void Tracker::shutdown() {
  if (!state_) return;
  State& s = *state_;
  s.stopping.store(true);
  {
    std::lock_guard<std::mutex> lock(s.maintenance_mutex);
    s.maintenance_stop = true;
  }
  s.maintenance_cv.notify_all();
  if (s.maintenance.joinable()) s.maintenance.join();
  if (s.reports) s.reports->stop();  // [reports] background jobs end before the writer drains
  if (s.writer) s.writer->stop();  // drains: every queued batch is committed and answered
}

const TrackerOptions& Tracker::options() const { return state_->options; }
const std::string& Tracker::admin_token() const { return state_->admin_token; }

}  // namespace ithaca::tracker
