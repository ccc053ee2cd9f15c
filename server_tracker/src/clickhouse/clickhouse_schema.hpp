// The ClickHouse schema (created on start, idempotently) and the mapping between StoredEvent
// and a row of the events tables. Rows carry, beside the event's own columns, what attribution
// needs precomputed by the same code SQLite's roll-ups use (event_facts.hpp), and the id of the
// insert batch that wrote them (so an insert whose answer was lost can be checked, not
// repeated).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "clickhouse/clickhouse_client.hpp"
#include "ithaca/tracker/event.hpp"

namespace ithaca::tracker {

Status create_clickhouse_schema(const ClickHouseClient& client);

// One JSONEachRow object for `table` events or bot_events.
nlohmann::json clickhouse_row(const StoredEvent& event, const std::string& batch);
// The columns export reads back, and the reverse mapping of one JSONEachRow answer line.
extern const char* const kClickHouseExportColumns;
StoredEvent event_from_clickhouse(const nlohmann::json& row, bool bot);

}  // namespace ithaca::tracker
