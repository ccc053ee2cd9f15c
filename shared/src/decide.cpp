// decide(): journey stage, then segments, then each slot's rules in order (first match wins).
// Nothing here can fail: an expression that evaluates to an error, a missing attribute or a
// wrong-typed one only makes its rule not match, and the explanation says so.
// It runs on every page view, in the browser and on the server, and every home wants the
// decisions as JSON text: so it writes that text directly, from fragments escaped at load time,
// and builds no Value tree. decide() returning a Value parses the same text (one code path).
#include <algorithm>
#include <string>
#include <string_view>

#include "ast.hpp"
#include "equal_groups.hpp"
#include "ithaca/json.hpp"
#include "ruleset_impl.hpp"
#include "time_format.hpp"

namespace ithaca {

using namespace std::string_view_literals;

namespace {

using Impl = RuleSet::Impl;

// The context groups of the design. In rules they are always declared: an absent group reads
// as an empty map, so has(consent.personalization) is false rather than an error.
constexpr std::string_view kGroups[] = {"time", "geo", "device", "referrer", "utm", "campaign",
                                        "visit", "journey", "consent", "custom", "visitor", "url"};

// The visitor's context with the computed `journey`, `segment` and a normalized `time` layered
// over it, without copying the context. It keeps the attribute paths the rules resolved (the
// rule set numbers them at load), so each is walked once per decision.
class DecisionActivation final : public Activation {
 public:
  DecisionActivation(const Impl& rules, const Value& context, const Value& time, const Value& journey,
                     const Value& segments, const Value& empty_map)
      : rules_(rules), context_(context), time_(time), journey_(journey), segments_(segments), empty_(empty_map),
        memo_(static_cast<std::size_t>(rules.path_ids), nullptr) {}
  const Value** path_memo(const void* table) const noexcept override {
    return table == &rules_ ? memo_.data() : nullptr;
  }
  // After the journey is computed, `journey.*` resolves differently.
  void forget_paths() { std::fill(memo_.begin(), memo_.end(), nullptr); }
  const Value* find(std::string_view name) const noexcept override {
    if (name == "segment") return &segments_;
    if (name == "journey" && !journey_.is_null()) return &journey_;
    if (name == "time" && !time_.is_null()) return &time_;
    if (const Value* v = context_.find(name)) return v;
    for (std::string_view g : kGroups)
      if (g == name) return &empty_;
    return nullptr;
  }

