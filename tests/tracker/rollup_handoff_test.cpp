// The writer's hand-off of committed events to the roll-up builder (committed_events.hpp) is a
// shortcut only: a builder that takes events from it must write exactly the roll-ups of a
// builder that reads every event back from the table — with repeated ids and bots in the
// batches, an erasure in the middle, and batches the hand-off had no room for.
#include <gtest/gtest.h>

#include <chrono>

#include "committed_events.hpp"
#include "reports/event_loader.hpp"
#include "rollup_test_support.hpp"

namespace ithaca::tracker {
namespace {

constexpr std::int64_t kEnd = 1'795'000'000'000;  // 2026-11-18
constexpr auto kSyncTimeout = std::chrono::seconds(60);

struct HandOffRun {
  std::int64_t stored = 0;       // events in the table at the end
  std::int64_t handed_over = 0;  // of those rolled up by the builder, taken from memory
  std::string with_hand_off, from_table;  // dump_rollups of each builder's database
};

// Writes a generated stream through a store with a hand-off of `capacity` events, in batches of
// the sizes in `batch_sizes` (in turn), every fifth one starting with three events already
// written, with the builder catching up every `sync_every` batches; erases one consenting visitor
// halfway. Then builds the same roll-ups from the table alone.
HandOffRun run(std::size_t capacity, std::vector<std::size_t> batch_sizes, std::size_t sync_every) {
  HandOffRun out;
  testing::TempDir dir;
  std::string error;
  auto committed = std::make_shared<CommittedEvents>(capacity);
  SqliteOptions options;
  options.path = dir.str("ithaca.db");
  options.synchronous_full = false;
  options.committed = committed;
  SqliteStores stores = open_sqlite_stores(options, error);
  EXPECT_TRUE(stores.events) << error;
  if (!stores.events) return out;

  RollupBuilderOptions o = testing::rollup_builder_options(dir, "demo", "with.db");
  o.committed = committed;
  auto builder = RollupBuilder::start(o, error);
  EXPECT_TRUE(builder) << error;
  if (!builder) return out;

  GeneratorOptions g;
  g.events = 3000;
  g.days = 2.5;
  g.end_ms = kEnd;
  g.bot_rate = 0.05;
  g.rules_json = testing::read_text(testing::fixture("../../../demo_site/rules/demo.json"));
  EventGenerator generator(g);
  GeneratedRequest r;
  std::vector<StoredEvent> all;
  while (generator.next(r)) append_stored_events(r, all);

  std::string erased_id;
  std::size_t batches = 0;
  for (std::size_t at = 0, batch_size = 0; at < all.size(); at += batch_size) {
    batch_size = batch_sizes[batches % batch_sizes.size()];
    const auto end = all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), at + batch_size));
    // Every fifth batch repeats the previous batch's last three events first.
    const auto from = ++batches % 5 == 0 && at >= 3 ? at - 3 : at;
    std::vector<StoredEvent> batch(all.begin() + static_cast<std::ptrdiff_t>(from), end);
    EXPECT_TRUE(stores.events->write_and_take(batch));
    batch.assign(all.begin() + static_cast<std::ptrdiff_t>(at), end);
    for (const StoredEvent& e : batch) {
      if (erased_id.empty() && !e.visitor_id.empty() && !e.bot) erased_id = e.visitor_id;
    }
    if (batches % sync_every == 0) {
      EXPECT_TRUE(builder->sync(kSyncTimeout));
    }
    if (at < all.size() / 2 && at + batch_size >= all.size() / 2) {
      ErasureResult erased;
      EXPECT_FALSE(erased_id.empty());
      EXPECT_TRUE(builder->erase_visitor("demo", erased_id, erased));
      EXPECT_GT(erased.events, 0);
    }
  }
  EXPECT_TRUE(builder->sync(kSyncTimeout));
  out.handed_over = builder->events_handed_over();
  builder.reset();

  Summary summary;
  EXPECT_TRUE(stores.events->summary("demo", {}, summary));
  out.stored = summary.events;

  RollupBuilderOptions t = testing::rollup_builder_options(dir, "demo", "table.db");
  auto from_table = RollupBuilder::start(t, error);
  EXPECT_TRUE(from_table) << error;
  if (!from_table) return out;
  EXPECT_TRUE(from_table->sync(kSyncTimeout));
  EXPECT_EQ(from_table->events_handed_over(), 0);
  from_table.reset();

  out.with_hand_off = testing::dump_rollups(dir.str("with.db"));
  out.from_table = testing::dump_rollups(dir.str("table.db"));
  return out;
}

TEST(RollupHandOff, TheBuilderTakesWhatTheWriterCommittedAndWritesTheSameRollups) {
  const HandOffRun r = run(/*capacity=*/10'000, /*batch_sizes=*/{40}, /*sync_every=*/7);
  ASSERT_GT(r.stored, 2000);
  // Nearly all from memory (a poll between a commit and its hand-off reads that batch from the
  // table), the erased visitor's events included.
  EXPECT_GT(r.handed_over, r.stored / 2);
  EXPECT_GT(r.from_table.size(), 1000u);
  EXPECT_EQ(r.with_hand_off, r.from_table);
}

TEST(RollupHandOff, WhatDidNotFitIsReadFromTheTable) {
  // Room for 50: batches of 40 (each after a catch-up: the hand-off is empty) fit, batches of
  // 70 never do.
  const HandOffRun r = run(/*capacity=*/50, /*batch_sizes=*/{40, 70}, /*sync_every=*/2);
  ASSERT_GT(r.stored, 2000);
  EXPECT_GT(r.handed_over, r.stored / 4);
  EXPECT_LT(r.handed_over, r.stored / 2);
  EXPECT_EQ(r.with_hand_off, r.from_table);
}

}  // namespace
}  // namespace ithaca::tracker
