#include <nlohmann/json.hpp>

#include "handlers.hpp"
#include "reports/report_handlers.hpp"  // [reports]
#include "request_guards.hpp"
#include "time_param.hpp"

namespace ithaca::tracker {

HttpResponse handle_stats(Tracker::State& state, const HttpRequest& request, std::string_view site_id,
                          std::string_view report) {
  if (request.method != "GET" && request.method != "HEAD") return method_not_allowed("GET, HEAD");
  if (auto denied = check_admin(state, request)) return *denied;
  const SiteConfig* site = state.sites->find(site_id);
  if (!site) return json_error(404, "unknown_site", "no site " + std::string(site_id) + " is configured");
  if (report != "summary") return handle_report(state, request, *site, report);  // [reports]

  // The summary counts raw events between two instants: it takes no filters (the reports do).
  for (const auto& [key, value] : request.query) {
    if (key != "from" && key != "to") {
      return json_error(400, "invalid_parameter",
                        "unknown parameter " + key + " for summary, which takes from and to (filters: timeseries)");
    }
  }
  if (auto repeated = check_repeated_parameters(request)) return *repeated;
  TimeRange range;
  for (const char* bound : {"from", "to"}) {
    bool present = false;
    std::string_view text = request.query_param(bound, &present);
    if (!present) continue;
    auto value = parse_time_param(text);
    if (!value) {
      return json_error(400, "invalid_parameter",
                        std::string(bound) + " must be epoch milliseconds, YYYY-MM-DD or an RFC 3339 UTC time");
    }
    (bound[0] == 'f' ? range.from_ms : range.to_ms) = *value;
  }
  if (range.from_ms && range.to_ms && *range.from_ms > *range.to_ms) {
    return json_error(400, "invalid_parameter", "from is after to");
  }

  Summary summary;
  if (Status s = state.events->summary(site->id, range, summary); !s) {
    state.metrics.add_store_error();
    return json_error(503, "store_unavailable", "the summary could not be computed");
  }
  nlohmann::json body = {{"site", site->id},
                         {"from", range.from_ms ? nlohmann::json(*range.from_ms) : nlohmann::json()},
                         {"to", range.to_ms ? nlohmann::json(*range.to_ms) : nlohmann::json()},
                         {"events", summary.events},
                         {"pageviews", summary.pageviews},
                         {"visitors", summary.visitors},
                         {"bot_events", summary.bot_events}};
  HttpResponse response = json_response(200, body.dump());
  response.set_header("Cache-Control", "no-store");
  return response;
}

}  // namespace ithaca::tracker
