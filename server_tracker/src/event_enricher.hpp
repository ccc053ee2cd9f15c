// From validated client events to stored rows: the visitor hash, the server's view of the
// device (bots are decided here, from the User-Agent and Client Hints), the referrer and
// campaign classification by the core, geo from the IP when configured, and the report
// dimensions the client's context carries (visit, journey, timezone, language).
#pragma once

#include <cstdint>
#include <vector>

#include "collect_decoder.hpp"
#include "ithaca/tracker/event.hpp"
#include "tracker_state.hpp"

namespace ithaca::tracker {

// How far an event's own time may lie from the server's before the server's time is used.
inline constexpr std::int64_t kMaxEventAgeMs = 7LL * 86'400'000;
inline constexpr std::int64_t kMaxEventLeadMs = 5LL * 60'000;

std::vector<StoredEvent> enrich_events(Tracker::State& state, const HttpRequest& request,
                                       CollectPayload& payload, std::int64_t now);

// Global Privacy Control or Do Not Track on the request.
bool opted_out(const HttpRequest& request);

}  // namespace ithaca::tracker
