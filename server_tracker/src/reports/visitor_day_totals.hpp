// Aggregates whole visitor-days at once, from their (matching) events as the visitor_events
// roll-up stores them (visitor_events.hpp). Every report row is a sum over visitor-days —
// visitors are visitor-days, visits and their entries and paths lie within one, exposure units
// and their conversions too, attribution credits belong to single conversions — so adding each
// visitor-day's own rows gives exactly what DayAggregator computes from the same events in any
// order; the tests hold both to the raw-event path. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "reports/day_aggregator.hpp"
#include "reports/string_map.hpp"
#include "reports/visitor_events.hpp"

namespace ithaca::tracker {

class VisitorDayTotals {
 public:
  // `dim`: the breakdown dimension wanted besides the totals (Dim::All: only the totals);
  // `journey`: stage sets, paths, attribution and units too.
  VisitorDayTotals(Dim dim, bool journey);
  ~VisitorDayTotals();

  // One visitor-day's events (of day `day`; days must not interleave: emit() between days).
  void add(const std::vector<const VisitorEvent*>& events);
  // Emits the day's rows (totals per day and hour, the breakdown dimension, journey rows) and
  // starts the next day empty.
  void emit(AggregateSink& sink);

 private:
  template <typename V>
  static V& at(StringMap<V>& map, std::string_view key) {
    auto it = map.find(key);
    if (it == map.end()) it = map.emplace(std::string(key), V{}).first;
    return it->second;
  }
  struct Row {
    Counts counts;
    std::int64_t entries = 0;
  };

  Dim dim_;
  bool journey_;
  Row total_;
  std::array<Counts, 24> hours_{};
  StringMap<Row> values_;
  StringMap<std::int64_t> stage_sets_;
  StringMap<std::int64_t> paths_[2];
  StringMap<AttributionRow> attribution_[3];  // per touch key, by goal + '\x1f' + key
  StringMap<UnitRow> units_[2];               // by key + '\x1f' + variant
  StringMap<std::int64_t> unit_goals_[2];     // by key + '\x1f' + variant + '\x1f' + goal
  std::string scratch_;
  struct Buffers;  // one visitor-day's working lists, kept (with their capacity) for the next
  std::unique_ptr<Buffers> buffers_;
};

}  // namespace ithaca::tracker
