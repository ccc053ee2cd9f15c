#include "handlers.hpp"
#include "ithaca/compiled_ruleset.hpp"
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

// The same rules in another representation get another entity tag: "v3-abc" → "v3-abc-c1".
std::string compiled_etag(std::string_view etag) {
  std::string tag(etag);
  const std::size_t close = tag.rfind('"');
  tag.insert(close == std::string::npos || close == 0 ? tag.size() : close, "-c" + std::to_string(kCompiledFormat));
  return tag;
}

}  // namespace

// GET /v1/rules/{site}: the published JSON, or with ?compiled=N the compiled rule set in format
// N (docs/compiled-rules.md) — what the browser SDK loads, as its engine carries no JSON
// rule-set reader. A format this tracker does not write is a 406 naming the one it does.
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
  bool compiled = false;
  const std::string_view format = request.query_param("compiled", &compiled);
  if (compiled && format != std::to_string(kCompiledFormat)) {
    HttpResponse response = json_error(406, "unsupported_format",
                                       "this tracker writes compiled rule sets in format " + std::to_string(kCompiledFormat) +
                                           ", not \"" + std::string(format) + "\"");
    add_cors_headers(request, response);
    return response;
  }
  const std::string etag = compiled ? compiled_etag(rules->version.etag) : rules->version.etag;
  HttpResponse response;
  response.set_header("ETag", etag);
  response.set_header("Cache-Control", "public, max-age=" + std::to_string(state.options.rules_max_age_seconds) +
                                           ", stale-while-revalidate=86400");
  response.set_header("X-Ithaca-Rules-Version", std::to_string(rules->version.version));
  add_cors_headers(request, response);
  if (etag_matches(request.header("if-none-match"), etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.content_type = compiled ? "application/vnd.ithaca.compiled-rules" : "application/json";
  response.body = compiled ? rules->compiled : rules->version.body;
  return response;
}

Status publish_rules(Tracker::State& state, const SiteConfig& site, std::string_view body,
                     std::string_view source, RuleVersion& published,
                     std::vector<ithaca::Error>& errors) {
  auto ruleset = load_site_rules(body, site.id, errors);
  if (!ruleset) return Status::error("invalid rule set");
  std::lock_guard<std::mutex> lock(state.publish_mutex);
  if (Status s = state.control->publish_rules(site.id, body, source, now_ms(), published); !s) {
    state.metrics.add_store_error();
    return s;
  }
  state.sites->set_rules(site.id, make_active_rules(published, std::move(ruleset)));
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
  state.sites->set_rules(site.id, make_active_rules(std::move(version), std::move(ruleset)));
  return Status::ok();
}

}  // namespace ithaca::tracker
