// From validated client events to stored rows: the visitor hash, the server's view of the
// device (bots are decided here, from the User-Agent and Client Hints), the referrer and
// campaign classification by the core, geo from the IP when configured, and the report
// dimensions the client's context carries (visit, journey, timezone, language).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "collect_decoder.hpp"
#include "ithaca/context.hpp"
#include "ithaca/tracker/event.hpp"
#include "tracker_state.hpp"

namespace ithaca::tracker {

// How far an event's own time may lie from the server's before the server's time is used.
inline constexpr std::int64_t kMaxEventAgeMs = 7LL * 86'400'000;
inline constexpr std::int64_t kMaxEventLeadMs = 5LL * 60'000;

std::vector<StoredEvent> enrich_events(Tracker::State& state, const HttpRequest& request,
                                       CollectPayload& payload, std::int64_t now);

// The columns the core's classification fills: the page's host and path, the referrer and
// campaign, the device. Collected and bulk-loaded (ithaca-gen --load) events share it, so both
// stores of a benchmark hold the same rows.
void set_classified_columns(StoredEvent& e, std::string_view url, const ithaca::ReferrerInfo& referrer,
                            const ithaca::DeviceInfo& device);

// Global Privacy Control or Do Not Track on the request.
bool opted_out(const HttpRequest& request);

}  // namespace ithaca::tracker
