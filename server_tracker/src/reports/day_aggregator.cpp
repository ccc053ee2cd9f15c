// DayAggregator (day_aggregator.hpp says what it keeps), in four parts, in this order: the
// counters and per-visitor records (StringPool, FlatMap, VisitorDay, …), Journeys (the journey
// rows, of every event and of each segment value) and State, which holds them all; adding an event (add, journey); emitting rows (emit, emit_journey, clear_dirty); and
// spilling visitor states to a VisitorSpill and reading them back (StateWriter, StateReader).
#include "reports/day_aggregator.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <tuple>
#include <type_traits>

#include "reports/event_facts.hpp"
#include "reports/string_map.hpp"

namespace ithaca::tracker {
namespace {

// What one visitor-day may add to its own lists, each searched linearly per event: visits,
// distinct value tuples, segment values, stage names, exposure units and goals. Beyond, a visitor-day is a
// client sending what no browser does (tens of thousands of visits or pages a day), and made the
// builder quadratic in its events: a review reproduced every report of every site answering 503
// for minutes after 40,000 events of one visitor. Events beyond a cap still count in every total;
// the capped visitor-day's further visits fold into its last one, and its further values add no
// distinct-visitor counts or journey rows under a segment filter, no stage sets and no exposure
// units (reports.md).
constexpr std::size_t kMaxPerVisitorDay = 256;
// A visit's pages and stages in first-seen order: only the first kMaxPathSteps make its path, and
// an entry further down can never rise into them (entries only move earlier by being seen
// earlier, and then they are inserted again), so the rest is dropped — exactly.
constexpr std::size_t kMaxTimedKept = 64;

// Interned strings of one day; id 0 is "".
class StringPool {
 public:
  StringPool() { id(""); }
  std::uint32_t id(std::string_view s) {
    auto it = ids_.find(s);
    if (it != ids_.end()) return it->second;
    auto [pos, inserted] = ids_.emplace(std::string(s), static_cast<std::uint32_t>(strings_.size()));
    strings_.push_back(&pos->first);
    bytes_ += s.size() + 64;
    return pos->second;
  }
  const std::string& str(std::uint32_t id) const { return *strings_[id]; }
  std::size_t bytes() const { return bytes_; }

  // The last list of steps joined (State::steps_of): an event usually gives the segment states
  // it feeds the same steps as the top level, and joining and hashing them is most of the cost.
  std::array<std::uint32_t, kMaxPathSteps> last_steps{};
  std::size_t last_steps_size = kMaxPathSteps + 1;  // none yet
  std::uint32_t last_steps_id = 0;

