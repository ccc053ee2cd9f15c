// Compiled rule sets (docs/compiled-rules.md): what the JSON loader made of a rule set — the
// conditions as syntax trees, every id, variant, weight and schedule — written as bytes, and
// read back into the same RuleSet::Impl. RuleSet's constructor then derives the texts and path
// numbering exactly as it does for JSON, so both decide alike.
//
// The reader is this format's whole validation, and it trusts nothing: every count is bounded
// by the bytes left, every index by what it indexes, every node's arity and slot by what the
// evaluator assumes of the parser's trees. Semantic checks (unknown segments, weights adding
// up) are the JSON loader's job and are not repeated: wrong but well-formed bytes decide
// wrongly, never unsafely.
//
// Layout: little-endian; integers as LEB128 varints (signed ones zigzag-encoded), strings as a
// length and bytes, doubles as their 8 bytes. See docs/compiled-rules.md for the full grammar.
#include "ithaca/compiled_ruleset.hpp"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "ast.hpp"
#include "ithaca/json.hpp"
#include "heap_sort.hpp"
#include "regex.hpp"
#include "ruleset_impl.hpp"
#include "time_format.hpp"

namespace ithaca {

namespace {

using Impl = RuleSet::Impl;

// The fewest bytes each item is written in (see compile_ruleset), which bounds its count.
constexpr std::size_t kMinText = 1;        // the length
constexpr std::size_t kMinValue = 1;       // a null
constexpr std::size_t kMinNode = 2;        // operator, no operands
constexpr std::size_t kMinInst = 4;        // a pattern's instruction: op, flags, two operands
constexpr std::size_t kMinRange = 2;       // a class range: two code points
constexpr std::size_t kMinCondition = kMinText + 1 + kMinNode + 1;  // source, references, root, parts
constexpr std::size_t kMinVariant = kMinText + 1;
constexpr std::size_t kMinExperiment = kMinText + 1 + 1 + kMinText + 1 + 1 + 1 + kMinVariant;
constexpr std::size_t kMinRule = kMinText + 1 + 1 + kMinText + 1;  // id, when?, experiment?, variant, schedule?
constexpr std::size_t kMinSlot = kMinText + kMinText + 2 + 1;       // name, default, an empty map, rules
// As big as a JSON rule set may be (JsonLimits). With the counts bounded as above, loading
// allocates at most about a hundred times the input (4 MB of the smallest rules: 424 MB natively,
// about half in wasm32), bounded like the JSON loader's, if some 3x higher.
constexpr std::size_t kMaxBytes = JsonLimits{}.max_bytes;

// Node fields beyond op and kids, by op.
bool has_name(Op op) {
  switch (op) {
    case Op::Ident: case Op::Select: case Op::Has: case Op::Call:
    case Op::All: case Op::Exists: case Op::ExistsOne: case Op::MapMacro: case Op::Filter:
      return true;
    default:
      return false;
  }
}
bool is_comprehension(Op op) { return op >= Op::All && op <= Op::Filter; }

// Whether a node of `op` may have `n` kids: what the parser builds and the evaluator indexes.
bool arity_ok(const Node& node, std::size_t n) {
  switch (node.op) {
    case Op::Literal: case Op::Ident: case Op::IterVar: case Op::Path:
      return n == 0;
    case Op::Select: case Op::Has: case Op::Not: case Op::Negate:
      return n == 1;
    case Op::Index: case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Mod:
    case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: case Op::In:
      return n == 2;
    case Op::Cond:
      return n == 3;
    case Op::MakeList:
      return true;
    case Op::MakeMap:
      return n % 2 == 0;
    case Op::And: case Op::Or:
      return n >= 2;
    case Op::Call:
      return check_arity(node.fn, n, true).empty() || check_arity(node.fn, n, false).empty();
    case Op::MapMacro:
      return n == 2 || n == 3;
    case Op::All: case Op::Exists: case Op::ExistsOne: case Op::Filter:
      return n == 2;
  }
  return false;
}

class Writer {
 public:
  std::string out;

