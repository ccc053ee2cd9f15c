// The `visitor_events` roll-up: each visitor-day's events in a compact encoding (only what
// reports read: time, hour, type, the dimension values, visit number, stage, exposure keys,
// conversion value and touchpoints). Reports that no aggregate table answers (several filters;
// journey reports under a page, landing-page or event filter) read the visitor-days of the range,
// keep the matching events and aggregate each visitor-day in one go (visitor_day_totals.hpp):
// every report's numbers are sums over visitor-days, so no raw event and no JSON is read.
//
// A builder flush writes one block per day and visitor bucket (the top byte of the visitor id,
// visitor_bucket()): a string table shared by the block's visitors, an index (visitor, chunk
// length) and each visitor's chunk, whose events name strings through the chunk's own short list
// of table entries. So a scan walks a few rows per day instead of one per visitor-day, skips the
// visitors it does not want by the index without decoding them, and a chunk none of whose strings
// equals a filter value is passed over without decoding its events. Each flush also lists, per
// (dimension, value), the visitors of the day with that value in some event (the visitor_values
// roll-up), so a selective filter reads only the blocks of the visitors on every filter's list.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ithaca/tracker/event.hpp"
#include "reports/dimensions.hpp"

namespace ithaca::tracker {

// One decoded event; the views point into the chunk it was decoded from.
struct VisitorEvent {
  std::int64_t ts = 0;
  std::uint8_t hour = 0;
  EventType type = EventType::Pageview;
  std::array<std::string_view, kDimCount> dims{};  // dims[Dim::All] is ""
  std::int64_t visit = -1;                          // visit.count, -1 when absent
  std::string_view event_id;                        // pageviews only
  std::string_view stage, experiment, slot, variant;
  std::int64_t value_micro = 0;  // conversions
  // Conversions: first and last touch and the linear touchpoints, each (category, source, campaign).
  std::array<std::string_view, 3> first{}, last{};
  std::vector<std::array<std::string_view, 3>> linear;
};

// The block a visitor's chunks go to: the visitor id's top byte, as the table orders ids (signed),
// so blocks in bucket order hold the visitors in the table's order.
inline std::int64_t visitor_bucket(std::uint64_t visitor) { return static_cast<std::int64_t>(visitor) >> 56; }

// Events of one builder flush, per visitor of one day, encoded as blocks. Not thread-safe.
class VisitorEventLog {
 public:
  // `hour`: the event's local hour of its day (clamped to 0..23 as the aggregator does).
  void add(const StoredEvent& event, int hour, std::int64_t seq);
  // An event decoded from a stored chunk, encoded again (compaction: merge_visitor_blocks()).
  void add(std::uint64_t visitor, const VisitorEvent& event, std::int64_t seq);
  bool empty() const { return pending_.empty(); }
  std::size_t bytes() const { return bytes_; }
  // Calls `f(bucket, block)` for every bucket with pending visitors, buckets ascending.
  template <typename F>
  void each_block(F&& f) const {
    std::vector<std::pair<std::int64_t, const Pending*>> order;
    order.reserve(pending_.size());
    for (const auto& [visitor, p] : pending_) order.emplace_back(static_cast<std::int64_t>(visitor), &p);
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string block;
    for (std::size_t i = 0; i < order.size();) {
      const std::int64_t bucket = visitor_bucket(static_cast<std::uint64_t>(order[i].first));
      std::size_t j = i;
      while (j < order.size() && visitor_bucket(static_cast<std::uint64_t>(order[j].first)) == bucket) ++j;
      encode_block(order.data() + i, j - i, block);
      f(bucket, std::string_view(block));
      i = j;
    }
  }
  // Calls `f(dim, value, visitors)` for every (dimension, value) some pending event has, with the
  // visitors that have it (ascending as unsigned, distinct); Dim::All is left out.
  template <typename F>
  void each_value(F&& f) const {
    std::map<std::pair<int, std::string_view>, std::vector<std::uint64_t>> lists;
    for (const auto& [visitor, p] : pending_) {
      for (std::size_t i = 0; i < p.strings.size(); ++i) {
        for (int d = 1; d < kDimCount; ++d) {
          if (p.dims[i] & (1u << d)) lists[{d, p.strings[i]}].push_back(visitor);
        }
      }
    }
    for (auto& [key, visitors] : lists) {
      std::sort(visitors.begin(), visitors.end());
      f(static_cast<Dim>(key.first), key.second, visitors);
    }
  }
  std::size_t visitors() const { return pending_.size(); }
  // The smallest first seq of the pending visitors: unique to this flush among the day's flushes
  // (the blocks' part).
  std::int64_t first_seq() const;
  void clear() {
    pending_.clear();
    bytes_ = 0;
  }
  // The day's stored blocks are stale (the day was replayed from the events): the next write
  // replaces them with what this log holds.
  bool replace = false;

