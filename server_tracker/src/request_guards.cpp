#include "request_guards.hpp"

#include "ascii.hpp"

namespace ithaca::tracker {

std::string client_ip(const Tracker::State& state, const HttpRequest& request) {
  if (state.options.trust_proxy) {
    std::string_view forwarded = request.header("x-forwarded-for");
    if (!forwarded.empty()) {
      // The proxy appends the address it saw last; earlier hops are client-controlled.
      auto comma = forwarded.rfind(',');
      std::string_view last = trim(comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1));
      if (!last.empty() && last.size() <= 64) return std::string(last);
    }
  }
  return request.remote_ip;
}

std::optional<HttpResponse> check_rate_limit(Tracker::State& state, const HttpRequest& request,
                                             std::int64_t now) {
  if (state.options.rate_limit_per_second <= 0) return std::nullopt;
  const std::uint64_t key =
      state.hasher->client(client_ip(state, request), request.header("user-agent"), now);
  const int wait = state.limiter->acquire(key, now);
  if (wait == 0) return std::nullopt;
  state.metrics.add_rate_limited();
  HttpResponse response = json_error(429, "rate_limited", "too many requests; retry later");
  response.set_header("Retry-After", std::to_string(wait));
  return response;
}

void add_cors_headers(const HttpRequest& request, HttpResponse& response) {
  // Also without an Origin: a shared cache (a CDN before /v1/rules) must not hand a copy made for
  // a request without CORS headers to a cross-origin page, which could not read it.
  response.set_header("Vary", "Origin");
  std::string_view origin = request.header("origin");
  if (origin.empty()) return;
  response.set_header("Access-Control-Allow-Origin", std::string(origin));
  // What the browser SDK reads besides the status: a rule set's ETag (it revalidates its cached
  // copy with If-None-Match) and Retry-After (it waits that long before sending events again).
  response.set_header("Access-Control-Expose-Headers", "ETag, Retry-After, X-Ithaca-Rules-Version");
}

std::optional<HttpResponse> check_origin(const SiteConfig& site, const HttpRequest& request) {
  if (origin_allowed(site, request.header("origin"), request.header("host"))) return std::nullopt;
  return json_error(403, "origin_not_allowed", "this origin may not send to site " + site.id);
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  // Runs over the expected value's length whatever the candidate is, so timing tells nothing
  // about how much of a guess was right.
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < b.size(); ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ static_cast<unsigned char>(b[i]));
  }
  return diff == 0;
}

std::optional<HttpResponse> check_admin(const Tracker::State& state, const HttpRequest& request) {
  std::string_view auth = request.header("authorization");
  constexpr std::string_view kBearer = "bearer ";
  HttpResponse denied = json_error(401, "unauthorized", "a valid bearer token is required");
  denied.set_header("WWW-Authenticate", "Bearer realm=\"ithaca\"");
  if (auth.size() <= kBearer.size() || !iequals(auth.substr(0, kBearer.size()), kBearer)) {
    return denied;
  }
  std::string_view token = trim(auth.substr(kBearer.size()));
  if (state.admin_token.empty() || !constant_time_equal(token, state.admin_token)) return denied;
  return std::nullopt;
}

std::string media_type(const HttpRequest& request) {
  std::string_view type = request.header("content-type");
  auto semicolon = type.find(';');
  return to_lower(trim(type.substr(0, semicolon)));
}

HttpResponse method_not_allowed(std::string_view allow) {
  HttpResponse response = json_error(405, "method_not_allowed", "use " + std::string(allow));
  response.set_header("Allow", std::string(allow));
  return response;
}

std::optional<HttpResponse> check_repeated_parameters(const HttpRequest& request) {
  for (std::size_t i = 0; i < request.query.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (request.query[j].first == request.query[i].first) {
        return json_error(400, "invalid_parameter", request.query[i].first + " is given twice");
      }
    }
  }
  return std::nullopt;
}

}  // namespace ithaca::tracker
