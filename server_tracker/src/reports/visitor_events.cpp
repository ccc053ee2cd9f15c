#include "reports/visitor_events.hpp"

#include <algorithm>

#include "reports/event_facts.hpp"

namespace ithaca::tracker {
namespace {

// Block: varint string count, each string (varint length, bytes); varint visitor count, each
// visitor (varint id: the first whole, the others as the difference from the one before; varint
// chunk length); then the chunks. Chunk: varint string count, each string's block table index
// (the first is ""); varint event count, each event: zigzag ts delta from the previous event,
// hour, type, 15 dimension string indices (into the chunk's strings), zigzag visit, stage index;
// pageviews: event id (length, bytes); exposures: experiment, slot, variant indices; conversions:
// zigzag value, first (3), last (3), touchpoint count and each touchpoint (3).
void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t unzigzag(std::uint64_t v) { return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1); }

class Reader {
 public:
  explicit Reader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}
  bool ok() const { return ok_; }
  const char* pos() const { return p_; }
  std::uint64_t varint() {
    if (p_ < end_ && !(static_cast<std::uint8_t>(*p_) & 0x80)) return static_cast<std::uint8_t>(*p_++);  // most
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) return fail();
      const auto b = static_cast<std::uint8_t>(*p_++);
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    return fail();
  }
  std::uint8_t byte() {
    if (p_ >= end_) return static_cast<std::uint8_t>(fail());
    return static_cast<std::uint8_t>(*p_++);
  }
  std::string_view bytes(std::uint64_t n) {
    if (static_cast<std::uint64_t>(end_ - p_) < n) {
      fail();
      return {};
    }
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }

 private:
  std::uint64_t fail() {
    ok_ = false;
    p_ = end_;
    return 0;
  }
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

// A visitor's place for `s` in its string list. Searched in order while the list is short (a
// browser's visitor-day has a few dozen strings), through `index` past that: a client inventing
// thousands of values as one visitor made every event scan them all (a review measured the
// builder spending a third of its time in this search).
constexpr std::size_t kLinearStrings = 32;

std::uint32_t intern(std::vector<std::string>& strings, std::vector<std::uint16_t>& dims,
                     std::unordered_map<std::string, std::uint32_t>& index, std::size_t& bytes, std::string_view s) {
  if (strings.size() <= kLinearStrings) {
    for (std::uint32_t i = 0; i < strings.size(); ++i) {
      if (strings[i].size() == s.size() && strings[i] == s) return i;
    }
  } else {
    if (index.empty()) {
      for (std::uint32_t i = 0; i < strings.size(); ++i) index.emplace(strings[i], i);
    }
    if (auto it = index.find(std::string(s)); it != index.end()) return it->second;
  }
  strings.emplace_back(s);
  dims.push_back(0);
  bytes += s.size() + 34;
  const auto place = static_cast<std::uint32_t>(strings.size() - 1);
  if (!index.empty()) {
    index.emplace(strings.back(), place);
    bytes += s.size() + 48;
  }
  return place;
}

}  // namespace

void VisitorEventLog::add(const StoredEvent& e, int hour, std::int64_t seq) {
  VisitorEvent v;  // views into `e` (and `touches`)
  v.ts = e.ts_ms;
  v.hour = static_cast<std::uint8_t>(std::clamp(hour, 0, 23));
  v.type = e.type;
  for (int d = 1; d < kDimCount; ++d) v.dims[static_cast<std::size_t>(d)] = dimension_value(e, static_cast<Dim>(d));
  v.visit = e.visit_count.value_or(-1);
  v.stage = e.journey_stage;
  if (e.type == EventType::Pageview) v.event_id = e.event_id;
  if (e.type == EventType::Exposure) {
    v.experiment = e.experiment;
    v.slot = e.slot;
    v.variant = e.variant;
  }
  Touches touches;
  if (e.type == EventType::Conversion) {
    touches = extract_touches(e.context_json);
    v.value_micro = value_micro(e.value);
    auto keys = [](const Touch& t) { return std::array<std::string_view, 3>{t.category, t.source, t.campaign}; };
    v.first = keys(touches.first);
    v.last = keys(touches.last);
    for (const Touch& t : touches.linear) v.linear.push_back(keys(t));
  }
  add(e.visitor, v, seq);
}

