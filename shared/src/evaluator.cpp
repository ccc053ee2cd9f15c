// Tree-walking evaluation with CEL's semantics: errors are values that propagate, && and ||
// absorb an error when the other side decides the result, arithmetic is checked. Nothing here
// allocates unless the expression builds a string, list or map, or an error value.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "ast.hpp"
#include "double_format.hpp"
#include "equal_groups.hpp"
#include "time_format.hpp"

namespace ithaca {

namespace {

struct State {
  const Activation& activation;
  const Limits& limits;
  std::vector<ConditionTrace>* trace = nullptr;
  Value* slots = nullptr;  // comprehension variables; null when the program has none
  const Value** memo = nullptr;  // resolved paths by Path id (see PathMemo); null: none kept
  std::uint64_t iterations = 0;
  Spent spent;
};

// Each element of a list or map built counts as a Value's size towards Limits::max_built_bytes.
constexpr std::uint64_t kElementBytes = sizeof(Value);

// Charges `bytes` built to the evaluation; false once it is over its limit.
bool charge_built(State& s, std::uint64_t bytes) {
  s.spent.built_bytes += bytes;
  return s.spent.built_bytes <= s.limits.max_built_bytes;
}

Value built_error(const State& s) { return over_limit("values built", s.limits.max_built_bytes, " bytes"); }

// What a value just made by `+` or a function allocated: a new string's bytes, a new list's
// elements (not an operand handed back unchanged, as `l + []` and `dyn(l)` do).
std::uint64_t built_size(const Value& v, const Value* a, const Value* b) {
  std::uint64_t size;
  switch (v.kind()) {
    case Kind::String: case Kind::Bytes: size = v.as_string().size(); break;
    case Kind::List: size = v.as_list().size() * kElementBytes; break;
    default: return 0;
  }
  const void* made = v.payload();  // null for a short string kept inline: nothing allocated
  if (made == nullptr || (a && made == a->payload()) || (b && made == b->payload())) return 0;
  return size;
}

const Value* resolve_path(const Node& n, const Activation& activation) {
  const Value* at = activation.find(n.path[0]);
  for (std::size_t i = 1; at && i < n.path.size(); ++i) at = at->is_map() ? at->as_map().find(std::string_view(n.path[i])) : nullptr;
  return at;
}

// A path read twice — in one expression, or across the rules of one decision — is walked once:
// the activation never changes during an evaluation, so a found member stays where it is.
// Missing members are not remembered (they are rare, and the error path walks again anyway).
const Value* walk_path(const Node& n, const State& s) {
  if (s.memo == nullptr || n.slot < 0) return resolve_path(n, s.activation);
  const Value*& known = s.memo[n.slot];
  if (known == nullptr) known = resolve_path(n, s.activation);
  return known;
}

// Why a Path did not resolve: the same errors a chain of Selects gives.
Value path_error(const Node& n, const Activation& activation) {
  const Value* at = activation.find(n.path[0]);
  if (!at) return Value::error("undeclared reference to '" + n.path[0] + "'");
  for (std::size_t i = 1; i < n.path.size(); ++i) {
    if (!at->is_map()) {
      if (at->is_error()) return Value::error(at->as_string());
      return Value::error(std::string("type '") + kind_name(at->kind()) + "' does not support field selection ('." + n.path[i] + "')");
    }
    const Value* next = at->as_map().find(std::string_view(n.path[i]));
    if (!next) return Value::error("no such key: '" + n.path[i] + "'");
    at = next;
  }
  return *at;
}

Value eval(const Node& n, State& s);
Value select_field(const Value& target, const std::string& field);

// The operand's value without copying it when it already exists — a literal, an iteration
// variable, a member of the activation — otherwise evaluated into `tmp`. Rule conditions are
// mostly comparisons of context members with literals, so this keeps them free of copies.
// An error value the activation supplies (a segment that failed) arose in another source: give
// this expression its own copy, so the position recorded is one in this expression.
const Value* own_errors(const Value* v, Value& tmp) {
  if (!v->is_error()) return v;
  tmp = Value::error(v->as_string());
  return &tmp;
}

const Value* operand(const Node& n, State& s, Value& tmp) {
  switch (n.op) {
    case Op::Literal: return &n.value;
    case Op::Path:
      if (const Value* v = walk_path(n, s)) return own_errors(v, tmp);
      break;
    case Op::IterVar: return &s.slots[static_cast<std::size_t>(n.slot)];
    case Op::Ident:
      if (const Value* v = s.activation.find(n.name)) return own_errors(v, tmp);
      break;
    case Op::Select: {
      Value base_tmp;
      const Value* base = operand(*n.kids[0], s, base_tmp);
      if (base->is_map()) {
        if (const Value* v = base->as_map().find(std::string_view(n.name))) {
          if (base != &base_tmp) return own_errors(v, tmp);
          tmp = v->is_error() ? Value::error(v->as_string()) : *v;
          return &tmp;
        }
      }
      // Never evaluate the base a second time: chains would take 2^n steps.
      tmp = select_field(*base, n.name);
      if (tmp.is_error()) tmp.mark_error_position(n.at);
      return &tmp;
    }
    default:
      break;
  }
  tmp = eval(n, s);
  return &tmp;
}

Value no_overload(const char* op, const Value& a) {
  return Value::error(std::string("no matching overload for '") + op + "' applied to (" +
                      kind_name(a.kind()) + ")");
}
Value no_overload(const char* op, const Value& a, const Value& b) {
  return Value::error(std::string("no matching overload for '") + op + "' applied to (" +
                      kind_name(a.kind()) + ", " + kind_name(b.kind()) + ")");
}
Value overflow() { return Value::error("integer overflow"); }

std::string key_text(const Value& key) {
  switch (key.kind()) {
    case Kind::String: return "'" + std::string(key.as_string()) + "'";
    case Kind::Int: return std::to_string(key.as_int());
    case Kind::Uint: return std::to_string(key.as_uint()) + "u";
    case Kind::Bool: return key.as_bool() ? "true" : "false";
    case Kind::Double: return format_double_cel(key.as_double());
    default: return kind_name(key.kind());
  }
}

Value select_field(const Value& target, const std::string& field) {
  if (target.is_error()) return target;
  if (target.is_map()) {
    if (const Value* v = target.as_map().find(std::string_view(field))) return *v;
    return Value::error("no such key: '" + field + "'");
  }
  return Value::error(std::string("type '") + kind_name(target.kind()) +
                      "' does not support field selection ('." + field + "')");
}

Value has_field(const Value& target, const std::string& field) {
  if (target.is_error()) return target;
  if (target.is_map()) return Value::boolean(target.as_map().find(std::string_view(field)) != nullptr);
  return Value::error(std::string("has() does not apply to type '") + kind_name(target.kind()) + "'");
}

// An integral double/uint/int as a list index, or -1 with `bad` set.
bool list_position(const Value& idx, std::size_t size, std::size_t& out, Value& err) {
  std::int64_t i;
  switch (idx.kind()) {
    case Kind::Int: i = idx.as_int(); break;
    case Kind::Uint:
      if (idx.as_uint() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        err = Value::error("index out of range");
        return false;
      }
      i = static_cast<std::int64_t>(idx.as_uint());
      break;
    case Kind::Double: {
      double d = idx.as_double();
      if (d != std::trunc(d) || !(d >= -9.2e18 && d <= 9.2e18)) {
        err = Value::error("unsupported index value: a list index must be an integer");
        return false;
      }
      i = static_cast<std::int64_t>(d);
      break;
    }
    default:
      err = Value::error(std::string("unsupported index type '") + kind_name(idx.kind()) + "' for a list");
      return false;
  }
  if (i < 0 || static_cast<std::uint64_t>(i) >= size) {
    err = Value::error("index out of range: " + std::to_string(i) + " (list size " + std::to_string(size) + ")");
    return false;
  }
  out = static_cast<std::size_t>(i);
  return true;
}

Value index(const Value& target, const Value& idx) {
  if (target.is_error()) return target;
  if (idx.is_error()) return idx;
  if (target.is_list()) {
    std::size_t pos;
    Value err;
    if (!list_position(idx, target.as_list().size(), pos, err)) return err;
    return target.as_list()[pos];
  }
  if (target.is_map()) {
    switch (idx.kind()) {
      case Kind::String: case Kind::Int: case Kind::Uint: case Kind::Bool: case Kind::Double:
        break;
      default:
        return Value::error(std::string("unsupported key type '") + kind_name(idx.kind()) + "'");
    }
    if (const Value* v = target.as_map().find(idx)) return *v;
    return Value::error("no such key: " + key_text(idx));
  }
  return no_overload("_[_]", target, idx);
}

Value arithmetic(Op op, const Value& a, const Value& b, const Limits& limits) {
  if (a.is_error()) return a;
  if (b.is_error()) return b;
  const char* name = op == Op::Add ? "_+_" : op == Op::Sub ? "_-_" : op == Op::Mul ? "_*_" : op == Op::Div ? "_/_" : "_%_";
  if (a.kind() != b.kind()) {
    // The only mixed-kind arithmetic: time with durations.
    if (a.kind() == Kind::Timestamp && b.kind() == Kind::Duration && (op == Op::Add || op == Op::Sub)) {
      Timestamp t = a.as_timestamp();
      Duration d = b.as_duration();
      std::int64_t secs;
      std::int64_t nanos = op == Op::Add ? t.nanos + d.nanos : t.nanos - d.nanos;
      bool ovf = op == Op::Add ? __builtin_add_overflow(t.seconds, d.seconds, &secs)
                               : __builtin_sub_overflow(t.seconds, d.seconds, &secs);
      if (nanos < 0) { nanos += 1000000000; --secs; }
      if (nanos >= 1000000000) { nanos -= 1000000000; ++secs; }
      if (ovf || secs < -62135596800 || secs > 253402300799) return Value::error("timestamp out of range");
      return Value::timestamp({secs, static_cast<std::int32_t>(nanos)});
    }
    if (a.kind() == Kind::Duration && b.kind() == Kind::Timestamp && op == Op::Add)
      return arithmetic(op, b, a, limits);
    return no_overload(name, a, b);
  }
  switch (a.kind()) {
    case Kind::Int: {
      std::int64_t x = a.as_int(), y = b.as_int(), r;
      switch (op) {
        case Op::Add: if (__builtin_add_overflow(x, y, &r)) return overflow(); return Value::integer(r);
        case Op::Sub: if (__builtin_sub_overflow(x, y, &r)) return overflow(); return Value::integer(r);
        case Op::Mul: if (__builtin_mul_overflow(x, y, &r)) return overflow(); return Value::integer(r);
        case Op::Div:
          if (y == 0) return Value::error("division by zero");
          if (x == std::numeric_limits<std::int64_t>::min() && y == -1) return overflow();
          return Value::integer(x / y);
        default:
          if (y == 0) return Value::error("modulus by zero");
          if (x == std::numeric_limits<std::int64_t>::min() && y == -1) return overflow();
          return Value::integer(x % y);
      }
    }
    case Kind::Uint: {
      std::uint64_t x = a.as_uint(), y = b.as_uint(), r;
      switch (op) {
        case Op::Add: if (__builtin_add_overflow(x, y, &r)) return overflow(); return Value::uinteger(r);
        case Op::Sub: if (__builtin_sub_overflow(x, y, &r)) return overflow(); return Value::uinteger(r);
        case Op::Mul: if (__builtin_mul_overflow(x, y, &r)) return overflow(); return Value::uinteger(r);
        case Op::Div: if (y == 0) return Value::error("division by zero"); return Value::uinteger(x / y);
        default: if (y == 0) return Value::error("modulus by zero"); return Value::uinteger(x % y);
      }
    }
    case Kind::Double: {
      double x = a.as_double(), y = b.as_double();
      switch (op) {
        case Op::Add: return Value::real(x + y);
        case Op::Sub: return Value::real(x - y);
        case Op::Mul: return Value::real(x * y);
        case Op::Div: return Value::real(x / y);
        default: return no_overload(name, a, b);
      }
    }
    case Kind::String: case Kind::Bytes: {
      if (op != Op::Add) return no_overload(name, a, b);
      const std::size_t total = a.as_string().size() + b.as_string().size();
      if (total > limits.max_value_items) return Value::error("string longer than the evaluation limit");
      std::string r;
      r.reserve(total);
      r.append(a.as_string());
      r.append(b.as_string());
      return a.kind() == Kind::String ? Value::string(r) : Value::bytes(r);
    }
    case Kind::List: {
      if (op != Op::Add) return no_overload(name, a, b);
      if (b.as_list().empty()) return a;
      if (a.as_list().empty()) return b;
      const std::size_t total = a.as_list().size() + b.as_list().size();
      if (total > limits.max_value_items) return Value::error("list longer than the evaluation limit");
      List r;
      r.reserve(total);
      // push_back, not a range insert: that would be a 600 B template instance of its own.
      for (const Value& x : a.as_list()) r.push_back(x);
      for (const Value& x : b.as_list()) r.push_back(x);
      return Value::list(std::move(r));
    }
    case Kind::Duration: {
      if (op != Op::Add && op != Op::Sub) return no_overload(name, a, b);
      Duration x = a.as_duration(), y = b.as_duration();
      int128 ns = (static_cast<int128>(x.seconds) * 1000000000 + x.nanos);
      int128 other = (static_cast<int128>(y.seconds) * 1000000000 + y.nanos);
      ns = op == Op::Add ? ns + other : ns - other;
      if (!duration_nanos_in_range(ns)) return Value::error("duration out of range");
      return Value::duration(duration_from_nanos(static_cast<std::int64_t>(ns)));
    }
    case Kind::Timestamp: {
      if (op != Op::Sub) return no_overload(name, a, b);
      Timestamp x = a.as_timestamp(), y = b.as_timestamp();
      int128 ns = (static_cast<int128>(x.seconds) - y.seconds) * 1000000000 + (x.nanos - y.nanos);
      if (!duration_nanos_in_range(ns)) return Value::error("duration out of range");
      return Value::duration(duration_from_nanos(static_cast<std::int64_t>(ns)));
    }
    default:
      return no_overload(name, a, b);
  }
}

// Same-kind ints and strings are most of what rules compare: decide them inline.
inline __attribute__((always_inline)) bool fast_compare(Op op, const Value& a, const Value& b, bool& out) {
  int c;
  if (a.kind() == Kind::Int && b.kind() == Kind::Int) {
    c = a.as_int() < b.as_int() ? -1 : (a.as_int() > b.as_int() ? 1 : 0);
  } else if (a.kind() == Kind::String && b.kind() == Kind::String) {
    if (op == Op::Eq || op == Op::Ne) {
      out = detail::same_text(a.as_string(), b.as_string()) == (op == Op::Eq);
      return true;
    }
    c = a.as_string().compare(b.as_string());
  } else {
    return false;
  }
  switch (op) {
    case Op::Eq: out = c == 0; break;
    case Op::Ne: out = c != 0; break;
    case Op::Lt: out = c < 0; break;
    case Op::Le: out = c <= 0; break;
    case Op::Gt: out = c > 0; break;
    default: out = c >= 0; break;
  }
  return true;
}

Value compare(Op op, const Value& a, const Value& b) {
  if (bool r; fast_compare(op, a, b, r)) return Value::boolean(r);
  if (a.is_error()) return a;
  if (b.is_error()) return b;
  switch (op) {
    case Op::Eq: return Value::boolean(cel_equal(a, b));
    case Op::Ne: return Value::boolean(!cel_equal(a, b));
    default: break;
  }
  const int c = cel_compare(a, b);
  if (c == unordered) {
    if (a.is_number() && b.is_number()) return Value::boolean(false);  // NaN
    const char* name = op == Op::Lt ? "_<_" : op == Op::Le ? "_<=_" : op == Op::Gt ? "_>_" : "_>=_";
    return no_overload(name, a, b);
  }
  switch (op) {
    case Op::Lt: return Value::boolean(c < 0);
    case Op::Le: return Value::boolean(c <= 0);
    case Op::Gt: return Value::boolean(c > 0);
    default: return Value::boolean(c >= 0);
  }
}

Value contains(const Value& element, const Value& container) {
  if (element.is_error()) return element;
  if (container.is_error()) return container;
  if (container.is_list()) {
    if (element.is_string()) {
      const std::string_view e = element.as_string();
      for (const Value& v : container.as_list())
        if (v.is_string() ? v.as_string() == e : cel_equal(v, element)) return Value::boolean(true);
      return Value::boolean(false);
    }
    for (const Value& v : container.as_list())
      if (cel_equal(v, element)) return Value::boolean(true);
    return Value::boolean(false);
  }
  if (container.is_map()) return Value::boolean(container.as_map().find(element) != nullptr);
  return no_overload("@in", element, container);
}

// The operands of && and || are mostly `path OP literal`, `path in [literals]` and `segment.x`:
// decide those to 1 (true) or 0 (false) without making a Value; -1 when it takes the general path
// (an error, another kind, another shape).
int quick_truth(const Node& n, const State& s) {
  switch (n.op) {
    case Op::Path: {
      const Value* v = walk_path(n, s);
      return v && v->is_bool() ? v->as_bool() : -1;
    }
    case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: {
      if (n.kids[0]->op != Op::Path || n.kids[1]->op != Op::Literal) return -1;
      const Value* v = walk_path(*n.kids[0], s);
      bool out;
      return v && fast_compare(n.op, *v, n.kids[1]->value, out) ? out : -1;
    }
    case Op::In: {
      if (n.kids[0]->op != Op::Path || n.kids[1]->op != Op::Literal || !n.kids[1]->value.is_list()) return -1;
      const Value* v = walk_path(*n.kids[0], s);
      if (!v) return -1;
      const List& items = n.kids[1]->value.as_list();
      if (v->is_string()) {
        // A string is in a list when an element is an equal string (other kinds never equal it).
        const std::string_view e = v->as_string();
        for (const Value& item : items)
          if (item.is_string() && detail::same_text(item.as_string(), e)) return 1;
        return 0;
      }
      if (v->kind() == Kind::Int) {
        for (const Value& item : items)
          if (item.kind() == Kind::Int ? item.as_int() == v->as_int() : cel_equal(item, *v)) return 1;
        return 0;
      }
      return -1;
    }
    case Op::Not: {  // !segment.x
      if (n.kids[0]->op != Op::Path) return -1;
      const Value* v = walk_path(*n.kids[0], s);
      return v && v->is_bool() ? !v->as_bool() : -1;
    }
    case Op::Has: {
      if (n.kids[0]->op != Op::Path) return -1;
      const Value* v = walk_path(*n.kids[0], s);
      return v && v->is_map() ? v->as_map().find(std::string_view(n.name)) != nullptr : -1;
    }
    default:
      return -1;
  }
}

// n-ary && / ||: the first deciding operand wins; otherwise the first error; otherwise a
// non-bool operand is an error. Under a trace every operand is evaluated, to explain them all.
Value logical(const Node& n, State& s, bool traced) {
  const bool is_and = n.op == Op::And;
  Value err;
  bool decided = false;
  std::vector<ConditionTrace>* trace = s.trace;
  s.trace = nullptr;
  for (const auto& kid : n.kids) {
    if (!traced) {
      if (const int t = quick_truth(*kid, s); t >= 0) {
        if (static_cast<bool>(t) != is_and) {
          decided = true;
          break;
        }
        continue;
      }
    }
    Value v = eval(*kid, s);
    if (traced && trace) trace->push_back(ConditionTrace{kid->begin, kid->end, v});
    if (v.is_bool()) {
      if (v.as_bool() != is_and) {
        decided = true;
        if (!traced) break;
      }
    } else if (err.is_null()) {
      err = v.is_error() ? v : no_overload(is_and ? "_&&_" : "_||_", v);
    }
  }
  s.trace = trace;
  if (decided) return Value::boolean(!is_and);
  if (!err.is_null()) return err;
  return Value::boolean(is_and);
}

bool count_iteration(State& s, Value& err) {
  if (++s.iterations <= s.limits.max_iterations) return true;
  err = over_limit("comprehension work", s.limits.max_iterations, " steps");
  return false;
}

Value comprehension(const Node& n, State& s) {
  Value range_tmp;
  const Value& range = *operand(*n.kids[0], s, range_tmp);
  if (range.is_error()) return range;
  if (!range.is_list() && !range.is_map()) return no_overload(n.name.c_str(), range);
  const bool over_map = range.is_map();
  const std::size_t count = over_map ? range.as_map().size() : range.as_list().size();
  Value& var = s.slots[static_cast<std::size_t>(n.slot)];
  Value err;
  List built;
  std::size_t matches = 0;
  bool decided = false;
  auto item = [&](std::size_t i) -> const Value& {
    return over_map ? (range.as_map().begin() + static_cast<std::ptrdiff_t>(i))->first : range.as_list()[i];
  };
  for (std::size_t i = 0; i < count; ++i) {
    if (!count_iteration(s, err)) return err;
    var = item(i);
    const Value v = eval(*n.kids[1], s);
    switch (n.op) {
      case Op::All: case Op::Exists: {
        const bool is_all = n.op == Op::All;
        if (v.is_bool()) {
          if (v.as_bool() != is_all) decided = true;
        } else if (err.is_null()) {
          err = v.is_error() ? v : no_overload(is_all ? "_&&_" : "_||_", v);
        }
        break;
      }
      case Op::ExistsOne:
        if (v.is_error()) return v;
        if (!v.is_bool()) return no_overload("exists_one", v);
        matches += v.as_bool() ? 1 : 0;
        break;
      case Op::Filter:
        if (v.is_error()) return v;
        if (!v.is_bool()) return no_overload("filter", v);
        if (v.as_bool()) built.push_back(var);
        break;
      default: {  // map, with an optional filter
        if (n.kids.size() == 3) {
          if (v.is_error()) return v;
          if (!v.is_bool()) return no_overload("map", v);
          if (!v.as_bool()) break;
          Value t = eval(*n.kids[2], s);
          if (t.is_error()) return t;
          built.push_back(std::move(t));
        } else {
          if (v.is_error()) return v;
          built.push_back(v);
        }
        break;
      }
    }
    if (decided) break;
  }
  var = Value();
  if (!charge_built(s, built.size() * kElementBytes)) return built_error(s);
  switch (n.op) {
    case Op::All: return decided ? Value::boolean(false) : (err.is_null() ? Value::boolean(true) : err);
    case Op::Exists: return decided ? Value::boolean(true) : (err.is_null() ? Value::boolean(false) : err);
    case Op::ExistsOne: return Value::boolean(matches == 1);
    default: return Value::list(std::move(built));
  }
}

Value make_map(const Node& n, State& s) {
  if (!charge_built(s, n.kids.size() * kElementBytes)) return built_error(s);  // a key and a value each
  Map m;
  m.reserve(n.kids.size() / 2);
  for (std::size_t i = 0; i < n.kids.size(); i += 2) {
    Value k = eval(*n.kids[i], s);
    if (k.is_error()) return k;
    switch (k.kind()) {
      case Kind::String: case Kind::Int: case Kind::Uint: case Kind::Bool: break;
      default: return Value::error(std::string("unsupported map key type '") + kind_name(k.kind()) + "'");
    }
    Value v = eval(*n.kids[i + 1], s);
    if (v.is_error()) return v;
    if (!m.insert(k, std::move(v))) return Value::error("repeated map key " + key_text(k));
  }
  return Value::map(std::move(m));
}

Value eval_node(const Node& n, State& s);

// Every evaluation step goes through here, so an error value learns where it arose.
Value eval(const Node& n, State& s) {
  Value v = eval_node(n, s);
  if (v.is_error()) v.mark_error_position(n.at);
  return v;
}

Value eval_node(const Node& n, State& s) {
  switch (n.op) {
    case Op::Literal: return n.value;
    case Op::Ident: {
      if (const Value* v = s.activation.find(n.name)) return v->is_error() ? Value::error(v->as_string()) : *v;
      return Value::error("undeclared reference to '" + n.name + "'");
    }
    case Op::IterVar: return s.slots[static_cast<std::size_t>(n.slot)];
    case Op::Path: {
      if (const Value* v = walk_path(n, s)) return v->is_error() ? Value::error(v->as_string()) : *v;
      return path_error(n, s.activation);
    }
    case Op::Select: {
      Value tmp;
      return select_field(*operand(*n.kids[0], s, tmp), n.name);
    }
    case Op::Has: {
      Value tmp;
      return has_field(*operand(*n.kids[0], s, tmp), n.name);
    }
    case Op::Index: {
      Value t0, t1;
      return index(*operand(*n.kids[0], s, t0), *operand(*n.kids[1], s, t1));
    }
    case Op::MakeList: {
      if (!charge_built(s, n.kids.size() * kElementBytes)) return built_error(s);
      List items;
      items.reserve(n.kids.size());
      for (const auto& k : n.kids) {
        Value v = eval(*k, s);
        if (v.is_error()) return v;
        items.push_back(std::move(v));
      }
      return Value::list(std::move(items));
    }
    case Op::MakeMap: return make_map(n, s);
    case Op::Not: {
      Value v = eval(*n.kids[0], s);
      if (v.is_bool()) return Value::boolean(!v.as_bool());
      return v.is_error() ? v : no_overload("!_", v);
    }
    case Op::Negate: {
      Value v = eval(*n.kids[0], s);
      switch (v.kind()) {
        case Kind::Int:
          if (v.as_int() == std::numeric_limits<std::int64_t>::min()) return overflow();
          return Value::integer(-v.as_int());
        case Kind::Double: return Value::real(-v.as_double());
        case Kind::Duration: {
          Duration d = v.as_duration();
          return Value::duration({-d.seconds, -d.nanos});
        }
        case Kind::Error: return v;
        default: return no_overload("-_", v);
      }
    }
    case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Mod: {
      Value t0, t1;
      const Value* a = operand(*n.kids[0], s, t0);
      const Value* b = operand(*n.kids[1], s, t1);
      Value r = arithmetic(n.op, *a, *b, s.limits);
      if (n.op == Op::Add && !charge_built(s, built_size(r, a, b))) return built_error(s);
      return r;
    }
    case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: {
      // The shape of most rule conditions, `context.path OP literal`, without the general
      // operand machinery.
      if (n.kids[0]->op == Op::Path && n.kids[1]->op == Op::Literal) {
        bool r;
        const Value* v = walk_path(*n.kids[0], s);
        if (v && fast_compare(n.op, *v, n.kids[1]->value, r)) return Value::boolean(r);
      }
      Value t0, t1;
      return compare(n.op, *operand(*n.kids[0], s, t0), *operand(*n.kids[1], s, t1));
    }
    case Op::In: {
      if (n.kids[0]->op == Op::Path && n.kids[1]->op == Op::Literal) {
        const Value* v = walk_path(*n.kids[0], s);
        if (v && !v->is_error()) return contains(*v, n.kids[1]->value);
      }
      Value t0, t1;
      return contains(*operand(*n.kids[0], s, t0), *operand(*n.kids[1], s, t1));
    }
    case Op::And: case Op::Or: {
      const bool traced = s.trace != nullptr;
      return logical(n, s, traced);
    }
    case Op::Cond: {
      Value c = eval(*n.kids[0], s);
      if (c.is_bool()) return eval(*n.kids[c.as_bool() ? 1 : 2], s);
      return c.is_error() ? c : no_overload("_?_:_", c);
    }
    case Op::Call: {
      std::array<Value, 3> tmps;
      std::array<const Value*, 3> args{};
      const std::size_t count = n.kids.size();
      for (std::size_t i = 0; i < count; ++i) {
        args[i] = operand(*n.kids[i], s, tmps[i]);
        if (args[i]->is_error()) return *args[i];
      }
      Value r = call_function(n, args.data(), count, s.limits, s.spent);
      if (!charge_built(s, built_size(r, args[0], nullptr))) return built_error(s);  // args[0]: count ≥ 1
      return r;
    }
    case Op::All: case Op::Exists: case Op::ExistsOne: case Op::MapMacro: case Op::Filter:
      return comprehension(n, s);
  }
  return Value::error("internal error: unknown node");
}

class MapActivation final : public Activation {
 public:
  explicit MapActivation(const Value& context) : context_(context) {}
  const Value* find(std::string_view name) const noexcept override { return context_.find(name); }

