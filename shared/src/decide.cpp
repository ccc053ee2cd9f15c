// decide(): journey stage, then segments, then each slot's rules in order (first match wins).
// Nothing here can fail: an expression that evaluates to an error, a missing attribute or a
// wrong-typed one only makes its rule not match, and the explanation says so.
#include <string>

#include "ithaca/json.hpp"
#include "ruleset_impl.hpp"
#include "time_format.hpp"

namespace ithaca {

namespace {

using Impl = RuleSet::Impl;

// The context groups of the design. In rules they are always declared: an absent group reads
// as an empty map, so has(consent.personalization) is false rather than an error.
constexpr std::string_view kGroups[] = {"time", "geo", "device", "referrer", "utm", "campaign",
                                        "visit", "journey", "consent", "custom", "visitor", "url"};

// The visitor's context with the computed `journey` and `segment` layered over it, without
// copying the context.
class DecisionActivation final : public Activation {
 public:
  DecisionActivation(const Value& context, const Value& journey, const Value& segments,
                     const Value& empty_map)
      : context_(context), journey_(journey), segments_(segments), empty_(empty_map) {}
  const Value* find(std::string_view name) const noexcept override {
    if (name == "segment") return &segments_;
    if (name == "journey" && !journey_.is_null()) return &journey_;
    if (const Value* v = context_.find(name)) return v;
    for (std::string_view g : kGroups)
      if (g == name) return &empty_;
    return nullptr;
  }

