// Loading a rule set: every structural problem is found here, up front, and reported with its
// JSON path — unknown or mistyped fields, duplicate ids, dangling segment / variant / experiment
// references, segment cycles, weights that do not add up, expressions that do not compile.
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <set>

#include "ast.hpp"
#include "ithaca/json.hpp"
#include "ruleset_impl.hpp"
#include "time_format.hpp"

namespace ithaca {

namespace {

using Impl = RuleSet::Impl;

// The first `matches` whose pattern is not a string literal (so the parser did not compile it),
// or null. Rule sets take literal patterns only: compiled rule sets carry every pattern compiled,
// and the page's engine has no regex compiler (docs/compiled-rules.md).
const Node* computed_pattern(const Node& root) {
  std::vector<const Node*> todo{&root};  // a work list: trees may be 1,000 levels deep
  while (!todo.empty()) {
    const Node* n = todo.back();
    todo.pop_back();
    if (n->op == Op::Call && n->fn == Fn::Matches && !n->regex) return n;
    for (const auto& kid : n->kids) todo.push_back(kid.get());
  }
  return nullptr;
}

bool is_name(std::string_view s, bool allow_dash) {
  if (s.empty() || s.size() > 64) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                    (i > 0 && c >= '0' && c <= '9') || (allow_dash && i > 0 && (c == '-' || c == '.'));
    if (!ok) return false;
  }
  return true;
}

std::string member_path(const std::string& base, std::string_view key) {
  if (is_name(key, false)) return base + "." + std::string(key);
  std::string quoted;
  append_json_string(key, quoted);
  return base + "[" + quoted + "]";
}

class Loader {
 public:
  LoadResult run(const Value& doc) {
    auto impl = std::make_unique<Impl>();
    impl_ = impl.get();
    impl->document = doc;
    if (!doc.is_map()) {
      error("$", "a rule set must be a JSON object");
      return finish(std::move(impl));
    }
    fields(doc, "$", {"schema", "site", "version", "description", "segments", "journey", "slots", "experiments"});
    const Value* schema = doc.find("schema");
    if (!schema) error("$.schema", "missing \"schema\": this loader reads schema 1");
    else if (!(schema->kind() == Kind::Int && schema->as_int() == 1))
      error("$.schema", "unsupported schema " + to_json(*schema) + ": this loader reads schema 1");
    if (const Value* site = require_string(doc, "$", "site")) {
      if (!is_name(site->as_string(), true)) error("$.site", "site id must be 1–64 letters, digits, '_', '-' or '.'");
      impl->site = std::string(site->as_string());
    }
    if (const Value* version = optional_string(doc, "$", "version")) {
      impl->version = std::string(version->as_string());
      impl->has_version = true;
    }
    optional_string(doc, "$", "description");
    load_segments(doc.find("segments"));
    load_journey(doc.find("journey"));
    load_experiments(doc.find("experiments"));
    load_slots(doc.find("slots"));
    return finish(std::move(impl));
  }

 private:
  LoadResult finish(std::unique_ptr<Impl> impl) {
    LoadResult r;
    if (errors_.empty()) r.rules = std::make_shared<const RuleSet>(std::move(impl));
    r.errors = std::move(errors_);
    return r;
  }

  void error(std::string path, std::string message, int position = -1, ErrorKind kind = ErrorKind::Load) {
    errors_.push_back(Error{kind, std::move(message), position, std::move(path)});
  }

  // Every member of `obj` must be one of `allowed`.
  void fields(const Value& obj, const std::string& path, std::initializer_list<std::string_view> allowed) {
    for (const auto& [k, v] : obj.as_map()) {
      const std::string_view key = k.as_string();
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      error(member_path(path, key), "unknown field \"" + std::string(key) + "\" (expected one of: " + list + ")");
    }
  }

  const Value* require_string(const Value& obj, const std::string& path, std::string_view key) {
    const Value* v = obj.find(key);
    if (!v) {
      error(member_path(path, key), "missing \"" + std::string(key) + "\" (a string)");
      return nullptr;
    }
    if (!v->is_string()) {
      error(member_path(path, key), "\"" + std::string(key) + "\" must be a string, not " + kind_name(v->kind()));
      return nullptr;
    }
    return v;
  }

  const Value* optional_string(const Value& obj, const std::string& path, std::string_view key) {
    const Value* v = obj.find(key);
    if (!v) return nullptr;
    if (!v->is_string()) {
      error(member_path(path, key), "\"" + std::string(key) + "\" must be a string, not " + kind_name(v->kind()));
      return nullptr;
    }
    return v;
  }