 private:
  const Impl& rules_;
  const Value& context_;
  const Value& time_;
  const Value& journey_;
  const Value& segments_;
  const Value& empty_;
  mutable std::vector<const Value*> memo_;
};

// time.now (null: absent) as a timestamp: given natively, as RFC 3339 text, or as epoch milliseconds; none
// when it is out of the timestamp range (0001-01-01 to 9999-12-31), as text or as a number.
std::optional<Timestamp> context_now(const Value* now) {
  if (!now) return std::nullopt;
  if (now->kind() == Kind::Timestamp) return now->as_timestamp();
  if (now->is_string()) return parse_timestamp(now->as_string());
  if (now->kind() == Kind::Int) {
    const std::int64_t ms = now->as_int();
    std::int64_t secs = ms / 1000, rest = ms % 1000;  // floored, with no negation to overflow
    if (rest < 0) { secs -= 1; rest += 1000; }
    if (!timestamp_in_range(secs)) return std::nullopt;
    return Timestamp{secs, static_cast<std::int32_t>(rest * 1000000)};
  }
  return std::nullopt;
}

bool truthy(const Value& v) { return v.is_bool() && v.as_bool(); }

// Appends why a result that is not `true` does not match, as a JSON string.
void append_miss(const Value& v, std::string& out) {
  if (v.is_error()) append_json_string("error: " + std::string(v.as_string()), out);
  else if (v.is_bool()) out += "\"false\""sv;
  else append_json_string(std::string("not a bool (") + kind_name(v.kind()) + ")", out);
}

// {"segment.morning":true,"geo.country == 'DE'":true}: each top-level condition's source text
// and value ({"error": …} for an error), in order; a text written twice (`a || a`) once, with its
// first value (parts_json is empty for the repeats).
void append_conditions(const Condition& c, const std::vector<ConditionTrace>& trace, std::string& out) {
  out += '{';
  bool first = true;
  for (std::size_t i = 0; i < trace.size() && i < c.parts_json.size(); ++i) {
    if (c.parts_json[i].empty()) continue;
    if (!first) out += ',';
    first = false;
    out += c.parts_json[i];
    out += ':';
    if (trace[i].value.is_error()) {
      out += "{\"error\":"sv;
      append_json_string(trace[i].value.as_string(), out);
      out += '}';
    } else {
      append_json(trace[i].value, out);
    }
  }
  out += '}';
}

// Empty when the schedule allows now; otherwise why not, as a JSON string.
std::string_view schedule_miss(const Schedule& s, const Activation& act, const std::optional<Timestamp>& now) {
  if (s.start || s.end) {
    if (!now) return "\"schedule needs time.now\""sv;
    const Value n = Value::timestamp(*now);
    if (s.start && cel_compare(n, Value::timestamp(*s.start)) < 0) return s.before_json;
    if (s.end && cel_compare(n, Value::timestamp(*s.end)) >= 0) return s.after_json;
  }
  const Value* time = s.uses_days || s.uses_hours ? act.find("time") : nullptr;
  if (s.uses_days) {
    const Value* wd = time ? time->find("weekday") : nullptr;
    if (!wd || wd->kind() != Kind::Int || wd->as_int() < 0 || wd->as_int() > 6) return "\"schedule needs time.weekday\""sv;
    if (!(s.days & (1u << wd->as_int()))) return "\"not on a scheduled day\""sv;
  }
  if (s.uses_hours) {
    const Value* h = time ? time->find("hour") : nullptr;
    if (!h || h->kind() != Kind::Int) return "\"schedule needs time.hour\""sv;
    const std::int64_t hour = h->as_int();
    const bool inside = s.hour_from < s.hour_to ? (hour >= s.hour_from && hour < s.hour_to)
                                                : (hour >= s.hour_from || hour < s.hour_to);
    if (!inside) return s.hours_json;
  }
  return {};
}

struct Assignment {
  const Impl::ExperimentVariant* variant = nullptr;
  std::uint32_t bucket = 0;
  std::string_view miss_json;  // why the visitor is not in the experiment, as a JSON string
  std::string audience_error;  // the JSON miss_json points to when the audience was an error
};

void assign(const Impl::Experiment& e, const Activation& act, const std::optional<Timestamp>& now, Assignment& a) {
  a.variant = nullptr;
  a.miss_json = {};
  if (e.start || e.end) {
    if (!now) { a.miss_json = e.needs_now_json; return; }
    const Value n = Value::timestamp(*now);
    if ((e.start && cel_compare(n, Value::timestamp(*e.start)) < 0) || (e.end && cel_compare(n, Value::timestamp(*e.end)) >= 0)) {
      a.miss_json = e.not_running_json;
      return;
    }
  }
  if (e.audience) {
    Value in = e.audience->program.evaluate(act);
    if (!truthy(in)) {
      if (in.is_error() || !in.is_bool()) {
        a.audience_error.clear();
        append_json_string("not in the audience of experiment '" + e.id + "' (" +
                               (in.is_error() ? "error: " + std::string(in.as_string()) : std::string("not a bool")) + ")",
                           a.audience_error);
        a.miss_json = a.audience_error;
      } else {
        a.miss_json = e.audience_json;
      }
      return;
    }
  }
  const Value* visitor = act.find("visitor");
  const Value* id = visitor ? visitor->find("id") : nullptr;
  if (!id || !id->is_string() || id->as_string().empty()) {
    a.miss_json = e.needs_id_json;
    return;
  }
  a.bucket = bucket_of(e.id, id->as_string());
  if (a.bucket >= e.traffic) {
    a.miss_json = e.outside_json;
    return;
  }
  // A second, independent hash picks the variant, so changing traffic never reshuffles variants.
  const std::uint32_t pick = bucket_of(e.variant_salt, id->as_string());
  for (const auto& v : e.variants) {
    if (pick < v.upper) { a.variant = &v; break; }
  }
  if (!a.variant) a.miss_json = e.no_variant_json;
}

std::string json_text(const std::string& text) {
  std::string out;
  append_json_string(text, out);
  return out;
}

// The JSON of a slot's variant's props, "" when it has none.
std::string props_json(const Value& variants, std::string_view variant) {
  const Value* v = variants.find(variant);
  const Value* props = v ? v->find("props") : nullptr;
  return props ? to_json(*props) : std::string();
}

void append_number(std::uint32_t n, std::string& out) {
  char digits[10];
  int i = 0;
  do { digits[i++] = static_cast<char>('0' + n % 10); n /= 10; } while (n);
  while (i) out += digits[--i];
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

namespace {

// What one decision chose, computed once (decide_outcome) and then written out as JSON text
// (decide_to_json) or as numbers (decide_codes): two writers, one evaluation.
struct SlotChoice {
  const Impl::Rule* rule = nullptr;  // null: the slot's default
  std::size_t variant = 0;           // experiment rules: index of the assigned variant
  std::uint32_t bucket = 0;
  std::string skipped, conditions;   // explain only: `"rule":"why",…` and the matched rule's trace
};
struct Outcome {
  int stage = -1;          // journey stage reached (rule sets with stages), -1 for none
  bool advanced = false;   // past the stage the context carried
  Value segments = Value::map(Map());  // name → bool or error, in the rule set's order
  bool segment_errors = false;
  std::vector<SlotChoice> slots;
};

void decide_outcome(const Impl& r, const Value& raw_context, const DecideOptions& options, Outcome& o) {
  const Value empty = Value::map(Map());
  const Value& context = raw_context.is_map() ? raw_context : empty;

  // JSON contexts carry time.now as text or epoch milliseconds; rules compare it with timestamps.
  const Value* given_now = context.find_path("time.now");
  const std::optional<Timestamp> now = context_now(given_now);
  Value time;
  if (now) {
    const Value* given = context.find("time");
    if (given->find("now")->kind() != Kind::Timestamp) {
      time = *given;
      time.edit_map().set("now", Value::timestamp(*now));
    }
  } else if (given_now && given_now->kind() == Kind::Int) {
    // Rules never see epoch milliseconds as a number: out of range, they see why not.
    time = *context.find("time");
    time.edit_map().set("now", Value::error("time.now is out of range: epoch milliseconds not within 0001-01-01 to 9999-12-31"));
  }
  Value journey;  // null: no journey defined, the context's own is used
  DecisionActivation act(r, context, time, journey, o.segments, empty);

  // Journey: the furthest stage whose entry condition holds; a stage already reached (the
  // context's journey.stage, kept by the SDK) is never undone.
  if (!r.stages.empty()) {
    int reached = -1;
    const Value* stored = context.find_path("journey.stage");
    for (std::size_t i = 0; i < r.stages.size(); ++i)
      if (stored && stored->is_string() && stored->as_string() == r.stages[i].id.as_string()) reached = static_cast<int>(i);
    const int stored_index = reached;
    for (std::size_t i = r.stages.size(); i-- > 0 && static_cast<int>(i) > reached;)
      if (truthy(r.stages[i].when.program.evaluate(act))) reached = static_cast<int>(i);
    const Value* given = context.find("journey");
    journey = given && given->is_map() ? *given : Value::map(Map());
    journey.edit_map().set("stage", reached >= 0 ? r.stages[static_cast<std::size_t>(reached)].id : Value());
    o.stage = reached;
    o.advanced = reached > stored_index;
    act.forget_paths();
  }

  // Segments, in dependency order; an error stays an error value for rules to absorb.
  Map& seg = o.segments.edit_map();
  seg.reserve(r.segments.size());
  for (const auto& s : r.segments) {
    Value v = s.when.program.evaluate(act);
    if (!v.is_bool() && !v.is_error()) v = Value::error(std::string("segment is not a bool but ") + kind_name(v.kind()));
    o.segment_errors = o.segment_errors || v.is_error();
    seg.append(s.name, std::move(v));
  }

  o.slots.resize(r.slots.size());
  std::vector<ConditionTrace> trace;
  Assignment a;
  for (std::size_t si = 0; si < r.slots.size(); ++si) {
    SlotChoice& choice = o.slots[si];
    for (const auto& rule : r.slots[si].rules) {
      std::string_view miss;
      Value result;
      bool missed = false;
      if (rule.schedule) {
        miss = schedule_miss(*rule.schedule, act, now);
        missed = !miss.empty();
      }
      if (!missed && rule.when) {
        result = rule.when->program.evaluate(act);
        missed = !truthy(result);
      } else {
        result = Value::boolean(true);
      }
      if (!missed && rule.experiment >= 0) {
        const auto& e = r.experiments[static_cast<std::size_t>(rule.experiment)];
        assign(e, act, now, a);
        miss = a.miss_json;
        missed = !miss.empty();
        if (!missed) {
          choice.variant = static_cast<std::size_t>(a.variant - e.variants.data());
          choice.bucket = a.bucket;
        }
      }
      if (!missed) {
        choice.rule = &rule;
        break;
      }
      if (!options.explain) continue;
      if (!choice.skipped.empty()) choice.skipped += ',';
      choice.skipped += rule.id_json;
      choice.skipped += ':';
      if (!miss.empty()) choice.skipped += miss;
      else append_miss(result, choice.skipped);
    }
    // Which conditions were true: only the matched rule is traced, once.
    if (options.explain && choice.rule && choice.rule->when) {
      trace.clear();
      choice.rule->when->program.explain(act, trace);
      append_conditions(*choice.rule->when, trace, choice.conditions);
    }
  }
}

// One slot's decision object, without explanation details: what decide_to_json writes for it
// and what decision_catalog_json lists for the SDK to reuse. Leaves the explanation object open.
void append_brief(const Impl::Slot& slot, const SlotChoice& choice, const Impl& r, std::string& out) {
  const Impl::Rule* rule = choice.rule;
  out += "{\"variant\":"sv;
  if (!rule) {
    out += slot.default_json;
    out += ",\"reason\":\"default\",\"rule\":null"sv;
    if (!slot.default_props_json.empty()) {
      out += ",\"props\":"sv;
      out += slot.default_props_json;
    }
    out += ",\"explanation\":{\"summary\":"sv;
    out += slot.default_summary_json;
  } else if (rule->experiment >= 0) {
    const auto& e = r.experiments[static_cast<std::size_t>(rule->experiment)];
    out += e.variants[choice.variant].id_json;
    out += ",\"reason\":\"experiment\",\"rule\":"sv;
    out += rule->id_json;
    out += rule->experiment_json[choice.variant];
    append_number(choice.bucket, out);
    out += '}';
    out += rule->experiment_props_json[choice.variant];
    out += ",\"explanation\":{\"summary\":"sv;
    out += rule->experiment_summary_json[choice.variant];
    append_number(choice.bucket, out);
    out += ")\""sv;
  } else {
    out += rule->variant_json;
    out += ",\"reason\":\"rule\",\"rule\":"sv;
    out += rule->id_json;
    if (!rule->props_json.empty()) {
      out += ",\"props\":"sv;
      out += rule->props_json;
    }
    out += ",\"explanation\":{\"summary\":"sv;
    out += rule->summary_json;
  }
}

// {"name":"message",…} for each segment that evaluated to an error, in the rule set's order.
void append_segment_errors(const Impl& r, const Outcome& o, std::string& out) {
  out += '{';
  std::size_t i = 0;
  bool first = true;
  for (const auto& [name, value] : o.segments.as_map()) {
    const std::string& name_json = r.segments[i++].name_json;
    if (!value.is_error()) continue;
    if (!first) out += ',';
    first = false;
    out += name_json;
    out += ':';
    append_json_string(value.as_string(), out);
  }
  out += '}';
}

}  // namespace

std::string decide_to_json(const RuleSet& rules, const Value& context, const DecideOptions& options) {
  const Impl& r = rules.impl();
  Outcome o;
  decide_outcome(r, context, options, o);

  std::string out;
  out.reserve(256 + (options.explain ? 512 : 256) * r.slots.size());
  out += "{\"site\":"sv;
  out += r.site_json;
  out += ",\"version\":"sv;
  out += r.version_json.empty() ? "null" : r.version_json;
  if (!r.stages.empty()) {
    out += ",\"journey\":{\"stage\":"sv;
    out += o.stage >= 0 ? r.stages[static_cast<std::size_t>(o.stage)].id_json : "null";
    out += ",\"index\":"sv;
    if (o.stage < 0) out += "-1"sv;
    else append_number(static_cast<std::uint32_t>(o.stage), out);
    out += o.advanced ? ",\"advanced\":true}"sv : ",\"advanced\":false}"sv;
  }

  out += ",\"segments\":{"sv;
  std::size_t i = 0;
  for (const auto& [name, value] : o.segments.as_map()) {
    if (i) out += ',';
    out += r.segments[i++].name_json;
    out += truthy(value) ? ":true"sv : ":false"sv;
  }
  out += '}';
  if (o.segment_errors) {
    out += ",\"segment_errors\":"sv;
    append_segment_errors(r, o, out);
  }

  out += ",\"decisions\":{"sv;
  for (std::size_t si = 0; si < r.slots.size(); ++si) {
    const SlotChoice& choice = o.slots[si];
    if (si) out += ',';
    out += r.slots[si].name_json;
    out += ':';
    append_brief(r.slots[si], choice, r, out);
    if (!options.explain) {
      out += "}}"sv;
      continue;
    }
    if (!choice.conditions.empty()) {
      out += ",\"conditions\":"sv;
      out += choice.conditions;
    }
    out += ",\"skipped\":{"sv;
    out += choice.skipped;
    out += "}}}"sv;
  }
  out += "}}"sv;
  return out;
}

void decide_codes(const RuleSet& rules, const Value& context, std::vector<std::int32_t>& codes,
                  std::string& segment_errors) {
  const Impl& r = rules.impl();
  Outcome o;
  decide_outcome(r, context, DecideOptions{false}, o);
  segment_errors.clear();
  if (o.segment_errors) append_segment_errors(r, o, segment_errors);
  codes.clear();
  codes.reserve(2 + r.segments.size() + 3 * r.slots.size());
  codes.push_back(o.stage);
  codes.push_back(o.advanced ? 1 : 0);
  for (const auto& [name, value] : o.segments.as_map()) codes.push_back(truthy(value) ? 1 : 0);
  for (std::size_t si = 0; si < r.slots.size(); ++si) {
    const SlotChoice& c = o.slots[si];
    const auto& slot_rules = r.slots[si].rules;
    codes.push_back(c.rule ? static_cast<std::int32_t>(c.rule - slot_rules.data()) : -1);
    codes.push_back(static_cast<std::int32_t>(c.variant));
    codes.push_back(static_cast<std::int32_t>(c.bucket));
  }
}

std::string decision_catalog_json(const RuleSet& rules) {
  const Impl& r = rules.impl();
  std::string out = "{\"site\":";
  out += r.site_json;
  out += ",\"version\":"sv;
  out += r.version_json.empty() ? "null" : r.version_json;
  out += ",\"stages\":"sv;
  if (r.stages.empty()) {
    out += "null"sv;
  } else {
    out += '[';
    for (std::size_t i = 0; i < r.stages.size(); ++i) {
      if (i) out += ',';
      out += r.stages[i].id_json;
    }
    out += ']';
  }
  out += ",\"segments\":["sv;
  for (std::size_t i = 0; i < r.segments.size(); ++i) {
    if (i) out += ',';
    out += r.segments[i].name_json;
  }
  out += "],\"slots\":["sv;
  for (std::size_t si = 0; si < r.slots.size(); ++si) {
    const auto& slot = r.slots[si];
    if (si) out += ',';
    out += "{\"name\":"sv;
    out += slot.name_json;
    out += ",\"default\":"sv;
    append_brief(slot, SlotChoice{}, r, out);
    out += "}},\"rules\":["sv;
    for (std::size_t ri = 0; ri < slot.rules.size(); ++ri) {
      const auto& rule = slot.rules[ri];
      if (ri) out += ',';
      SlotChoice c;
      c.rule = &rule;
      if (rule.experiment < 0) {
        append_brief(slot, c, r, out);
        out += "}}"sv;
        continue;
      }
      // Per variant: the decision with bucket 0, and its summary up to the bucket number.
      out += '[';
      for (c.variant = 0; c.variant < rule.experiment_json.size(); ++c.variant) {
        if (c.variant) out += ',';
        out += "{\"decision\":"sv;
        append_brief(slot, c, r, out);
        out += "}},\"summary_prefix\":"sv;
        out += rule.experiment_summary_json[c.variant];
        out += "\"}"sv;
      }
      out += ']';
    }
    // Every declared variant with its props: what a forced variant shows (the SDK's QA preview).
    out += "],\"variants\":"sv;
    append_json(slot.variants, out);
    out += '}';
  }
  out += "],\"reads\":["sv;
  bool first_path = true;
  for (const auto& path : r.context_paths) {
    out += first_path ? "[" : ",[";
    first_path = false;
    for (std::size_t k = 0; k < path.size(); ++k) {
      if (k) out += ',';
      append_json_string(path[k], out);
    }
    out += ']';
  }
  out += "]}"sv;
  return out;
}

RuleSet::RuleSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  std::vector<const Program*> programs;
  for (const auto& s : impl_->segments) programs.push_back(&s.when.program);
  for (const auto& s : impl_->stages) programs.push_back(&s.when.program);
  for (const auto& e : impl_->experiments)
    if (e.audience) programs.push_back(&e.audience->program);
  for (const auto& slot : impl_->slots)
    for (const auto& rule : slot.rules)
      if (rule.when) programs.push_back(&rule.when->program);
  impl_->path_ids = share_path_ids(programs, impl_.get());
  plan_context(*impl_);

  // The texts decisions repeat, escaped once here so that deciding only appends them.
  Impl& r = *impl_;
  r.site_json = json_text(r.site);
  r.version_json = r.has_version ? json_text(r.version) : std::string();
  auto finish = [](Condition& c) {
    const std::string_view source = c.program.source();
    for (const auto& [begin, end] : c.parts)
      c.parts_json.push_back(json_text(std::string(source.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin)))));
    // The explanation is a JSON object: a repeated text would be a repeated key.
    std::vector<std::size_t> first;
    first_equal(
        c.parts_json.size(),
        [](const void* texts, std::size_t a, std::size_t b) {
          const auto* t = static_cast<const std::string*>(texts);
          return t[a].compare(t[b]);
        },
        c.parts_json.data(), first);
    for (std::size_t i = 0; i < first.size(); ++i)
      if (first[i] != i) c.parts_json[i].clear();
  };
  for (auto& s : r.segments) {
    s.name_json = to_json(s.name);
    finish(s.when);
  }
  for (auto& s : r.stages) {
    s.id_json = to_json(s.id);
    finish(s.when);
  }
  for (auto& slot : r.slots) {
    slot.name_json = json_text(slot.name);
    slot.default_json = json_text(slot.default_variant);
    slot.default_props_json = props_json(slot.variants, slot.default_variant);
    slot.default_summary_json = json_text(std::string(slot.rules.empty() ? "no rules" : "no rule matched") + "; default '" +
                                          slot.default_variant + "' kept");
    for (auto& rule : slot.rules) {
      rule.id_json = json_text(rule.id);
      if (rule.when) finish(*rule.when);
      if (rule.experiment < 0) {
        rule.variant_json = json_text(rule.variant);
        rule.props_json = props_json(slot.variants, rule.variant);
      }
      rule.summary_json = json_text("rule '" + rule.id + "' matched" +
                                    (rule.when ? ": " + std::string(rule.when->program.source())
                                               : std::string(rule.schedule ? " its schedule" : " (no condition)")));
    }
  }
  for (auto& e : impl_->experiments) {
    e.id_json = json_text(e.id);
    if (e.audience) finish(*e.audience);
    for (auto& v : e.variants) v.id_json = json_text(v.id);
    const std::string quoted = "experiment '" + e.id + "'";
    e.variant_salt = e.id + ":variant";
    e.needs_now_json = json_text(quoted + " needs time.now for its window");
    e.not_running_json = json_text(quoted + " is not running now");
    e.audience_json = json_text("not in the audience of " + quoted + " (false)");
    e.needs_id_json = json_text(quoted + " needs visitor.id to assign a variant");
    e.outside_json = json_text("outside the " + e.traffic_text + " traffic of " + quoted);
    e.no_variant_json = json_text(quoted + " has no variant with weight");
  }
  for (auto& slot : impl_->slots) {
    for (auto& rule : slot.rules) {
      if (rule.schedule) {
        Schedule& s = *rule.schedule;
        if (s.start) s.before_json = json_text("before the schedule's start " + format_timestamp(*s.start));
        if (s.end) s.after_json = json_text("after the schedule's end " + format_timestamp(*s.end));
        s.hours_json = json_text("outside the scheduled hours " + std::to_string(s.hour_from) + "–" + std::to_string(s.hour_to));
      }
      if (rule.experiment < 0) continue;
      const auto& e = impl_->experiments[static_cast<std::size_t>(rule.experiment)];
      for (const auto& v : e.variants) {
        rule.experiment_json.push_back(",\"experiment\":{\"id\":" + e.id_json + ",\"variant\":" + v.id_json + ",\"bucket\":");
        const Value* def = slot.variants.find(v.id);
        const Value* props = def ? def->find("props") : nullptr;
        rule.experiment_props_json.push_back(props ? ",\"props\":" + to_json(*props) : std::string());
        std::string summary = json_text("rule '" + rule.id + "' runs experiment '" + e.id + "': variant '" + v.id + "' (bucket ");
        summary.pop_back();  // the closing quote: the bucket and ")" follow at decide time
        rule.experiment_summary_json.push_back(std::move(summary));
      }
    }
  }
}
RuleSet::~RuleSet() = default;

Value decide(const RuleSet& rules, const Value& context) {
  // The text is ours and valid; parsing it back is the Value view of the same decision. Values in
  // it sit a few levels below the root (an explanation's conditions: 5), so a literal as deep as
  // the parser allows (64) makes it deeper than parse_json's default depth: hence 256.
  return parse_json(decide_to_json(rules, context), JsonLimits{std::size_t{1} << 30, 256}).value();
}

}  // namespace ithaca
