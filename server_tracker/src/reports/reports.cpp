#include "reports/reports.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

#include "reports/statistics.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;

struct NamedDim {
  const char* report;
  Dim dim;
};
constexpr NamedDim kBreakdowns[] = {
    {"pages", Dim::Page},           {"landing-pages", Dim::Landing},    {"referrers", Dim::ReferrerCategory},
    {"sources", Dim::ReferrerSource}, {"utm-sources", Dim::UtmSource},  {"utm-mediums", Dim::UtmMedium},
    {"campaigns", Dim::UtmCampaign}, {"devices", Dim::Device},          {"os", Dim::Os},
    {"browsers", Dim::Browser},     {"countries", Dim::Country},        {"languages", Dim::Language},
    {"visits", Dim::Visit},         {"events", Dim::Event},             {"types", Dim::Type},
};

// The reports other than the named breakdowns, and what each reads beside the common parameters
// (from, to, format, filters); a breakdown by a named report (pages, devices, …) reads `limit`.
constexpr std::pair<std::string_view, std::string_view> kOtherReports[] = {
    {"timeseries", "interval"},  {"breakdown", "dimension, by, limit"},
    {"funnel", ""},              {"paths", "kind, limit"},
    {"attribution", "goal, by"}, {"experiments", "experiment, goal, control, confidence"},
    {"personalization", "slot, goal"}, {"journey", "goal, by"}};

const std::string kAnyGoal = "*";

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(sep, start);
    out.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

// A parameter given empty (`goal=`) takes its default, as one left out.
std::string param(const ReportParams& p, std::string_view name, std::string_view fallback = {}) {
  auto it = p.find(name);
  return it == p.end() || it->second.empty() ? std::string(fallback) : it->second;
}

bool parse_limit(const ReportParams& p, std::size_t fallback, std::size_t max, std::size_t& out, ReportError& error) {
  const std::string text = param(p, "limit");
  if (text.empty()) {
    out = fallback;
    return true;
  }
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > max) {
    error = {400, "invalid_parameter", "limit must be 1.." + std::to_string(max)};
    return false;
  }
  out = n;
  return true;
}

bool store_failed(const Status& s, ReportError& error) {
  if (s) return false;
  error = {503, "store_unavailable", "the report could not be computed: " + s.message()};
  return true;
}

json counts_json(const Counts& c) {
  return {{"visitors", c.visitors}, {"pageviews", c.pageviews}, {"events", c.events}};
}

json ratio(std::int64_t a, std::int64_t b) { return b > 0 ? json(static_cast<double>(a) / static_cast<double>(b)) : json(); }
json maybe(const std::optional<double>& v) { return v && std::isfinite(*v) ? json(*v) : json(); }
double micro(std::int64_t v) { return static_cast<double>(v) / static_cast<double>(kMicro); }

Status totals_of(ReportSource& source, const ReportScope& scope, Counts& totals) {
  std::vector<BreakdownRow> rows;
  Status s = source.breakdown(scope, Dim::All, rows);
  totals = rows.empty() ? Counts{} : rows.front().counts;
  return s;
}

// ------------------------------------------------------------------------------- time series