  void byte(std::uint8_t b) { out.push_back(static_cast<char>(b)); }
  void uint(std::uint64_t v) {
    for (; v >= 0x80; v >>= 7) byte(static_cast<std::uint8_t>(v | 0x80));
    byte(static_cast<std::uint8_t>(v));
  }
  void sint(std::int64_t v) {
    uint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void text(std::string_view s) {
    uint(s.size());
    out.append(s);
  }
  void timestamp(const Timestamp& t) {
    sint(t.seconds);
    sint(t.nanos);
  }

  void value(const Value& v) {
    byte(static_cast<std::uint8_t>(v.kind()));
    switch (v.kind()) {
      case Kind::Null: break;
      case Kind::Bool: byte(v.as_bool()); break;
      case Kind::Int: sint(v.as_int()); break;
      case Kind::Uint: uint(v.as_uint()); break;
      case Kind::Double: {
        char bits[8];
        const double d = v.as_double();
        std::memcpy(bits, &d, 8);
        out.append(bits, 8);
        break;
      }
      case Kind::Type: byte(static_cast<std::uint8_t>(v.as_type())); break;
      case Kind::String: case Kind::Bytes: text(v.as_string()); break;
      case Kind::List:
        uint(v.as_list().size());
        for (const Value& item : v.as_list()) value(item);
        break;
      case Kind::Map:
        uint(v.as_map().size());
        for (const auto& [key, item] : v.as_map()) {
          value(key);
          value(item);
        }
        break;
      case Kind::Timestamp: timestamp(v.as_timestamp()); break;
      case Kind::Duration: {
        const Duration d = v.as_duration();
        sint(d.seconds);
        sint(d.nanos);
        break;
      }
      case Kind::Error:
        text(v.as_string());
        sint(v.error_position());
        break;
    }
  }

  void node(const Node& n) {
    byte(static_cast<std::uint8_t>(n.op));
    if (n.op == Op::Literal) value(n.value);
    if (n.op == Op::Call) byte(static_cast<std::uint8_t>(n.fn));
    if (has_name(n.op)) text(n.name);
    if (n.op == Op::IterVar || is_comprehension(n.op)) uint(static_cast<std::uint32_t>(n.slot));
    if (n.op == Op::Path) {
      uint(n.path.size());
      for (const std::string& key : n.path) text(key);
    }
    uint(n.kids.size());
    for (const auto& kid : n.kids) node(*kid);
    if (n.op == Op::Call && n.fn == Fn::Matches) pattern(n.regex.get());
  }

  // A `matches` pattern compiled (rule sets take literal patterns, which the parser compiles),
  // so that pages need no regex compiler. Without one (not from a loaded rule set), an empty
  // program, which the reader refuses.
  void pattern(const Regex* re) {
    if (re == nullptr) {
      uint(0);
      uint(0);
      return;
    }
    uint(re->program().size());
    for (const regex_internal::Inst& in : re->program()) {
      byte(in.op);
      byte(in.flags);
      sint(in.x);
      sint(in.y);
    }
    uint(re->ranges().size());
    for (const regex_internal::Range& r : re->ranges()) {
      uint(r.lo);
      uint(r.hi);
    }
  }

  void schedule(const Schedule& s) {
    optional(s.start, &Writer::timestamp);
    optional(s.end, &Writer::timestamp);
    byte(s.uses_days);
    byte(s.days);
    byte(s.uses_hours);
    uint(static_cast<std::uint32_t>(s.hour_from));
    uint(static_cast<std::uint32_t>(s.hour_to));
  }

  // A flag, then the value when there is one.
  template <typename T>
  void optional(const std::optional<T>& v, void (Writer::*write)(const T&)) {
    byte(v.has_value());
    if (v) (this->*write)(*v);
  }

  void condition(const Condition& c) {
    const detail::Ast& ast = detail::AstAccess::of(c.program);
    text(ast.source);
    uint(ast.references.size());
    for (const std::string& ref : ast.references) text(ref);
    node(*ast.root);
    uint(c.parts.size());
    for (const auto& [begin, end] : c.parts) {
      uint(static_cast<std::uint32_t>(begin));
      uint(static_cast<std::uint32_t>(end));
    }
  }
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : s_(bytes) {}

  std::optional<Error> error;
  bool at_end() const { return at_ == s_.size(); }

  bool fail(std::string message) {
    if (!error) error = Error{ErrorKind::Load, "compiled rule set: " + std::move(message), static_cast<int>(at_), "$"};
    return false;
  }

  bool magic() {
    if (s_.size() > kMaxBytes)
      return fail("is " + std::to_string(s_.size()) + " bytes, over the limit of " + std::to_string(kMaxBytes));
    if (s_.substr(0, kCompiledMagic.size()) != kCompiledMagic)
      return fail("does not start with \"ITHR\" (not a compiled rule set)");
    at_ = kCompiledMagic.size();
    std::uint8_t format = 0;
    if (!byte(format)) return false;
    if (format != kCompiledFormat)
      return fail("format " + std::to_string(format) + ", this engine reads format " + std::to_string(kCompiledFormat));
    return true;
  }

  bool byte(std::uint8_t& b) {
    if (at_ >= s_.size()) return fail("ends too early");
    b = static_cast<std::uint8_t>(s_[at_++]);
    return true;
  }
  bool flag(bool& b) {
    std::uint8_t v = 0;
    if (!byte(v)) return false;
    if (v > 1) return fail("a flag is neither 0 nor 1");
    b = v == 1;
    return true;
  }
  bool uint(std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      std::uint8_t b = 0;
      if (!byte(b)) return false;
      if (shift == 63 && b > 1) break;
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (b < 0x80) return true;
    }
    return fail("a number is longer than 64 bits");
  }
  bool sint(std::int64_t& v) {
    std::uint64_t u = 0;
    if (!uint(u)) return false;
    v = static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
    return true;
  }
  // A number that must be at most `max`.
  template <typename T>
  bool bounded(T& out, std::uint64_t max, const char* what) {
    std::uint64_t v = 0;
    if (!uint(v)) return false;
    if (v > max) return fail(std::string(what) + " " + std::to_string(v) + " is over " + std::to_string(max));
    out = static_cast<T>(v);
    return true;
  }
  // A count of items each written in at least `item_bytes` bytes (a string's length: 1): never
  // more than the bytes left after it can hold. So what is allocated for the items stays within
  // a small multiple of the input's size — at most sizeof(item) / item_bytes per input byte.
  bool count(std::size_t& n, std::size_t item_bytes, const char* what = "a count") {
    std::uint64_t v = 0;
    if (!uint(v)) return false;
    if (v > (s_.size() - at_) / item_bytes)
      return fail(std::string(what) + " of " + std::to_string(v) + " is more than the bytes left can hold");
    n = static_cast<std::size_t>(v);
    return true;
  }
  bool text(std::string_view& out) {
    std::size_t n = 0;
    if (!count(n, 1, "a string's length")) return false;
    out = s_.substr(at_, n);
    at_ += n;
    return true;
  }
  bool text(std::string& out) {
    std::string_view v;
    if (!text(v)) return false;
    out = std::string(v);
    return true;
  }
  bool timestamp(Timestamp& t) {
    std::int64_t seconds = 0, nanos = 0;
    if (!sint(seconds) || !sint(nanos)) return false;
    if (!timestamp_in_range(seconds) || nanos < 0 || nanos > 999'999'999) return fail("a timestamp is out of range");
    t = Timestamp{seconds, static_cast<std::int32_t>(nanos)};
    return true;
  }