  const Value* expect_object(const Value* v, const std::string& path, const char* what) {
    if (!v) return nullptr;
    if (!v->is_map()) {
      error(path, std::string(what) + " must be a JSON object, not " + kind_name(v->kind()));
      return nullptr;
    }
    return v;
  }

  std::optional<Timestamp> time_field(const Value& obj, const std::string& path, std::string_view key) {
    const Value* v = obj.find(key);
    if (!v) return std::nullopt;
    if (v->is_string()) {
      if (auto t = parse_timestamp(v->as_string())) return t;
    }
    error(member_path(path, key), "\"" + std::string(key) + "\" must be an RFC 3339 timestamp such as \"2026-12-24T00:00:00Z\"");
    return std::nullopt;
  }

  // Compiles an expression; segment references are checked once all segments are known.
  std::optional<Condition> condition(const Value& expr, const std::string& path) {
    if (!expr.is_string()) {
      error(path, std::string("a condition must be a CEL expression string, not ") + kind_name(expr.kind()));
      return std::nullopt;
    }
    auto program = compile(expr.as_string());
    if (!program.ok()) {
      const Error& e = program.error();
      error(path, e.message, e.position, e.kind);
      return std::nullopt;
    }
    if (const Node* m = computed_pattern(*detail::AstAccess::of(program.value()).root)) {
      error(path, "matches() takes a string literal as its pattern in a rule set, not a computed value: "
                  "pages decide with every pattern compiled in advance",
            m->kids[1]->at);
      return std::nullopt;
    }
    // The spans of the conditions explanations list, read off the tree.
    Condition c{std::move(program).value(), {}, {}};
    c.parts = traced_spans(*detail::AstAccess::of(c.program).root);
    pending_refs_.push_back({path, c.program.references()});
    return c;
  }

  std::vector<std::string> segment_refs(const Program& p, const std::string& path, bool allowed) {
    std::vector<std::string> out;
    for (const auto& ref : p.references()) {
      if (ref == "segment") {
        error(path, "refer to segments by name, as segment.NAME");
      } else if (ref.rfind("segment.", 0) == 0) {
        std::string name = ref.substr(8);
        name = name.substr(0, name.find('.'));
        if (!allowed) error(path, "journey stages cannot use segments (segment." + name + "): they are decided before segments");
        else out.push_back(name);
      }
    }
    return out;
  }

  void load_segments(const Value* v) {
    if (!expect_object(v, "$.segments", "\"segments\"")) return;
    struct Pending {
      Value name;
      std::string path;
      std::optional<Condition> when;
      std::vector<std::string> deps;
    };
    std::vector<Pending> pending;
    for (const auto& [k, def] : v->as_map()) {
      const std::string name(k.as_string());
      std::string path = member_path("$.segments", name);
      if (!is_name(name, false)) error(path, "segment names must be identifiers (letters, digits, '_') so that segment." + name + " can refer to them");
      const Value* expr = &def;
      if (def.is_map()) {
        fields(def, path, {"when", "description"});
        optional_string(def, path, "description");
        expr = def.find("when");
        path += ".when";
        if (!expr) { error(path, "missing \"when\" (the segment's condition)"); continue; }
      }
      Pending p{k, path, condition(*expr, path), {}};
      if (p.when) p.deps = segment_refs(p.when->program, path, true);
      pending.push_back(std::move(p));
    }
    // Topological order; unknown names and cycles are errors.
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < pending.size(); ++i) index[std::string(pending[i].name.as_string())] = i;
    for (const auto& p : pending)
      for (const auto& d : p.deps)
        if (!index.count(d)) error(p.path, "unknown segment '" + d + "'");
    std::vector<int> state(pending.size(), 0);  // 0 new, 1 visiting, 2 done
    // Depth first with an explicit stack, not recursion: a chain of tens of thousands of segments
    // would overflow the native stack and the wasm engine's. The frames are also the path being
    // visited, which a cycle's message names.
    struct Frame { std::size_t segment, next_dep; };
    std::vector<Frame> frames;
    auto enter = [&](std::size_t i) {
      state[i] = 1;
      frames.push_back({i, 0});
    };
    for (std::size_t root = 0; root < pending.size(); ++root) {
      if (state[root] != 0) continue;
      enter(root);
      while (!frames.empty()) {
        const std::size_t i = frames.back().segment;
        if (frames.back().next_dep < pending[i].deps.size()) {
          auto it = index.find(pending[i].deps[frames.back().next_dep++]);
          if (it == index.end()) continue;
          const std::size_t j = it->second;
          if (state[j] == 0) {
            enter(j);
          } else if (state[j] == 1) {
            std::string cycle;
            auto from = std::find_if(frames.begin(), frames.end(), [&](const Frame& f) { return f.segment == j; });
            for (auto at = from; at != frames.end(); ++at) cycle += std::string(pending[at->segment].name.as_string()) + " → ";
            error(pending[j].path, "segments refer to each other in a cycle: " + cycle + std::string(pending[j].name.as_string()));
          }
          continue;
        }
        frames.pop_back();
        state[i] = 2;
        if (pending[i].when) impl_->segments.push_back({pending[i].name, {}, std::move(*pending[i].when)});
        known_segments_.insert(std::string(pending[i].name.as_string()));
      }
    }
  }

