#include "handlers.hpp"
#include "logger.hpp"
#include "request_guards.hpp"

namespace ithaca::tracker {
namespace {

// If-None-Match holds a list of entity tags (possibly weak) or "*".
bool etag_matches(std::string_view header, std::string_view etag) {
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view tag = header.substr(start, end - start);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

HttpResponse handle_rules(Tracker::State& state, const HttpRequest& request, std::string_view site_id) {
  if (request.method != "GET" && request.method != "HEAD") return method_not_allowed("GET, HEAD");
  const SiteConfig* site = state.sites->find(site_id);
  if (!site) return json_error(404, "unknown_site", "no site " + std::string(site_id) + " is configured");
  if (auto denied = check_origin(*site, request)) return *denied;
  auto rules = state.sites->rules(site_id);
  if (!rules) {
    HttpResponse response = json_error(404, "no_rules", "site " + site->id + " has no published rule set");
    add_cors_headers(request, response);
    return response;
  }
  HttpResponse response;
  response.set_header("ETag", rules->version.etag);
  response.set_header("Cache-Control", "public, max-age=" + std::to_string(state.options.rules_max_age_seconds) +
                                           ", stale-while-revalidate=86400");
  response.set_header("X-Ithaca-Rules-Version", std::to_string(rules->version.version));
  add_cors_headers(request, response);
  if (etag_matches(request.header("if-none-match"), rules->version.etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.content_type = "application/json";
  response.body = rules->version.body;
  return response;
}

Status publish_rules(Tracker::State& state, const SiteConfig& site, std::string_view body,
                     std::string_view source, RuleVersion& published,
                     std::vector<ithaca::Error>& errors) {
  auto ruleset = load_rules(body, errors);
  if (!ruleset) return Status::error("invalid rule set");
  if (!ruleset->site().empty() && ruleset->site() != site.id) {
    errors.push_back(ithaca::Error{ithaca::ErrorKind::Load,
                                   "the rule set is for site \"" + std::string(ruleset->site()) +
                                       "\", not \"" + site.id + "\"",
                                   -1, "$.site"});
    return Status::error("invalid rule set");
  }
  std::lock_guard<std::mutex> lock(state.publish_mutex);
  if (Status s = state.control->publish_rules(site.id, body, source, now_ms(), published); !s) {
    state.metrics.add_store_error();
    return s;
  }
  auto active = std::make_shared<ActiveRules>();
  active->version = published;
  active->ruleset = std::move(ruleset);
  state.sites->set_rules(site.id, std::move(active));
  log_info("rules published", {{"site", site.id},
                               {"version", std::to_string(published.version)},
                               {"source", source}});
  return Status::ok();
}

Status activate_stored_rules(Tracker::State& state, const SiteConfig& site) {
  RuleVersion version;
  bool found = false;
  if (Status s = state.control->active_rules(site.id, version, found); !s) return s;
  if (!found) return Status::ok();
  std::vector<ithaca::Error> errors;
  auto ruleset = load_rules(version.body, errors);
  if (!ruleset) {
    // Stored rules passed validation when published; a newer core may be stricter.
    return Status::error("stored rules v" + std::to_string(version.version) + " of site " + site.id +
                         " no longer load: " + (errors.empty() ? "" : errors.front().message));
  }
  auto active = std::make_shared<ActiveRules>();
  active->version = std::move(version);
  active->ruleset = std::move(ruleset);
  state.sites->set_rules(site.id, std::move(active));
  return Status::ok();
}

}  // namespace ithaca::tracker