void VisitorEventLog::add(std::uint64_t visitor, const VisitorEvent& e, std::int64_t seq) {
  auto [it, fresh] = pending_.try_emplace(visitor);
  Pending& p = it->second;
  if (fresh) {
    p.first_seq = seq;
    bytes_ += 128;
  }
  const std::size_t before = p.body.size();
  std::string& b = p.body;
  auto str = [&](std::string_view s) { put_varint(b, intern(p.strings, p.dims, p.index, bytes_, s)); };
  put_varint(b, zigzag(e.ts - p.last_ts));
  p.last_ts = e.ts;
  b.push_back(static_cast<char>(e.hour));
  b.push_back(static_cast<char>(e.type));
  for (int d = 1; d < kDimCount; ++d) {
    const std::uint32_t i = intern(p.strings, p.dims, p.index, bytes_, e.dims[static_cast<std::size_t>(d)]);
    p.dims[i] = static_cast<std::uint16_t>(p.dims[i] | (1u << d));
    put_varint(b, i);
  }
  put_varint(b, zigzag(e.visit));
  str(e.stage);
  if (e.type == EventType::Pageview) {  // unique: inline, not in the string table filters search
    put_varint(b, e.event_id.size());
    b += e.event_id;
  }
  if (e.type == EventType::Exposure) {
    str(e.experiment);
    str(e.slot);
    str(e.variant);
  }
  if (e.type == EventType::Conversion) {
    put_varint(b, zigzag(e.value_micro));
    for (const auto* keys : {&e.first, &e.last}) {
      for (const std::string_view k : *keys) str(k);
    }
    put_varint(b, e.linear.size());
    for (const auto& keys : e.linear) {
      for (const std::string_view k : keys) str(k);
    }
  }
  ++p.events;
  bytes_ += b.size() - before;
}

std::int64_t VisitorEventLog::first_seq() const {
  std::int64_t first = 0;
  bool any = false;
  for (const auto& [visitor, p] : pending_) {
    if (!any || p.first_seq < first) first = p.first_seq;
    any = true;
  }
  return first;
}

void VisitorEventLog::encode_block(const std::pair<std::int64_t, const Pending*>* visitors, std::size_t n,
                                   std::string& out) {
  // The block's table: every string of its visitors once; each chunk lists its strings' places.
  std::unordered_map<std::string_view, std::uint32_t> places;
  std::vector<std::string_view> table;
  std::vector<std::uint32_t> refs;
  for (std::size_t v = 0; v < n; ++v) {
    for (const std::string& s : visitors[v].second->strings) {
      const auto [it, fresh] = places.try_emplace(s, static_cast<std::uint32_t>(table.size()));
      if (fresh) table.push_back(s);
      refs.push_back(it->second);
    }
  }
  out.clear();
  put_varint(out, table.size());
  for (const std::string_view s : table) {
    put_varint(out, s.size());
    out += s;
  }
  std::string chunks;
  std::size_t ref = 0;
  put_varint(out, n);
  std::uint64_t last = 0;
  for (std::size_t v = 0; v < n; ++v) {
    const Pending& p = *visitors[v].second;
    const std::size_t start = chunks.size();
    put_varint(chunks, p.strings.size());
    for (std::size_t i = 0; i < p.strings.size(); ++i) put_varint(chunks, refs[ref++]);
    put_varint(chunks, p.events);
    chunks += p.body;
    const auto visitor = static_cast<std::uint64_t>(visitors[v].first);
    put_varint(out, visitor - last);  // one bucket: ascending as unsigned too
    last = visitor;
    put_varint(out, chunks.size() - start);
  }
  out += chunks;
}

bool VisitorBlock::parse(std::string_view bytes) {
  Reader r(bytes);
  const std::uint64_t n = r.varint();
  strings_.clear();
  entries_.clear();
  lengths_.clear();
  for (std::uint64_t i = 0; i < n && r.ok(); ++i) strings_.push_back(r.bytes(r.varint()));
  table_bytes_ = std::string_view(bytes.data(), static_cast<std::size_t>(r.pos() - bytes.data()));
  const std::uint64_t visitors = r.varint();
  std::uint64_t visitor = 0;
  std::uint64_t total = 0;
  for (std::uint64_t i = 0; i < visitors && r.ok(); ++i) {
    const std::uint64_t delta = r.varint();
    // Ids are distinct and ascend without wrapping.
    if ((i > 0 && delta == 0) || delta > ~std::uint64_t{0} - visitor) return false;
    visitor += delta;
    const std::uint64_t length = r.varint();
    if (length > bytes.size()) return false;
    total += length;
    entries_.push_back({visitor, {}});
    lengths_.push_back(static_cast<std::size_t>(length));
  }
  if (!r.ok() || total != static_cast<std::uint64_t>(bytes.data() + bytes.size() - r.pos())) return false;
  const char* p = r.pos();  // the chunks follow the index
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    entries_[i].chunk = std::string_view(p, lengths_[i]);
    p += lengths_[i];
  }
  return true;
}

bool VisitorChunk::parse(std::string_view bytes, const std::vector<std::string_view>& table) {
  Reader r(bytes);
  const std::uint64_t n = r.varint();
  strings_.clear();
  for (std::uint64_t i = 0; i < n && r.ok(); ++i) {
    const std::uint64_t place = r.varint();
    if (place >= table.size()) return false;
    strings_.push_back(table[place]);
  }
  if (!r.ok() || strings_.empty()) return false;
  events_ = std::string_view(r.pos(), static_cast<std::size_t>(bytes.data() + bytes.size() - r.pos()));
  return true;
}