 private:
  const Value& context_;
  const Value& journey_;
  const Value& segments_;
  const Value& empty_;
};

// time.now as a timestamp: given natively, as RFC 3339 text, or as epoch milliseconds.
std::optional<Timestamp> context_now(const Value& context) {
  const Value* now = context.find_path("time.now");
  if (!now) return std::nullopt;
  if (now->kind() == Kind::Timestamp) return now->as_timestamp();
  if (now->is_string()) return parse_timestamp(now->as_string());
  if (now->kind() == Kind::Int) {
    const std::int64_t ms = now->as_int();
    const std::int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    return Timestamp{secs, static_cast<std::int32_t>((ms - secs * 1000) * 1000000)};
  }
  return std::nullopt;
}

// JSON contexts carry time.now as text or a number; rules compare it with timestamps.
Value normalize(const Value& context, const std::optional<Timestamp>& now) {
  if (!context.is_map()) return Value::map(Map());
  const Value* time = context.find("time");
  const Value* raw = time ? time->find("now") : nullptr;
  if (!now || !raw || raw->kind() == Kind::Timestamp) return context;
  Value copy = context;
  Value time_copy = *time;
  time_copy.edit_map().set("now", Value::timestamp(*now));
  copy.edit_map().set("time", std::move(time_copy));
  return copy;
}

bool truthy(const Value& v) { return v.is_bool() && v.as_bool(); }

// Why a non-bool result does not match.
std::string not_bool(const Value& v) {
  if (v.is_error()) return "error: " + std::string(v.as_string());
  if (v.is_bool()) return "false";
  return std::string("not a bool (") + kind_name(v.kind()) + ")";
}

Value conditions_json(const Condition& c, const std::vector<ConditionTrace>& trace) {
  List out;
  out.reserve(trace.size());
  for (std::size_t i = 0; i < trace.size() && i < c.parts.size(); ++i) {
    Map m;
    m.set("expr", c.parts[i]);
    if (trace[i].value.is_error()) m.set("error", Value::string(trace[i].value.as_string()));
    else m.set("value", trace[i].value);
    out.push_back(Value::map(std::move(m)));
  }
  return Value::list(std::move(out));
}

// "" when the schedule allows now; otherwise why not.
std::string schedule_miss(const Schedule& s, const Value& context, const std::optional<Timestamp>& now) {
  if (s.start || s.end) {
    if (!now) return "schedule needs time.now";
    const Value n = Value::timestamp(*now);
    if (s.start && cel_compare(n, Value::timestamp(*s.start)) < 0) return "before the schedule's start " + format_timestamp(*s.start);
    if (s.end && cel_compare(n, Value::timestamp(*s.end)) >= 0) return "after the schedule's end " + format_timestamp(*s.end);
  }
  if (s.uses_days) {
    const Value* wd = context.find_path("time.weekday");
    if (!wd || wd->kind() != Kind::Int || wd->as_int() < 0 || wd->as_int() > 6) return "schedule needs time.weekday";
    if (!(s.days & (1u << wd->as_int()))) return "not on a scheduled day";
  }
  if (s.uses_hours) {
    const Value* h = context.find_path("time.hour");
    if (!h || h->kind() != Kind::Int) return "schedule needs time.hour";
    const std::int64_t hour = h->as_int();
    const bool inside = s.hour_from < s.hour_to ? (hour >= s.hour_from && hour < s.hour_to)
                                                : (hour >= s.hour_from || hour < s.hour_to);
    if (!inside) return "outside the scheduled hours " + std::to_string(s.hour_from) + "–" + std::to_string(s.hour_to);
  }
  return {};
}

struct Assignment {
  const Impl::ExperimentVariant* variant = nullptr;
  std::uint32_t bucket = 0;
  std::string miss;  // why the visitor is not in the experiment
};

Assignment assign(const Impl::Experiment& e, const Activation& act, const Value& context,
                  const std::optional<Timestamp>& now) {
  Assignment a;
  if (e.start || e.end) {
    if (!now) { a.miss = "experiment '" + e.id_text + "' needs time.now for its window"; return a; }
    const Value n = Value::timestamp(*now);
    if ((e.start && cel_compare(n, Value::timestamp(*e.start)) < 0) || (e.end && cel_compare(n, Value::timestamp(*e.end)) >= 0)) {
      a.miss = "experiment '" + e.id_text + "' is not running now";
      return a;
    }
  }
  if (e.audience) {
    Value in = e.audience->program.evaluate(act);
    if (!truthy(in)) { a.miss = "not in the audience of experiment '" + e.id_text + "' (" + not_bool(in) + ")"; return a; }
  }
  const Value* visitor = context.find_path("visitor.id");
  if (!visitor || !visitor->is_string() || visitor->as_string().empty()) {
    a.miss = "experiment '" + e.id_text + "' needs visitor.id to assign a variant";
    return a;
  }
  a.bucket = bucket_of(e.id_text, visitor->as_string());
  if (a.bucket >= e.traffic) {
    a.miss = "outside the " + e.traffic_text + " traffic of experiment '" + e.id_text + "'";
    return a;
  }
  // A second, independent hash picks the variant, so changing traffic never reshuffles variants.
  const std::uint32_t pick = bucket_of(e.id_text + ":variant", visitor->as_string());
  for (const auto& v : e.variants) {
    if (pick < v.upper) { a.variant = &v; break; }
  }
  if (!a.variant) a.miss = "experiment '" + e.id_text + "' has no variant with weight";
  return a;
}

}  // namespace

std::uint32_t bucket_of(std::string_view experiment_id, std::string_view visitor_id) noexcept {
  // FNV-1a over the bytes, then the SplitMix64 finalizer for avalanche in the low bits.
  std::uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&](unsigned char c) { h = (h ^ c) * 0x100000001b3ull; };
  for (char c : experiment_id) mix(static_cast<unsigned char>(c));
  mix(0x1f);
  for (char c : visitor_id) mix(static_cast<unsigned char>(c));
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return static_cast<std::uint32_t>(h % 10000);
}