bool timeseries(ReportSource& source, const ReportScope& scope, const ReportParams& params, ReportResult& out,
                ReportError& error) {
  const std::string interval_text = param(params, "interval", "day");
  if (interval_text != "day" && interval_text != "hour") {
    error = {400, "invalid_parameter", "interval must be hour or day"};
    return false;
  }
  const bool hourly = interval_text == "hour";
  if (hourly && scope.last_day - scope.first_day > 366) {
    error = {400, "invalid_parameter", "hourly series cover at most 367 days"};
    return false;
  }
  std::vector<SeriesPoint> points, days;
  if (store_failed(source.timeseries(scope, hourly ? Interval::Hour : Interval::Day, points), error)) return false;
  // Totals add the days (visitors: visitor-days), whatever the interval.
  if (hourly && store_failed(source.timeseries(scope, Interval::Day, days), error)) return false;
  Counts totals;
  for (const auto& d : hourly ? days : points) {
    totals.pageviews += d.counts.pageviews;
    totals.events += d.counts.events;
    totals.visitors += d.counts.visitors;
  }

  const TimeZone& zone = *scope.zone;
  std::map<std::int64_t, Counts> by_bucket;
  for (const auto& p : points) by_bucket[p.bucket] = p.counts;
  json rows = json::array();
  out.table.columns = {"bucket", "ts", "visitors", "pageviews", "events"};
  auto emit = [&](std::int64_t bucket, const std::string& label, std::int64_t start) {
    auto it = by_bucket.find(bucket);
    const Counts c = it == by_bucket.end() ? Counts{} : it->second;
    rows.push_back({{"bucket", label}, {"ts", start}, {"visitors", c.visitors}, {"pageviews", c.pageviews},
                    {"events", c.events}});
    out.table.rows.push_back({label, start, c.visitors, c.pageviews, c.events});
  };
  if (hourly) {
    for (std::int64_t h = static_cast<std::int64_t>(scope.first_day) * 24;
         h < (static_cast<std::int64_t>(scope.last_day) + 1) * 24; ++h) {
      const std::int64_t start = zone.local_start_utc(h * kHourMs);
      if (zone.local_hour(start) != h && !by_bucket.count(h)) continue;  // skipped by a clock change
      emit(h, hour_label(h), start);
    }
  } else {
    for (std::int32_t d = scope.first_day; d <= scope.last_day; ++d) emit(d, day_label(d), zone.day_start_utc(d));
  }
  out.body["interval"] = interval_text;
  out.body["totals"] = counts_json(totals);
  out.body["rows"] = std::move(rows);
  return true;
}

// -------------------------------------------------------------------------------- breakdowns

