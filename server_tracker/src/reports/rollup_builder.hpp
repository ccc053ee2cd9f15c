// Keeps the SQLite roll-ups (rollup_database.hpp) up to date as events are written: one thread
// tails the events table by its `seq` column, feeds each new event to the DayAggregator of its
// (site, local day) and writes the changed rows together with the new high-water mark in one
// roll-up transaction — at most every `flush_interval` (sooner after `flush_events` events or at
// `flush_log_bytes` of pending visitor_events chunks), and at once when a report waits in
// sync(): under steady ingest a row changed by thousands of events
// is written once, not once per event. Days not in memory are reloaded by replaying their
// stored events, so a restart, a late event or an eviction never loses a count. Each day keeps
// at most `visitors_in_memory` visitors' state in memory, the rest in a scratch spill file
// (visitor_spill_database.hpp): memory stays flat however many visitors a day has.
//
// Everything that changes roll-ups runs on this thread: catching up, rebuilding days after an
// erasure, retention, rebuilding a site whose time zone changed, and compacting the
// visitor_events of days written in many flushes once they leave memory. Public methods are
// thread-safe; the blocking ones wait for the thread to finish the job.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "committed_events.hpp"
#include "ithaca/tracker/event.hpp"
#include "ithaca/tracker/status.hpp"
#include "reports/time_zone.hpp"

namespace ithaca::tracker {

struct RollupBuilderOptions {
  std::string events_path;   // the tracker's SQLite database
  std::string rollups_path;  // the roll-up database (created when absent)
  std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones;  // per configured site
  std::size_t chunk_events = 10'000;
  std::size_t days_in_memory = 3;  // today, yesterday and one more (late events); others replay
  // Per day in memory: visitors whose per-visitor state stays in memory; the least recently
  // seen others are kept in the spill database (rollups.db-visitors) until they come back.
  std::size_t visitors_in_memory = 5'000;
  std::chrono::milliseconds poll{250};
  // Reports wait in sync(), which writes at once, so this interval sets only how much a restart
  // replays and how long rows stay in memory; most of an idle-to-moderate builder's work is
  // the write itself (one per interval, however few events changed), so it is not short.
  std::chrono::milliseconds flush_interval{5000};
  // Also write after this many events (0: never), or once the days' pending visitor_events
  // chunks hold this many bytes: what waits for the write stays in memory, so under heavy
  // ingest the write comes sooner (at 125,000 events/s: about 60 MB more with 5 s than 1 s).
  std::size_t flush_events = 100'000;
  std::size_t flush_log_bytes = 8 << 20;
  // A day written in many flushes (live ingest: one every few seconds) has many small
  // visitor_events blocks and visitor_values lists; once the builder lets the day go, or it is
  // not its site's newest day and no flush has written it for `compact_idle_after` (and for such
  // days found at start), it rewrites them as one block per bucket and one list per value,
  // between catch-ups when no report waits. Off: only compact_days() does it (benchmarks).
  bool compact_written_days = true;
  std::chrono::milliseconds compact_idle_after{std::chrono::minutes(10)};
  // The events the writer has just committed, taken from memory where they continue exactly
  // from the last one rolled up (committed_events.hpp); null: read everything from the table.
  std::shared_ptr<CommittedEvents> committed;
};

struct ErasureResult {
  std::int64_t events = 0;      // human events deleted
  std::int64_t bot_events = 0;  // bot events deleted
  std::vector<std::int32_t> days_rebuilt;
};

class RollupBuilder {
 public:
  static std::unique_ptr<RollupBuilder> start(RollupBuilderOptions options, std::string& error);
  ~RollupBuilder();
  RollupBuilder(const RollupBuilder&) = delete;
  RollupBuilder& operator=(const RollupBuilder&) = delete;

  void stop();
  void notify();  // new events may be waiting

  // Waits until every event committed before the call is in the roll-ups (written to rollups.db).
  bool sync(std::chrono::milliseconds timeout);

  // Deletes every event (human and bot) of a consented first-party id and rebuilds the days it
  // touched from what remains, under the events database's write lock so the high-water mark
  // stays exact.
  Status erase_visitor(const std::string& site, const std::string& visitor_id, ErasureResult& result);
  // Retention: deletes events before `cutoff_ms` (whole local days are kept whole: the cut is
  // moved back to the start of its local day) and the roll-ups of the days before it.
  Status apply_retention(const std::string& site, std::int64_t cutoff_ms, std::int64_t& deleted);
  // Rebuilds days of a site from the events (tests and operators).
  Status rebuild_days(const std::string& site, std::vector<std::int32_t> days);
  // Compacts the stored visitor_events and visitor_values of days of a site now, in memory or
  // not (what the builder does by itself once it lets a day go), after catching up.
  Status compact_days(const std::string& site, std::vector<std::int32_t> days);

  std::int64_t processed_seq() const;
  // Events rolled up since start: taken from RollupBuilderOptions::committed, or read from the
  // table (at start, after a full hand-off or a deletion; all of them without a hand-off).
  std::int64_t events_handed_over() const;
  std::int64_t events_read() const;
  // Committed events waiting in that hand-off (0 without one).
  std::size_t events_waiting() const;

  struct Impl;

 private:
  explicit RollupBuilder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ithaca::tracker
