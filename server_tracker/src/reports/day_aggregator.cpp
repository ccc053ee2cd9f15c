#include "reports/day_aggregator.hpp"

#include <algorithm>
#include <functional>
#include <tuple>

#include "reports/event_facts.hpp"

namespace ithaca::tracker {
namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

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

 private:
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> ids_;
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
struct UnitGoalKeyHash {
  std::size_t operator()(const UnitGoalKey& k) const noexcept {
    return mix(UnitKeyHash{}(k.unit) * 31 + k.goal);
  }
};

struct TimedId {
  std::int64_t ts;
  std::uint32_t id;
};

struct Visit {
  std::int64_t number = -1;
  bool has_entry = false;
  std::int64_t entry_ts = 0;
  std::uint32_t entry_path = 0, entry_event = 0;
  std::array<std::uint32_t, kDimCount> entry_dims{};
  std::vector<TimedId> pages;   // distinct, ordered by (first view, name)
  std::vector<TimedId> stages;  // distinct, ordered by (first seen, name)
  std::uint32_t page_steps = 0, stage_steps = 0;  // interned sequences, 0 = none
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
  std::vector<Visit> visits;
  std::vector<std::uint32_t> stages;  // distinct stage names
  std::uint32_t stage_set = 0;
  std::vector<Unit> units;
  std::vector<Goal> goals;
};

constexpr int kDayLevel = 24;

inline std::uint64_t seen_key(int dim, int hour, std::uint32_t value) {
  return (static_cast<std::uint64_t>(dim) << 40) | (static_cast<std::uint64_t>(hour) << 32) | value;
}

bool insert_sorted(std::vector<std::uint64_t>& v, std::uint64_t key) {
  auto it = std::lower_bound(v.begin(), v.end(), key);
  if (it != v.end() && *it == key) return false;
  v.insert(it, key);
  return true;
}

}  // namespace

struct DayAggregator::State {
  StringPool pool;
  std::uint32_t any_goal = pool.id("*");
  std::unordered_map<std::uint64_t, DimCounts> dim_day;   // (dim << 32) | value
  std::unordered_map<std::uint64_t, DimCounts> dim_hour;  // (hour << 40) | (dim << 32) | value
  std::unordered_map<std::uint32_t, Counter> stage_sets;
  std::unordered_map<std::uint64_t, Counter> paths;  // (kind << 32) | steps
  std::unordered_map<AttrKey, AttrCounts, AttrKeyHash> attribution;
  std::unordered_map<UnitKey, UnitCounts, UnitKeyHash> units;
  std::unordered_map<UnitGoalKey, Counter, UnitGoalKeyHash> unit_goals;
  std::unordered_map<std::uint64_t, VisitorDay> visitors;

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
    list.insert(pos, item);
    return visible;
  }

  std::uint32_t steps_of(const std::vector<TimedId>& list) {
    std::string joined;
    const std::size_t n = std::min<std::size_t>(list.size(), kMaxPathSteps);
    for (std::size_t i = 0; i < n; ++i) {
      if (i) joined += kListSeparator;
      joined += pool.str(list[i].id);
    }
    return pool.id(joined);
  }

  void move_path(PathKind kind, std::uint32_t& current, std::uint32_t next) {
    if (current == next) return;
    const std::uint64_t k = static_cast<std::uint64_t>(kind) << 32;
    if (current) {
      Counter& old = paths[k | current];
      --old.n;
      old.dirty = true;
    }
    Counter& now = paths[k | next];
    ++now.n;
    now.dirty = true;
    current = next;
  }

  void entry_delta(const std::array<std::uint32_t, kDimCount>& dims, int delta) {
    for (int d = 0; d < kDimCount; ++d) {
      DimCounts& c = dim_day[(static_cast<std::uint64_t>(d) << 32) | dims[d]];
      c.entries += delta;
      c.dirty = true;
    }
  }

  void refresh_conversions(VisitorDay& v, Unit& u) {
    for (const Goal& g : v.goals) {
      const bool should = g.last_ts >= u.first_ts;
      auto it = std::find(u.converted.begin(), u.converted.end(), g.id);
      const bool was = it != u.converted.end();
      if (should == was) continue;
      Counter& c = unit_goals[UnitGoalKey{u.key, g.id}];
      c.dirty = true;
      if (should) {
        ++c.n;
        u.converted.push_back(g.id);
      } else {
        --c.n;
        u.converted.erase(it);
      }
    }
  }
};

