#include "reports/visitor_day_totals.hpp"

#include <algorithm>
#include <span>
#include <tuple>

#include "reports/event_facts.hpp"

namespace ithaca::tracker {
namespace {

// Composite map keys: each part but the last prefixed with its length, so any bytes may occur.
void key_part(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}
std::string_view next_part(std::string_view& key) {
  const std::size_t colon = key.find(':');
  const std::size_t n = std::stoul(std::string(key.substr(0, colon)));
  const std::string_view part = key.substr(colon + 1, n);
  key.remove_prefix(colon + 1 + n);
  return part;
}

struct Timed {
  std::int64_t ts;
  std::string_view name;
};

// Distinct names by earliest time, ordered by (time, name): the aggregator's path steps.
void touch(std::vector<Timed>& list, std::string_view name, std::int64_t ts) {
  for (Timed& t : list) {
    if (t.name == name) {
      t.ts = std::min(t.ts, ts);
      return;
    }
  }
  list.push_back({ts, name});
}

void steps(std::vector<Timed>& list, std::string& out) {
  std::sort(list.begin(), list.end(),
            [](const Timed& a, const Timed& b) { return std::tie(a.ts, a.name) < std::tie(b.ts, b.name); });
  out.clear();
  const std::size_t n = std::min<std::size_t>(list.size(), kMaxPathSteps);
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out += kListSeparator;
    out += list[i].name;
  }
}

struct Visit {
  std::int64_t number = 0;
  const VisitorEvent* entry = nullptr;
  std::vector<Timed> pages, stages;
};

struct Unit {
  UnitKind kind;
  std::string_view key, variant;
  std::int64_t first_ts;
  std::int64_t exposures;
};

}  // namespace

struct VisitorDayTotals::Buffers {
  std::vector<std::string_view> seen;  // values of the breakdown dimension
  std::vector<Visit> visits;           // the first `used` are this visitor-day's
  std::size_t used = 0;
  std::vector<std::string_view> stage_set;
  std::vector<Unit> units;
  std::vector<Timed> goals;  // latest conversion per goal name ("*": any)
};

VisitorDayTotals::VisitorDayTotals(Dim dim, bool journey)
    : dim_(dim), journey_(journey), buffers_(std::make_unique<Buffers>()) {}
VisitorDayTotals::~VisitorDayTotals() = default;