  void load_journey(const Value* v) {
    if (!expect_object(v, "$.journey", "\"journey\"")) return;
    fields(*v, "$.journey", {"stages", "description"});
    const Value* stages = v->find("stages");
    if (!stages || !stages->is_list()) {
      error("$.journey.stages", "\"stages\" must be a list of {\"id\", \"when\"} in order from first to last");
      return;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < stages->as_list().size(); ++i) {
      const Value& st = stages->as_list()[i];
      const std::string path = "$.journey.stages[" + std::to_string(i) + "]";
      if (!expect_object(&st, path, "a stage")) continue;
      fields(st, path, {"id", "when", "description"});
      const Value* id = require_string(st, path, "id");
      if (id && !ids.insert(std::string(id->as_string())).second) error(path + ".id", "duplicate stage id '" + std::string(id->as_string()) + "'");
      const Value* when = st.find("when");
      if (!when) { error(path + ".when", "missing \"when\" (the stage's entry condition)"); continue; }
      auto c = condition(*when, path + ".when");
      if (c) segment_refs(c->program, path + ".when", false);
      if (id && c) impl_->stages.push_back({*id, {}, std::move(*c)});
    }
    if (stages->as_list().empty()) error("$.journey.stages", "a journey needs at least one stage");
  }

  void load_experiments(const Value* v) {
    if (!expect_object(v, "$.experiments", "\"experiments\"")) return;
    for (const auto& [k, def] : v->as_map()) {
      const std::string id(k.as_string());
      const std::string path = member_path("$.experiments", id);
      if (!is_name(id, true)) error(path, "experiment ids must be 1–64 letters, digits, '_', '-' or '.'");
      if (!expect_object(&def, path, "an experiment")) continue;
      fields(def, path, {"audience", "traffic", "variants", "start", "end", "description", "goal"});
      optional_string(def, path, "description");
      optional_string(def, path, "goal");
      Impl::Experiment e;
      e.id = id;
      if (const Value* a = def.find("audience")) e.audience = condition(*a, path + ".audience");
      double traffic = 100;
      if (const Value* t = def.find("traffic")) {
        if (!t->is_number() || (traffic = t->kind() == Kind::Double ? t->as_double() : static_cast<double>(t->as_int())) < 0 || traffic > 100 || t->kind() == Kind::Uint)
          error(path + ".traffic", "\"traffic\" must be a percentage from 0 to 100");
      }
      e.traffic = static_cast<std::uint32_t>(std::lround(traffic * 100));
      e.traffic_text = to_json(Value::real(traffic));
      if (e.traffic_text.size() > 2 && e.traffic_text.compare(e.traffic_text.size() - 2, 2, ".0") == 0) e.traffic_text.resize(e.traffic_text.size() - 2);
      e.traffic_text += "%";
      e.start = time_field(def, path, "start");
      e.end = time_field(def, path, "end");
      if (e.start && e.end && cel_compare(Value::timestamp(*e.start), Value::timestamp(*e.end)) >= 0)
        error(path + ".end", "\"end\" must be after \"start\"");
      const Value* variants = def.find("variants");
      if (!variants || !variants->is_list() || variants->as_list().empty()) {
        error(path + ".variants", "\"variants\" must be a non-empty list of {\"id\", \"weight\"}");
      } else {
        double total = 0;
        std::set<std::string> ids;
        bool ok = true;
        for (std::size_t i = 0; i < variants->as_list().size(); ++i) {
          const Value& var = variants->as_list()[i];
          const std::string vpath = path + ".variants[" + std::to_string(i) + "]";
          if (!expect_object(&var, vpath, "an experiment variant")) { ok = false; continue; }
          fields(var, vpath, {"id", "weight", "description"});
          const Value* vid = require_string(var, vpath, "id");
          if (vid && !ids.insert(std::string(vid->as_string())).second) error(vpath + ".id", "duplicate variant '" + std::string(vid->as_string()) + "'");
          const Value* w = var.find("weight");
          double weight = -1;
          if (w && (w->kind() == Kind::Int || w->kind() == Kind::Double))
            weight = w->kind() == Kind::Int ? static_cast<double>(w->as_int()) : w->as_double();
          if (!(weight >= 0 && weight <= 100)) { error(vpath + ".weight", "\"weight\" must be a number from 0 to 100 (percent)"); ok = false; continue; }
          total += weight;
          if (vid) e.variants.push_back({std::string(vid->as_string()), static_cast<std::uint32_t>(std::lround(total * 100)), {}});
        }
        if (ok && std::fabs(total - 100) > 1e-6)
          error(path + ".variants", "variant weights add up to " + to_json(Value::real(total)) + ", not 100");
        if (!e.variants.empty()) e.variants.back().upper = 10000;
      }
      experiment_index_[id] = impl_->experiments.size();
      impl_->experiments.push_back(std::move(e));
    }
  }