Value decide(const RuleSet& rules, const Value& raw_context) {
  const Impl& r = rules.impl();
  const std::optional<Timestamp> now = context_now(raw_context);
  const Value context = normalize(raw_context, now);
  Value segments = Value::map(Map());
  Value journey;  // null: no journey defined, the context's own is used
  const Value empty = Value::map(Map());

  // Journey: the furthest stage whose entry condition holds; a stage already reached (the
  // context's journey.stage, kept by the SDK) is never undone.
  Map journey_out;
  if (!r.stages.empty()) {
    DecisionActivation act(context, journey, segments, empty);
    int reached = -1;
    const Value* stored = context.find_path("journey.stage");
    for (std::size_t i = 0; i < r.stages.size(); ++i) {
      if (stored && stored->is_string() && stored->as_string() == r.stages[i].id.as_string()) reached = static_cast<int>(i);
    }
    const int stored_index = reached;
    for (std::size_t i = 0; i < r.stages.size(); ++i) {
      if (static_cast<int>(i) > reached && truthy(r.stages[i].when.program.evaluate(act))) reached = static_cast<int>(i);
    }
    const Value* ctx_journey = context.find("journey");
    journey = ctx_journey && ctx_journey->is_map() ? *ctx_journey : Value::map(Map());
    Value stage = reached >= 0 ? r.stages[static_cast<std::size_t>(reached)].id : Value();
    journey.edit_map().set("stage", stage);
    journey_out.set("stage", stage);
    journey_out.set("index", Value::integer(reached));
    journey_out.set("advanced", Value::boolean(reached > stored_index));
  }

  // Segments, in dependency order; an error stays an error value for rules to absorb.
  Map segments_out;
  Map segment_errors;
  {
    DecisionActivation act(context, journey, segments, empty);
    for (const auto& s : r.segments) {
      Value v = s.when.program.evaluate(act);
      if (!v.is_bool() && !v.is_error()) v = Value::error(std::string("segment is not a bool but ") + kind_name(v.kind()));
      segments_out.set(s.name.as_string(), Value::boolean(truthy(v)));
      if (v.is_error()) segment_errors.set(s.name.as_string(), Value::string(v.as_string()));
      segments.edit_map().set(s.name.as_string(), std::move(v));
    }
  }

  const DecisionActivation act(context, journey, segments, empty);
  Map decisions;
  std::vector<ConditionTrace> trace;
  for (const auto& slot : r.slots) {
    Map d;
    List skipped;
    Value variant = slot.default_variant;
    Value rule_id, experiment;
    const char* reason = "default";
    std::string summary;
    Value conditions;
    for (const auto& rule : slot.rules) {
      std::string miss;
      if (rule.schedule) miss = schedule_miss(*rule.schedule, context, now);
      if (miss.empty() && rule.when) {
        trace.clear();
        Value v = rule.when->program.explain(act, trace);
        if (!truthy(v)) miss = not_bool(v);
        else conditions = conditions_json(*rule.when, trace);
      }
      Assignment a;
      if (miss.empty() && rule.experiment >= 0) {
        a = assign(r.experiments[static_cast<std::size_t>(rule.experiment)], act, context, now);
        miss = a.miss;
      }
      if (!miss.empty()) {
        Map s;
        s.set("rule", rule.id);
        s.set("why", Value::string(miss));
        skipped.push_back(Value::map(std::move(s)));
        continue;
      }
      rule_id = rule.id;
      if (rule.experiment >= 0) {
        const auto& e = r.experiments[static_cast<std::size_t>(rule.experiment)];
        variant = a.variant->id;
        reason = "experiment";
        Map em;
        em.set("id", e.id);
        em.set("variant", a.variant->id);
        em.set("bucket", Value::integer(a.bucket));
        experiment = Value::map(std::move(em));
        summary = "rule '" + std::string(rule.id.as_string()) + "' runs experiment '" + e.id_text +
                  "': variant '" + std::string(a.variant->id.as_string()) + "' (bucket " + std::to_string(a.bucket) + ")";
      } else {
        variant = rule.variant;
        reason = "rule";
        summary = "rule '" + std::string(rule.id.as_string()) + "' matched" +
                  (rule.when ? ": " + std::string(rule.when->program.source())
                             : std::string(rule.schedule ? " its schedule" : " (no condition)"));
      }
      break;
    }
    if (summary.empty())
      summary = std::string(slot.rules.empty() ? "no rules" : "no rule matched") + "; default '" +
                std::string(slot.default_variant.as_string()) + "' kept";
    d.set("variant", variant);
    d.set("reason", Value::string(reason));
    d.set("rule", rule_id);
    if (!experiment.is_null()) d.set("experiment", experiment);
    if (const Value* v = slot.variants.find(variant.as_string()); v && v->find("props")) d.set("props", *v->find("props"));
    Map explanation;
    explanation.set("summary", Value::string(summary));
    if (!conditions.is_null()) explanation.set("conditions", conditions);
    explanation.set("skipped", Value::list(std::move(skipped)));
    d.set("explanation", Value::map(std::move(explanation)));
    decisions.set(slot.name.as_string(), Value::map(std::move(d)));
  }

  Map out;
  out.set("site", r.site_value);
  out.set("version", r.version_value);
  if (!r.stages.empty()) out.set("journey", Value::map(std::move(journey_out)));
  out.set("segments", Value::map(std::move(segments_out)));
  if (!segment_errors.empty()) out.set("segment_errors", Value::map(std::move(segment_errors)));
  out.set("decisions", Value::map(std::move(decisions)));
  return Value::map(std::move(out));
}

}  // namespace ithaca