 private:
  StringMap<std::uint32_t> ids_;
  std::vector<const std::string*> strings_;  // the map is node-based: pointers stay valid
  std::size_t bytes_ = 0;
};

inline std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

struct DimCounts {
  Counts counts;
  std::int64_t entries = 0;
  bool dirty = false;
};

struct Counter {
  std::int64_t n = 0;
  bool dirty = false;
};

struct AttrKey {
  std::uint32_t goal, key;
  std::uint8_t by;
  bool operator==(const AttrKey&) const = default;
};
struct AttrKeyHash {
  std::size_t operator()(const AttrKey& k) const noexcept {
    return mix((static_cast<std::uint64_t>(k.goal) << 34) ^ (static_cast<std::uint64_t>(k.by) << 32) ^ k.key);
  }
};
struct AttrCounts {
  AttributionRow row;
  bool dirty = false;
};

struct UnitKey {
  std::uint8_t kind;
  std::uint32_t key, variant;
  bool operator==(const UnitKey&) const = default;
};
struct UnitKeyHash {
  std::size_t operator()(const UnitKey& k) const noexcept {
    return mix((static_cast<std::uint64_t>(k.key) << 33) ^ (static_cast<std::uint64_t>(k.kind) << 32) ^ k.variant);
  }
};
struct UnitCounts {
  std::int64_t visitors = 0, exposures = 0;
  bool dirty = false;
};
struct UnitGoalKey {
  UnitKey unit;
  std::uint32_t goal;
  bool operator==(const UnitGoalKey&) const = default;
};
// (segment scope, dimension, filter value, value) packed as 4 + 4 + 28 + 28 bits; a day's
// string pool stays far below 2^28 distinct strings.
constexpr std::uint64_t pair_key(std::uint64_t scope, std::uint64_t dim, std::uint64_t filter_value,
                                 std::uint64_t value) {
  return scope << 60 | dim << 56 | (filter_value & 0xFFFFFFF) << 28 | (value & 0xFFFFFFF);
}

// An open-addressing map from 64-bit keys to values kept in insertion order (so indices stay
// valid): the per-segment counters are the aggregator's hottest structure.
template <typename V>
class FlatMap {
 public:
  // Small unless told: every segment state has one, and most stay empty (a review measured
  // 4 KB of empty slots per distinct page a client invented).
  explicit FlatMap(std::size_t slots = 16) : slots_(slots, kEmpty) {}
  std::uint32_t index(std::uint64_t key) {
    std::size_t mask = slots_.size() - 1, i = mix(key) & mask;
    while (slots_[i] != kEmpty) {
      if (entries_[slots_[i]].first == key) return slots_[i];
      i = (i + 1) & mask;
    }
    slots_[i] = static_cast<std::uint32_t>(entries_.size());
    entries_.emplace_back(key, V{});
    if (entries_.size() * 2 > slots_.size()) grow();
    return static_cast<std::uint32_t>(entries_.size() - 1);
  }
  std::pair<std::uint64_t, V>& at(std::uint32_t i) { return entries_[i]; }
  const std::vector<std::pair<std::uint64_t, V>>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFF;
  void grow() {
    std::vector<std::uint32_t> slots(slots_.size() * 2, kEmpty);
    const std::size_t mask = slots.size() - 1;
    for (std::uint32_t e = 0; e < entries_.size(); ++e) {
      std::size_t i = mix(entries_[e].first) & mask;
      while (slots[i] != kEmpty) i = (i + 1) & mask;
      slots[i] = e;
    }
    slots_.swap(slots);
  }
  std::vector<std::uint32_t> slots_;
  std::vector<std::pair<std::uint64_t, V>> entries_;
};

struct UnitGoalKeyHash {
  std::size_t operator()(const UnitGoalKey& k) const noexcept {
    return mix(UnitKeyHash{}(k.unit) * 31 + k.goal);
  }
};

struct TimedId {
  std::int64_t ts;
  std::uint32_t id;
};

using DimValues = std::array<std::uint32_t, kDimCount>;

// A visit's first pageview among those matching one segment value; `tuple` indexes the
// visitor-day's distinct value tuples (usually the visit's entry, shared by every scope).
struct ScopeEntry {
  std::uint8_t scope;
  std::uint32_t filter_value;
  std::int64_t ts;
  std::uint32_t path, event;  // event: index into VisitorDay::event_ids
  std::uint32_t tuple;
};

struct Visit {
  std::int64_t number = -1;
  bool has_entry = false;
  std::int64_t entry_ts = 0;
  std::uint32_t entry_path = 0, entry_event = 0;  // entry_event: index into VisitorDay::event_ids
  std::array<std::uint32_t, kDimCount> entry_dims{};
  std::vector<TimedId> pages;   // distinct, ordered by (first view, name)
  std::vector<TimedId> stages;  // distinct, ordered by (first seen, name)
  std::uint32_t page_steps = 0, stage_steps = 0;  // interned sequences, 0 = none
  std::vector<ScopeEntry> scope_entries;
};

struct Unit {
  UnitKey key;
  std::int64_t first_ts = 0;
  std::vector<std::uint32_t> converted;  // goals this unit counts as converted for
};

struct Goal {
  std::uint32_t id;
  std::int64_t last_ts;
};

struct VisitorDay {
  std::vector<std::uint64_t> seen;  // sorted (dim, hour or 24, value) keys
  // The distinct value tuples of its events: a segment pair (scope value, dimension value) is new
  // for the visitor-day exactly when no earlier tuple holds both.
  std::vector<DimValues> tuples;
  std::vector<Visit> visits;
  std::vector<std::uint32_t> stages;  // distinct stage names
  std::uint32_t stage_set = 0;
  std::vector<Unit> units;
  std::vector<Goal> goals;
  // Ids of the pageviews that are (or were) visit entries: only ties on time and page compare
  // them, and keeping them here rather than in the day's string pool keeps the pool from
  // growing with every pageview.
  std::vector<std::string> event_ids;
};

// Everything a Full aggregator keeps for one visitor: its own visitor-day and one per segment
// value its events had (the journey rows under one filter).
struct VisitorState {
  VisitorDay top;
  std::vector<std::pair<std::uint64_t, VisitorDay>> segments;  // (scope << 32) | filter value
  std::uint64_t used = 0;
};

constexpr int kDayLevel = 24;

inline std::uint64_t seen_key(int dim, int hour, std::uint32_t value) {
  return (static_cast<std::uint64_t>(dim) << 40) | (static_cast<std::uint64_t>(hour) << 32) | value;
}

template <typename T>
bool insert_sorted(std::vector<T>& v, const T& key) {
  auto it = std::lower_bound(v.begin(), v.end(), key);
  if (it != v.end() && *it == key) return false;
  v.insert(it, key);
  return true;
}

}  // namespace

// The strings of one event that journey() reads, interned once for the aggregator and all its
// segment states (they share one pool): each event feeds journey() once per segment value.
struct EventIds {
  std::uint32_t path = 0, name = 0, stage = 0, variant = 0, experiment = 0, slot = 0;
  // Conversions: the touchpoints' keys by TouchKey — first, last, then the linear ones.
  std::vector<std::array<std::uint32_t, 3>> touches;
};

namespace {

// The journey rows — stage sets, paths, attribution, exposure units and their conversions — of
// every event (the top level, State) or of the events of one segment value. There is one of the
// latter per distinct page, landing page, event name, … of the day, so it holds only what those
// rows need and shares the top level's pool (as a whole State, with a pool of its own and the
// top level's 1,024-slot pair table, a day of 40,000 distinct pages cost 275 MiB, not 180:
// bench/reports/distinct_pages.py).
struct Journeys {
  explicit Journeys(StringPool& shared) : pool(shared) {}
  StringPool& pool;
  std::uint32_t any_goal = pool.id("*");
  std::unordered_map<std::uint32_t, Counter> stage_sets;
  std::unordered_map<std::uint64_t, Counter> paths;  // (kind << 32) | steps
  std::unordered_map<AttrKey, AttrCounts, AttrKeyHash> attribution;
  std::unordered_map<UnitKey, UnitCounts, UnitKeyHash> units;
  std::unordered_map<UnitGoalKey, Counter, UnitGoalKeyHash> unit_goals;

