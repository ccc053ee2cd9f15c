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

// Creates what is missing (schema 2), then migrates schema-1 event tables in place.
Status create_clickhouse_schema(const ClickHouseClient& client);
Status migrate_clickhouse_schema(const ClickHouseClient& client);

// Insert formats: rows are written as TabSeparated lines in kClickHouseInsertColumns order;
// spool files from earlier versions hold JSONEachRow lines and are sent as such.
inline constexpr const char* kTabSeparated = "TabSeparated";
inline constexpr const char* kJsonEachRow = "JSONEachRow";
extern const char* const kClickHouseInsertColumns;
// One TabSeparated line (no newline) for `table` events or bot_events.
std::string clickhouse_row(const StoredEvent& event, const std::string& batch);
// A row line of either format as a JSON object of its columns (TabSeparated values as strings;
// not the attribution arrays); null when the line does not parse.
nlohmann::json clickhouse_row_object(const std::string& line, const std::string& format);
// The columns export reads back, and the reverse mapping of one JSONEachRow answer line.
extern const char* const kClickHouseExportColumns;
StoredEvent event_from_clickhouse(const nlohmann::json& row, bool bot);

}  // namespace ithaca::tracker