bool VisitorChunk::decode(std::vector<VisitorEvent>& out, const std::vector<std::pair<Dim, std::uint32_t>>& keep) const {
  Reader r(events_);
  bool bad = false;  // a string index outside the table
  auto index = [&]() {
    const std::uint64_t i = r.varint();
    bad = bad || i >= strings_.size();
    return i;
  };
  auto str = [&]() {
    const std::uint64_t i = index();
    return i < strings_.size() ? strings_[i] : std::string_view();
  };
  const std::uint64_t n = r.varint();
  std::int64_t ts = 0;
  for (std::uint64_t i = 0; i < n && r.ok() && !bad; ++i) {
    ts += unzigzag(r.varint());
    const std::uint8_t hour = r.byte();
    const auto type = static_cast<EventType>(r.byte());
    std::array<std::uint64_t, kDimCount> dims{};
    for (int d = 1; d < kDimCount; ++d) dims[static_cast<std::size_t>(d)] = index();
    bool kept = true;
    for (const auto& [dim, k] : keep) kept = kept && dims[static_cast<std::size_t>(dim)] == k;
    if (!kept) {  // read past the rest of the event without building it
      (void)r.varint();
      (void)index();
      if (type == EventType::Pageview) (void)r.bytes(r.varint());
      if (type == EventType::Exposure) {
        for (int k = 0; k < 3; ++k) (void)index();
      }
      if (type == EventType::Conversion) {
        (void)r.varint();
        for (int k = 0; k < 6; ++k) (void)index();
        const std::uint64_t touches = r.varint();
        for (std::uint64_t t = 0; t < touches && r.ok(); ++t) {
          for (int k = 0; k < 3; ++k) (void)index();
        }
      }
      continue;
    }
    VisitorEvent& e = out.emplace_back();
    e.ts = ts;
    e.hour = hour;
    e.type = type;
    for (int d = 1; d < kDimCount; ++d) {
      const std::uint64_t k = dims[static_cast<std::size_t>(d)];
      e.dims[static_cast<std::size_t>(d)] = k < strings_.size() ? strings_[k] : std::string_view();
    }
    e.visit = unzigzag(r.varint());
    e.stage = str();
    if (e.type == EventType::Pageview) e.event_id = r.bytes(r.varint());
    if (e.type == EventType::Exposure) {
      e.experiment = str();
      e.slot = str();
      e.variant = str();
    }
    if (e.type == EventType::Conversion) {
      e.value_micro = unzigzag(r.varint());
      for (auto* touch : {&e.first, &e.last}) {
        for (auto& key : *touch) key = str();
      }
      const std::uint64_t touches = r.varint();
      for (std::uint64_t t = 0; t < touches && r.ok(); ++t) {
        auto& keys = e.linear.emplace_back();
        for (auto& key : keys) key = str();
      }
    }
  }
  return r.ok() && !bad;
}

void encode_visitor_list(const std::vector<std::uint64_t>& sorted, std::string& out) {
  out.clear();
  std::uint64_t last = 0;
  for (const std::uint64_t v : sorted) {
    put_varint(out, v - last);
    last = v;
  }
}

bool decode_visitor_list(std::string_view bytes, std::vector<std::uint64_t>& out) {
  Reader r(bytes);
  std::uint64_t v = 0;
  for (bool first = true; r.pos() < bytes.data() + bytes.size(); first = false) {
    const std::uint64_t delta = r.varint();
    // Ids are distinct and ascend without wrapping.
    if (!r.ok() || (!first && delta == 0) || delta > ~std::uint64_t{0} - v) return false;
    v += delta;
    out.push_back(v);
  }
  return true;
}

bool merge_visitor_blocks(const std::vector<std::string_view>& blocks, std::string& out, std::size_t& visitors) {
  // The blocks' entries, by visitor, each visitor's in part order (a stable sort). One bucket:
  // signed and unsigned order agree.
  struct Item {
    std::uint64_t visitor;
    std::size_t block;
    std::string_view chunk;
  };
  std::vector<VisitorBlock> parsed(blocks.size());
  std::vector<Item> items;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    if (!parsed[b].parse(blocks[b])) return false;
    for (const VisitorBlock::Entry& e : parsed[b].entries()) items.push_back({e.visitor, b, e.chunk});
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& x, const Item& y) { return x.visitor < y.visitor; });
  VisitorEventLog log;
  VisitorChunk chunk;
  std::vector<VisitorEvent> events;
  for (const Item& item : items) {
    events.clear();
    if (!chunk.parse(item.chunk, parsed[item.block].strings()) || !chunk.decode(events)) return false;
    for (const VisitorEvent& e : events) log.add(item.visitor, e, 0);
  }
  visitors = log.visitors();
  out.clear();
  std::size_t written = 0;
  log.each_block([&](std::int64_t, std::string_view block) {
    out.assign(block);
    ++written;
  });
  return written <= 1;
}

void union_of_decoded_lists(std::vector<std::uint64_t>& ids) {
  // One sort: a live day's value has hundreds of parts, and merging them one by one is quadratic.
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

bool merge_visitor_lists(const std::vector<std::string_view>& lists, std::string& out, std::size_t& visitors) {
  std::vector<std::uint64_t> all;
  for (const std::string_view list : lists) {
    if (!decode_visitor_list(list, all)) return false;
  }
  union_of_decoded_lists(all);
  visitors = all.size();
  encode_visitor_list(all, out);
  return true;
}

}  // namespace ithaca::tracker