  // Rows changed since the last clear_dirty(), so a flush touches only those (map nodes are
  // stable, so the pointers stay valid).
  std::vector<decltype(stage_sets)::value_type*> dirty_stage_sets;
  std::vector<decltype(paths)::value_type*> dirty_paths;
  std::vector<decltype(attribution)::value_type*> dirty_attribution;
  std::vector<decltype(units)::value_type*> dirty_units;
  std::vector<decltype(unit_goals)::value_type*> dirty_unit_goals;

  template <typename Map>
  typename Map::mapped_type& touch(Map& map, std::vector<typename Map::value_type*>& dirty,
                                   const typename Map::key_type& key) {
    auto& entry = *map.try_emplace(key).first;
    if (!entry.second.dirty) {
      entry.second.dirty = true;
      dirty.push_back(&entry);
    }
    return entry.second;
  }

  bool less(const TimedId& a, const TimedId& b) const {
    if (a.ts != b.ts) return a.ts < b.ts;
    return pool.str(a.id) < pool.str(b.id);
  }

  // Records that `id` was seen at `ts`; returns true when the ordered list changed.
  bool touch(std::vector<TimedId>& list, std::uint32_t id, std::int64_t ts) {
    auto it = std::find_if(list.begin(), list.end(), [&](const TimedId& t) { return t.id == id; });
    if (it != list.end()) {
      if (ts >= it->ts) return false;
      list.erase(it);  // it moves earlier: the top steps change only if it lands among them
    }
    TimedId item{ts, id};
    auto pos = std::lower_bound(list.begin(), list.end(), item,
                                [&](const TimedId& a, const TimedId& b) { return less(a, b); });
    const bool visible = pos - list.begin() < kMaxPathSteps;
    if (static_cast<std::size_t>(pos - list.begin()) >= kMaxTimedKept) return false;
    list.insert(pos, item);
    if (list.size() > kMaxTimedKept) list.pop_back();
    return visible;
  }

  std::uint32_t steps_of(const std::vector<TimedId>& list) {
    const std::size_t n = std::min<std::size_t>(list.size(), kMaxPathSteps);
    auto same = [&] {
      if (n != pool.last_steps_size) return false;
      for (std::size_t i = 0; i < n; ++i) {
        if (list[i].id != pool.last_steps[i]) return false;
      }
      return true;
    };
    if (same()) return pool.last_steps_id;
    std::string joined;
    for (std::size_t i = 0; i < n; ++i) {
      if (i) joined += kListSeparator;
      joined += pool.str(list[i].id);
      pool.last_steps[i] = list[i].id;
    }
    pool.last_steps_size = n;
    pool.last_steps_id = pool.id(joined);
    return pool.last_steps_id;
  }

  void move_path(PathKind kind, std::uint32_t& current, std::uint32_t next) {
    if (current == next) return;
    const std::uint64_t k = static_cast<std::uint64_t>(kind) << 32;
    if (current) --touch(paths, dirty_paths, k | current).n;
    ++touch(paths, dirty_paths, k | next).n;
    current = next;
  }

  void refresh_conversions(VisitorDay& v, Unit& u) {
    for (const Goal& g : v.goals) {
      const bool should = g.last_ts >= u.first_ts;
      auto it = std::find(u.converted.begin(), u.converted.end(), g.id);
      const bool was = it != u.converted.end();
      if (should == was) continue;
      Counter& c = touch(unit_goals, dirty_unit_goals, UnitGoalKey{u.key, g.id});
      if (should) {
        ++c.n;
        u.converted.push_back(g.id);
      } else {
        --c.n;
        u.converted.erase(it);
      }
    }
  }

  void journey(const StoredEvent& e, const EventIds& ids, VisitorDay& v, Visit& visit, const Touches& touches);
  void emit_journey(AggregateSink& sink, bool dirty_only) const;
  void clear_dirty();
};

// The top level's pool: a base of State, so that it is made before the Journeys that use it.
struct OwnPool {
  StringPool own_pool;
};

}  // namespace

// One site-day: counters per dimension value (day and hour) and per pair of values, the
// visitors' states (in memory or spilled), and the journey rows of every event and of each
// segment value.
struct DayAggregator::State : OwnPool, Journeys {
  State() : Journeys(own_pool) {}
  std::unordered_map<std::uint64_t, DimCounts> dim_day;   // (dim << 32) | value
  std::unordered_map<std::uint64_t, DimCounts> dim_hour;  // (hour << 40) | (dim << 32) | value
  FlatMap<DimCounts> pair_day{1024};  // the aggregator's hottest map
  std::unordered_map<std::uint64_t, VisitorState> visitors;  // in memory; the others are spilled
  // Journey rows per segment value: (scope << 32) | filter value id → their counters.
  std::unordered_map<std::uint64_t, std::unique_ptr<Journeys>> segments;
  VisitorSpill* spill = nullptr;
  std::size_t max_visitors = 0;  // 0: no bound
  std::uint64_t tick = 0;
  Status status;
  std::string buffer;  // reused for (de)serializing visitor states

