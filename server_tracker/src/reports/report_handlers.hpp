// The HTTP side of reports and of a visitor's data: GET /v1/stats/{site}/{report} (every report
// but the tracker's own "summary"), DELETE /v1/admin/sites/{site}/visitors/{id} and
// GET /v1/admin/sites/{site}/visitors/{id}/export. The callers (stats_handler.cpp,
// admin_handler.cpp) have checked the bearer token and the site already.
#pragma once

#include <string_view>

#include "ithaca/tracker/http_types.hpp"
#include "tracker_state.hpp"

namespace ithaca::tracker {

HttpResponse handle_report(Tracker::State& state, const HttpRequest& request, const SiteConfig& site,
                           std::string_view report);

// `rest` is "visitors/{id}" or "visitors/{id}/export".
HttpResponse handle_visitor_data(Tracker::State& state, const HttpRequest& request, const SiteConfig& site,
                                 std::string_view rest);

// Activates, for every site, the version the shared control store holds as active when it
// differs from the one this tracker serves (another tracker published or rolled back).
void refresh_shared_rules(Tracker::State& state);

}  // namespace ithaca::tracker