bool breakdown(ReportSource& source, Dim dim, const ReportScope& scope, const ReportParams& params, ReportResult& out,
               ReportError& error) {
  std::size_t limit = 0;
  if (!parse_limit(params, 100, 10'000, limit, error)) return false;
  std::vector<BreakdownRow> rows;
  if (store_failed(source.breakdown(scope, dim, rows), error)) return false;
  Counts totals;
  if (store_failed(totals_of(source, scope, totals), error)) return false;
  std::sort(rows.begin(), rows.end(), [](const BreakdownRow& a, const BreakdownRow& b) {
    return std::tie(b.counts.visitors, b.counts.pageviews, b.counts.events, a.value) <
           std::tie(a.counts.visitors, a.counts.pageviews, a.counts.events, b.value);
  });
  out.body["dimension"] = dimension_name(dim);
  out.body["total_rows"] = rows.size();
  out.body["totals"] = counts_json(totals);
  json list = json::array();
  out.table.columns = {"value", "visitors", "pageviews", "events", "entries", "share"};
  for (std::size_t i = 0; i < rows.size() && i < limit; ++i) {
    const BreakdownRow& r = rows[i];
    const json share = ratio(r.counts.visitors, totals.visitors);
    list.push_back({{"value", r.value}, {"visitors", r.counts.visitors}, {"pageviews", r.counts.pageviews},
                    {"events", r.counts.events}, {"entries", r.entries}, {"share", share}});
    out.table.rows.push_back({r.value, r.counts.visitors, r.counts.pageviews, r.counts.events, r.entries, share});
  }
  out.body["rows"] = std::move(list);
  return true;
}

// ---------------------------------------------------------------------------- journey reports

bool funnel(ReportSource& source, const ReportScope& scope, const SiteRulesInfo& rules, ReportResult& out,
            ReportError& error) {
  if (rules.stages.empty()) {
    error = {409, "no_journey", "the site's rule set defines no journey stages"};
    return false;
  }
  std::vector<StageSetRow> sets;
  if (store_failed(source.stage_sets(scope, sets), error)) return false;
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t i = 0; i < rules.stages.size(); ++i) index.emplace(rules.stages[i], i);
  std::vector<std::int64_t> entered(rules.stages.size(), 0);
  std::map<std::string, std::int64_t> unknown;
  std::int64_t with_stage = 0;
  for (const auto& set : sets) {
    with_stage += set.visitors;
    int furthest = -1;
    for (const auto& stage : split(set.stages, kListSeparator)) {
      auto it = index.find(stage);
      if (it == index.end()) {
        unknown[stage] += set.visitors;
      } else {
        furthest = std::max(furthest, static_cast<int>(it->second));
      }
    }
    for (int i = 0; i <= furthest; ++i) entered[static_cast<std::size_t>(i)] += set.visitors;
  }
  json rows = json::array();
  out.table.columns = {"stage", "position", "visitors", "conversion", "overall", "drop_off"};
  for (std::size_t i = 0; i < entered.size(); ++i) {
    const json conversion = i == 0 ? json() : ratio(entered[i], entered[i - 1]);
    const json overall = ratio(entered[i], entered[0]);
    const json drop = i == 0 ? json() : json(entered[i - 1] - entered[i]);
    rows.push_back({{"stage", rules.stages[i]}, {"position", i + 1}, {"visitors", entered[i]},
                    {"conversion", conversion}, {"overall", overall}, {"drop_off", drop}});
    out.table.rows.push_back({rules.stages[i], i + 1, entered[i], conversion, overall, drop});
  }
  out.body["stages"] = std::move(rows);
  out.body["visitors_with_stage"] = with_stage;
  json unknown_json = json::object();
  for (const auto& [stage, n] : unknown) unknown_json[stage] = n;
  out.body["unknown_stages"] = std::move(unknown_json);
  return true;
}

bool paths(ReportSource& source, const ReportScope& scope, const ReportParams& params, ReportResult& out,
           ReportError& error) {
  const std::string kind_text = param(params, "kind", "pages");
  if (kind_text != "pages" && kind_text != "stages") {
    error = {400, "invalid_parameter", "kind must be pages or stages"};
    return false;
  }
  std::size_t limit = 0;
  if (!parse_limit(params, 20, 1000, limit, error)) return false;
  PathResult result;
  const PathKind kind = kind_text == "pages" ? PathKind::Pages : PathKind::Stages;
  if (store_failed(source.paths(scope, kind, limit, result), error)) return false;
  json rows = json::array();
  out.table.columns = {"steps", "visits", "share"};
  for (const auto& r : result.rows) {
    const json steps = split(r.steps, kListSeparator);
    const json share = ratio(r.visits, result.total_visits);
    rows.push_back({{"steps", steps}, {"visits", r.visits}, {"share", share}});
    out.table.rows.push_back({steps, r.visits, share});
  }
  out.body["kind"] = kind_text;
  out.body["max_steps"] = kMaxPathSteps;
  out.body["visits"] = result.total_visits;
  out.body["distinct"] = result.distinct;
  out.body["rows"] = std::move(rows);
  return true;
}

bool attribution(ReportSource& source, const ReportScope& scope, const ReportParams& params, ReportResult& out,
                 ReportError& error) {
  const std::string by_text = param(params, "by", "category");
  TouchKey by;
  if (by_text == "category") {
    by = TouchKey::Category;
  } else if (by_text == "source") {
    by = TouchKey::Source;
  } else if (by_text == "campaign") {
    by = TouchKey::Campaign;
  } else {
    error = {400, "invalid_parameter", "by must be category, source or campaign"};
    return false;
  }
  const std::string goal = param(params, "goal");
  std::vector<AttributionRow> rows;
  if (store_failed(source.attribution(scope, goal, by, rows), error)) return false;
  std::sort(rows.begin(), rows.end(), [](const AttributionRow& a, const AttributionRow& b) {
    return a.linear != b.linear ? a.linear > b.linear : a.key < b.key;
  });
  std::int64_t conversions = 0, value = 0;
  for (const auto& r : rows) {
    conversions += r.first;
    value += r.first_value;
  }
  json list = json::array();
  out.table.columns = {"channel",          "first_touch",      "last_touch",  "linear",
                       "first_touch_value", "last_touch_value", "linear_value"};
  for (const auto& r : rows) {
    list.push_back({{"channel", r.key},
                    {"first_touch", micro(r.first)},
                    {"last_touch", micro(r.last)},
                    {"linear", micro(r.linear)},
                    {"first_touch_value", micro(r.first_value)},
                    {"last_touch_value", micro(r.last_value)},
                    {"linear_value", micro(r.linear_value)}});
    out.table.rows.push_back({r.key, micro(r.first), micro(r.last), micro(r.linear), micro(r.first_value),
                              micro(r.last_value), micro(r.linear_value)});
  }
  out.body["by"] = by_text;
  out.body["goal"] = goal.empty() ? json() : json(goal);
  out.body["conversions"] = conversions / kMicro;
  out.body["value"] = micro(value);
  out.body["rows"] = std::move(list);
  return true;
}

// ------------------------------------------------------------------- experiments, personalization

struct VariantNumbers {
  std::int64_t visitors = 0, exposures = 0, conversions = 0;
};

double parse_confidence(const ReportParams& params, bool& ok) {
  const std::string text = param(params, "confidence", "0.95");
  char* end = nullptr;
  const double c = std::strtod(text.c_str(), &end);
  ok = end && *end == '\0' && c >= 0.5 && c <= 0.999;
  return c;
}

bool experiments(ReportSource& source, const ReportScope& scope, const ReportParams& params,
                 const SiteRulesInfo& rules, ReportResult& out, ReportError& error) {
  bool ok = true;
  const double confidence = parse_confidence(params, ok);
  if (!ok) {
    error = {400, "invalid_parameter", "confidence must be a number from 0.5 to 0.999"};
    return false;
  }
  const std::string only = param(params, "experiment");
  std::vector<UnitRow> exposed;
  std::vector<UnitGoalRow> converted;
  if (store_failed(source.units(scope, UnitKind::Experiment, exposed, converted), error)) return false;

  // Experiments of the rule set in its order, then any others seen in the data.
  std::vector<SiteRulesInfo::Experiment> list = rules.experiments;
  std::set<std::string> known;
  for (const auto& e : list) known.insert(e.id);
  std::map<std::string, std::set<std::string>> seen;
  for (const auto& u : exposed) seen[u.key].insert(u.variant);
  for (const auto& [id, variants] : seen) {
    if (known.count(id)) continue;
    SiteRulesInfo::Experiment e;
    e.id = id;
    for (const auto& v : variants) e.variants.push_back({v, 0});
    list.push_back(std::move(e));
  }

  json experiments_json = json::array();
  out.table.columns = {"experiment", "variant",   "control", "goal",     "visitors",    "exposures",
                       "conversions", "rate",     "lift",    "lift_low", "lift_high",   "z",
                       "p_value",     "significant", "srm_p_value"};
  const double alpha = 1 - confidence;
  for (auto& e : list) {
    if (!only.empty() && e.id != only) continue;
    for (const auto& v : seen[e.id]) {
      if (std::none_of(e.variants.begin(), e.variants.end(), [&](const auto& x) { return x.id == v; })) {
        e.variants.push_back({v, 0});
      }
    }
    const std::string goal = param(params, "goal", e.goal.empty() ? kAnyGoal : e.goal);
    std::map<std::string, VariantNumbers> numbers;
    for (const auto& u : exposed) {
      if (u.key != e.id) continue;
      numbers[u.variant].visitors = u.visitors;
      numbers[u.variant].exposures = u.exposures;
    }
    for (const auto& c : converted) {
      if (c.key == e.id && c.goal == goal) numbers[c.variant].conversions = c.converted;
    }
    std::string control = param(params, "control");
    if (control.empty() && !e.variants.empty()) control = e.variants.front().id;
    if (!control.empty() && std::none_of(e.variants.begin(), e.variants.end(), [&](const auto& v) { return v.id == control; })) {
      std::string names;
      for (const auto& v : e.variants) names += (names.empty() ? "" : ", ") + v.id;
      error = {400, "invalid_parameter",
               "control " + control + ": experiment " + e.id + " has no such variant (its variants: " + names +
                   "; experiment= picks one experiment)"};
      return false;
    }
    const VariantNumbers base = numbers[control];

    // Sample-ratio mismatch over the configured weights (equal weights when none are known).
    const bool weighted = std::any_of(e.variants.begin(), e.variants.end(), [](const auto& v) { return v.weight > 0; });
    std::vector<std::int64_t> observed;
    std::vector<double> weights;
    for (const auto& v : e.variants) {
      observed.push_back(numbers[v.id].visitors);
      weights.push_back(weighted ? v.weight : 1.0);
    }
    const auto srm = sample_ratio_test(observed, weights);
    json srm_json = json::object();
    if (srm) {
      srm_json = {{"test", "chi-square goodness of fit"}, {"statistic", srm->statistic}, {"df", srm->df},
                  {"p_value", srm->p_value}, {"warning", srm->p_value < 0.001}};
    } else {
      srm_json = {{"test", "chi-square goodness of fit"}, {"statistic", nullptr}, {"df", nullptr},
                  {"p_value", nullptr}, {"warning", false}};
    }

    json variants = json::array();
    for (const auto& v : e.variants) {
      const VariantNumbers& n = numbers[v.id];
      const bool is_control = v.id == control;
      const json rate = ratio(n.conversions, n.visitors);
      json lift, low, high, z, p, significant;
      if (!is_control) {
        lift = maybe(relative_lift(base.visitors, base.conversions, n.visitors, n.conversions));
        if (auto ci = lift_interval(base.visitors, base.conversions, n.visitors, n.conversions, confidence)) {
          low = maybe(ci->low);
          high = maybe(ci->high);
        }
        if (auto t = two_proportion_z_test(base.visitors, base.conversions, n.visitors, n.conversions)) {
          z = maybe(t->z);
          p = maybe(t->p_value);
          significant = t->p_value < alpha;
        }
      }
      variants.push_back({{"variant", v.id}, {"weight", v.weight > 0 ? json(v.weight) : json()},
                          {"control", is_control}, {"visitors", n.visitors}, {"exposures", n.exposures},
                          {"conversions", n.conversions}, {"rate", rate}, {"lift", lift}, {"lift_low", low},
                          {"lift_high", high}, {"z", z}, {"p_value", p}, {"significant", significant}});
      out.table.rows.push_back({e.id, v.id, is_control, goal, n.visitors, n.exposures, n.conversions, rate, lift, low,
                                high, z, p, significant, srm_json["p_value"]});
    }
    experiments_json.push_back({{"experiment", e.id}, {"goal", goal}, {"control", control},
                                {"test", "two-sided two-proportion z-test (pooled)"}, {"confidence", confidence},
                                {"variants", std::move(variants)}, {"srm", std::move(srm_json)}});
  }
  out.body["test"] = "two-sided two-proportion z-test (pooled)";
  out.body["interval"] = "relative lift, log ratio (Katz) interval";
  out.body["confidence"] = confidence;
  out.body["unit"] = "visitor-day";
  out.body["experiments"] = std::move(experiments_json);
  return true;
}

bool personalization(ReportSource& source, const ReportScope& scope, const ReportParams& params,
                     const SiteRulesInfo& rules, ReportResult& out, ReportError& error) {
  const std::string goal = param(params, "goal", kAnyGoal);
  const std::string only = param(params, "slot");
  std::vector<UnitRow> exposed;
  std::vector<UnitGoalRow> converted;
  if (store_failed(source.units(scope, UnitKind::Slot, exposed, converted), error)) return false;
  std::map<std::pair<std::string, std::string>, std::int64_t> conversions;
  for (const auto& c : converted) {
    if (c.goal == goal) conversions[{c.key, c.variant}] = c.converted;
  }
  std::map<std::string, std::vector<UnitRow>> slots;
  for (const auto& u : exposed) {
    if (only.empty() || u.key == only) slots[u.key].push_back(u);
  }
  json list = json::array();
  out.table.columns = {"slot", "variant", "default", "visitors", "exposures", "conversions", "rate",
                       "lift_vs_default", "p_value_vs_default"};
  for (auto& [slot, rows] : slots) {
    std::sort(rows.begin(), rows.end(), [](const UnitRow& a, const UnitRow& b) {
      return a.visitors != b.visitors ? a.visitors > b.visitors : a.variant < b.variant;
    });
    auto def_it = rules.slot_defaults.find(slot);
    const std::string def = def_it == rules.slot_defaults.end() ? std::string() : def_it->second;
    std::int64_t base_n = 0, base_x = 0;
    for (const auto& r : rows) {
      if (r.variant == def) {
        base_n = r.visitors;
        base_x = conversions[{slot, r.variant}];
      }
    }
    for (const auto& r : rows) {
      const std::int64_t x = conversions[{slot, r.variant}];
      const bool is_default = !def.empty() && r.variant == def;
      json lift, p;
      if (!is_default && base_n > 0) {
        lift = maybe(relative_lift(base_n, base_x, r.visitors, x));
        if (auto t = two_proportion_z_test(base_n, base_x, r.visitors, x)) p = maybe(t->p_value);
      }
      const json rate = ratio(x, r.visitors);
      list.push_back({{"slot", slot}, {"variant", r.variant}, {"default", is_default}, {"visitors", r.visitors},
                      {"exposures", r.exposures}, {"conversions", x}, {"rate", rate}, {"lift_vs_default", lift},
                      {"p_value_vs_default", p}});
      out.table.rows.push_back({slot, r.variant, is_default, r.visitors, r.exposures, x, rate, lift, p});
    }
  }
  out.body["goal"] = goal;
  out.body["unit"] = "visitor-day";
  out.body["rows"] = std::move(list);
  return true;
}

}  // namespace