  // Rows changed since the last clear_dirty(), as in Journeys.
  std::vector<decltype(dim_day)::value_type*> dirty_dim_day;
  std::vector<decltype(dim_hour)::value_type*> dirty_dim_hour;
  std::vector<std::uint32_t> dirty_pair_day;  // indices into pair_day

  DimCounts& touch_pair(std::uint64_t key) {
    const std::uint32_t i = pair_day.index(key);
    DimCounts& c = pair_day.at(i).second;
    if (!c.dirty) {
      c.dirty = true;
      dirty_pair_day.push_back(i);
    }
    return c;
  }

  void entry_delta(const std::array<std::uint32_t, kDimCount>& dims, int delta) {
    for (int d = 0; d < kDimCount; ++d) {
      touch(dim_day, dirty_dim_day, (static_cast<std::uint64_t>(d) << 32) | dims[d]).entries += delta;
    }
  }

  void pair_entry_delta(std::uint8_t scope, std::uint32_t filter_value, const DimValues& dims, int delta) {
    const int own = static_cast<int>(kPairDims[scope]);
    for (int d = 1; d < kDimCount; ++d) {
      if (d == own) continue;
      touch_pair(pair_key(scope, static_cast<std::uint64_t>(d), filter_value, dims[d])).entries += delta;
    }
  }

  bool earlier(std::int64_t ts, std::uint32_t path, std::string_view event, std::int64_t ts2, std::uint32_t path2,
               std::string_view event2) const {
    return std::forward_as_tuple(ts, pool.str(path), event) < std::forward_as_tuple(ts2, pool.str(path2), event2);
  }

  static std::uint32_t event_ref(VisitorDay& v, std::string_view id) {
    for (std::uint32_t i = 0; i < v.event_ids.size(); ++i) {
      if (v.event_ids[i] == id) return i;
    }
    v.event_ids.emplace_back(id);
    return static_cast<std::uint32_t>(v.event_ids.size() - 1);
  }

  // The visitor's day under one segment value; null past kMaxPerVisitorDay of them.
  static VisitorDay* segment_day(VisitorState& v, std::uint64_t key) {
    for (auto& [k, day] : v.segments) {
      if (k == key) return &day;
    }
    if (v.segments.size() >= kMaxPerVisitorDay) return nullptr;
    return &v.segments.emplace_back(key, VisitorDay{}).second;
  }

  VisitorState& visitor(std::uint64_t id);
  void spill_oldest(std::size_t keep);
  void clear_dirty();

