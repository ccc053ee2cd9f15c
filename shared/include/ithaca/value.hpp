// Value: one CEL value — null, bool, int, uint, double, string, bytes, list, map, timestamp,
// duration, type, or an error value (an expression that evaluated to an error).
// Values are immutable and cheap to copy: scalars and strings of up to 14 bytes live inline,
// everything else is shared through a reference count. Copying a value never allocates, which
// is what lets evaluation run without allocating in the common case. Distinct threads may copy and read the same values (a rule set
// shared by a server's threads); edit_list()/edit_map() are for values one thread owns.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstring>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ithaca {

// Kinds from String on carry a shared payload; the order lets is-shared be one comparison.
enum class Kind : std::uint8_t {
  Null, Bool, Int, Uint, Double, Type, String, Bytes, List, Map, Timestamp, Duration, Error
};

// The CEL name of a kind: "null_type", "bool", "int", "uint", "double", "string", "bytes",
// "list", "map", "google.protobuf.Timestamp", "google.protobuf.Duration", "type", "error".
const char* kind_name(Kind kind) noexcept;

// Seconds and nanoseconds since 1970-01-01T00:00:00Z; nanos in [0, 999'999'999].
struct Timestamp {
  std::int64_t seconds = 0;
  std::int32_t nanos = 0;
};
// A signed span; nanos carries the sign of seconds, |nanos| < 1e9.
struct Duration {
  std::int64_t seconds = 0;
  std::int32_t nanos = 0;
};

class Value;
class Map;
using List = std::vector<Value>;

namespace detail {
struct HeapObject;  // the shared, reference-counted payload of strings, lists, maps, …
inline void retain(HeapObject* h) noexcept;
void release_slow(HeapObject* h) noexcept;
inline void release(HeapObject* h) noexcept;
inline std::string_view text_of(const HeapObject* h) noexcept;
struct TextPayload;
inline TextPayload* text_payload(HeapObject* h) noexcept;
inline const List& list_of(const HeapObject* h) noexcept;
inline const Map& map_of(const HeapObject* h) noexcept;
}  // namespace detail

class Value {
 public:
  Value() noexcept : kind_(Kind::Null) { bits_.i = 0; }
  static Value null() noexcept { return Value(); }
  static Value boolean(bool b) noexcept { Value v(Kind::Bool); v.bits_.b = b; return v; }
  static Value integer(std::int64_t i) noexcept { Value v(Kind::Int); v.bits_.i = i; return v; }
  static Value uinteger(std::uint64_t u) noexcept { Value v(Kind::Uint); v.bits_.u = u; return v; }
  static Value real(double d) noexcept { Value v(Kind::Double); v.bits_.d = d; return v; }
  static Value string(std::string_view s);
  static Value bytes(std::string_view s);
  static Value list(List items);
  static Value map(Map entries);
  static Value timestamp(Timestamp t);
  static Value duration(Duration d);
  static Value type(Kind k) noexcept { Value v(Kind::Type); v.bits_.t = k; return v; }
  static Value error(std::string_view message);
  // The byte offset in the expression's source where an error value arose, or -1.
  int error_position() const noexcept;
  // Records where an error arose, once: the evaluator calls this as the error leaves the
  // innermost sub-expression, so later calls on the way out keep the first position.
  void mark_error_position(int position) const noexcept;

  // Copying and destroying are inline: the evaluator does both on every step.
  Value(const Value& other) noexcept { take_bytes(other); retain(); }
  Value(Value&& other) noexcept {
    take_bytes(other);
    other.kind_ = Kind::Null;
    other.inline_size_ = 0;
  }
  Value& operator=(const Value& other) noexcept {
    if (this == &other) return *this;
    other.retain();
    release();
    take_bytes(other);
    return *this;
  }
  Value& operator=(Value&& other) noexcept {
    if (this != &other) {
      release();
      take_bytes(other);
      other.kind_ = Kind::Null;
      other.inline_size_ = 0;
    }
    return *this;
  }
  ~Value() { release(); }