  std::optional<Schedule> schedule(const Value& def, const std::string& path) {
    if (!expect_object(&def, path, "\"schedule\"")) return std::nullopt;
    fields(def, path, {"start", "end", "days", "hours"});
    Schedule s;
    s.start = time_field(def, path, "start");
    s.end = time_field(def, path, "end");
    if (s.start && s.end && cel_compare(Value::timestamp(*s.start), Value::timestamp(*s.end)) >= 0)
      error(path + ".end", "\"end\" must be after \"start\"");
    if (const Value* days = def.find("days")) {
      static constexpr std::string_view names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
      s.uses_days = true;
      s.days = 0;
      if (!days->is_list()) {
        error(path + ".days", "\"days\" must be a list such as [\"sat\", \"sun\"]");
      } else {
        for (std::size_t i = 0; i < days->as_list().size(); ++i) {
          const Value& d = days->as_list()[i];
          auto it = d.is_string() ? std::find(std::begin(names), std::end(names), d.as_string()) : std::end(names);
          if (it == std::end(names)) error(path + ".days[" + std::to_string(i) + "]", "a day is one of sun, mon, tue, wed, thu, fri, sat");
          else s.days |= static_cast<std::uint8_t>(1u << (it - std::begin(names)));
        }
      }
    }
    if (const Value* hours = def.find("hours")) {
      s.uses_hours = true;
      const Value* from = hours->is_map() ? hours->find("from") : nullptr;
      const Value* to = hours->is_map() ? hours->find("to") : nullptr;
      if (hours->is_map()) fields(*hours, path + ".hours", {"from", "to"});
      if (!from || !to || from->kind() != Kind::Int || to->kind() != Kind::Int || from->as_int() < 0 ||
          from->as_int() > 23 || to->as_int() < 1 || to->as_int() > 24 || from->as_int() == to->as_int()) {
        error(path + ".hours", "\"hours\" must be {\"from\": 0–23, \"to\": 1–24} in the visitor's local time (from < to, or from > to to wrap past midnight)");
      } else {
        s.hour_from = static_cast<int>(from->as_int());
        s.hour_to = static_cast<int>(to->as_int());
      }
    }
    return s;
  }