  static Visit& visit_of(VisitorDay& v, std::int64_t number) {
    auto it = std::find_if(v.visits.begin(), v.visits.end(), [&](const Visit& x) { return x.number == number; });
    if (it != v.visits.end()) return *it;
    if (v.visits.size() >= kMaxPerVisitorDay) return v.visits.back();  // kMaxPerVisitorDay
    v.visits.emplace_back();
    v.visits.back().number = number;
    return v.visits.back();
  }
};

DayAggregator::DayAggregator(std::int32_t day, Detail detail, VisitorSpill* spill, std::size_t visitors_in_memory)
    : day_(day), detail_(detail), state_(std::make_unique<State>()) {
  state_->spill = spill;
  state_->max_visitors = spill ? std::max<std::size_t>(visitors_in_memory, 1) : 0;
}
DayAggregator::~DayAggregator() = default;

// ------------------------------------------------------------------------ adding an event

void DayAggregator::add(const StoredEvent& e, int hour) {
  State& s = *state_;
  ++events_;
  // Parsed once for this aggregator and every segment it feeds.
  const Touches touches = e.type == EventType::Conversion ? extract_touches(e.context_json) : Touches{};
  const std::int64_t number = e.visit_count.value_or(-1);
  const bool segmented = detail_ == Detail::Full;
  hour = std::clamp(hour, 0, 23);
  std::array<std::uint32_t, kDimCount> dims;
  for (int d = 0; d < kDimCount; ++d) dims[d] = s.pool.id(dimension_value(e, static_cast<Dim>(d)));
  const bool pageview = e.type == EventType::Pageview;
  VisitorState& state = s.visitor(e.visitor);
  VisitorDay& v = state.top;

  for (int d = 0; d < kDimCount; ++d) {
    DimCounts& day = s.touch(s.dim_day, s.dirty_dim_day, (static_cast<std::uint64_t>(d) << 32) | dims[d]);
    DimCounts& hr = s.touch(s.dim_hour, s.dirty_dim_hour,
                            (static_cast<std::uint64_t>(hour) << 40) | (static_cast<std::uint64_t>(d) << 32) | dims[d]);
    ++day.counts.events;
    ++hr.counts.events;
    if (pageview) {
      ++day.counts.pageviews;
      ++hr.counts.pageviews;
    }
    if (insert_sorted(v.seen, seen_key(d, kDayLevel, dims[d]))) ++day.counts.visitors;
    if (insert_sorted(v.seen, seen_key(d, hour, dims[d]))) ++hr.counts.visitors;
  }
  // The same per segment value, for breakdowns under one filter.
  std::uint32_t tuple = 0;
  bool tuple_kept = true;  // false: past kMaxPerVisitorDay, this event's values are not kept
  if (segmented) {
    while (tuple < v.tuples.size() && v.tuples[tuple] != dims) ++tuple;
    tuple_kept = tuple < v.tuples.size() || v.tuples.size() < kMaxPerVisitorDay;
    const bool new_tuple = tuple == v.tuples.size() && tuple_kept;
    for (std::uint8_t sc = 0; sc < kPairDims.size(); ++sc) {
      const int own = static_cast<int>(kPairDims[sc]);
      const std::uint32_t fv = dims[own];
      for (int d = 1; d < kDimCount; ++d) {
        if (d == own) continue;
        DimCounts& c = s.touch_pair(pair_key(sc, static_cast<std::uint64_t>(d), fv, dims[d]));
        ++c.counts.events;
        if (pageview) ++c.counts.pageviews;
        if (new_tuple && std::none_of(v.tuples.begin(), v.tuples.end(), [&](const DimValues& t) {
              return t[own] == fv && t[d] == dims[d];
            })) {
          ++c.counts.visitors;
        }
      }
    }
    if (new_tuple) v.tuples.push_back(dims);
  }

  Visit& visit = State::visit_of(v, number);
  if (pageview) {
    const std::uint32_t path = dims[static_cast<int>(Dim::Page)];
    const std::string_view event_id = e.event_id;
    std::uint32_t event_ref = 0xFFFFFFFF;  // interned only when it becomes an entry
    auto ref = [&] {
      if (event_ref == 0xFFFFFFFF) event_ref = State::event_ref(v, event_id);
      return event_ref;
    };
    // (An entry keeps the index of its tuple, to take its counts back when an earlier pageview
    // replaces it: an event whose tuple is not kept makes no entry.)
    for (std::uint8_t sc = 0; segmented && tuple_kept && sc < kPairDims.size(); ++sc) {
      const std::uint32_t fv = dims[static_cast<int>(kPairDims[sc])];
      auto it = std::find_if(visit.scope_entries.begin(), visit.scope_entries.end(),
                             [&](const ScopeEntry& x) { return x.scope == sc && x.filter_value == fv; });
      if (it == visit.scope_entries.end()) {
        visit.scope_entries.push_back(ScopeEntry{sc, fv, e.ts_ms, path, ref(), tuple});
        s.pair_entry_delta(sc, fv, dims, +1);
      } else if (s.earlier(e.ts_ms, path, event_id, it->ts, it->path, v.event_ids[it->event])) {
        s.pair_entry_delta(sc, fv, v.tuples[it->tuple], -1);
        *it = ScopeEntry{sc, fv, e.ts_ms, path, ref(), tuple};
        s.pair_entry_delta(sc, fv, dims, +1);
      }
    }
    const bool earlier = !visit.has_entry || s.earlier(e.ts_ms, path, event_id, visit.entry_ts, visit.entry_path,
                                                       v.event_ids[visit.entry_event]);
    if (earlier) {
      if (visit.has_entry) s.entry_delta(visit.entry_dims, -1);
      visit.has_entry = true;
      visit.entry_ts = e.ts_ms;
      visit.entry_path = path;
      visit.entry_event = ref();
      visit.entry_dims = dims;
      s.entry_delta(dims, +1);
    }
  }
  EventIds ids;
  ids.path = dims[static_cast<int>(Dim::Page)];
  ids.name = dims[static_cast<int>(Dim::Event)];
  if (!e.journey_stage.empty()) ids.stage = s.pool.id(e.journey_stage);
  if (e.type == EventType::Exposure) {
    ids.variant = s.pool.id(e.variant);
    if (!e.experiment.empty()) ids.experiment = s.pool.id(e.experiment);
    if (!e.slot.empty()) ids.slot = s.pool.id(e.slot);
  }
  if (e.type == EventType::Conversion) {
    auto keys = [&](const Touch& t) {
      return std::array<std::uint32_t, 3>{s.pool.id(t.category), s.pool.id(t.source), s.pool.id(t.campaign)};
    };
    ids.touches.reserve(2 + touches.linear.size());
    ids.touches.push_back(keys(touches.first));
    ids.touches.push_back(keys(touches.last));
    for (const Touch& t : touches.linear) ids.touches.push_back(keys(t));
  }
  s.journey(e, ids, v, visit, touches);

  // Journey rows under one filter: the matching events, aggregated as if they were all there is.
  for (std::uint8_t sc = 0; segmented && sc < kPairDims.size(); ++sc) {
    const std::uint32_t fv = dims[static_cast<int>(kPairDims[sc])];
    const std::uint64_t key = (static_cast<std::uint64_t>(sc) << 32) | fv;
    VisitorDay* nv = State::segment_day(state, key);
    if (!nv) continue;  // kMaxPerVisitorDay: this visitor's further values add no segment journeys
    auto& nested = s.segments[key];
    if (!nested) nested = std::make_unique<Journeys>(s.pool);
    nested->journey(e, ids, *nv, State::visit_of(*nv, number), touches);
  }
  if (s.max_visitors && s.visitors.size() > s.max_visitors) s.spill_oldest(s.max_visitors - s.max_visitors / 4);
}

void DayAggregator::keep_visitors(std::size_t n) {
  if (state_->spill && state_->visitors.size() > n) state_->spill_oldest(n);
}

void Journeys::journey(const StoredEvent& e, const EventIds& ids, VisitorDay& v, Visit& visit,
                       const Touches& touches) {
  Journeys& s = *this;
  if (e.type == EventType::Pageview) {
    if (s.touch(visit.pages, ids.path, e.ts_ms)) {
      s.move_path(PathKind::Pages, visit.page_steps, s.steps_of(visit.pages));
    }
  }
  if (!e.journey_stage.empty()) {
    const std::uint32_t stage = ids.stage;
    if (s.touch(visit.stages, stage, e.ts_ms)) {
      s.move_path(PathKind::Stages, visit.stage_steps, s.steps_of(visit.stages));
    }
    if (v.stages.size() < kMaxPerVisitorDay && std::find(v.stages.begin(), v.stages.end(), stage) == v.stages.end()) {
      v.stages.push_back(stage);
      std::vector<const std::string*> names;
      for (std::uint32_t id : v.stages) names.push_back(&s.pool.str(id));
      std::sort(names.begin(), names.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
      std::string joined;
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) joined += kListSeparator;
        joined += *names[i];
      }
      const std::uint32_t set = s.pool.id(joined);
      if (v.stage_set) --s.touch(s.stage_sets, s.dirty_stage_sets, v.stage_set).n;
      ++s.touch(s.stage_sets, s.dirty_stage_sets, set).n;
      v.stage_set = set;
    }
  }