SiteRulesInfo SiteRulesInfo::from_json(std::string_view rules_json) {
  SiteRulesInfo info;
  // Ordered: experiments are reported in the rule set's order (nlohmann::json sorts keys).
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(rules_json, nullptr, false);
  if (!doc.is_object()) return info;
  if (auto j = doc.find("journey"); j != doc.end() && j->is_object()) {
    if (auto stages = j->find("stages"); stages != j->end() && stages->is_array()) {
      for (const auto& s : *stages) {
        if (s.is_object() && s.contains("id") && s["id"].is_string()) info.stages.push_back(s["id"]);
      }
    }
  }
  if (auto ex = doc.find("experiments"); ex != doc.end() && ex->is_object()) {
    for (const auto& [id, e] : ex->items()) {
      Experiment x;
      x.id = id;
      if (e.is_object()) {
        if (e.contains("goal") && e["goal"].is_string()) x.goal = e["goal"];
        if (e.contains("variants") && e["variants"].is_array()) {
          for (const auto& v : e["variants"]) {
            if (!v.is_object() || !v.contains("id") || !v["id"].is_string()) continue;
            Variant variant;
            variant.id = v["id"];
            variant.weight = v.contains("weight") && v["weight"].is_number() ? v["weight"].get<double>() : 1.0;
            x.variants.push_back(std::move(variant));
          }
        }
      }
      info.experiments.push_back(std::move(x));
    }
  }
  if (auto slots = doc.find("slots"); slots != doc.end() && slots->is_object()) {
    for (const auto& [id, s] : slots->items()) {
      if (s.is_object() && s.contains("default") && s["default"].is_string()) info.slot_defaults[id] = s["default"];
    }
  }
  return info;
}

