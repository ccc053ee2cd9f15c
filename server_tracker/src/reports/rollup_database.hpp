// The SQLite roll-ups: a second database file (<data>/rollups.db) next to the events, so
// roll-up writes never take the events database's write lock away from the group-commit
// writer. Everything in it is derived from the events table and can be rebuilt from it.
//
// Tables hold, per site and local day, what DayAggregator emits (absolute values). RollupWriter
// is used by the builder thread only; RollupReader serves reports on its own connection.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ithaca/tracker/status.hpp"
#include "reports/day_aggregator.hpp"
#include "reports/report_source.hpp"
#include "reports/sqlite_query.hpp"
#include "reports/visitor_events.hpp"
#include "sqlite_db.hpp"

namespace ithaca::tracker {

// A visitor-day's chunks, in the order they were written.
using VisitorDayFn = std::function<void(std::int32_t day, std::uint64_t visitor, const std::vector<VisitorChunkRef>& chunks)>;

// What compacting one day's visitor_events and visitor_values changed (rows before and after).
struct VisitorEventsCompaction {
  std::int64_t blocks_before = 0, blocks_after = 0;
  std::int64_t lists_before = 0, lists_after = 0;
  std::int64_t visitors = 0;  // the day's visitor-days
};

class RollupWriter {
 public:
  static std::unique_ptr<RollupWriter> open(const std::string& path, std::string& error);
  ~RollupWriter();

  Status begin();
  Status commit();
  void rollback();

  // Writes the day's rows (all, or those changed since its last clear_dirty()).
  Status write(std::string_view site, const DayAggregator& day, bool dirty_only);
  // Writes the log's chunks (after deleting the day's stored ones when `log.replace`); the
  // caller empties the log once the transaction has committed.
  Status write_visitor_events(std::string_view site, std::int32_t day, const VisitorEventLog& log);
  // How many flushes wrote the day's visitor_events and visitor_values since they were last
  // written whole or compacted (0: none stored).
  Status visitor_event_parts(std::string_view site, std::int32_t day, std::int64_t& parts);
  // Rewrites the day's stored visitor_events as one block per bucket (each visitor's chunks
  // merged) and its visitor_values as one list per (dimension, value); buckets and lists already
  // whole are left as they are. Call inside begin()/commit(): readers see the old rows or the
  // new. Memory: one bucket's blocks and the day's merged lists.
  Status compact_visitor_events(std::string_view site, std::int32_t day, VisitorEventsCompaction& out);
  Status delete_day(std::string_view site, std::int32_t day);
  Status delete_before(std::string_view site, std::int32_t day);
  Status delete_site(std::string_view site);

  Status set_meta(std::string_view key, std::string_view value);
  Status get_meta(std::string_view key, std::string& value, bool& found);
  // Days of a site that have roll-up rows, ascending.
  Status days(std::string_view site, std::vector<std::int32_t>& out);

  struct Statements;

 private:
  RollupWriter();
  SqliteConnection db_;
  std::unique_ptr<Statements> s_;
};

class RollupReader {
 public:
  static std::unique_ptr<RollupReader> open(const std::string& path, std::string& error);
  ~RollupReader();

  Status timeseries(const ReportScope& scope, Interval interval, const Filter& filter, std::vector<SeriesPoint>& out);
  Status breakdown(const ReportScope& scope, Dim dim, std::vector<BreakdownRow>& out);
  // Under one filter on a kPairDims dimension, by any dimension (Dim::All: the totals; their
  // entries are not kept and read 0).
  Status segment_breakdown(const ReportScope& scope, Dim dim, const Filter& filter, std::vector<BreakdownRow>& out);
  // Journey rows of every event (`filter` Dim::All) or under one filter on a kPairDims dimension.
  Status stage_sets(const ReportScope& scope, const Filter& filter, std::vector<StageSetRow>& out);
  Status paths(const ReportScope& scope, const Filter& filter, PathKind kind, std::size_t limit, PathResult& out);
  Status attribution(const ReportScope& scope, const Filter& filter, std::string_view goal, TouchKey by,
                     std::vector<AttributionRow>& out);
  Status units(const ReportScope& scope, const Filter& filter, UnitKind kind, std::vector<UnitRow>& exposed,
               std::vector<UnitGoalRow>& converted);
  // Calls `f(day, visitor, chunks)` for every visitor-day of the range (its visitor_events chunks,
  // valid during the call only), by day and visitor in the table's order (signed ascending). With
  // `only` (one day's range; visitors in that order), the other visitors' chunks are passed over
  // without decoding them; `skipped` counts those visitor-days.
  Status visitor_chunks(const ReportScope& scope, const VisitorDayFn& f, const std::vector<std::uint64_t>* only = nullptr,
                        std::int64_t* skipped = nullptr);
  // The visitors of `day` that have `dim` = `value` in some event (visitor_values), ascending as
  // unsigned and distinct; and how many visitor-days the day has (an upper bound when a visitor's
  // day was flushed in parts).
  Status visitors_with(std::string_view site, std::int32_t day, Dim dim, std::string_view value,
                       std::vector<std::uint64_t>& out);
  Status visitor_days(std::string_view site, std::int32_t day, std::int64_t& out);
  // Like visitor_chunks() for the given visitors of one day (in the table's order), reading only
  // their buckets' blocks.
  Status visitor_chunks_of(std::string_view site, std::int32_t day, const std::vector<std::uint64_t>& visitors,
                           const VisitorDayFn& f);
  // One read transaction over several calls: they see one state of the roll-ups, and each
  // statement does not start a transaction of its own (a file check and locks per lookup).
  Status begin_read();
  Status end_read();
  // Changes whenever another connection (the builder) has committed to the roll-ups since the
  // last call (SQLite's data_version): what was computed from them before is still exact while
  // it stays the same.
  Status data_version(std::int64_t& out);

  struct Statements;

 private:
  RollupReader();
  class BlockGroup;
  std::mutex mutex_;
  SqliteConnection db_;
  std::unique_ptr<Statements> s_;
  std::unique_ptr<BlockGroup> group_;
};

// Top `limit` paths of a {steps → visits} table, with totals (shared with the raw fallback).
void top_paths(std::vector<PathRow> all, std::size_t limit, PathResult& out);

}  // namespace ithaca::tracker
