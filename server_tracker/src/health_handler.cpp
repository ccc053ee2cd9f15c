#include "handlers.hpp"
#include "reports/report_service.hpp"  // [reports] the roll-up builder's counts
#include "request_guards.hpp"

namespace ithaca::tracker {

HttpResponse handle_healthz(Tracker::State& state, const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") return method_not_allowed("GET, HEAD");
  if (state.stopping.load()) return json_error(503, "shutting_down", "the tracker is shutting down");
  HttpResponse response = json_response(200, "{\"status\":\"ok\"}");
  response.set_header("Cache-Control", "no-store");
  return response;
}

HttpResponse handle_metrics(Tracker::State& state, const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") return method_not_allowed("GET, HEAD");
  Metrics::Gauges gauges;
  gauges.queue_events = state.writer->queued_events();
  gauges.queue_capacity = state.writer->capacity();
  gauges.rate_limited_clients = state.limiter->tracked_clients();
  if (EventStore::WalStats wal; state.events->wal_stats(wal)) {
    gauges.has_wal = true;
    gauges.wal_frames = wal.frames;
    gauges.wal_pending_frames = wal.pending_frames;
    gauges.wal_throttled_commits = wal.throttled_commits;
  }
  if (ReportService::RollupCounts rollups; state.reports && state.reports->rollup_counts(rollups)) {
    gauges.has_rollups = true;
    gauges.rollup_events_handed_over = rollups.handed_over;
    gauges.rollup_events_read = rollups.read;
    gauges.rollup_handoff_events = rollups.held;
  }
  for (const auto& site : state.sites->sites()) {
    if (auto rules = state.sites->rules(site.id)) {
      gauges.rules_versions.emplace_back(site.id, rules->version.version);
    }
  }
  HttpResponse response;
  response.status = 200;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = state.metrics.render(gauges);
  response.set_header("Cache-Control", "no-store");
  return response;
}

HttpResponse handle_preflight(Tracker::State& state, const HttpRequest& request) {
  // The preflight carries no body, so the site is unknown: an origin any site allows passes,
  // and the actual request is checked against its own site.
  std::string_view origin = request.header("origin");
  bool allowed = false;
  for (const auto& site : state.sites->sites()) {
    allowed = allowed || origin_allowed(site, origin, request.header("host"));
  }
  if (origin.empty() || !allowed) {
    return json_error(403, "origin_not_allowed", "this origin may not call the tracker");
  }
  HttpResponse response;
  response.status = 204;
  add_cors_headers(request, response);
  response.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  // If-None-Match: the SDK revalidates its cached rule set.
  response.set_header("Access-Control-Allow-Headers", "Content-Type, If-None-Match");
  response.set_header("Access-Control-Max-Age", "86400");
  return response;
}

}  // namespace ithaca::tracker