  if (e.type == EventType::Exposure) {
    for (auto [kind, name, id] : {std::tuple{UnitKind::Experiment, &e.experiment, ids.experiment},
                                  std::tuple{UnitKind::Slot, &e.slot, ids.slot}}) {
      if (name->empty()) continue;
      const UnitKey key{static_cast<std::uint8_t>(kind), id, ids.variant};
      UnitCounts& counts = s.touch(s.units, s.dirty_units, key);
      ++counts.exposures;
      auto uit = std::find_if(v.units.begin(), v.units.end(), [&](const Unit& u) { return u.key == key; });
      if (uit == v.units.end() && v.units.size() >= kMaxPerVisitorDay) continue;  // kMaxPerVisitorDay
      if (uit == v.units.end()) {
        ++counts.visitors;
        v.units.push_back(Unit{key, e.ts_ms, {}});
        s.refresh_conversions(v, v.units.back());
      } else if (e.ts_ms < uit->first_ts) {
        uit->first_ts = e.ts_ms;
        s.refresh_conversions(v, *uit);
      }
    }
  }

  if (e.type == EventType::Conversion) {
    bool changed = false;
    for (std::uint32_t goal : {ids.name, s.any_goal}) {
      auto git = std::find_if(v.goals.begin(), v.goals.end(), [&](const Goal& g) { return g.id == goal; });
      if (git == v.goals.end() && v.goals.size() >= kMaxPerVisitorDay) continue;  // kMaxPerVisitorDay
      if (git == v.goals.end()) {
        v.goals.push_back(Goal{goal, e.ts_ms});
        changed = true;
      } else if (e.ts_ms > git->last_ts) {
        git->last_ts = e.ts_ms;
        changed = true;
      }
    }
    if (changed) {
      for (Unit& u : v.units) s.refresh_conversions(v, u);
    }

    const std::int64_t value = value_micro(e.value);
    const std::uint32_t goal = ids.name;
    const std::size_t n = touches.linear.size();
    for (std::uint8_t by = 0; by < 3; ++by) {
      // ids.touches: first, last, then the linear touchpoints.
      auto credit = [&](std::size_t touch) -> AttrCounts& {
        return s.touch(s.attribution, s.dirty_attribution, AttrKey{goal, ids.touches[touch][by], by});
      };
      AttrCounts& first = credit(0);
      first.row.first += kMicro;
      first.row.first_value += value;
      AttrCounts& last = credit(1);
      last.row.last += kMicro;
      last.row.last_value += value;
      for (std::size_t i = 0; i < n; ++i) {
        AttrCounts& c = credit(2 + i);
        c.row.linear += linear_credit(i, n);
        c.row.linear_value += linear_share(value, i, n);
      }
    }
  }
}

// ------------------------------------------------------------------------ emitting rows

namespace {

// Calls `f` on every entry of `map`, or only on those in `dirty`.
template <typename Map, typename F>
void each(const Map& map, const std::vector<typename Map::value_type*>& dirty, bool dirty_only, F&& f) {
  if (dirty_only) {
    for (const auto* entry : dirty) f(entry->first, entry->second);
  } else {
    for (const auto& [key, value] : map) f(key, value);
  }
}

}  // namespace

