#include "ithaca/value.hpp"

#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>

namespace ithaca {


namespace {

using detail::ListPayload;
using detail::MapPayload;
using detail::TextPayload;

struct TimePayload final : detail::HeapObject {
  TimePayload(std::int64_t s, std::int32_t n) : seconds(s), nanos(n) {}
  std::int64_t seconds;
  std::int32_t nanos;
};

}  // namespace

namespace detail {
void release_slow(HeapObject* h) noexcept { delete h; }

TextPayload* TextPayload::make(std::string_view s) {
  void* memory = ::operator new(sizeof(TextPayload) + s.size() + 1);
  auto* p = new (memory) TextPayload(s.size());
  char* bytes = reinterpret_cast<char*>(p + 1);
  if (!s.empty()) std::memcpy(bytes, s.data(), s.size());
  bytes[s.size()] = '\0';
  return p;
}
}  // namespace detail

const char* kind_name(Kind kind) noexcept {
  switch (kind) {
    case Kind::Null: return "null_type";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Uint: return "uint";
    case Kind::Double: return "double";
    case Kind::String: return "string";
    case Kind::Bytes: return "bytes";
    case Kind::List: return "list";
    case Kind::Map: return "map";
    case Kind::Timestamp: return "google.protobuf.Timestamp";
    case Kind::Duration: return "google.protobuf.Duration";
    case Kind::Type: return "type";
    case Kind::Error: return "error";
  }
  return "unknown";
}

Value Value::string(std::string_view s) {
  Value v(Kind::String);
  if (s.size() <= kInlineText) {
    static_assert(offsetof(Value, inline_head_) == 2 && offsetof(Value, bits_) == 8, "inline text must be contiguous");
    if (!s.empty()) std::memcpy(v.inline_text(), s.data(), s.size());
    v.inline_size_ = static_cast<std::uint8_t>(s.size() + 1);
  } else {
    v.bits_.h = TextPayload::make(s);
  }
  return v;
}
Value Value::bytes(std::string_view s) { Value v(Kind::Bytes); v.bits_.h = TextPayload::make(s); return v; }
Value Value::error(std::string_view message) { Value v(Kind::Error); v.bits_.h = TextPayload::make(message); return v; }
Value Value::list(List items) { Value v(Kind::List); v.bits_.h = new ListPayload(std::move(items)); return v; }
Value Value::map(Map entries) { Value v(Kind::Map); v.bits_.h = new MapPayload(std::move(entries)); return v; }
Value Value::timestamp(Timestamp t) { Value v(Kind::Timestamp); v.bits_.h = new TimePayload(t.seconds, t.nanos); return v; }
Value Value::duration(Duration d) { Value v(Kind::Duration); v.bits_.h = new TimePayload(d.seconds, d.nanos); return v; }

Timestamp Value::as_timestamp() const noexcept {
  auto* p = static_cast<const TimePayload*>(bits_.h);
  return {p->seconds, p->nanos};
}
Duration Value::as_duration() const noexcept {
  auto* p = static_cast<const TimePayload*>(bits_.h);
  return {p->seconds, p->nanos};
}
const void* Value::payload() const noexcept { return shared() ? bits_.h : nullptr; }

const Value* Value::find(std::string_view key) const noexcept {
  return kind_ == Kind::Map ? as_map().find(key) : nullptr;
}

const Value* Value::find_path(std::string_view dotted) const noexcept {
  const Value* at = this;
  while (at) {
    auto dot = dotted.find('.');
    at = at->find(dotted.substr(0, dot));
    if (dot == std::string_view::npos) return at;
    dotted.remove_prefix(dot + 1);
  }
  return nullptr;
}

List& Value::edit_list() {
  auto* p = static_cast<ListPayload*>(bits_.h);
  if (p->refs.load(std::memory_order_acquire) > 1) {
    auto* copy = new ListPayload(p->items);
    release();
    kind_ = Kind::List;
    bits_.h = p = copy;
  }
  return p->items;
}

Map& Value::edit_map() {
  auto* p = static_cast<MapPayload*>(bits_.h);
  if (p->refs.load(std::memory_order_acquire) > 1) {
    auto* copy = new MapPayload(p->map);
    release();
    kind_ = Kind::Map;
    bits_.h = p = copy;
  }
  return p->map;
}

// ---- Map ----

const Value* Map::find(std::string_view key) const noexcept {
  for (const auto& [k, v] : entries_)
    if (k.kind() == Kind::String && detail::same_text(k.as_string(), key)) return &v;
  return nullptr;
}

const Value* Map::find(const Value& key) const noexcept {
  if (key.kind() == Kind::String) return find(key.as_string());
  // A double finds the integer key it equals exactly, as cel-go's lookup does — not, as `==`
  // would, every integer it rounds to: {9007199254740993: 'x'}[9007199254740992.0] is no match.
  if (key.kind() == Kind::Double) {
    const double d = key.as_double();
    if (d != std::trunc(d)) return nullptr;  // fractions, infinities and NaN
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0) return find(Value::integer(static_cast<std::int64_t>(d)));
    if (d >= 0 && d < 18446744073709551616.0) return find(Value::uinteger(static_cast<std::uint64_t>(d)));
    return nullptr;
  }
  for (const auto& [k, v] : entries_)
    if (cel_equal(k, key)) return &v;
  return nullptr;
}

