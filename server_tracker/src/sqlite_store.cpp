#include "ithaca/tracker/sqlite_store.hpp"

#include "sqlite_control_store.hpp"
#include "sqlite_event_store.hpp"

namespace ithaca::tracker {

SqliteStores open_sqlite_stores(const SqliteOptions& options, std::string& error) {
  SqliteStores stores;
  auto events = SqliteEventStore::open(options.path, options.synchronous_full, error, options.committed);
  if (!events) return stores;
  auto control = SqliteControlStore::open(options.path, options.synchronous_full, error);
  if (!control) return stores;
  stores.events = std::move(events);
  stores.control = std::move(control);
  return stores;
}

}  // namespace ithaca::tracker
