// Checks shared by the endpoints: who the client is (address, rate-limit key), whether its
// origin may call a site (CORS), whether it holds the admin token, and content types.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ithaca/tracker/http_types.hpp"
#include "tracker_state.hpp"

namespace ithaca::tracker {

// The client's address: the peer, or with --trust-proxy the last X-Forwarded-For hop.
std::string client_ip(const Tracker::State& state, const HttpRequest& request);

// 429 with Retry-After when the client is over its rate, nullopt otherwise.
std::optional<HttpResponse> check_rate_limit(Tracker::State& state, const HttpRequest& request,
                                             std::int64_t now);

// Adds Access-Control-Allow-Origin (and Vary) for an allowed origin; returns a 403 when the
// request carries an origin the site does not allow.
std::optional<HttpResponse> check_origin(const SiteConfig& site, const HttpRequest& request);
void add_cors_headers(const HttpRequest& request, HttpResponse& response);

// 401 without a bearer token or with a wrong one (constant-time comparison).
std::optional<HttpResponse> check_admin(const Tracker::State& state, const HttpRequest& request);
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

// Media type of the body without parameters, lower case ("" when absent).
std::string media_type(const HttpRequest& request);

// 400 for a query parameter given twice (which of the values would count is a guess).
std::optional<HttpResponse> check_repeated_parameters(const HttpRequest& request);

HttpResponse method_not_allowed(std::string_view allow);

}  // namespace ithaca::tracker
