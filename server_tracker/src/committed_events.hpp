// The events the SQLite writer has just committed, handed to the roll-up builder in memory, so
// that it does not read back from the events table what was written a moment before (under
// single-event load that read was a tenth of the builder's work: a statement step per row,
// the WAL pages it had to fetch, a copy of every column).
//
// Only a shortcut: the table stays the truth. The builder takes from here only rows that go on
// exactly where it stands (the next seq after the last it rolled up) and reads the table for
// everything else — after a restart, when the hand-off was full, after a failed commit. A
// deletion (retention, erasure) calls invalidate(): what is held is dropped, and rows from
// transactions tagged with an older generation are refused, since they may be gone from the
// table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "ithaca/tracker/event.hpp"

namespace ithaca::tracker {

class CommittedEvents {
 public:
  // One transaction's events in the order written, with the seq each got in the events table,
  // or -1 where it was not stored there (a bot's, a repeated client event id).
  struct Batch {
    std::vector<StoredEvent> events;
    std::vector<std::int64_t> seqs;
    std::int64_t first = 0, last = 0;  // the smallest and largest seq in it
    std::size_t stored = 0;            // events with a seq
  };

  // Holds at most `capacity` events; what does not fit is dropped (the builder reads it).
  explicit CommittedEvents(std::size_t capacity) : capacity_(capacity) {}

  // The writer: the tag for a transaction about to begin.
  std::uint64_t generation() const;
  // The writer, after the commit. Kept when the generation is still `generation`, its seqs
  // run on without a gap, and it fits.
  void add(std::uint64_t generation, Batch batch);

  // The builder: drops batches entirely at or below `last_seq`, then moves to `out` the
  // batches that continue from `last_seq` + 1 without a gap, up to about `max_events` (at least
  // one batch). A batch partly at or below `last_seq` is taken whole: the caller skips those seqs.
  void take(std::int64_t last_seq, std::size_t max_events, std::vector<Batch>& out);
  // Events were deleted from the table: forget everything, refuse older tags.
  void invalidate();
  // Called (on the writer's thread) when what is held reaches half the capacity, so that the
  // builder comes before the rest is dropped; set to null to stop.
  void on_half_full(std::function<void()> wake);

  std::size_t held_events() const;

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::deque<Batch> batches_;
  std::size_t held_ = 0;
  std::function<void()> wake_;
};

}  // namespace ithaca::tracker