 private:
  const Value& context_;
};

// Under a trace, the conditions an explanation lists are the operands of the root's && / ||
// chain, or the root itself: chains nested deeper (in a macro's body, under a `!`) are not, or a
// macro would list its body once per element.
Value run(const Node& node, State& s) {
  if (s.trace && node.op != Op::And && node.op != Op::Or) {
    std::vector<ConditionTrace>* trace = s.trace;
    s.trace = nullptr;
    Value v = eval(node, s);
    s.trace = trace;
    trace->push_back(ConditionTrace{node.begin, node.end, v});
    return v;
  }
  return eval(node, s);
}

}  // namespace

std::vector<std::pair<std::int32_t, std::int32_t>> traced_spans(const Node& root) {
  std::vector<std::pair<std::int32_t, std::int32_t>> spans;
  if (root.op == Op::And || root.op == Op::Or) {
    for (const auto& kid : root.kids) spans.emplace_back(kid->begin, kid->end);
  } else {
    spans.emplace_back(root.begin, root.end);
  }
  return spans;
}

Value evaluate_node(const Node& node, const Activation& activation, const Limits& limits,
                    std::vector<ConditionTrace>* trace, int iter_slots, const Value** memo) {
  State s{activation, limits, trace, nullptr, memo};
  if (iter_slots > 0) {
    std::array<Value, kMaxIterSlots> storage;
    s.slots = storage.data();
    return run(node, s);
  }
  return run(node, s);
}

namespace {

void select_to_path(Node& n) {
  for (auto& kid : n.kids) select_to_path(*kid);
  if (n.op != Op::Select) return;
  // The two message types the subset knows by their CEL names.
  const Node& target = *n.kids[0];
  if (target.op == Op::Path && target.path.size() == 2 && target.path[0] == "google" &&
      target.path[1] == "protobuf" && (n.name == "Timestamp" || n.name == "Duration")) {
    n.op = Op::Literal;
    n.value = Value::type(n.name == "Timestamp" ? Kind::Timestamp : Kind::Duration);
    n.kids.clear();
    return;
  }
  if (target.op == Op::Ident) {
    n.path = {target.name, n.name};
  } else if (target.op == Op::Path) {
    n.path = std::move(n.kids[0]->path);
    n.path.push_back(n.name);
  } else {
    return;
  }
  n.op = Op::Path;
  n.kids.clear();
}

void collect_paths(Node& n, std::vector<Node*>& out) {
  if (n.op == Op::Path) out.push_back(&n);
  for (auto& kid : n.kids) collect_paths(*kid, out);
}

// Numbers the paths of `nodes` by their text: equal paths share an id. With `repeated_only`,
// paths that occur once keep -1 (nothing to remember for them). Returns how many ids were given.
int number_paths(const std::vector<Node*>& nodes, bool repeated_only) {
  // A rule set may hold tens of thousands of paths: equal ones are found by sorting, not by
  // comparing each with all before it.
  std::vector<std::size_t> first;
  first_equal(
      nodes.size(),
      [](const void* elements, std::size_t a, std::size_t b) {
        const auto* n = static_cast<Node* const*>(elements);
        const auto& pa = n[a]->path;
        const auto& pb = n[b]->path;
        for (std::size_t k = 0; k < pa.size() && k < pb.size(); ++k)
          if (const int c = pa[k].compare(pb[k]); c != 0) return c;
        return pa.size() < pb.size() ? -1 : pa.size() > pb.size() ? 1 : 0;
      },
      nodes.data(), first);
  std::vector<int> uses;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (first[i] == i) {  // ids in order of first occurrence
      nodes[i]->slot = static_cast<int>(uses.size());
      uses.push_back(0);
    } else {
      nodes[i]->slot = nodes[first[i]]->slot;
    }
    ++uses[static_cast<std::size_t>(nodes[i]->slot)];
  }
  if (!repeated_only) return static_cast<int>(uses.size());
  std::vector<int> renumbered(uses.size(), -1);
  int count = 0;
  for (std::size_t i = 0; i < uses.size(); ++i)
    if (uses[i] > 1) renumbered[i] = count++;
  for (Node* n : nodes) n->slot = renumbered[static_cast<std::size_t>(n->slot)];
  return count;
}

}  // namespace