std::string_view report_parameters(std::string_view report) {
  if (breakdown_dimension(report)) return "limit";
  for (const auto& [name, list] : kOtherReports) {
    if (report == name) return list;
  }
  return {};
}

bool is_report(std::string_view name) {
  for (const auto& b : kBreakdowns) {
    if (name == b.report) return true;
  }
  for (const auto& r : kOtherReports) {
    if (name == r.first) return true;
  }
  return false;
}

std::vector<std::string> report_names() {
  std::vector<std::string> names;
  for (const auto& r : kOtherReports) names.emplace_back(r.first);
  for (const auto& b : kBreakdowns) names.emplace_back(b.report);
  return names;
}

std::optional<Dim> breakdown_dimension(std::string_view report) {
  for (const auto& b : kBreakdowns) {
    if (report == b.report) return b.dim;
  }
  return std::nullopt;
}

bool run_report(ReportSource& source, std::string_view report, const ReportScope& scope, const ReportParams& params,
                const SiteRulesInfo& rules, ReportResult& out, ReportError& error) {
  if (report == "timeseries") return timeseries(source, scope, params, out, error);
  if (auto dim = breakdown_dimension(report)) return breakdown(source, *dim, scope, params, out, error);
  if (report == "breakdown") {
    const std::string name = param(params, "dimension", param(params, "by"));
    auto dim = parse_dimension(name);
    if (!dim) {
      error = {400, "invalid_parameter", "dimension must be one of the dimensions in docs/reports.md"};
      return false;
    }
    return breakdown(source, *dim, scope, params, out, error);
  }
  if (report == "funnel") return funnel(source, scope, rules, out, error);
  if (report == "paths") return paths(source, scope, params, out, error);
  if (report == "attribution") return attribution(source, scope, params, out, error);
  if (report == "experiments") return experiments(source, scope, params, rules, out, error);
  if (report == "personalization") return personalization(source, scope, params, rules, out, error);
  if (report == "journey") {
    // The journey at a glance (JSON only): funnel, top page and stage paths, attribution.
    ReportResult part;
    if (!rules.stages.empty()) {
      if (!funnel(source, scope, rules, part, error)) return false;
      out.body["funnel"] = part.body;
      out.table = part.table;
    } else {
      out.body["funnel"] = nullptr;
    }
    for (const char* kind : {"pages", "stages"}) {
      ReportParams p{{"kind", kind}, {"limit", "10"}};
      ReportResult r;
      if (!paths(source, scope, p, r, error)) return false;
      out.body["paths"][kind] = r.body;
    }
    ReportResult a;
    if (!attribution(source, scope, params, a, error)) return false;
    out.body["attribution"] = a.body;
    return true;
  }
  error = {404, "not_found", "no report " + std::string(report)};
  return false;
}

