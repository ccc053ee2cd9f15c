// The SQLite schema (PRAGMA user_version 1). Events carry one column per report dimension so
// reports group and filter without parsing JSON; bots go to a table of the same shape.
#pragma once

#include "sqlite_db.hpp"

namespace ithaca::tracker {

inline constexpr int kSchemaVersion = 1;

// The column list shared by `events` and `bot_events`, in insert order.
extern const char* const kEventColumns;
inline constexpr int kEventColumnCount = 37;

// WAL, synchronous mode, busy timeout; per connection.
Status configure_connection(SqliteConnection& db, bool synchronous_full);
// Creates or migrates the schema inside one transaction.
Status apply_schema(SqliteConnection& db);

}  // namespace ithaca::tracker