void Journeys::emit_journey(AggregateSink& sink, bool dirty_only) const {
  const Journeys& s = *this;
  const auto& str = [&](std::uint32_t id) -> const std::string& { return s.pool.str(id); };
  each(s.stage_sets, s.dirty_stage_sets, dirty_only,
       [&](std::uint32_t set, const Counter& c) { sink.stage_set(str(set), c.n); });
  each(s.paths, s.dirty_paths, dirty_only, [&](std::uint64_t key, const Counter& c) {
    sink.path(static_cast<PathKind>(key >> 32), str(static_cast<std::uint32_t>(key)), c.n);
  });
  each(s.attribution, s.dirty_attribution, dirty_only, [&](const AttrKey& key, const AttrCounts& c) {
    AttributionRow row = c.row;
    row.key = str(key.key);
    sink.attribution(str(key.goal), static_cast<TouchKey>(key.by), row);
  });
  each(s.units, s.dirty_units, dirty_only, [&](const UnitKey& key, const UnitCounts& c) {
    sink.unit(static_cast<UnitKind>(key.kind), str(key.key), str(key.variant), c.visitors, c.exposures);
  });
  each(s.unit_goals, s.dirty_unit_goals, dirty_only, [&](const UnitGoalKey& key, const Counter& c) {
    sink.unit_goal(static_cast<UnitKind>(key.unit.kind), str(key.unit.key), str(key.unit.variant), str(key.goal), c.n);
  });
}

void DayAggregator::emit(AggregateSink& sink, bool dirty_only) const {
  const State& s = *state_;
  sink.segment(Dim::All, "");
  const auto& str = [&](std::uint32_t id) -> const std::string& { return s.pool.str(id); };
  each(s.dim_day, s.dirty_dim_day, dirty_only, [&](std::uint64_t key, const DimCounts& c) {
    sink.dim_day(static_cast<Dim>(key >> 32), str(static_cast<std::uint32_t>(key)), c.counts, c.entries);
  });
  each(s.dim_hour, s.dirty_dim_hour, dirty_only, [&](std::uint64_t key, const DimCounts& c) {
    sink.dim_hour(static_cast<int>(key >> 40), static_cast<Dim>((key >> 32) & 0xff),
                  str(static_cast<std::uint32_t>(key)), c.counts);
  });
  s.emit_journey(sink, dirty_only);
  auto pair = [&](std::uint64_t key, const DimCounts& c) {
    sink.pair_day(kPairDims[key >> 60], str(static_cast<std::uint32_t>((key >> 28) & 0xFFFFFFF)),
                  static_cast<Dim>((key >> 56) & 0xF), str(static_cast<std::uint32_t>(key & 0xFFFFFFF)), c.counts,
                  c.entries);
  };
  if (dirty_only) {
    for (std::uint32_t i : s.dirty_pair_day) pair(s.pair_day.entries()[i].first, s.pair_day.entries()[i].second);
  } else {
    for (const auto& [key, c] : s.pair_day.entries()) pair(key, c);
  }
  for (const auto& [key, nested] : s.segments) {
    sink.segment(kPairDims[key >> 32], str(static_cast<std::uint32_t>(key)));
    nested->emit_journey(sink, dirty_only);
  }
  sink.segment(Dim::All, "");
}

namespace {

template <typename Dirty>
void clear(Dirty& dirty) {
  for (auto* entry : dirty) entry->second.dirty = false;
  dirty.clear();
}

}  // namespace

void Journeys::clear_dirty() {
  clear(dirty_stage_sets);
  clear(dirty_paths);
  clear(dirty_attribution);
  clear(dirty_units);
  clear(dirty_unit_goals);
}

void DayAggregator::State::clear_dirty() {
  clear(dirty_dim_day);
  clear(dirty_dim_hour);
  for (std::uint32_t i : dirty_pair_day) pair_day.at(i).second.dirty = false;
  dirty_pair_day.clear();
  Journeys::clear_dirty();
  for (auto& [key, nested] : segments) nested->clear_dirty();
}

void DayAggregator::clear_dirty() { state_->clear_dirty(); }

std::size_t DayAggregator::visitors_in_memory() const noexcept { return state_->visitors.size(); }

const Status& DayAggregator::status() const noexcept { return state_->status; }

// ------------------------------------------------------------------------ spilled visitor state

