// Everything reports need about one local day of one site, kept up to date one event at a
// time and in any order: counts per dimension value (per day and per hour), distinct visitors,
// visit entries, journey stage sets, page and stage paths, attribution credits, and exposure
// units with their conversions — the journey rows also per value of each kPairDims dimension, so
// journey, attribution, experiment and personalization reports under one filter need no scan. The SQLite roll-ups persist what it emits; the raw fallback
// and erasure rebuild run it over stored events. The definitions are in report_source.hpp and
// docs/reports.md; ClickHouse computes the same things in SQL.
//
// State per visitor-day is bounded by the distinct values it touched, not by its events. With a
// VisitorSpill, at most `visitors_in_memory` visitor-days stay in memory: the least recently
// seen others are serialized to the spill and read back when they send another event, so a
// day's memory is bounded by its distinct values, not by its visitors (counts stay exact).
// Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ithaca/tracker/event.hpp"
#include "ithaca/tracker/status.hpp"
#include "reports/report_source.hpp"

namespace ithaca::tracker {

// Receives aggregate rows (absolute values for the day).
class AggregateSink {
 public:
  virtual ~AggregateSink() = default;
  virtual void dim_day(Dim dim, std::string_view value, const Counts& counts, std::int64_t entries) = 0;
  virtual void dim_hour(int hour, Dim dim, std::string_view value, const Counts& counts) = 0;
  // A breakdown of the events whose `filter_dim` is `filter_value` (one of kPairDims; never
  // Dim::All or the filter's own dimension). Entries are visits' first *matching* pageviews.
  virtual void pair_day(Dim filter_dim, std::string_view filter_value, Dim dim, std::string_view value,
                        const Counts& counts, std::int64_t entries) = 0;
  // The journey rows that follow (stage sets, paths, attribution, units) are of the events whose
  // `filter_dim` is `filter_value`; Dim::All: of every event (the default at each emit()).
  virtual void segment(Dim filter_dim, std::string_view filter_value) = 0;
  virtual void stage_set(std::string_view stages, std::int64_t visitors) = 0;
  virtual void path(PathKind kind, std::string_view steps, std::int64_t visits) = 0;
  virtual void attribution(std::string_view goal, TouchKey by, const AttributionRow& row) = 0;
  virtual void unit(UnitKind kind, std::string_view key, std::string_view variant, std::int64_t visitors,
                    std::int64_t exposures) = 0;
  virtual void unit_goal(UnitKind kind, std::string_view key, std::string_view variant,
                         std::string_view goal, std::int64_t converted) = 0;
};

// Keeps one day's spilled visitor states (opaque bytes, meaningful only to the aggregator that
// wrote them) by visitor hash.
class VisitorSpill {
 public:
  virtual ~VisitorSpill() = default;
  virtual Status save(std::uint64_t visitor, std::string_view state) = 0;
  virtual Status load(std::uint64_t visitor, std::string& state, bool& found) = 0;
};

class DayAggregator {
 public:
  // Full: the roll-ups (counts, segment pairs, journey rows per segment value). Unsegmented: a
  // raw scan, whose filters are applied before add(), needs no segment rows.
  enum class Detail : std::uint8_t { Full, Unsegmented };

  // `spill` (may be null: everything stays in memory) must outlive the aggregator and hold
  // nothing of an earlier aggregator of the day.
  explicit DayAggregator(std::int32_t day, Detail detail = Detail::Full, VisitorSpill* spill = nullptr,
                         std::size_t visitors_in_memory = 0);
  ~DayAggregator();
  DayAggregator(const DayAggregator&) = delete;
  DayAggregator& operator=(const DayAggregator&) = delete;

  std::int32_t day() const noexcept { return day_; }
  // `hour` is the event's local hour of the day, 0..23. Only human events belong here.
  void add(const StoredEvent& event, int hour);

  // Emits every row (dirty_only = false) or only rows changed since clear_dirty(). A row whose
  // counters all fell to zero is emitted with zeros so that a store can delete it.
  void emit(AggregateSink& sink, bool dirty_only) const;
  void clear_dirty();

  std::size_t events() const noexcept { return events_; }
  std::size_t visitors_in_memory() const noexcept;
  // Spills the least recently seen visitors until at most `n` stay in memory (a day that gets no
  // events for a while need not hold its full working set). Without a spill, nothing.
  void keep_visitors(std::size_t n);
  // The first spill error: once set, the aggregator's numbers are incomplete and it must be
  // rebuilt.
  const Status& status() const noexcept;

  struct State;

 private:
  std::int32_t day_;
  Detail detail_;
  std::size_t events_ = 0;
  std::unique_ptr<State> state_;
};

}  // namespace ithaca::tracker
