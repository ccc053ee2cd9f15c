#include <nlohmann/json.hpp>

#include "handlers.hpp"
#include "reports/report_handlers.hpp"  // [reports]
#include "logger.hpp"
#include "request_guards.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;

json version_json(const RuleVersion& v, std::int64_t active) {
  return {{"version", v.version},       {"etag", v.etag},     {"created", v.created_ms},
          {"source", v.source},         {"bytes", v.size_bytes}, {"active", v.version == active}};
}

HttpResponse invalid_rules(const std::vector<ithaca::Error>& errors) {
  json list = json::array();
  for (const auto& e : errors) {
    json item = {{"kind", ithaca::to_string(e.kind)}, {"message", e.message}, {"path", e.path}};
    if (e.position >= 0) item["position"] = e.position;
    list.push_back(std::move(item));
  }
  json body = {{"error",
                {{"code", "invalid_rules"},
                 {"message", "the rule set has " + std::to_string(errors.size()) + " error" +
                                 (errors.size() == 1 ? "" : "s")},
                 {"errors", std::move(list)}}}};
  return json_response(422, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

HttpResponse store_failure(Tracker::State& state) {
  state.metrics.add_store_error();
  return json_error(503, "store_unavailable", "the rule store is unavailable");
}

HttpResponse put_rules(Tracker::State& state, const HttpRequest& request, const SiteConfig& site) {
  if (request.body.size() > state.options.limits.max_rules_bytes) {
    return json_error(413, "body_too_large", "a rule set may be at most " +
                                                 std::to_string(state.options.limits.max_rules_bytes) + " bytes");
  }
  RuleVersion published;
  std::vector<ithaca::Error> errors;
  Status s = publish_rules(state, site, request.body, "admin", published, errors);
  if (!errors.empty()) return invalid_rules(errors);
  if (!s) return store_failure(state);
  json body = {{"site", site.id}, {"version", published.version}, {"etag", published.etag},
               {"created", published.created_ms}};
  HttpResponse response = json_response(201, body.dump());
  response.set_header("ETag", published.etag);
  return response;
}

HttpResponse validate_rules(Tracker::State& state, const HttpRequest& request, const SiteConfig& site) {
  if (request.body.size() > state.options.limits.max_rules_bytes) {
    return json_error(413, "body_too_large", "the rule set is too large");
  }
  std::vector<ithaca::Error> errors;
  if (!load_site_rules(request.body, site.id, errors)) return invalid_rules(errors);
  return json_response(200, json({{"ok", true}, {"site", site.id}}).dump());
}

HttpResponse list_versions(Tracker::State& state, const SiteConfig& site) {
  std::vector<RuleVersion> versions;
  std::int64_t active = 0;
  if (!state.control->rule_versions(site.id, versions, active)) return store_failure(state);
  json list = json::array();
  for (const auto& v : versions) list.push_back(version_json(v, active));
  json body = {{"site", site.id}, {"active", active ? json(active) : json()}, {"versions", std::move(list)}};
  return json_response(200, body.dump());
}

HttpResponse get_version(Tracker::State& state, const SiteConfig& site, std::string_view number) {
  std::int64_t version = 0;
  for (char c : number) {
    if (c < '0' || c > '9' || version > 1'000'000'000) return json_error(404, "not_found", "no such version");
    version = version * 10 + (c - '0');
  }
  RuleVersion v;
  bool found = false;
  if (!state.control->rule_version(site.id, version, v, found)) return store_failure(state);
  if (!found) return json_error(404, "not_found", "no such version");
  HttpResponse response = json_response(200, v.body);
  response.set_header("ETag", v.etag);
  return response;
}

HttpResponse rollback(Tracker::State& state, const HttpRequest& request, const SiteConfig& site) {
  std::vector<RuleVersion> versions;
  std::int64_t active = 0;
  if (!state.control->rule_versions(site.id, versions, active)) return store_failure(state);

  std::int64_t target = 0;
  if (!request.body.empty()) {
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return json_error(400, "invalid_json", "the body must be a JSON object such as {\"version\": 3}");
    }
    auto v = body.find("version");
    if (v != body.end() && !v->is_null()) {
      if (!v->is_number_integer() || v->get<std::int64_t>() < 1) {
        return json_error(400, "invalid_field", "$.version must be a positive integer");
      }
      target = v->get<std::int64_t>();
    }
  }
  if (target == 0) {
    // Default: the newest version older than the active one.
    for (const auto& v : versions) {
      if (v.version < active) {
        target = v.version;
        break;
      }
    }
    if (target == 0) return json_error(409, "nothing_to_roll_back", "there is no earlier version");
  }

  std::lock_guard<std::mutex> lock(state.publish_mutex);
  RuleVersion chosen;
  bool found = false;
  if (!state.control->rule_version(site.id, target, chosen, found)) return store_failure(state);
  if (!found) return json_error(404, "not_found", "no version " + std::to_string(target));
  std::vector<ithaca::Error> errors;
  auto ruleset = load_rules(chosen.body, errors);
  if (!ruleset) return invalid_rules(errors);
  if (!state.control->activate_rules(site.id, target, chosen, found) || !found) return store_failure(state);
  state.sites->set_rules(site.id, make_active_rules(chosen, std::move(ruleset)));
  log_info("rules rolled back", {{"site", site.id}, {"version", std::to_string(target)}});
  json body = {{"site", site.id}, {"version", chosen.version}, {"etag", chosen.etag}};
  return json_response(200, body.dump());
}

}  // namespace

HttpResponse handle_admin_site(Tracker::State& state, const HttpRequest& request,
                               std::string_view site_id, std::string_view rest) {
  if (auto denied = check_admin(state, request)) return *denied;
  const SiteConfig* site = state.sites->find(site_id);
  if (!site) return json_error(404, "unknown_site", "no site " + std::string(site_id) + " is configured");
  const std::string& m = request.method;

  if (rest == "rules") {
    if (m == "PUT") return put_rules(state, request, *site);
    if (m == "GET" || m == "HEAD") {
      auto active = state.sites->rules(site->id);
      if (!active) return json_error(404, "no_rules", "site " + site->id + " has no published rule set");
      HttpResponse response = json_response(200, active->version.body);
      response.set_header("ETag", active->version.etag);
      return response;
    }
    return method_not_allowed("GET, PUT");
  }
  if (rest == "rules/validate") {
    return m == "POST" ? validate_rules(state, request, *site) : method_not_allowed("POST");
  }
  if (rest == "rules/versions") {
    return (m == "GET" || m == "HEAD") ? list_versions(state, *site) : method_not_allowed("GET");
  }
  if (rest.rfind("rules/versions/", 0) == 0) {
    if (m != "GET" && m != "HEAD") return method_not_allowed("GET");
    return get_version(state, *site, rest.substr(15));
  }
  if (rest == "rules/rollback") {
    return m == "POST" ? rollback(state, request, *site) : method_not_allowed("POST");
  }
  if (rest.rfind("visitors/", 0) == 0) return handle_visitor_data(state, request, *site, rest);  // [reports]
  return json_error(404, "not_found", "no such admin endpoint");
}

}  // namespace ithaca::tracker