namespace {

// A visitor's state as bytes: fixed-size little-endian-as-in-memory integers and
// length-prefixed lists. Read back only by the process that wrote it (the spill is emptied
// whenever its aggregator is dropped), so no versioning is needed.
class StateWriter {
 public:
  explicit StateWriter(std::string& out) : out_(out) { out_.clear(); }
  template <typename T>
  void num(T v) {
    static_assert(std::is_arithmetic_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void size(std::size_t n) { num(static_cast<std::uint32_t>(n)); }
  void str(const std::string& v) {
    size(v.size());
    out_.append(v);
  }
  void dims(const DimValues& d) {
    for (std::uint32_t x : d) num(x);
  }
  void timed(const std::vector<TimedId>& list) {
    size(list.size());
    for (const TimedId& t : list) {
      num(t.ts);
      num(t.id);
    }
  }
  void day(const VisitorDay& v) {
    size(v.seen.size());
    for (std::uint64_t k : v.seen) num(k);
    size(v.tuples.size());
    for (const DimValues& t : v.tuples) dims(t);
    size(v.visits.size());
    for (const Visit& x : v.visits) {
      num(x.number);
      num(static_cast<std::uint8_t>(x.has_entry));
      num(x.entry_ts);
      num(x.entry_path);
      num(x.entry_event);
      dims(x.entry_dims);
      timed(x.pages);
      timed(x.stages);
      num(x.page_steps);
      num(x.stage_steps);
      size(x.scope_entries.size());
      for (const ScopeEntry& e : x.scope_entries) {
        num(e.scope);
        num(e.filter_value);
        num(e.ts);
        num(e.path);
        num(e.event);
        num(e.tuple);
      }
    }
    size(v.stages.size());
    for (std::uint32_t x : v.stages) num(x);
    num(v.stage_set);
    size(v.units.size());
    for (const Unit& u : v.units) {
      num(u.key.kind);
      num(u.key.key);
      num(u.key.variant);
      num(u.first_ts);
      size(u.converted.size());
      for (std::uint32_t g : u.converted) num(g);
    }
    size(v.goals.size());
    for (const Goal& g : v.goals) {
      num(g.id);
      num(g.last_ts);
    }
    size(v.event_ids.size());
    for (const std::string& id : v.event_ids) str(id);
  }

 private:
  std::string& out_;
};

class StateReader {
 public:
  explicit StateReader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_ && pos_ == in_.size(); }
  template <typename T>
  T num() {
    T v{};
    if (pos_ + sizeof v > in_.size()) {
      ok_ = false;
      return v;
    }
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  std::size_t size() {
    const auto n = num<std::uint32_t>();
    // Every element takes at least one byte: a corrupt length cannot make us allocate wildly.
    if (n > in_.size() - std::min(pos_, in_.size())) {
      ok_ = false;
      return 0;
    }
    return n;
  }
  std::string str() {
    const std::size_t n = size();
    std::string v(in_.substr(pos_, n));
    pos_ += n;
    return v;
  }
  DimValues dims() {
    DimValues d;
    for (std::uint32_t& x : d) x = num<std::uint32_t>();
    return d;
  }
  std::vector<TimedId> timed() {
    std::vector<TimedId> list(size());
    for (TimedId& t : list) {
      t.ts = num<std::int64_t>();
      t.id = num<std::uint32_t>();
    }
    return list;
  }
  void day(VisitorDay& v) {
    v.seen.resize(size());
    for (std::uint64_t& k : v.seen) k = num<std::uint64_t>();
    v.tuples.resize(size());
    for (DimValues& t : v.tuples) t = dims();
    v.visits.resize(size());
    for (Visit& x : v.visits) {
      x.number = num<std::int64_t>();
      x.has_entry = num<std::uint8_t>() != 0;
      x.entry_ts = num<std::int64_t>();
      x.entry_path = num<std::uint32_t>();
      x.entry_event = num<std::uint32_t>();
      x.entry_dims = dims();
      x.pages = timed();
      x.stages = timed();
      x.page_steps = num<std::uint32_t>();
      x.stage_steps = num<std::uint32_t>();
      x.scope_entries.resize(size());
      for (ScopeEntry& e : x.scope_entries) {
        e.scope = num<std::uint8_t>();
        e.filter_value = num<std::uint32_t>();
        e.ts = num<std::int64_t>();
        e.path = num<std::uint32_t>();
        e.event = num<std::uint32_t>();
        e.tuple = num<std::uint32_t>();
      }
    }
    v.stages.resize(size());
    for (std::uint32_t& x : v.stages) x = num<std::uint32_t>();
    v.stage_set = num<std::uint32_t>();
    v.units.resize(size());
    for (Unit& u : v.units) {
      u.key.kind = num<std::uint8_t>();
      u.key.key = num<std::uint32_t>();
      u.key.variant = num<std::uint32_t>();
      u.first_ts = num<std::int64_t>();
      u.converted.resize(size());
      for (std::uint32_t& g : u.converted) g = num<std::uint32_t>();
    }
    v.goals.resize(size());
    for (Goal& g : v.goals) {
      g.id = num<std::uint32_t>();
      g.last_ts = num<std::int64_t>();
    }
    v.event_ids.resize(size());
    for (std::string& id : v.event_ids) id = str();
  }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

VisitorState& DayAggregator::State::visitor(std::uint64_t id) {
  auto [it, inserted] = visitors.try_emplace(id);
  VisitorState& v = it->second;
  v.used = ++tick;
  if (!inserted || !spill || !status) return v;
  bool found = false;
  if (Status st = spill->load(id, buffer, found); !st) {
    status = st;
    return v;
  }
  if (!found) return v;
  StateReader r(buffer);
  r.day(v.top);
  v.segments.resize(r.size());
  for (auto& [key, day] : v.segments) {
    key = r.num<std::uint64_t>();
    r.day(day);
  }
  if (!r.ok()) status = Status::error("a spilled visitor state is corrupt");
  return v;
}

// Spills the least recently seen visitors in memory but `keep` (add() keeps three quarters of
// the bound: amortized, each spill costs a constant share of the scan that finds them).
void DayAggregator::State::spill_oldest(std::size_t keep) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> order;  // (used, visitor)
  order.reserve(visitors.size());
  for (const auto& [id, v] : visitors) order.emplace_back(v.used, id);
  const std::size_t out = order.size() > keep ? order.size() - keep : 0;
  std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(out), order.end());
  for (std::size_t i = 0; i < out; ++i) {
    auto it = visitors.find(order[i].second);
    StateWriter w(buffer);
    w.day(it->second.top);
    w.size(it->second.segments.size());
    for (const auto& [key, day] : it->second.segments) {
      w.num(key);
      w.day(day);
    }
    if (Status st = spill->save(it->first, buffer); !st && status) status = st;
    visitors.erase(it);
  }
}

}  // namespace ithaca::tracker
