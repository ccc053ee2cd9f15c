// The embedded default store: one SQLite database (WAL mode) under the data folder holding
// both the events and the control state. Writes use one connection and prepared statements;
// reads use their own connection so reports never wait for the writer.
#pragma once

#include <memory>
#include <string>

#include "ithaca/tracker/event_store.hpp"

namespace ithaca::tracker {

class CommittedEvents;

struct SqliteOptions {
  std::string path;           // database file; created with its schema when absent
  bool synchronous_full = true;  // fsync every commit (durable across power loss), else NORMAL
  // Receives the events the group-commit writer commits, for the roll-up builder (the tracker
  // gives both the same one); null: the builder reads them back from the table.
  std::shared_ptr<CommittedEvents> committed;
};

struct SqliteStores {
  std::unique_ptr<EventStore> events;
  std::unique_ptr<ControlStore> control;
};

// Opens (creating or migrating) the database. On failure both pointers are null and `error`
// says why.
SqliteStores open_sqlite_stores(const SqliteOptions& options, std::string& error);

}  // namespace ithaca::tracker