  void load_slots(const Value* v) {
    if (!v) {
      error("$.slots", "missing \"slots\": a rule set needs at least one slot");
      return;
    }
    if (!expect_object(v, "$.slots", "\"slots\"")) return;
    std::set<std::string> rule_ids;
    for (const auto& [k, def] : v->as_map()) {
      const std::string name(k.as_string());
      const std::string path = member_path("$.slots", name);
      if (!is_name(name, true)) error(path, "slot names must be 1–64 letters, digits, '_', '-' or '.'");
      if (!expect_object(&def, path, "a slot")) continue;
      fields(def, path, {"default", "variants", "rules", "description"});
      optional_string(def, path, "description");
      Impl::Slot slot;
      slot.name = name;
      slot.variants = Value::map(Map());
      const Value* variants = expect_object(def.find("variants"), path + ".variants", "\"variants\"");
      if (variants) {
        for (const auto& [vk, vdef] : variants->as_map()) {
          const std::string vpath = member_path(path + ".variants", vk.as_string());
          if (!expect_object(&vdef, vpath, "a variant")) continue;
          fields(vdef, vpath, {"props", "description"});
          optional_string(vdef, vpath, "description");
          expect_object(vdef.find("props"), vpath + ".props", "\"props\"");
        }
        slot.variants = *variants;
      }
      auto check_variant = [&](const Value& variant, const std::string& where) {
        if (variants && !variants->find(variant.as_string()))
          error(where, "unknown variant '" + std::string(variant.as_string()) + "' (slot " + name + " declares: " + declared(*variants) + ")");
      };
      if (const Value* d = require_string(def, path, "default")) {
        slot.default_variant = std::string(d->as_string());
        check_variant(*d, path + ".default");
      }
      const Value* rules = def.find("rules");
      if (rules && !rules->is_list()) error(path + ".rules", "\"rules\" must be a list of rules");
      if (rules && rules->is_list()) {
        for (std::size_t i = 0; i < rules->as_list().size(); ++i) {
          const Value& r = rules->as_list()[i];
          const std::string rpath = path + ".rules[" + std::to_string(i) + "]";
          if (!expect_object(&r, rpath, "a rule")) continue;
          fields(r, rpath, {"id", "when", "variant", "experiment", "schedule", "description"});
          optional_string(r, rpath, "description");
          Impl::Rule rule;
          if (const Value* id = require_string(r, rpath, "id")) {
            rule.id = std::string(id->as_string());
            if (!rule_ids.insert(std::string(id->as_string())).second) error(rpath + ".id", "duplicate rule id '" + std::string(id->as_string()) + "'");
          }
          if (const Value* when = r.find("when")) rule.when = condition(*when, rpath + ".when");
          const Value* variant = optional_string(r, rpath, "variant");
          const Value* experiment = optional_string(r, rpath, "experiment");
          if (variant && experiment) error(rpath, "a rule has either \"variant\" or \"experiment\", not both");
          else if (!variant && !experiment && !r.find("variant") && !r.find("experiment")) error(rpath, "a rule needs a \"variant\" to show, or an \"experiment\" to run");
          if (variant) {
            rule.variant = std::string(variant->as_string());
            check_variant(*variant, rpath + ".variant");
          }
          if (experiment) {
            auto it = experiment_index_.find(std::string(experiment->as_string()));
            if (it == experiment_index_.end()) {
              error(rpath + ".experiment", "unknown experiment '" + std::string(experiment->as_string()) + "'");
            } else {
              rule.experiment = static_cast<int>(it->second);
              for (const auto& ev : impl_->experiments[it->second].variants) check_variant(Value::string(ev.id), rpath + ".experiment");
            }
          }
          if (!r.find("when") && !r.find("schedule") && variant && rules->as_list().size() > i + 1)
            error(rpath + ".when", "a rule without \"when\" or \"schedule\" always matches, so the rules after it could never apply");
          if (const Value* sc = r.find("schedule")) rule.schedule = schedule(*sc, rpath + ".schedule");
          slot.rules.push_back(std::move(rule));
        }
      }
      impl_->slots.push_back(std::move(slot));
    }
    if (v->as_map().empty()) error("$.slots", "a rule set needs at least one slot");
    // Segment references in conditions outside segments.
    for (const auto& [path, refs] : pending_refs_) {
      if (path.rfind("$.segments", 0) == 0 || path.rfind("$.journey", 0) == 0) continue;  // checked there
      for (const auto& ref : refs) {
        if (ref == "segment") error(path, "refer to segments by name, as segment.NAME");
        if (ref.rfind("segment.", 0) != 0) continue;
        std::string name = ref.substr(8);
        name = name.substr(0, name.find('.'));
        if (!known_segments_.count(name)) error(path, "unknown segment '" + name + "'");
      }
    }
  }

  static std::string declared(const Value& variants) {
    std::string out;
    for (const auto& [k, v] : variants.as_map()) out += (out.empty() ? "" : ", ") + std::string(k.as_string());
    return out.empty() ? "none" : out;
  }

  Impl* impl_ = nullptr;
  std::vector<Error> errors_;
  std::set<std::string> known_segments_;
  std::map<std::string, std::size_t> experiment_index_;
  std::vector<std::pair<std::string, std::vector<std::string>>> pending_refs_;  // (path, references)
};

}  // namespace

std::string_view RuleSet::site() const noexcept { return impl_->site; }
std::string_view RuleSet::version() const noexcept { return impl_->version; }
const Value& RuleSet::document() const noexcept { return impl_->document; }

LoadResult load_ruleset(const Value& document) { return Loader().run(document); }

LoadResult load_ruleset(std::string_view json_text) {
  auto doc = parse_json(json_text);
  if (!doc.ok()) {
    LoadResult r;
    Error e = doc.error();
    e.path = "$";
    r.errors.push_back(std::move(e));
    return r;
  }
  return load_ruleset(doc.value());
}

}  // namespace ithaca