  Kind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == Kind::Null; }
  bool is_error() const noexcept { return kind_ == Kind::Error; }
  bool is_bool() const noexcept { return kind_ == Kind::Bool; }
  bool is_string() const noexcept { return kind_ == Kind::String; }
  bool is_map() const noexcept { return kind_ == Kind::Map; }
  bool is_list() const noexcept { return kind_ == Kind::List; }
  bool is_number() const noexcept {
    return kind_ == Kind::Int || kind_ == Kind::Uint || kind_ == Kind::Double;
  }

  // Accessors require the matching kind (checked only by assertions in debug builds).
  bool as_bool() const noexcept { return bits_.b; }
  std::int64_t as_int() const noexcept { return bits_.i; }
  std::uint64_t as_uint() const noexcept { return bits_.u; }
  double as_double() const noexcept { return bits_.d; }
  Kind as_type() const noexcept { return bits_.t; }
  // String, Bytes, or an Error's message. A short string's view points into the value itself:
  // it lives as long as this value stays where it is.
  std::string_view as_string() const noexcept {
    return inline_size_ ? std::string_view(inline_text(), inline_size_ - 1u) : detail::text_of(bits_.h);
  }
  const List& as_list() const noexcept { return detail::list_of(bits_.h); }
  const Map& as_map() const noexcept { return detail::map_of(bits_.h); }
  Timestamp as_timestamp() const noexcept;
  Duration as_duration() const noexcept;

  // Map member by string key; nullptr when this is not a map or the key is absent.
  const Value* find(std::string_view key) const noexcept;
  // Follows a dotted path of string keys ("device.type"); nullptr when any step is missing.
  const Value* find_path(std::string_view dotted) const noexcept;

  // Mutable access for builders: copies the list/map first if it is shared (copy on write).
  List& edit_list();
  Map& edit_map();

  // Identity of the shared payload (nullptr for values that live inline, short strings
  // included); lets callers tell whether two values share storage.
  const void* payload() const noexcept;

  // Strings up to this many bytes live inline. Most map keys and attribute values of a context
  // are this short, so reading a context allocates for its maps and lists only.
  static constexpr std::size_t kInlineText = 14;

 private:
  explicit Value(Kind k) noexcept : kind_(k) { bits_.i = 0; }
  bool shared() const noexcept { return kind_ >= Kind::String && inline_size_ == 0; }
  void retain() const noexcept {
    if (shared()) detail::retain(bits_.h);
  }
  void release() noexcept {
    if (shared()) detail::release(bits_.h);
    kind_ = Kind::Null;
    inline_size_ = 0;
  }
  // The text of an inline string: inline_head_ and then bits_, contiguous (asserted below).
  const char* inline_text() const noexcept { return reinterpret_cast<const char*>(this) + 2; }
  char* inline_text() noexcept { return reinterpret_cast<char*>(this) + 2; }
  // All 16 bytes: the inline text spans what would otherwise be padding.
  void take_bytes(const Value& other) noexcept {
    std::memcpy(static_cast<void*>(this), static_cast<const void*>(&other), sizeof(Value));
  }

  Kind kind_;
  std::uint8_t inline_size_ = 0;  // a String stored inline: its size + 1; otherwise 0
  [[maybe_unused]] char inline_head_[6] = {};  // read and written through inline_text()
  union Bits {
    bool b;
    std::int64_t i;
    std::uint64_t u;
    double d;
    Kind t;
    detail::HeapObject* h;
  } bits_;
};
static_assert(sizeof(Value) == 16, "Value is a tag and 14 bytes of inline text or an 8-byte payload");

// An insertion-ordered map. Keys are compared with CEL equality, so int, uint and double keys
// that are numerically equal find each other. Maps in rule sets and contexts are small, so a
// flat vector beats a hash table here.
class Map {
 public:
  using Entry = std::pair<Value, Value>;

  Map() = default;
  const Value* find(const Value& key) const noexcept;
  const Value* find(std::string_view key) const noexcept;
  // Adds key → value; returns false (and changes nothing) when the key is already present.
  bool insert(Value key, Value value);
  // Adds or replaces a string-keyed member; the common case when building contexts.
  void set(std::string_view key, Value value);
  // Adds a member whose key the caller knows is new (no duplicate check): for building
  // documents with fixed keys quickly.
  void append(Value key, Value value) { entries_.emplace_back(std::move(key), std::move(value)); }
  bool erase(std::string_view key);

  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }
  auto begin() const noexcept { return entries_.begin(); }
  auto end() const noexcept { return entries_.end(); }
  void reserve(std::size_t n) { entries_.reserve(n); }

 private:
  std::vector<Entry> entries_;
};

// CEL equality: heterogeneous numeric equality (1 == 1u == 1.0), NaN unequal to itself,
// deep equality for lists and maps, different kinds unequal. Error values are never equal.
bool cel_equal(const Value& a, const Value& b) noexcept;

// CEL ordering for <, <=, >, >=: numbers across int/uint/double, strings and bytes
// lexicographically, bools, timestamps, durations. Returns -1, 0 or 1, or `unordered` when the
// kinds cannot be compared or a NaN is involved.
inline constexpr int unordered = 2;
int cel_compare(const Value& a, const Value& b) noexcept;

// Payload layouts, visible so that the accessors above inline into the evaluator.
namespace detail {
// The count is atomic because a loaded rule set (and the literals inside its programs) is shared
// by a server's request threads; in the single-threaded wasm build these are plain operations.
struct HeapObject {
  std::atomic<std::uint32_t> refs{1};
  virtual ~HeapObject() = default;
};
// The bytes follow the header in the same allocation (NUL-terminated): one allocation per text
// value instead of two once it outgrows the std::string inline buffer (10 bytes in wasm32),
// which made parsing a context JSON mostly malloc.
struct TextPayload final : HeapObject {
  static TextPayload* make(std::string_view s);
  std::string_view text() const noexcept { return {reinterpret_cast<const char*>(this + 1), size}; }
  static void operator delete(void* p) noexcept { ::operator delete(p); }
  std::size_t size;
  int position = -1;  // error values: where in the source the error arose

 private:
  explicit TextPayload(std::size_t n) noexcept : size(n) {}
};
struct ListPayload final : HeapObject {
  explicit ListPayload(List l) : items(std::move(l)) {}
  List items;
};
struct MapPayload final : HeapObject {
  explicit MapPayload(Map m) : map(std::move(m)) {}
  Map map;
};
inline void retain(HeapObject* h) noexcept { h->refs.fetch_add(1, std::memory_order_relaxed); }
inline void release(HeapObject* h) noexcept {
  if (h->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) release_slow(h);
}
inline std::string_view text_of(const HeapObject* h) noexcept { return static_cast<const TextPayload*>(h)->text(); }
inline TextPayload* text_payload(HeapObject* h) noexcept { return static_cast<TextPayload*>(h); }
inline const List& list_of(const HeapObject* h) noexcept { return static_cast<const ListPayload*>(h)->items; }
inline const Map& map_of(const HeapObject* h) noexcept { return static_cast<const MapPayload*>(h)->map; }

// Map keys and the strings rules compare are short: comparing bytes inline beats a call to
// memcmp for each.
inline bool same_text(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}
}  // namespace detail

inline int Value::error_position() const noexcept { return detail::text_payload(bits_.h)->position; }
inline void Value::mark_error_position(int position) const noexcept {
  auto* p = detail::text_payload(bits_.h);
  if (p->position < 0) p->position = position;
}

}  // namespace ithaca
