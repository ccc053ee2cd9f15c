// An events database and a roll-up builder over it, for the report suites.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ithaca/tracker/sqlite_store.hpp"
#include "reports/rollup_builder.hpp"
#include "reports/sqlite_query.hpp"
#include "sqlite_db.hpp"
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

// Options for a builder on DIR/ithaca.db → DIR/`rollups` with `site` in Europe/Berlin.
inline RollupBuilderOptions rollup_builder_options(const TempDir& dir, const std::string& site,
                                                   const std::string& rollups = "rollups.db") {
  std::string error;
  RollupBuilderOptions o;
  o.events_path = dir.str("ithaca.db");
  o.rollups_path = dir.str(rollups.c_str());
  o.zones[site] = TimeZone::load("Europe/Berlin", error);
  EXPECT_TRUE(o.zones[site]) << error;
  return o;
}

// Starts a builder on DIR/ithaca.db → DIR/rollups.db with `site` in Europe/Berlin; `zone` gets
// the site's zone. Fails the test (and leaves `builder` empty) when anything cannot be opened.
// `rollups` names the roll-up database in DIR; `visitors_in_memory` bounds each day's visitors.
inline void start_rollup_builder(const TempDir& dir, const std::string& site, std::shared_ptr<const TimeZone>& zone,
                                 std::unique_ptr<RollupBuilder>& builder, const std::string& rollups = "rollups.db",
                                 std::size_t visitors_in_memory = RollupBuilderOptions{}.visitors_in_memory) {
  std::string error;
  RollupBuilderOptions o = rollup_builder_options(dir, site, rollups);
  ASSERT_TRUE(o.zones[site]);
  o.visitors_in_memory = visitors_in_memory;
  zone = o.zones[site];
  builder = RollupBuilder::start(o, error);
  ASSERT_TRUE(builder) << error;
}

// Every row of every roll-up table, in key order, one line per row: two roll-up databases with
// the same text hold the same numbers.
inline std::string dump_rollups(const std::string& path) {
  SqliteConnection db;
  EXPECT_TRUE(db.open(path, false));
  std::string text;
  for (const char* table :
       {"dim_day", "dim_hour", "dim_pair_day", "stage_sets", "paths", "attribution", "units", "unit_goals"}) {
    SqliteQuery q;
    EXPECT_TRUE(q.prepare(db.handle(), std::string("SELECT * FROM ") + table));
    text += std::string("[") + table + "]\n";
    while (q.step() == SQLITE_ROW) {
      for (int i = 0; i < q.columns(); ++i) text += q.text(i) + "|";
      text += "\n";
    }
  }
  return text;
}

}  // namespace ithaca::tracker::testing