  // A value nested at most `max_depth` lists or maps deep: what the JSON or CEL it came from allows.
  bool value(Value& out, int max_depth, int depth = 1) {
    if (depth > max_depth) return fail("a value nests deeper than " + std::to_string(max_depth) + " levels");
    std::uint8_t kind = 0;
    if (!byte(kind)) return false;
    switch (static_cast<Kind>(kind)) {
      case Kind::Null: out = Value::null(); return true;
      case Kind::Bool: {
        bool b = false;
        if (!flag(b)) return false;
        out = Value::boolean(b);
        return true;
      }
      case Kind::Int: {
        std::int64_t i = 0;
        if (!sint(i)) return false;
        out = Value::integer(i);
        return true;
      }
      case Kind::Uint: {
        std::uint64_t u = 0;
        if (!uint(u)) return false;
        out = Value::uinteger(u);
        return true;
      }
      case Kind::Double: {
        if (s_.size() - at_ < 8) return fail("ends too early");
        double d = 0;
        std::memcpy(&d, s_.data() + at_, 8);
        at_ += 8;
        out = Value::real(d);
        return true;
      }
      case Kind::Type: {
        std::uint8_t k = 0;
        if (!byte(k)) return false;
        if (k > static_cast<std::uint8_t>(Kind::Error)) return fail("unknown type " + std::to_string(k));
        out = Value::type(static_cast<Kind>(k));
        return true;
      }
      case Kind::String: case Kind::Bytes: {
        std::string_view s;
        if (!text(s)) return false;
        out = kind == static_cast<std::uint8_t>(Kind::String) ? Value::string(s) : Value::bytes(s);
        return true;
      }
      case Kind::List: {
        std::size_t n = 0;
        if (!count(n, kMinValue)) return false;
        List items(n);
        for (Value& item : items)
          if (!value(item, max_depth, depth + 1)) return false;
        out = Value::list(std::move(items));
        return true;
      }
      case Kind::Map: {
        std::size_t n = 0;
        if (!count(n, 2 * kMinValue)) return false;
        Map entries;
        entries.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
          Value key, item;
          if (!value(key, max_depth, depth + 1) || !value(item, max_depth, depth + 1)) return false;
          if (!key.is_string() && key.kind() != Kind::Int && key.kind() != Kind::Uint && key.kind() != Kind::Bool)
            return fail("a map key is not a string, integer or bool");
          if (!entries.insert(std::move(key), std::move(item))) return fail("a map has a key twice");
        }
        out = Value::map(std::move(entries));
        return true;
      }
      case Kind::Timestamp: {
        Timestamp t;
        if (!timestamp(t)) return false;
        out = Value::timestamp(t);
        return true;
      }
      case Kind::Duration: {
        std::int64_t seconds = 0, nanos = 0;
        if (!sint(seconds) || !sint(nanos)) return false;
        if (!duration_in_range(seconds) || nanos <= -1'000'000'000 || nanos >= 1'000'000'000 ||
            (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0) ||
            !duration_nanos_in_range(static_cast<int128>(seconds) * 1'000'000'000 + nanos))
          return fail("a duration is out of range");
        out = Value::duration(Duration{seconds, static_cast<std::int32_t>(nanos)});
        return true;
      }
      case Kind::Error: {
        std::string_view message;
        std::int64_t position = 0;
        if (!text(message) || !sint(position)) return false;
        out = Value::error(message);
        if (position >= 0 && position <= INT32_MAX) out.mark_error_position(static_cast<int>(position));
        return true;
      }
    }
    return fail("unknown value kind " + std::to_string(kind));
  }

  // One program's tree. `nodes` counts toward the parser's node limit; `slots` becomes how many
  // comprehension variables the tree binds at once. Nodes carry no source spans: decisions never
  // show them (they place `ithaca eval`'s error positions), so a compiled tree's are all 0.
  bool node(std::unique_ptr<Node>& out, int depth, std::size_t& nodes, int& slots) {
    const Limits limits;
    if (++nodes > limits.max_nodes) return fail("an expression has more than " + std::to_string(limits.max_nodes) + " nodes");
    if (depth >= limits.max_depth)
      return fail("an expression's syntax tree is deeper than " + std::to_string(limits.max_depth) + " levels");
    auto n = std::make_unique<Node>();
    std::uint8_t op = 0;
    if (!byte(op)) return false;
    if (op > static_cast<std::uint8_t>(Op::Filter)) return fail("unknown operation " + std::to_string(op));
    n->op = static_cast<Op>(op);
    if (n->op == Op::Literal && !value(n->value, limits.max_nesting)) return false;
    if (n->op == Op::Call) {
      std::uint8_t fn = 0;
      if (!byte(fn)) return false;
      if (fn == 0 || fn > static_cast<std::uint8_t>(Fn::Trim)) return fail("unknown function " + std::to_string(fn));
      n->fn = static_cast<Fn>(fn);
    }
    if (has_name(n->op) && !text(n->name)) return false;
    if (n->op == Op::IterVar || is_comprehension(n->op)) {
      if (!bounded(n->slot, kMaxIterSlots - 1, "a variable slot")) return false;
      if (is_comprehension(n->op)) slots = std::max(slots, n->slot + 1);
    }
    if (n->op == Op::Path) {
      std::size_t keys = 0;
      if (!count(keys, kMinText)) return false;
      if (keys == 0) return fail("an attribute path is empty");
      n->path.resize(keys);
      for (std::string& key : n->path)
        if (!text(key)) return false;
      n->slot = -1;  // numbered with the rule set's other paths (share_path_ids)
    }
    std::size_t kids = 0;
    if (!count(kids, kMinNode)) return false;
    if (!arity_ok(*n, kids)) return fail("an operation has the wrong number of operands");
    n->kids.resize(kids);
    for (auto& kid : n->kids)
      if (!node(kid, depth + 1, nodes, slots)) return false;
    // `matches` carries its pattern's program, as the parser compiled the literal.
    if (n->op == Op::Call && n->fn == Fn::Matches) {
      if (n->kids[1]->op != Op::Literal || !n->kids[1]->value.is_string())
        return fail("a matches() pattern is not a string literal");
      if (!pattern(n->regex)) return false;
    }
    out = std::move(n);
    return true;
  }

  bool pattern(std::shared_ptr<const Regex>& out) {
    std::size_t n = 0;
    if (!count(n, kMinInst, "a pattern's instruction count")) return false;
    std::vector<regex_internal::Inst> program(n);
    for (regex_internal::Inst& in : program) {
      std::int64_t x = 0, y = 0;
      if (!byte(in.op) || !byte(in.flags) || !sint(x) || !sint(y)) return false;
      if (x < INT32_MIN || x > INT32_MAX || y < INT32_MIN || y > INT32_MAX) return fail("a pattern's instruction is out of range");
      in.x = static_cast<std::int32_t>(x);
      in.y = static_cast<std::int32_t>(y);
    }
    std::size_t m = 0;
    if (!count(m, kMinRange, "a pattern's range count")) return false;
    std::vector<regex_internal::Range> ranges(m);
    for (regex_internal::Range& r : ranges) {
      std::uint64_t lo = 0, hi = 0;
      if (!uint(lo) || !uint(hi)) return false;
      if (lo > 0x10FFFF || hi > 0x10FFFF) return fail("a pattern's class range is not one of code points");
      r = {static_cast<char32_t>(lo), static_cast<char32_t>(hi)};
    }
    auto re = Regex::from_program(std::move(program), std::move(ranges));
    if (!re.ok()) return fail(re.error().message);
    out = std::make_shared<const Regex>(std::move(re).value());
    return true;
  }

  bool condition(Condition& c) {
    auto ast = std::make_shared<detail::Ast>();
    std::size_t refs = 0;
    if (!text(ast->source) || !count(refs, kMinText)) return false;
    if (ast->source.size() > Limits{}.max_source_bytes) return fail("an expression is longer than the parser allows");
    ast->references.resize(refs);
    for (std::string& ref : ast->references)
      if (!text(ref)) return false;
    std::size_t nodes = 0;
    if (!node(ast->root, 0, nodes, ast->iter_slots)) return false;
    if (!slots_bound(*ast->root, ast->iter_slots)) return fail("a variable is read outside any comprehension");
    std::size_t parts = 0;
    if (!count(parts, 2)) return false;
    c.parts.resize(parts);
    for (auto& [begin, end] : c.parts) {
      if (!bounded(begin, ast->source.size(), "a span's start") || !bounded(end, ast->source.size(), "a span's end"))
        return false;
      if (begin > end) return fail("a span ends before it starts");
    }
    c.program = detail::AstAccess::make(std::move(ast));
    return true;
  }

  bool schedule(Schedule& s) {
    return optional(s.start, &Reader::timestamp) && optional(s.end, &Reader::timestamp) && flag(s.uses_days) &&
           bounded(s.days, 0x7F, "a set of days") && flag(s.uses_hours) && bounded(s.hour_from, 24, "an hour") &&
           bounded(s.hour_to, 24, "an hour");
  }

  // A flag, then the value when it is 1.
  template <typename T>
  bool optional(std::optional<T>& out, bool (Reader::*read)(T&)) {
    bool present = false;
    if (!flag(present)) return false;
    return !present || (this->*read)(out.emplace());
  }

 private:
  // Every variable read has storage: evaluation sets up `iter_slots` of them (none when 0).
  static bool slots_bound(const Node& n, int iter_slots) {
    if (n.op == Op::IterVar && n.slot >= iter_slots) return false;
    for (const auto& kid : n.kids)
      if (!slots_bound(*kid, iter_slots)) return false;
    return true;
  }

  std::string_view s_;
  std::size_t at_ = 0;
};

// Names a decision writes as object keys (segments, slots, rules in explanations) or that the
// JSON loader holds unique (stages, experiments, their variants): a repeat would make decisions
// that are not valid JSON, so the bytes are refused as the JSON would be.
bool unique(Reader& r, std::vector<std::string_view> names, const char* what) {
  heap_sort(names.data(), names.size());
  for (std::size_t i = 1; i < names.size(); ++i)
    if (names[i] == names[i - 1]) return r.fail(std::string(what) + " '" + std::string(names[i]) + "' appears twice");
  return true;
}

// A slot's variants sit 3 levels into a rule-set document ($.slots.NAME.variants), which the JSON
// reader lets nest 64 levels deep (JsonLimits).
constexpr int kMaxVariantsDepth = JsonLimits{}.max_depth - 3;

}  // namespace

std::string compile_ruleset(const RuleSet& rules) {
  const Impl& r = rules.impl();
  Writer w;
  w.out.append(kCompiledMagic);
  w.byte(kCompiledFormat);
  w.text(r.site);
  w.byte(r.has_version);
  if (r.has_version) w.text(r.version);
  w.uint(r.segments.size());
  for (const auto& s : r.segments) {
    w.text(s.name.as_string());
    w.condition(s.when);
  }
  w.uint(r.stages.size());
  for (const auto& s : r.stages) {
    w.text(s.id.as_string());
    w.condition(s.when);
  }
  w.uint(r.experiments.size());
  for (const auto& e : r.experiments) {
    w.text(e.id);
    w.optional(e.audience, &Writer::condition);
    w.uint(e.traffic);
    w.text(e.traffic_text);
    w.optional(e.start, &Writer::timestamp);
    w.optional(e.end, &Writer::timestamp);
    w.uint(e.variants.size());
    for (const auto& v : e.variants) {
      w.text(v.id);
      w.uint(v.upper);
    }
  }
  w.uint(r.slots.size());
  for (const auto& slot : r.slots) {
    w.text(slot.name);
    w.text(slot.default_variant);
    w.value(slot.variants);
    w.uint(slot.rules.size());
    for (const auto& rule : slot.rules) {
      w.text(rule.id);
      w.optional(rule.when, &Writer::condition);
      w.byte(rule.experiment >= 0);
      if (rule.experiment >= 0) w.uint(static_cast<std::uint32_t>(rule.experiment));
      else w.text(rule.variant);
      w.optional(rule.schedule, &Writer::schedule);
    }
  }
  return std::move(w.out);
}

LoadResult load_compiled_ruleset(std::string_view bytes) {
  Reader r(bytes);
  auto impl = std::make_unique<Impl>();
  auto read = [&]() -> bool {
    if (!r.magic() || !r.text(impl->site) || !r.flag(impl->has_version)) return false;
    if (impl->has_version && !r.text(impl->version)) return false;
    std::size_t n = 0;
    if (!r.count(n, kMinText + kMinCondition)) return false;
    impl->segments.resize(n);
    for (auto& s : impl->segments) {
      std::string_view name;
      if (!r.text(name) || !r.condition(s.when)) return false;
      s.name = Value::string(name);
    }
    if (!r.count(n, kMinText + kMinCondition)) return false;
    impl->stages.resize(n);
    for (auto& s : impl->stages) {
      std::string_view id;
      if (!r.text(id) || !r.condition(s.when)) return false;
      s.id = Value::string(id);
    }
    if (!r.count(n, kMinExperiment)) return false;
    impl->experiments.resize(n);
    for (auto& e : impl->experiments) {
      if (!r.text(e.id) || !r.optional(e.audience, &Reader::condition) || !r.bounded(e.traffic, 10000, "a traffic share") ||
          !r.text(e.traffic_text) || !r.optional(e.start, &Reader::timestamp) || !r.optional(e.end, &Reader::timestamp) ||
          !r.count(n, kMinVariant))
        return false;
      if (n == 0) return r.fail("an experiment has no variants");
      e.variants.resize(n);
      std::uint32_t below = 0;
      for (auto& v : e.variants) {
        if (!r.text(v.id) || !r.bounded(v.upper, 10000, "a variant's weight")) return false;
        if (v.upper < below) return r.fail("variant weights are not cumulative");
        below = v.upper;
      }
      if (below != 10000) return r.fail("variant weights do not add up to 100%");
    }
    if (!r.count(n, kMinSlot)) return false;
    impl->slots.resize(n);
    for (auto& slot : impl->slots) {
      if (!r.text(slot.name) || !r.text(slot.default_variant) || !r.value(slot.variants, kMaxVariantsDepth) || !r.count(n, kMinRule))
        return false;
      if (!slot.variants.is_map()) return r.fail("a slot's variants are not a map");
      slot.rules.resize(n);
      for (auto& rule : slot.rules) {
        bool experiment = false;
        if (!r.text(rule.id) || !r.optional(rule.when, &Reader::condition) || !r.flag(experiment)) return false;
        if (experiment && impl->experiments.empty()) return r.fail("a rule runs an experiment, and there are none");
        if (experiment && !r.bounded(rule.experiment, impl->experiments.size() - 1, "an experiment index")) return false;
        if (!experiment && !r.text(rule.variant)) return false;
        if (!r.optional(rule.schedule, &Reader::schedule)) return false;
      }
    }
    if (impl->slots.empty()) return r.fail("a rule set needs at least one slot");
    std::vector<std::string_view> segments, stages, experiments, slots, rules;
    for (const auto& s : impl->segments) segments.push_back(s.name.as_string());
    for (const auto& s : impl->stages) stages.push_back(s.id.as_string());
    for (const auto& e : impl->experiments) {
      experiments.push_back(e.id);
      std::vector<std::string_view> variants;
      for (const auto& v : e.variants) variants.push_back(v.id);
      if (!unique(r, std::move(variants), "variant")) return false;
    }
    for (const auto& slot : impl->slots) {
      slots.push_back(slot.name);
      for (const auto& rule : slot.rules) rules.push_back(rule.id);
    }
    if (!unique(r, std::move(segments), "segment") || !unique(r, std::move(stages), "stage") ||
        !unique(r, std::move(experiments), "experiment") || !unique(r, std::move(slots), "slot") ||
        !unique(r, std::move(rules), "rule"))
      return false;
    if (!r.at_end()) return r.fail("unexpected bytes after the rule set");
    return true;
  };
  LoadResult result;
  if (!read()) {
    result.errors.push_back(*r.error);
    return result;
  }
  result.rules = std::make_shared<const RuleSet>(std::move(impl));
  return result;
}

LoadResult load_ruleset_or_compiled(std::string_view json_or_bytes) {
  return json_or_bytes.substr(0, kCompiledMagic.size()) == kCompiledMagic ? load_compiled_ruleset(json_or_bytes)
                                                                          : load_ruleset(json_or_bytes);
}

}  // namespace ithaca
