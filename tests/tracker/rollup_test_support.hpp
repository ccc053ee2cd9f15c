// An events database and a roll-up builder over it, for the report suites.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ithaca/tracker/sqlite_store.hpp"
#include "reports/rollup_builder.hpp"
#include "test_support.hpp"

namespace ithaca::tracker::testing {

// Opens DIR/ithaca.db without fsync (tests need no durability).
inline void open_events_database(const TempDir& dir, SqliteStores& stores) {
  std::string error;
  SqliteOptions options;
  options.path = dir.str("ithaca.db");
  options.synchronous_full = false;
  stores = open_sqlite_stores(options, error);
  ASSERT_TRUE(stores.events) << error;
}

// Starts a builder on DIR/ithaca.db → DIR/rollups.db with `site` in Europe/Berlin; `zone` gets
// the site's zone. Fails the test (and leaves `builder` empty) when anything cannot be opened.
inline void start_rollup_builder(const TempDir& dir, const std::string& site, std::shared_ptr<const TimeZone>& zone,
                                 std::unique_ptr<RollupBuilder>& builder) {
  std::string error;
  RollupBuilderOptions o;
  o.events_path = dir.str("ithaca.db");
  o.rollups_path = dir.str("rollups.db");
  o.zones[site] = TimeZone::load("Europe/Berlin", error);
  ASSERT_TRUE(o.zones[site]) << error;
  zone = o.zones[site];
  builder = RollupBuilder::start(o, error);
  ASSERT_TRUE(builder) << error;
}

}  // namespace ithaca::tracker::testing
