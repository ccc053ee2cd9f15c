// One function per endpoint, each in its own file; the router in tracker.cpp picks one.
// Handlers validate everything they read and answer errors in the one JSON error shape.
#pragma once

#include <optional>
#include <string_view>

#include "ithaca/tracker/http_types.hpp"
#include "tracker_state.hpp"

namespace ithaca::tracker {

// Answers at once, or — given `later` — queues the events and answers through it once they
// are durable (returning nothing).
std::optional<HttpResponse> handle_collect(Tracker::State& state, const HttpRequest& request,
                                           const AnswerLater* later);
HttpResponse handle_rules(Tracker::State& state, const HttpRequest& request, std::string_view site);
HttpResponse handle_decide(Tracker::State& state, const HttpRequest& request);
HttpResponse handle_context(Tracker::State& state, const HttpRequest& request);
HttpResponse handle_stats(Tracker::State& state, const HttpRequest& request, std::string_view site,
                          std::string_view report);
// `rest` is the path after /v1/admin/sites/{site}/ (e.g. "rules", "rules/versions").
HttpResponse handle_admin_site(Tracker::State& state, const HttpRequest& request,
                               std::string_view site, std::string_view rest);
HttpResponse handle_preflight(Tracker::State& state, const HttpRequest& request);
HttpResponse handle_healthz(Tracker::State& state, const HttpRequest& request);
HttpResponse handle_metrics(Tracker::State& state, const HttpRequest& request);

// Publishing used by the admin endpoint and at start: validates with the core, stores a new
// version, and makes it active. On invalid rules `errors` is filled and nothing changes.
Status publish_rules(Tracker::State& state, const SiteConfig& site, std::string_view body,
                     std::string_view source, RuleVersion& published,
                     std::vector<ithaca::Error>& errors);
// Loads the active version of every site from the control store into the registry.
Status activate_stored_rules(Tracker::State& state, const SiteConfig& site);

}  // namespace ithaca::tracker
