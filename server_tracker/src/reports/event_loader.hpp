// Bulk loading for benchmarks: turns generated collect requests into the events the tracker
// would store — device and referrer classified by the core, the context's geo, visit and
// journey fields, props — without HTTP. The visitor is a plain 64-bit hash of (address,
// User-Agent, UTC day), or of the first-party id: fine for measuring, not a privacy measure
// (the tracker's own hashing is keyed and salted; visitor_hasher.hpp).
#pragma once

#include <vector>

#include "ithaca/tracker/event.hpp"
#include "reports/event_generator.hpp"

namespace ithaca::tracker {

void append_stored_events(const GeneratedRequest& request, std::vector<StoredEvent>& out);

}  // namespace ithaca::tracker
