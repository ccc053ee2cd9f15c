#include "handlers.hpp"
#include "ithaca/context.hpp"
#include "ithaca/json.hpp"
#include "random_bytes.hpp"
#include "request_guards.hpp"
#include "request_signals.hpp"

namespace ithaca::tracker {
namespace {

using ithaca::Value;

// Client-supplied groups win over what the server derived; within a group, key by key.
Value merge_context(const Value& derived, const Value& client) {
  if (!client.is_map()) return derived;
  Value merged = derived.is_map() ? derived : Value::map({});
  ithaca::Map& out = merged.edit_map();
  for (const auto& [key, value] : client.as_map()) {
    if (!key.is_string()) continue;
    const Value* base = out.find(key.as_string());
    if (base && base->is_map() && value.is_map()) {
      Value group = *base;
      ithaca::Map& g = group.edit_map();
      for (const auto& [k, v] : value.as_map()) {
        if (k.is_string()) g.set(k.as_string(), v);
      }
      out.set(key.as_string(), std::move(group));
    } else {
      out.set(key.as_string(), value);
    }
  }
  return merged;
}

std::string string_field(const Value& object, std::string_view key, std::size_t max) {
  const Value* v = object.find(key);
  if (!v || !v->is_string() || v->as_string().size() > max) return {};
  return std::string(v->as_string());
}

}  // namespace

HttpResponse handle_decide(Tracker::State& state, const HttpRequest& request) {
  if (request.method != "POST") return method_not_allowed("POST, OPTIONS");
  const std::string type = media_type(request);
  if (!type.empty() && type != "application/json" && type != "text/plain") {
    return json_error(415, "unsupported_media_type", "send an application/json body");
  }
  const std::int64_t now = now_ms();
  if (auto limited = check_rate_limit(state, request, now)) return *limited;
  if (request.body.size() > state.options.limits.max_body_bytes) {
    return json_error(413, "body_too_large", "the body is too large");
  }
  ithaca::JsonLimits limits;
  limits.max_bytes = state.options.limits.max_body_bytes;
  limits.max_depth = state.options.limits.max_json_depth;
  auto parsed = ithaca::parse_json(request.body, limits);
  if (!parsed.ok()) return json_error(400, "invalid_json", parsed.error().message);
  const Value& body = parsed.value();
  if (!body.is_map()) return json_error(400, "invalid_json", "the body must be a JSON object");

  const Value* site_value = body.find("site");
  if (!site_value || !site_value->is_string()) {
    return json_error(400, "invalid_field", "$.site is required and must be a string");
  }
  const std::string site_id(site_value->as_string());
  const SiteConfig* site = state.sites->find(site_id);
  if (!site) return json_error(404, "unknown_site", "no site " + site_id + " is configured");
  if (auto denied = check_origin(*site, request)) return *denied;
  auto rules = state.sites->rules(site_id);
  if (!rules) return json_error(404, "no_rules", "site " + site_id + " has no published rule set");

  Value client;
  if (const Value* context = body.find("context"); context && !context->is_null()) {
    if (!context->is_map()) return json_error(400, "invalid_field", "$.context must be an object");
    client = *context;
  }
  const Value* visitor_value = body.find("visitor_id");
  if (visitor_value && !visitor_value->is_null() && !visitor_value->is_string()) {
    return json_error(400, "invalid_field", "$.visitor_id must be a string");
  }

  ithaca::RawSignals raw = request_signals(state, request, now);
  raw.url = string_field(body, "url", 2048);
  if (raw.url.empty() && request.header("referer").size() <= 2048) raw.url = request.header("referer");
  raw.referrer = string_field(body, "referrer", 2048);
  if (const Value* tz = client.find_path("time.timezone"); tz && tz->is_string() && tz->as_string().size() <= 64) {
    raw.timezone = std::string(tz->as_string());
  }
  Value context = merge_context(ithaca::derive_context(raw), client);

  // Experiments bucket on visitor.id; without one, the day's anonymous hash keeps a visitor
  // in the same variant for the day.
  ithaca::Map& ctx = context.edit_map();
  const Value* given = context.find_path("visitor.id");
  if (!given || !given->is_string() || given->as_string().empty()) {
    std::string id;
    if (visitor_value && visitor_value->is_string() && !visitor_value->as_string().empty()) {
      id = std::string(visitor_value->as_string());
    } else {
      const std::uint64_t h = state.hasher->anonymous(
          site_id, client_ip(state, request), request.header("user-agent"), now);
      std::string bytes(8, '\0');
      for (int i = 0; i < 8; ++i) bytes[static_cast<std::size_t>(i)] = static_cast<char>(h >> (56 - 8 * i));
      id = "h" + to_hex(bytes);
    }
    const Value* visitor = ctx.find("visitor");
    Value group = visitor && visitor->is_map() ? *visitor : Value::map({});
    group.edit_map().set("id", Value::string(id));
    ctx.set("visitor", std::move(group));
  }

  // decide_to_json writes the same bytes as to_json(decide(…)) without building a Value tree.
  HttpResponse response = json_response(200, ithaca::decide_to_json(*rules->ruleset, context));
  response.set_header("Cache-Control", "no-store");
  add_cors_headers(request, response);
  return response;
}

HttpResponse handle_context(Tracker::State& state, const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") return method_not_allowed("GET, HEAD");
  const std::int64_t now = now_ms();
  bool has_site = false;
  std::string_view site_id = request.query_param("site", &has_site);
  std::string_view origin = request.header("origin");
  if (has_site) {
    const SiteConfig* site = state.sites->find(site_id);
    if (!site) return json_error(404, "unknown_site", "no such site is configured");
    if (auto denied = check_origin(*site, request)) return *denied;
  } else if (!origin.empty()) {
    bool allowed = false;
    for (const auto& site : state.sites->sites()) {
      allowed = allowed || origin_allowed(site, origin, request.header("host"));
    }
    if (!allowed) return json_error(403, "origin_not_allowed", "this origin may not call the tracker");
  }
  if (auto limited = check_rate_limit(state, request, now)) return *limited;

  ithaca::RawSignals raw = request_signals(state, request, now);
  Value derived = ithaca::derive_context(raw);
  ithaca::Map out;
  for (const char* group : {"geo", "device"}) {
    if (const Value* v = derived.find(group)) out.set(group, *v);
  }
  HttpResponse response = json_response(200, ithaca::to_json(Value::map(std::move(out))));
  response.set_header("Cache-Control", "private, no-store");
  add_cors_headers(request, response);
  return response;
}

}  // namespace ithaca::tracker
