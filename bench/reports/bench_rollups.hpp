// What the roll-up benchmarks share: an events database in DIR (no fsync: nothing here needs
// durability) and a builder's options over it, site "demo" in Europe/Berlin.
#pragma once

#include <string>

#include "ithaca/tracker/sqlite_store.hpp"
#include "reports/rollup_builder.hpp"

namespace ithaca::tracker {

struct BenchRollups {
  SqliteStores stores;
  RollupBuilderOptions options;
};

// DIR/ithaca.db and options for roll-ups in DIR/`rollups`; false with `error` when either fails.
inline bool open_bench_rollups(const std::string& dir, const std::string& rollups, BenchRollups& out,
                               std::string& error) {
  SqliteOptions so;
  so.path = dir + "/ithaca.db";
  so.synchronous_full = false;
  out.stores = open_sqlite_stores(so, error);
  out.options.events_path = so.path;
  out.options.rollups_path = dir + "/" + rollups;
  out.options.zones["demo"] = TimeZone::load("Europe/Berlin", error);
  return out.stores.events && out.options.zones["demo"];
}

}  // namespace ithaca::tracker