void compile_paths(detail::Ast& ast) {
  select_to_path(*ast.root);
  std::vector<Node*> paths;
  collect_paths(*ast.root, paths);
  ast.path_ids = number_paths(paths, true);
}

int share_path_ids(const std::vector<const Program*>& programs, const void* table) {
  std::vector<Node*> paths;
  std::vector<detail::Ast*> asts;
  for (const Program* p : programs) {
    // Only ever called by the rule-set loader on the programs it just compiled and owns alone,
    // before the rule set is shared: the AST is not yet visible to anyone else.
    auto* ast = const_cast<detail::Ast*>(p->ast_.get());
    collect_paths(*ast->root, paths);
    asts.push_back(ast);
  }
  const int count = number_paths(paths, false);
  for (detail::Ast* ast : asts) {
    ast->path_ids = count;
    ast->path_table = table;
  }
  return count;
}

Value Program::evaluate(const Value& context, const Limits& limits) const {
  return evaluate(MapActivation(context), limits);
}

namespace {

// Where a program's paths are remembered during one evaluation: the activation's memo when the
// program was numbered with the activation's table (a rule set's decision), otherwise `local`
// when the program repeats a path and it fits.
constexpr int kLocalMemo = 8;
const Value** memo_for(const detail::Ast& ast, const Activation& activation, const Value** local) {
  if (ast.path_table != nullptr) return activation.path_memo(ast.path_table);
  if (ast.path_ids == 0 || ast.path_ids > kLocalMemo) return nullptr;
  for (int i = 0; i < kLocalMemo; ++i) local[i] = nullptr;  // a few stores, no memset call
  return local;
}

}  // namespace

Value Program::evaluate(const Activation& activation, const Limits& limits) const {
  const Value* local[kLocalMemo];
  return evaluate_node(*ast_->root, activation, limits, nullptr, ast_->iter_slots,
                       memo_for(*ast_, activation, local));
}

Value Program::explain(const Activation& activation, std::vector<ConditionTrace>& trace,
                       const Limits& limits) const {
  const Value* local[kLocalMemo];
  return evaluate_node(*ast_->root, activation, limits, &trace, ast_->iter_slots,
                       memo_for(*ast_, activation, local));
}

std::string_view Program::source() const noexcept { return ast_->source; }
const std::vector<std::string>& Program::references() const noexcept { return ast_->references; }

}  // namespace ithaca
