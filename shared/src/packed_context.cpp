#include "ithaca/packed_context.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "heap_sort.hpp"
#include "ithaca/json.hpp"
#include "ruleset_impl.hpp"
#include "utf8.hpp"

namespace ithaca {

namespace {

using Impl = RuleSet::Impl;
using Path = std::vector<std::string>;

void add_references(const Program& p, std::vector<Path>& out) {
  for (const std::string& ref : p.references()) {
    Path path;
    std::size_t from = 0;
    for (std::size_t dot; (dot = ref.find('.', from)) != std::string::npos; from = dot + 1)
      path.push_back(ref.substr(from, dot - from));
    path.push_back(ref.substr(from));
    // `segment` is the decision's own map: the context's member of that name is never read.
    if (path[0] != "segment") out.push_back(std::move(path));
  }
}

bool is_prefix(const Path& a, const Path& b) {
  if (a.size() > b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// The tree of paths[from, to), sorted and none a prefix of another, which share `depth` keys.
void grow(const std::vector<Path>& paths, std::size_t from, std::size_t to, std::size_t depth,
          std::vector<Impl::ContextKey>& into) {
  for (std::size_t i = from; i < to;) {
    const std::string& name = paths[i][depth];
    std::size_t end = i + 1;
    while (end < to && paths[end][depth] == name) ++end;
    Impl::ContextKey key{Value::string(name), {}};
    if (paths[i].size() > depth + 1) grow(paths, i, end, depth + 1, key.kids);  // else a whole value
    into.push_back(std::move(key));
    i = end;
  }
}

class Unpacker {
 public:
  explicit Unpacker(std::string_view bytes) : s_(bytes) {}

  Result<Value> run(const std::vector<Impl::ContextKey>& plan) {
    // As parse_json bounds the whole context's text: in bytes (here, of what the rules read)
    // and in nesting, where the context object is level 1.
    if (s_.size() > JsonLimits{}.max_bytes)
      return Error{ErrorKind::Json, "packed context is " + std::to_string(s_.size()) + " bytes, over the limit of " +
                                        std::to_string(JsonLimits{}.max_bytes), 0, {}};
    Value out;
    if (!object(plan, out, 1)) return error_;
    if (at_ != s_.size()) {
      fail("unexpected bytes after the context");
      return error_;
    }
    return out;
  }

 private:
  static constexpr int kMaxDepth = JsonLimits{}.max_depth;  // nesting as parse_json allows it

  bool fail(std::string what) {
    error_ = Error{ErrorKind::Json, "packed context at byte " + std::to_string(at_) + ": " + std::move(what),
                   static_cast<int>(at_), {}};
    return false;
  }

  bool u32(std::uint32_t& n) {
    if (s_.size() - at_ < 4) return fail("truncated length");
    const auto* p = reinterpret_cast<const unsigned char*>(s_.data() + at_);
    n = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
    at_ += 4;
    return true;
  }

  bool f64(double& d) {
    if (s_.size() - at_ < 8) return fail("truncated number");
    std::uint64_t bits = 0;
    for (int k = 7; k >= 0; --k) bits = bits << 8 | static_cast<unsigned char>(s_[at_ + static_cast<std::size_t>(k)]);
    std::memcpy(&d, &bits, sizeof d);
    at_ += 8;
    return true;
  }

  bool text(std::string_view& out) {
    std::uint32_t n = 0;
    if (!u32(n)) return false;
    if (s_.size() - at_ < n) return fail("truncated text of " + std::to_string(n) + " bytes");
    out = s_.substr(at_, n);
    at_ += n;
    return true;
  }

  bool too_deep() { return fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels"); }

  // One entry of a list or object at nesting level `depth` (the context object is level 1, as
  // in parse_json, which counts lists and objects, not scalars); `plan` is the tree below its
  // key (empty where the tree ends).
  bool entry(const std::vector<Impl::ContextKey>& plan, Value& out, bool& present, int depth) {
    if (at_ >= s_.size()) return fail("truncated: expected a tag");
    const std::size_t tag_at = at_;
    const auto tag = static_cast<PackedTag>(s_[at_++]);
    present = true;
    switch (tag) {
      case PackedTag::Absent: present = false; return true;
      case PackedTag::Null: out = Value(); return true;
      case PackedTag::False: out = Value::boolean(false); return true;
      case PackedTag::True: out = Value::boolean(true); return true;
      case PackedTag::Integer: {
        double d;
        if (!f64(d)) return false;
        if (!(std::fabs(d) <= 9007199254740992.0) || d != std::trunc(d)) {
          at_ = tag_at;
          return fail("an integer entry holds a number that is not an integer of magnitude at most 2^53");
        }
        out = Value::integer(static_cast<std::int64_t>(d));
        return true;
      }
      case PackedTag::Double: {
        double d;
        if (!f64(d)) return false;
        out = Value::real(d);
        return true;
      }
      case PackedTag::String: {
        std::string_view t;
        if (!text(t)) return false;
        if (!utf8::valid(t)) { at_ = tag_at; return fail("string is not valid UTF-8"); }
        out = Value::string(t);
        return true;
      }
      case PackedTag::Json: {
        std::string_view t;
        if (!text(t)) return false;
        JsonLimits limits;
        limits.max_depth = kMaxDepth - depth;
        auto v = parse_json(t, limits);
        if (!v.ok()) { at_ = tag_at; return fail(v.error().message); }
        out = std::move(v).value();
        return true;
      }
      case PackedTag::Items: {
        if (depth + 1 > kMaxDepth) { at_ = tag_at; return too_deep(); }
        std::uint32_t n = 0;
        if (!u32(n)) return false;
        if (n > s_.size() - at_) return fail("a list of " + std::to_string(n) + " items cannot fit in what is left");
        List items;
        items.reserve(n);
        for (std::uint32_t k = 0; k < n; ++k) {
          Value item;
          bool here;
          const std::size_t item_at = at_;
          if (!entry({}, item, here, depth + 1)) return false;
          if (!here) { at_ = item_at; return fail("a list item cannot be absent"); }
          items.push_back(std::move(item));
        }
        out = Value::list(std::move(items));
        return true;
      }
      case PackedTag::Object:
        if (plan.empty()) { at_ = tag_at; return fail("an object entry where the rule set reads no keys below"); }
        if (depth + 1 > kMaxDepth) { at_ = tag_at; return too_deep(); }
        return object(plan, out, depth + 1);
    }
    at_ = tag_at;
    return fail("unknown tag " + std::to_string(static_cast<unsigned>(tag)));
  }

  bool object(const std::vector<Impl::ContextKey>& plan, Value& out, int depth) {
    Map map;
    map.reserve(plan.size());
    for (const auto& key : plan) {
      Value v;
      bool present;
      if (!entry(key.kids, v, present, depth)) return false;
      if (present) map.append(key.key, std::move(v));
    }
    out = Value::map(std::move(map));
    return true;
  }

  std::string_view s_;
  std::size_t at_ = 0;
  Error error_;
};

class Packer {
 public:
  std::string bytes;

  void members(const Value& obj, const std::vector<Impl::ContextKey>& plan) {
    for (const auto& key : plan) {
      const Value* v = obj.find(key.key.as_string());
      if (!v) {
        tag(PackedTag::Absent);
      } else if (!key.kids.empty() && v->is_map()) {
        tag(PackedTag::Object);
        members(*v, key.kids);
      } else {
        value(*v);
      }
    }
  }

  void value(const Value& v) {
    constexpr std::int64_t kMaxExact = std::int64_t(1) << 53;
    switch (v.kind()) {
      case Kind::Null: return tag(PackedTag::Null);
      case Kind::Bool: return tag(v.as_bool() ? PackedTag::True : PackedTag::False);
      case Kind::Int:
        if (v.as_int() >= -kMaxExact && v.as_int() <= kMaxExact) return number(PackedTag::Integer, static_cast<double>(v.as_int()));
        return json(v);
      case Kind::Double:
        return number(PackedTag::Double, v.as_double());  // any double, NaN and infinities too
      case Kind::String:
        tag(PackedTag::String);
        u32(static_cast<std::uint32_t>(v.as_string().size()));
        bytes += v.as_string();
        return;
      case Kind::List:
        tag(PackedTag::Items);
        u32(static_cast<std::uint32_t>(v.as_list().size()));
        for (const Value& item : v.as_list()) value(item);
        return;
      default:
        return json(v);
    }
  }

 private:
  void tag(PackedTag t) { bytes += static_cast<char>(t); }
  void u32(std::uint32_t n) {
    for (int k = 0; k < 4; ++k) bytes += static_cast<char>(n >> (8 * k) & 0xFF);
  }
  void number(PackedTag t, double d) {
    tag(t);
    std::uint64_t bits;
    std::memcpy(&bits, &d, sizeof d);
    for (int k = 0; k < 8; ++k) bytes += static_cast<char>(bits >> (8 * k) & 0xFF);
  }
  void json(const Value& v) {
    const std::string text = to_json(v);
    tag(PackedTag::Json);
    u32(static_cast<std::uint32_t>(text.size()));
    bytes += text;
  }
};

}  // namespace

void plan_context(Impl& r) {
  std::vector<Path> paths;
  for (const auto& s : r.segments) add_references(s.when.program, paths);
  for (const auto& s : r.stages) add_references(s.when.program, paths);
  for (const auto& e : r.experiments)
    if (e.audience) add_references(e.audience->program, paths);
  bool schedules = false;
  for (const auto& slot : r.slots)
    for (const auto& rule : slot.rules) {
      if (rule.when) add_references(rule.when->program, paths);
      schedules = schedules || rule.schedule.has_value();
    }
  // What decide_outcome reads itself.
  paths.push_back({"time", "now"});
  if (schedules) {
    paths.push_back({"time", "weekday"});
    paths.push_back({"time", "hour"});
  }
  if (!r.experiments.empty()) paths.push_back({"visitor", "id"});
  if (!r.stages.empty()) paths.push_back({"journey", "stage"});

  heap_sort(paths.data(), paths.size());
  std::vector<Path> kept;
  for (Path& p : paths)
    if (kept.empty() || !is_prefix(kept.back(), p)) kept.push_back(std::move(p));
  grow(kept, 0, kept.size(), 0, r.context_plan);
  r.context_paths = std::move(kept);
}

const std::vector<std::vector<std::string>>& context_paths(const RuleSet& rules) {
  return rules.impl().context_paths;
}

Result<Value> unpack_context(const RuleSet& rules, std::string_view bytes) {
  return Unpacker(bytes).run(rules.impl().context_plan);
}

std::string pack_context(const RuleSet& rules, const Value& context) {
  Packer p;
  if (context.is_map()) p.members(context, rules.impl().context_plan);
  return p.bytes;
}

}  // namespace ithaca