DayAggregator::DayAggregator(std::int32_t day) : day_(day), state_(std::make_unique<State>()) {}
DayAggregator::~DayAggregator() = default;

void DayAggregator::add(const StoredEvent& e, int hour) {
  State& s = *state_;
  ++events_;
  hour = std::clamp(hour, 0, 23);
  std::array<std::uint32_t, kDimCount> dims;
  for (int d = 0; d < kDimCount; ++d) dims[d] = s.pool.id(dimension_value(e, static_cast<Dim>(d)));
  const bool pageview = e.type == EventType::Pageview;
  VisitorDay& v = s.visitors[e.visitor];

  for (int d = 0; d < kDimCount; ++d) {
    DimCounts& day = s.dim_day[(static_cast<std::uint64_t>(d) << 32) | dims[d]];
    DimCounts& hr = s.dim_hour[(static_cast<std::uint64_t>(hour) << 40) | (static_cast<std::uint64_t>(d) << 32) | dims[d]];
    ++day.counts.events;
    ++hr.counts.events;
    if (pageview) {
      ++day.counts.pageviews;
      ++hr.counts.pageviews;
    }
    if (insert_sorted(v.seen, seen_key(d, kDayLevel, dims[d]))) ++day.counts.visitors;
    if (insert_sorted(v.seen, seen_key(d, hour, dims[d]))) ++hr.counts.visitors;
    day.dirty = hr.dirty = true;
  }

  const std::int64_t number = e.visit_count.value_or(-1);
  auto vit = std::find_if(v.visits.begin(), v.visits.end(), [&](const Visit& x) { return x.number == number; });
  if (vit == v.visits.end()) {
    v.visits.emplace_back();
    vit = std::prev(v.visits.end());
    vit->number = number;
  }
  Visit& visit = *vit;
  if (pageview) {
    const std::uint32_t path = dims[static_cast<int>(Dim::Page)];
    const std::uint32_t event_id = s.pool.id(e.event_id);
    const bool earlier =
        !visit.has_entry ||
        std::forward_as_tuple(e.ts_ms, s.pool.str(path), s.pool.str(event_id)) <
            std::forward_as_tuple(visit.entry_ts, s.pool.str(visit.entry_path), s.pool.str(visit.entry_event));
    if (earlier) {
      if (visit.has_entry) s.entry_delta(visit.entry_dims, -1);
      visit.has_entry = true;
      visit.entry_ts = e.ts_ms;
      visit.entry_path = path;
      visit.entry_event = event_id;
      visit.entry_dims = dims;
      s.entry_delta(dims, +1);
    }
    if (s.touch(visit.pages, path, e.ts_ms)) {
      s.move_path(PathKind::Pages, visit.page_steps, s.steps_of(visit.pages));
    }
  }
  if (!e.journey_stage.empty()) {
    const std::uint32_t stage = s.pool.id(e.journey_stage);
    if (s.touch(visit.stages, stage, e.ts_ms)) {
      s.move_path(PathKind::Stages, visit.stage_steps, s.steps_of(visit.stages));
    }
    if (std::find(v.stages.begin(), v.stages.end(), stage) == v.stages.end()) {
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
      if (v.stage_set) {
        Counter& old = s.stage_sets[v.stage_set];
        --old.n;
        old.dirty = true;
      }
      Counter& now = s.stage_sets[set];
      ++now.n;
      now.dirty = true;
      v.stage_set = set;
    }
  }

  if (e.type == EventType::Exposure) {
    const std::uint32_t variant = s.pool.id(e.variant);
    for (auto [kind, name] : {std::pair{UnitKind::Experiment, &e.experiment}, std::pair{UnitKind::Slot, &e.slot}}) {
      if (name->empty()) continue;
      const UnitKey key{static_cast<std::uint8_t>(kind), s.pool.id(*name), variant};
      UnitCounts& counts = s.units[key];
      ++counts.exposures;
      counts.dirty = true;
      auto uit = std::find_if(v.units.begin(), v.units.end(), [&](const Unit& u) { return u.key == key; });
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
    for (std::uint32_t goal : {s.pool.id(e.name), s.any_goal}) {
      auto git = std::find_if(v.goals.begin(), v.goals.end(), [&](const Goal& g) { return g.id == goal; });
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

    const Touches touches = extract_touches(e.context_json);
    const std::int64_t value = value_micro(e.value);
    const std::uint32_t goal = s.pool.id(e.name);
    const std::size_t n = touches.linear.size();
    for (std::uint8_t by = 0; by < 3; ++by) {
      const auto key = static_cast<TouchKey>(by);
      auto credit = [&](const Touch& t) -> AttrCounts& {
        AttrCounts& c = s.attribution[AttrKey{goal, s.pool.id(t.key(key)), by}];
        c.dirty = true;
        return c;
      };
      AttrCounts& first = credit(touches.first);
      first.row.first += kMicro;
      first.row.first_value += value;
      AttrCounts& last = credit(touches.last);
      last.row.last += kMicro;
      last.row.last_value += value;
      for (std::size_t i = 0; i < n; ++i) {
        AttrCounts& c = credit(touches.linear[i]);
        c.row.linear += linear_credit(i, n);
        c.row.linear_value += linear_share(value, i, n);
      }
    }
  }
}

void DayAggregator::emit(AggregateSink& sink, bool dirty_only) const {
  const State& s = *state_;
  const auto& str = [&](std::uint32_t id) -> const std::string& { return s.pool.str(id); };
  for (const auto& [key, c] : s.dim_day) {
    if (dirty_only && !c.dirty) continue;
    sink.dim_day(static_cast<Dim>(key >> 32), str(static_cast<std::uint32_t>(key)), c.counts, c.entries);
  }
  for (const auto& [key, c] : s.dim_hour) {
    if (dirty_only && !c.dirty) continue;
    sink.dim_hour(static_cast<int>(key >> 40), static_cast<Dim>((key >> 32) & 0xff), str(static_cast<std::uint32_t>(key)),
                  c.counts);
  }
  for (const auto& [set, c] : s.stage_sets) {
    if (dirty_only && !c.dirty) continue;
    sink.stage_set(str(set), c.n);
  }
  for (const auto& [key, c] : s.paths) {
    if (dirty_only && !c.dirty) continue;
    sink.path(static_cast<PathKind>(key >> 32), str(static_cast<std::uint32_t>(key)), c.n);
  }
  for (const auto& [key, c] : s.attribution) {
    if (dirty_only && !c.dirty) continue;
    AttributionRow row = c.row;
    row.key = str(key.key);
    sink.attribution(str(key.goal), static_cast<TouchKey>(key.by), row);
  }
  for (const auto& [key, c] : s.units) {
    if (dirty_only && !c.dirty) continue;
    sink.unit(static_cast<UnitKind>(key.kind), str(key.key), str(key.variant), c.visitors, c.exposures);
  }
  for (const auto& [key, c] : s.unit_goals) {
    if (dirty_only && !c.dirty) continue;
    sink.unit_goal(static_cast<UnitKind>(key.unit.kind), str(key.unit.key), str(key.unit.variant), str(key.goal), c.n);
  }
}

void DayAggregator::clear_dirty() {
  State& s = *state_;
  for (auto& [k, c] : s.dim_day) c.dirty = false;
  for (auto& [k, c] : s.dim_hour) c.dirty = false;
  for (auto& [k, c] : s.stage_sets) c.dirty = false;
  for (auto& [k, c] : s.paths) c.dirty = false;
  for (auto& [k, c] : s.attribution) c.dirty = false;
  for (auto& [k, c] : s.units) c.dirty = false;
  for (auto& [k, c] : s.unit_goals) c.dirty = false;
}

std::size_t DayAggregator::approximate_bytes() const noexcept {
  const State& s = *state_;
  std::size_t bytes = s.pool.bytes();
  bytes += (s.dim_day.size() + s.dim_hour.size()) * 72;
  bytes += (s.stage_sets.size() + s.paths.size() + s.unit_goals.size()) * 48;
  bytes += s.attribution.size() * 96 + s.units.size() * 56;
  bytes += s.visitors.size() * 200;
  for (const auto& [id, v] : s.visitors) {
    bytes += v.seen.capacity() * 8 + v.visits.capacity() * sizeof(Visit) + v.units.size() * 64;
    for (const Visit& x : v.visits) bytes += (x.pages.capacity() + x.stages.capacity()) * sizeof(TimedId);
  }
  return bytes;
}

}  // namespace ithaca::tracker
