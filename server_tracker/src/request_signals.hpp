// What a request tells the core about its visitor: the User-Agent and its Client Hints,
// Accept-Language, the Referer, and the country/region/city of the IP address when a geo
// database is configured. The address itself is looked up and then dropped.
#pragma once

#include <string_view>

#include "ithaca/context.hpp"
#include "ithaca/value.hpp"
#include "tracker_state.hpp"

namespace ithaca::tracker {

// The Sec-CH-UA* request headers as the map RawSignals::ua_ch accepts (raw header names);
// null when the request has none.
ithaca::Value client_hints(const HttpRequest& request);

// RawSignals from the request headers; url and referrer are left to the caller.
ithaca::RawSignals request_signals(const Tracker::State& state, const HttpRequest& request,
                                   std::int64_t now);

}  // namespace ithaca::tracker
