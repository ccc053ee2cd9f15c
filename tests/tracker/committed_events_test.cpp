#include "committed_events.hpp"

#include <gtest/gtest.h>

namespace ithaca::tracker {
namespace {

// A batch of events with the given seqs (-1: not in the table); each event's path names its seq.
CommittedEvents::Batch batch(std::initializer_list<std::int64_t> seqs) {
  CommittedEvents::Batch b;
  for (std::int64_t seq : seqs) {
    StoredEvent e;
    e.site = "s";
    e.path = "/" + std::to_string(seq);
    b.events.push_back(e);
    b.seqs.push_back(seq);
    if (seq < 0) continue;
    if (b.stored++ == 0) b.first = seq;
    b.last = seq;
  }
  return b;
}

// The seqs of the taken batches, in order.
std::vector<std::int64_t> seqs_of(const std::vector<CommittedEvents::Batch>& batches) {
  std::vector<std::int64_t> out;
  for (const auto& b : batches) out.insert(out.end(), b.seqs.begin(), b.seqs.end());
  return out;
}

TEST(CommittedEvents, HandsOverBatchesThatContinueFromTheLastSeq) {
  CommittedEvents c(100);
  c.add(c.generation(), batch({11, -1, 12}));
  c.add(c.generation(), batch({13, 14}));
  std::vector<CommittedEvents::Batch> out;
  c.take(10, 100, out);
  EXPECT_EQ(seqs_of(out), (std::vector<std::int64_t>{11, -1, 12, 13, 14}));
  EXPECT_EQ(out[0].events[2].path, "/12");  // the events travel with their seqs
  EXPECT_EQ(c.held_events(), 0u);
  out.clear();
  c.take(14, 100, out);
  EXPECT_TRUE(out.empty());
}

TEST(CommittedEvents, LeavesAGapToTheTable) {
  CommittedEvents c(100);
  c.add(c.generation(), batch({21, 22}));
  std::vector<CommittedEvents::Batch> out;
  c.take(10, 100, out);  // 11..20 are only in the table
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(c.held_events(), 2u);
  c.take(20, 100, out);  // the builder has read them from the table
  EXPECT_EQ(seqs_of(out), (std::vector<std::int64_t>{21, 22}));
}

TEST(CommittedEvents, DropsWhatTheTableAlreadyGaveAndTakesAPartlyReadBatchWhole) {
  CommittedEvents c(100);
  c.add(c.generation(), batch({1, 2}));
  c.add(c.generation(), batch({3, 4, 5}));
  c.add(c.generation(), batch({6}));
  std::vector<CommittedEvents::Batch> out;
  c.take(4, 100, out);  // a chunk from the table ended inside the second batch
  EXPECT_EQ(seqs_of(out), (std::vector<std::int64_t>{3, 4, 5, 6}));
  EXPECT_EQ(c.held_events(), 0u);
}

TEST(CommittedEvents, TakesAboutMaxEventsButAlwaysOneBatch) {
  CommittedEvents c(100);
  c.add(c.generation(), batch({1, 2, 3}));
  c.add(c.generation(), batch({4, 5}));
  c.add(c.generation(), batch({6}));
  std::vector<CommittedEvents::Batch> out;
  c.take(0, 2, out);
  EXPECT_EQ(seqs_of(out), (std::vector<std::int64_t>{1, 2, 3}));
  out.clear();
  c.take(3, 3, out);
  EXPECT_EQ(seqs_of(out), (std::vector<std::int64_t>{4, 5, 6}));
}

TEST(CommittedEvents, RefusesWhatDoesNotFitOrRunsWithAGapOrHasNothingStored) {
  CommittedEvents c(4);
  c.add(c.generation(), batch({1, 2, 3}));
  c.add(c.generation(), batch({4, 5}));  // over the capacity: dropped
  c.add(c.generation(), batch({-1}));    // nothing for the builder
  c.add(c.generation(), batch({7, 9}));  // not consecutive: not one writer's transaction
  EXPECT_EQ(c.held_events(), 3u);
  std::vector<CommittedEvents::Batch> out;
  c.take(0, 100, out);
  EXPECT_EQ(seqs_of(out), (std::vector<std::int64_t>{1, 2, 3}));
}

TEST(CommittedEvents, ADeletionDropsWhatIsHeldAndRefusesOlderTransactions) {
  CommittedEvents c(100);
  const std::uint64_t before = c.generation();
  c.add(before, batch({1, 2}));
  c.invalidate();
  EXPECT_EQ(c.held_events(), 0u);
  c.add(before, batch({3}));  // committed before the deletion, added after it
  EXPECT_EQ(c.held_events(), 0u);
  c.add(c.generation(), batch({4}));
  std::vector<CommittedEvents::Batch> out;
  c.take(3, 100, out);
  EXPECT_EQ(seqs_of(out), (std::vector<std::int64_t>{4}));
}

TEST(CommittedEvents, WakesTheBuilderOnceWhenHalfFull) {
  CommittedEvents c(10);
  int wakes = 0;
  c.on_half_full([&] { ++wakes; });
  c.add(c.generation(), batch({1, 2, 3}));
  EXPECT_EQ(wakes, 0);
  c.add(c.generation(), batch({4, 5}));
  EXPECT_EQ(wakes, 1);
  c.add(c.generation(), batch({6}));
  EXPECT_EQ(wakes, 1);
  std::vector<CommittedEvents::Batch> out;
  c.take(0, 100, out);
  c.add(c.generation(), batch({7, 8, 9, 10, 11}));
  EXPECT_EQ(wakes, 2);
  c.on_half_full(nullptr);
  c.take(6, 100, out);
  c.add(c.generation(), batch({12, 13, 14, 15, 16}));
  EXPECT_EQ(wakes, 2);
}

}  // namespace
}  // namespace ithaca::tracker