void VisitorDayTotals::add(const std::vector<const VisitorEvent*>& events) {
  if (events.empty()) return;
  const auto d = static_cast<std::size_t>(dim_);
  std::uint32_t hours = 0;
  Buffers& b = *buffers_;
  auto& seen = b.seen;
  auto& stage_set = b.stage_set;
  auto& units = b.units;
  auto& goals = b.goals;
  seen.clear();
  stage_set.clear();
  units.clear();
  goals.clear();
  b.used = 0;
  const auto visits = [&b] { return std::span<Visit>(b.visits.data(), b.used); };

  auto visit_of = [&](std::int64_t number) -> Visit& {
    for (Visit& v : visits()) {
      if (v.number == number) return v;
    }
    if (b.used == b.visits.size()) b.visits.emplace_back();
    Visit& v = b.visits[b.used++];
    v.number = number;
    v.entry = nullptr;
    v.pages.clear();
    v.stages.clear();
    return v;
  };
  for (const VisitorEvent* e : events) {
    const bool pageview = e->type == EventType::Pageview;
    ++total_.counts.events;
    Counts& hour = hours_[e->hour];
    ++hour.events;
    if (pageview) {
      ++total_.counts.pageviews;
      ++hour.pageviews;
    }
    if (!(hours & (1u << e->hour))) {
      hours |= 1u << e->hour;
      ++hour.visitors;
    }
    if (dim_ != Dim::All) {
      Row& row = at(values_, e->dims[d]);
      ++row.counts.events;
      if (pageview) ++row.counts.pageviews;
      if (std::find(seen.begin(), seen.end(), e->dims[d]) == seen.end()) {
        seen.push_back(e->dims[d]);
        ++row.counts.visitors;
      }
    }
    Visit& visit = visit_of(e->visit);
    if (pageview) {
      const auto page = e->dims[static_cast<std::size_t>(Dim::Page)];
      if (!visit.entry || std::tie(e->ts, page, e->event_id) < std::tie(visit.entry->ts,
                                                                         visit.entry->dims[static_cast<std::size_t>(Dim::Page)],
                                                                         visit.entry->event_id)) {
        visit.entry = e;
      }
      if (journey_) touch(visit.pages, page, e->ts);
    }
    if (!journey_) continue;
    if (!e->stage.empty()) {
      touch(visit.stages, e->stage, e->ts);
      if (std::find(stage_set.begin(), stage_set.end(), e->stage) == stage_set.end()) stage_set.push_back(e->stage);
    }
    if (e->type == EventType::Exposure) {
      for (auto [kind, name] : {std::pair{UnitKind::Experiment, e->experiment}, std::pair{UnitKind::Slot, e->slot}}) {
        if (name.empty()) continue;
        auto it = std::find_if(units.begin(), units.end(), [&](const Unit& u) {
          return u.kind == kind && u.key == name && u.variant == e->variant;
        });
        if (it == units.end()) {
          units.push_back(Unit{kind, name, e->variant, e->ts, 1});
        } else {
          it->first_ts = std::min(it->first_ts, e->ts);
          ++it->exposures;
        }
      }
    }
    if (e->type == EventType::Conversion) {
      const std::string_view name = e->dims[static_cast<std::size_t>(Dim::Event)];
      for (std::string_view goal : {name, std::string_view("*")}) {
        auto it = std::find_if(goals.begin(), goals.end(), [&](const Timed& g) { return g.name == goal; });
        if (it == goals.end()) {
          goals.push_back({e->ts, goal});
        } else {
          it->ts = std::max(it->ts, e->ts);
        }
      }
      const std::size_t n = e->linear.size();
      for (std::size_t by = 0; by < 3; ++by) {
        auto credit = [&](std::string_view key) -> AttributionRow& {
          scratch_.clear();
          key_part(scratch_, name);
          scratch_ += key;
          return at(attribution_[by], scratch_);
        };
        AttributionRow& first = credit(e->first[by]);
        first.first += kMicro;
        first.first_value += e->value_micro;
        AttributionRow& last = credit(e->last[by]);
        last.last += kMicro;
        last.last_value += e->value_micro;
        for (std::size_t i = 0; i < n; ++i) {
          AttributionRow& c = credit(e->linear[i][by]);
          c.linear += linear_credit(i, n);
          c.linear_value += linear_share(e->value_micro, i, n);
        }
      }
    }
  }
  ++total_.counts.visitors;
  for (Visit& v : visits()) {
    if (v.entry) {
      ++total_.entries;
      if (dim_ != Dim::All) ++at(values_, v.entry->dims[d]).entries;
    }
    if (!journey_) continue;
    for (auto [kind, list] : {std::pair{PathKind::Pages, &v.pages}, std::pair{PathKind::Stages, &v.stages}}) {
      if (list->empty()) continue;
      steps(*list, scratch_);
      ++at(paths_[static_cast<int>(kind)], scratch_);
    }
  }
  if (!journey_) return;
  if (!stage_set.empty()) {
    std::sort(stage_set.begin(), stage_set.end());
    scratch_.clear();
    for (std::size_t i = 0; i < stage_set.size(); ++i) {
      if (i) scratch_ += kListSeparator;
      scratch_ += stage_set[i];
    }
    ++at(stage_sets_, scratch_);
  }
  for (const Unit& u : units) {
    scratch_.clear();
    key_part(scratch_, u.key);
    scratch_ += u.variant;
    UnitRow& row = at(units_[static_cast<int>(u.kind)], scratch_);
    ++row.visitors;
    row.exposures += u.exposures;
    for (const Timed& g : goals) {
      if (g.ts < u.first_ts) continue;
      scratch_.clear();
      key_part(scratch_, u.key);
      key_part(scratch_, u.variant);
      scratch_ += g.name;
      ++at(unit_goals_[static_cast<int>(u.kind)], scratch_);
    }
  }
}

void VisitorDayTotals::emit(AggregateSink& sink) {
  sink.segment(Dim::All, "");
  if (total_.counts.events) {
    sink.dim_day(Dim::All, "", total_.counts, total_.entries);
    for (int h = 0; h < 24; ++h) {
      if (hours_[static_cast<std::size_t>(h)].events) sink.dim_hour(h, Dim::All, "", hours_[static_cast<std::size_t>(h)]);
    }
  }
  for (const auto& [value, row] : values_) sink.dim_day(dim_, value, row.counts, row.entries);
  for (const auto& [stages, n] : stage_sets_) sink.stage_set(stages, n);
  for (int kind = 0; kind < 2; ++kind) {
    for (const auto& [path, n] : paths_[kind]) sink.path(static_cast<PathKind>(kind), path, n);
    for (const auto& [key, u] : units_[kind]) {
      std::string_view rest = key;
      const std::string_view name = next_part(rest);
      sink.unit(static_cast<UnitKind>(kind), name, rest, u.visitors, u.exposures);
    }
    for (const auto& [key, n] : unit_goals_[kind]) {
      std::string_view rest = key;
      const std::string_view name = next_part(rest);
      const std::string_view variant = next_part(rest);
      sink.unit_goal(static_cast<UnitKind>(kind), name, variant, rest, n);
    }
  }
  for (int by = 0; by < 3; ++by) {
    for (auto& [key, row] : attribution_[by]) {
      std::string_view rest = key;
      const std::string_view goal = next_part(rest);
      AttributionRow r = row;
      r.key = rest;
      sink.attribution(goal, static_cast<TouchKey>(by), r);
    }
  }
  total_ = Row{};
  hours_ = {};
  values_.clear();
  stage_sets_.clear();
  for (auto& m : paths_) m.clear();
  for (auto& m : attribution_) m.clear();
  for (auto& m : units_) m.clear();
  for (auto& m : unit_goals_) m.clear();
}

}  // namespace ithaca::tracker
