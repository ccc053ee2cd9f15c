#include "request_signals.hpp"

#include "request_guards.hpp"

namespace ithaca::tracker {
namespace {

constexpr std::size_t kMaxHeaderValue = 1024;

std::string bounded(std::string_view value) {
  return std::string(value.size() > kMaxHeaderValue ? std::string_view() : value);
}

}  // namespace

ithaca::Value client_hints(const HttpRequest& request) {
  ithaca::Map hints;
  for (const auto& [name, value] : request.headers) {
    if (name.rfind("sec-ch-ua", 0) == 0 && value.size() <= kMaxHeaderValue) {
      hints.set(name, ithaca::Value::string(value));
    }
  }
  if (hints.empty()) return ithaca::Value();
  return ithaca::Value::map(std::move(hints));
}

ithaca::RawSignals request_signals(const Tracker::State& state, const HttpRequest& request,
                                   std::int64_t now) {
  ithaca::RawSignals raw;
  raw.user_agent = bounded(request.header("user-agent"));
  raw.ua_ch = client_hints(request);
  raw.accept_language = bounded(request.header("accept-language"));
  raw.now_ms = now;
  if (state.geo) {
    GeoResult geo;
    if (state.geo->lookup(client_ip(state, request), geo)) {
      raw.country = std::move(geo.country);
      raw.region = std::move(geo.region);
      raw.city = std::move(geo.city);
    }
  }
  return raw;
}

}  // namespace ithaca::tracker