bool Map::insert(Value key, Value value) {
  if (find(key)) return false;
  entries_.emplace_back(std::move(key), std::move(value));
  return true;
}

void Map::set(std::string_view key, Value value) {
  for (auto& [k, v] : entries_) {
    if (k.kind() == Kind::String && k.as_string() == key) {
      v = std::move(value);
      return;
    }
  }
  entries_.emplace_back(Value::string(key), std::move(value));
}

bool Map::erase(std::string_view key) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first.kind() == Kind::String && it->first.as_string() == key) {
      entries_.erase(it);
      return true;
    }
  }
  return false;
}

// ---- equality and ordering ----

namespace {

// Compares numbers of any two numeric kinds exactly (no rounding through double where an
// integer comparison is possible). Returns -1/0/1, or `unordered` for NaN.
int compare_numbers(const Value& a, const Value& b) noexcept {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  const Kind ka = a.kind(), kb = b.kind();
  if (ka == Kind::Int && kb == Kind::Int) return sign(a.as_int(), b.as_int());
  if (ka == Kind::Uint && kb == Kind::Uint) return sign(a.as_uint(), b.as_uint());
  if (ka == Kind::Int && kb == Kind::Uint) {
    if (a.as_int() < 0) return -1;
    return sign(static_cast<std::uint64_t>(a.as_int()), b.as_uint());
  }
  if (ka == Kind::Uint && kb == Kind::Int) return -compare_numbers(b, a);
  // At least one double: CEL compares an integer with a double by converting the integer
  // to double (lossy above 2^53), as the conformance suite requires.
  const double x = ka == Kind::Double ? a.as_double() : ka == Kind::Int ? static_cast<double>(a.as_int()) : static_cast<double>(a.as_uint());
  const double y = kb == Kind::Double ? b.as_double() : kb == Kind::Int ? static_cast<double>(b.as_int()) : static_cast<double>(b.as_uint());
  if (std::isnan(x) || std::isnan(y)) return unordered;
  return sign(x, y);
}

}  // namespace

bool cel_equal(const Value& a, const Value& b) noexcept {
  if (a.is_number() && b.is_number()) return compare_numbers(a, b) == 0;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::Null: return true;
    case Kind::Bool: return a.as_bool() == b.as_bool();
    case Kind::String:
    case Kind::Bytes: return a.as_string() == b.as_string();
    case Kind::Type: return a.as_type() == b.as_type();
    case Kind::Timestamp: {
      auto x = a.as_timestamp(), y = b.as_timestamp();
      return x.seconds == y.seconds && x.nanos == y.nanos;
    }
    case Kind::Duration: {
      auto x = a.as_duration(), y = b.as_duration();
      return x.seconds == y.seconds && x.nanos == y.nanos;
    }
    case Kind::List: {
      const List& x = a.as_list();
      const List& y = b.as_list();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (!cel_equal(x[i], y[i])) return false;
      return true;
    }
    case Kind::Map: {
      const Map& x = a.as_map();
      const Map& y = b.as_map();
      if (x.size() != y.size()) return false;
      for (const auto& [k, v] : x) {
        const Value* other = y.find(k);
        if (!other || !cel_equal(v, *other)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

int cel_compare(const Value& a, const Value& b) noexcept {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  if (a.is_number() && b.is_number()) return compare_numbers(a, b);
  if (a.kind() != b.kind()) return unordered;
  switch (a.kind()) {
    case Kind::Bool: return sign(a.as_bool(), b.as_bool());
    case Kind::String:
    case Kind::Bytes: {
      int c = a.as_string().compare(b.as_string());
      return sign(c, 0);
    }
    case Kind::Timestamp: {
      auto x = a.as_timestamp(), y = b.as_timestamp();
      return x.seconds != y.seconds ? sign(x.seconds, y.seconds) : sign(x.nanos, y.nanos);
    }
    case Kind::Duration: {
      auto x = a.as_duration(), y = b.as_duration();
      return x.seconds != y.seconds ? sign(x.seconds, y.seconds) : sign(x.nanos, y.nanos);
    }
    default:
      return unordered;
  }
}

}  // namespace ithaca