 private:
  struct Pending {
    std::int64_t first_seq = 0;
    std::vector<std::string> strings{std::string()};
    std::vector<std::uint16_t> dims{0};  // per string: the dimensions (bits) that had it as value
    std::unordered_map<std::string, std::uint32_t> index;  // strings → place, once they are many
    std::string body;
    std::uint32_t events = 0;
    std::int64_t last_ts = 0;
  };
  // One block of `n` visitors (ascending, one bucket).
  static void encode_block(const std::pair<std::int64_t, const Pending*>* visitors, std::size_t n, std::string& out);
  std::unordered_map<std::uint64_t, Pending> pending_;
  std::size_t bytes_ = 0;
};

// A block's string table and index; the views point into the parsed bytes.
class VisitorBlock {
 public:
  struct Entry {
    std::uint64_t visitor;
    std::string_view chunk;
  };
  // False when the bytes are not a valid block (visitors ascend, lengths fit).
  bool parse(std::string_view bytes);
  const std::vector<std::string_view>& strings() const { return strings_; }
  // The bytes from the block's start to its table's end (the table's strings lie in them).
  std::string_view table_bytes() const { return table_bytes_; }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<std::string_view> strings_;
  std::string_view table_bytes_;
  std::vector<Entry> entries_;
  std::vector<std::size_t> lengths_;  // parsing: the chunks' lengths, before their start is known
};

// A chunk as a scan hands it out: its bytes and its block's string table.
struct VisitorChunkRef {
  std::string_view bytes;
  const std::vector<std::string_view>* table;
};

// One visitor's chunk of a block: its strings; `matches(filters)` without decoding the events.
class VisitorChunk {
 public:
  // False when the bytes are not a valid chunk of a block with string table `table`.
  bool parse(std::string_view bytes, const std::vector<std::string_view>& table);
  // The chunk's strings (distinct; the first is "").
  const std::vector<std::string_view>& strings() const { return strings_; }
  // Appends the chunk's events to `out` (their views point into the block's table); with `keep`,
  // only those whose dimension `dim` is the chunk's string `index` for every (dim, index) pair
  // (a filter's value, looked up once).
  bool decode(std::vector<VisitorEvent>& out,
              const std::vector<std::pair<Dim, std::uint32_t>>& keep = {}) const;

 private:
  std::vector<std::string_view> strings_;
  std::string_view events_;
};

// A visitor list of the visitor_values roll-up: ascending unsigned ids as varint deltas.
void encode_visitor_list(const std::vector<std::uint64_t>& sorted, std::string& out);
// Appends the list's ids to `out`; false when the bytes are not a valid list.
bool decode_visitor_list(std::string_view bytes, std::vector<std::uint64_t>& out);
// Several parts' lists decoded one after another into `ids` become their union, ascending.
void union_of_decoded_lists(std::vector<std::uint64_t>& ids);

// Compaction of a day written in many flushes. The blocks of one (day, bucket), in part order,
// become one block: each visitor's chunks are merged into one chunk with the same events in the
// same order (so every report reads the same visitor-day). `visitors` gets the block's visitor
// count. False when a block or chunk cannot be decoded.
bool merge_visitor_blocks(const std::vector<std::string_view>& blocks, std::string& out, std::size_t& visitors);
// The lists of one (day, dimension, value), one per part, become one list (their union).
bool merge_visitor_lists(const std::vector<std::string_view>& lists, std::string& out, std::size_t& visitors);

}  // namespace ithaca::tracker