std::string to_csv(const ReportTable& table) {
  auto cell = [](const json& v) -> std::string {
    std::string text;
    if (v.is_null()) return {};
    if (v.is_string()) {
      text = v.get<std::string>();
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) text += " > ";
        text += v[i].is_string() ? v[i].get<std::string>() : v[i].dump();
      }
    } else {
      text = v.dump();
    }
    // Cells that a spreadsheet would run as a formula get a leading quote (OWASP CSV injection).
    if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@') && v.is_string()) {
      text.insert(text.begin(), '\'');
    }
    if (text.find_first_of(",\"\r\n") != std::string::npos) {
      std::string quoted = "\"";
      for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
      }
      return quoted + "\"";
    }
    return text;
  };
  std::string out;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (i) out += ',';
    out += table.columns[i];
  }
  out += "\r\n";
  for (const auto& row : table.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      out += cell(row[i]);
    }
    out += "\r\n";
  }
  return out;
}

namespace {
void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}
}  // namespace

std::string day_label(std::int32_t day) {
  int y;
  unsigned m, d;
  civil_from_days(day, y, m, d);
  char buf[40];  // room for any int and unsigned: GCC checks the format against the types
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

std::string hour_label(std::int64_t hour) {
  const std::int64_t day = floor_div(hour, 24);
  char buf[8];
  std::snprintf(buf, sizeof buf, "T%02d:00", static_cast<int>(hour - day * 24));
  return day_label(static_cast<std::int32_t>(day)) + buf;
}

}  // namespace ithaca::tracker
