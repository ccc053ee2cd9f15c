// Reading the tracker's SQLite events table (sqlite_schema.cpp) back as StoredEvents, with the
// columns reports and exports use. Only the human `events` table feeds reports; bots stay apart.
#pragma once

#include <cstdint>

#include "ithaca/tracker/event.hpp"
#include "reports/sqlite_query.hpp"

namespace ithaca::tracker {

// "seq, site, event_id, type, …" — select these, then read_raw_event() each row.
extern const char* const kRawEventColumns;

// Fills `e` from the current row; returns the row's seq.
std::int64_t read_raw_event(const SqliteQuery& row, StoredEvent& e);

}  // namespace ithaca::tracker
