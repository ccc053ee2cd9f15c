// The visitor_events encoding: a flush's per-(dimension, value) visitor lists, the list codec,
// blocks per visitor bucket, chunk decoding that keeps only the filters' events, and compaction
// (merging a day's blocks and lists) — on small hand-made streams.
#include "reports/visitor_events.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace ithaca::tracker {
namespace {

StoredEvent event(std::uint64_t visitor, EventType type, const std::string& path, const std::string& device,
                  const std::string& country, const std::string& name = "") {
  StoredEvent e;
  e.site = "demo";
  e.visitor = visitor;
  e.type = type;
  e.path = path;
  e.device_type = device;
  e.country = country;
  e.name = name;
  e.ts_ms = 1'795'000'000'000;
  if (type == EventType::Pageview) e.event_id = "pv" + std::to_string(visitor) + path;
  if (type == EventType::Conversion) e.value = 12.5;
  return e;
}

TEST(RollupVisitorList, EncodesAscendingIdsAsVarintDeltas) {
  std::string bytes;
  encode_visitor_list({1, 3, 130}, bytes);
  EXPECT_EQ(bytes, std::string("\x01\x02\x7f", 3));
  encode_visitor_list({0, 5, std::uint64_t{1} << 63, ~std::uint64_t{0}}, bytes);
  std::vector<std::uint64_t> ids = {42};  // decoding appends
  ASSERT_TRUE(decode_visitor_list(bytes, ids));
  EXPECT_EQ(ids, (std::vector<std::uint64_t>{42, 0, 5, std::uint64_t{1} << 63, ~std::uint64_t{0}}));
  encode_visitor_list({}, bytes);
  EXPECT_TRUE(bytes.empty());
}

TEST(RollupVisitorList, RejectsTruncatedRepeatedOrWrappingIds) {
  std::vector<std::uint64_t> ids;
  EXPECT_FALSE(decode_visitor_list(std::string("\x01\x80", 2), ids));  // a varint cut short
  EXPECT_FALSE(decode_visitor_list(std::string("\x05\x00", 2), ids));  // 5 twice
  std::string max;
  encode_visitor_list({~std::uint64_t{0}}, max);
  EXPECT_FALSE(decode_visitor_list(max + "\x01", ids));  // past the largest id
}

// Three visitors: 30 (two pageviews, mobile DE), 10 (a pageview, desktop DE), 20 (a signup
// event, desktop FR): each (dimension, value)'s list holds exactly the visitors with it.
TEST(RollupVisitorEventLog, ListsTheVisitorsOfEachDimensionValue) {
  VisitorEventLog log;
  log.add(event(30, EventType::Pageview, "/", "mobile", "DE"), 9, 7);
  log.add(event(10, EventType::Pageview, "/", "desktop", "DE"), 9, 8);
  log.add(event(30, EventType::Pageview, "/cart", "mobile", "DE"), 10, 9);
  log.add(event(20, EventType::Event, "/signup", "desktop", "FR", "signup"), 11, 12);
  std::map<std::pair<Dim, std::string>, std::vector<std::uint64_t>> lists;
  log.each_value([&](Dim dim, std::string_view value, const std::vector<std::uint64_t>& visitors) {
    EXPECT_NE(dim, Dim::All);
    EXPECT_TRUE(lists.emplace(std::make_pair(dim, std::string(value)), visitors).second) << value;
  });
  using V = std::vector<std::uint64_t>;
  auto list = [&](Dim dim, const char* value) { return lists[std::make_pair(dim, std::string(value))]; };
  EXPECT_EQ(list(Dim::Page, "/"), (V{10, 30}));
  EXPECT_EQ(list(Dim::Page, "/cart"), (V{30}));
  EXPECT_EQ(list(Dim::Page, "/signup"), (V{20}));
  EXPECT_EQ(list(Dim::Device, "mobile"), (V{30}));
  EXPECT_EQ(list(Dim::Device, "desktop"), (V{10, 20}));
  EXPECT_EQ(list(Dim::Country, "DE"), (V{10, 30}));
  EXPECT_EQ(list(Dim::Country, "FR"), (V{20}));
  EXPECT_EQ(list(Dim::Event, ""), (V{10, 30}));
  EXPECT_EQ(list(Dim::Event, "signup"), (V{20}));
  EXPECT_EQ(list(Dim::Type, "pageview"), (V{10, 30}));
  EXPECT_EQ(list(Dim::Type, "event"), (V{20}));
  EXPECT_EQ(lists.count(std::make_pair(Dim::Device, std::string("tablet"))), 0u);
  EXPECT_EQ(log.visitors(), 3u);
  EXPECT_EQ(log.first_seq(), 7);
}

// A visitor with more strings than the in-order search handles (its place index takes over):
// every value still lands on its own place, repeated values on the same one.
TEST(RollupVisitorEventLog, AVisitorWithThousandsOfValuesListsEachOnce) {
  VisitorEventLog log;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 1000; ++i) log.add(event(5, EventType::Pageview, "/p/" + std::to_string(i), "mobile", "DE"), 9, i);
  }
  std::map<std::string, std::vector<std::uint64_t>> pages;
  log.each_value([&](Dim dim, std::string_view value, const std::vector<std::uint64_t>& visitors) {
    if (dim == Dim::Page) {
      EXPECT_TRUE(pages.emplace(std::string(value), visitors).second) << value;
    }
  });
  EXPECT_EQ(pages.size(), 1000u);
  EXPECT_EQ(pages["/p/0"], std::vector<std::uint64_t>{5});
  EXPECT_EQ(pages["/p/999"], std::vector<std::uint64_t>{5});
  EXPECT_EQ(log.visitors(), 1u);
}

// Decoding with filter values keeps only the events that have all of them and reads past the
// others (a conversion's touchpoints included) to the next event.
TEST(RollupVisitorChunk, KeepsOnlyTheFiltersEvents) {
  VisitorEventLog log;
  StoredEvent buy = event(5, EventType::Conversion, "/cart", "desktop", "DE", "purchase");
  buy.context_json = R"({"journey":{"touchpoints":[{"category":"search","source":"google"},)"
                     R"({"category":"email","source":"news"}]}})";
  log.add(event(5, EventType::Pageview, "/", "desktop", "DE"), 8, 1);
  log.add(buy, 8, 2);
  log.add(event(5, EventType::Pageview, "/cart", "desktop", "FR"), 9, 3);
  log.add(event(5, EventType::Pageview, "/cart", "desktop", "DE"), 9, 4);
  std::string bytes;
  log.each_block([&](std::int64_t bucket, std::string_view block) {
    EXPECT_EQ(bucket, 0);
    bytes = block;
  });
  VisitorBlock block;
  ASSERT_TRUE(block.parse(bytes));
  ASSERT_EQ(block.entries().size(), 1u);
  EXPECT_EQ(block.entries()[0].visitor, 5u);
  VisitorChunk chunk;
  ASSERT_TRUE(chunk.parse(block.entries()[0].chunk, block.strings()));
  auto index = [&](std::string_view s) {
    const auto& strings = chunk.strings();
    return static_cast<std::uint32_t>(std::find(strings.begin(), strings.end(), s) - strings.begin());
  };
  std::vector<VisitorEvent> all, cart_de;
  ASSERT_TRUE(chunk.decode(all));
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[1].type, EventType::Conversion);
  EXPECT_EQ(all[1].value_micro, 12'500'000);
  ASSERT_TRUE(chunk.decode(cart_de, {{Dim::Page, index("/cart")}, {Dim::Country, index("DE")}}));
  ASSERT_EQ(cart_de.size(), 2u);
  EXPECT_EQ(cart_de[0].type, EventType::Conversion);
  EXPECT_EQ(cart_de[0].dims[static_cast<std::size_t>(Dim::Event)], "purchase");
  EXPECT_EQ(cart_de[0].value_micro, 12'500'000);
  ASSERT_EQ(cart_de[0].linear.size(), 2u);
  EXPECT_EQ(cart_de[0].linear[1][1], "news");
  EXPECT_EQ(cart_de[1].type, EventType::Pageview);
  EXPECT_EQ(cart_de[1].hour, 9);
  EXPECT_EQ(cart_de[1].dims[static_cast<std::size_t>(Dim::Country)], "DE");

  // A string index past the chunk's strings is an error, not a read out of bounds: one string
  // (the table's ""), one event whose first dimension names string 5.
  const std::vector<std::string_view> table = {"", "DE"};
  VisitorChunk bad;
  const std::string wrong("\x01\x00\x01\x00\x00\x00\x05", 7);
  ASSERT_TRUE(bad.parse(wrong, table));
  std::vector<VisitorEvent> broken;
  EXPECT_FALSE(bad.decode(broken));
  // So is a chunk naming a table entry the block does not have.
  EXPECT_FALSE(bad.parse(std::string("\x02\x00\x02\x00", 4), table));
}

// A flush's block per visitor bucket (the id's top byte, ordered as signed): one table of the
// block's strings, each once; the index lists the bucket's visitors ascending with their chunks.
// Visitors 7 and 3 (bucket 0) share "/" and "DE"; 2^63 + 1 is in bucket -128, written first.
TEST(RollupVisitorBlock, OneBlockPerBucketWithSharedStrings) {
  VisitorEventLog log;
  const std::uint64_t high = (std::uint64_t{1} << 63) + 1;
  log.add(event(7, EventType::Pageview, "/", "mobile", "DE"), 9, 1);
  log.add(event(high, EventType::Pageview, "/", "desktop", "FR"), 9, 2);
  log.add(event(3, EventType::Pageview, "/", "desktop", "DE"), 9, 3);
  log.add(event(7, EventType::Pageview, "/cart", "mobile", "DE"), 10, 4);
  std::vector<std::pair<std::int64_t, std::string>> blocks;
  log.each_block([&](std::int64_t bucket, std::string_view block) { blocks.emplace_back(bucket, block); });
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].first, -128);
  EXPECT_EQ(blocks[1].first, 0);
  EXPECT_EQ(visitor_bucket(high), -128);
  EXPECT_EQ(visitor_bucket(7), 0);
  VisitorBlock block;
  ASSERT_TRUE(block.parse(blocks[1].second));
  ASSERT_EQ(block.entries().size(), 2u);
  EXPECT_EQ(block.entries()[0].visitor, 3u);
  EXPECT_EQ(block.entries()[1].visitor, 7u);
  const auto& table = block.strings();
  for (const char* s : {"/", "DE", "mobile", "desktop", "/cart"}) {
    EXPECT_EQ(std::count(table.begin(), table.end(), std::string_view(s)), 1) << s;
  }
  EXPECT_EQ(std::count(table.begin(), table.end(), std::string_view("FR")), 0);
  std::vector<std::string> pages;
  for (const VisitorBlock::Entry& e : block.entries()) {
    VisitorChunk chunk;
    ASSERT_TRUE(chunk.parse(e.chunk, table));
    std::vector<VisitorEvent> events;
    ASSERT_TRUE(chunk.decode(events));
    for (const VisitorEvent& ev : events) {
      pages.push_back(std::to_string(e.visitor) + std::string(ev.dims[static_cast<std::size_t>(Dim::Page)]) +
                      std::string(ev.dims[static_cast<std::size_t>(Dim::Device)]));
    }
  }
  EXPECT_EQ(pages, (std::vector<std::string>{"3/desktop", "7/mobile", "7/cartmobile"}));
  ASSERT_TRUE(block.parse(blocks[0].second));
  ASSERT_EQ(block.entries().size(), 1u);
  EXPECT_EQ(block.entries()[0].visitor, high);

  // Blocks that do not hold together are errors: cut short, a visitor twice, lengths past the end.
  EXPECT_FALSE(block.parse(blocks[1].second.substr(0, blocks[1].second.size() - 1)));
  EXPECT_FALSE(block.parse(std::string("\x01\x00\x02\x05\x01\x00\x01\x00\x00", 9)));
  EXPECT_FALSE(block.parse(std::string("\x01\x00\x01\x05\x09\x00", 6)));
  EXPECT_TRUE(block.parse(std::string("\x01\x00\x01\x05\x01\x00", 6)));
}

// Compaction: the blocks of one bucket written by three flushes merge into the block one flush
// of all the events would have written — byte for byte: each visitor's chunks become one chunk
// with the same events in the same order (a conversion's touchpoints included).
TEST(RollupVisitorBlock, MergingAFlushesBlocksGivesTheBlockOfOneFlush) {
  StoredEvent buy = event(5, EventType::Conversion, "/cart", "desktop", "DE", "purchase");
  buy.context_json = R"({"journey":{"touchpoints":[{"category":"search","source":"google"}]}})";
  buy.ts_ms += 30'000;
  StoredEvent late = event(5, EventType::Pageview, "/thanks", "desktop", "DE");
  late.ts_ms -= 5'000;  // out of order in time: kept in arrival order
  StoredEvent shown = event(9, EventType::Exposure, "/", "mobile", "FR");
  shown.experiment = "hero-test";
  shown.slot = "hero";
  shown.variant = "b";
  shown.visit_count = 2;
  const std::vector<std::vector<StoredEvent>> flushes = {
      {event(5, EventType::Pageview, "/", "desktop", "DE"), event(9, EventType::Pageview, "/", "mobile", "FR")},
      {buy, shown, event(7, EventType::Pageview, "/cart", "tablet", "AT")},
      {late}};
  VisitorEventLog whole;
  std::vector<std::string> parts;
  std::int64_t seq = 0;
  for (const auto& flush : flushes) {
    VisitorEventLog log;
    for (const StoredEvent& e : flush) {
      log.add(e, 10, ++seq);
      whole.add(e, 10, seq);
    }
    log.each_block([&](std::int64_t bucket, std::string_view block) {
      EXPECT_EQ(bucket, 0);
      parts.emplace_back(block);
    });
  }
  ASSERT_EQ(parts.size(), 3u);
  std::string expected;
  whole.each_block([&](std::int64_t, std::string_view block) { expected = block; });
  const std::vector<std::string_view> views(parts.begin(), parts.end());
  std::string merged;
  std::size_t visitors = 0;
  ASSERT_TRUE(merge_visitor_blocks(views, merged, visitors));
  EXPECT_EQ(visitors, 3u);
  EXPECT_EQ(merged, expected);
  VisitorBlock block;
  ASSERT_TRUE(block.parse(merged));
  ASSERT_EQ(block.entries().size(), 3u);
  VisitorChunk chunk;
  ASSERT_TRUE(chunk.parse(block.entries()[0].chunk, block.strings()));  // visitor 5: three flushes
  std::vector<VisitorEvent> events;
  ASSERT_TRUE(chunk.decode(events));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].type, EventType::Conversion);
  ASSERT_EQ(events[1].linear.size(), 1u);
  EXPECT_EQ(events[1].linear[0][1], "google");
  EXPECT_EQ(events[2].dims[static_cast<std::size_t>(Dim::Page)], "/thanks");
  EXPECT_LT(events[2].ts, events[1].ts);

  // One block merges into itself; a damaged one is an error.
  ASSERT_TRUE(merge_visitor_blocks({expected}, merged, visitors));
  EXPECT_EQ(merged, expected);
  EXPECT_FALSE(merge_visitor_blocks({views[0], views[1].substr(0, views[1].size() - 1)}, merged, visitors));
}

TEST(RollupVisitorList, MergingPartsGivesTheirUnion) {
  std::string a, b, c, merged;
  encode_visitor_list({3, 10, 40}, a);
  encode_visitor_list({10}, b);
  encode_visitor_list({1, 40, ~std::uint64_t{0}}, c);
  std::size_t visitors = 0;
  ASSERT_TRUE(merge_visitor_lists({a, b, c}, merged, visitors));
  EXPECT_EQ(visitors, 5u);
  std::vector<std::uint64_t> ids;
  ASSERT_TRUE(decode_visitor_list(merged, ids));
  EXPECT_EQ(ids, (std::vector<std::uint64_t>{1, 3, 10, 40, ~std::uint64_t{0}}));
  EXPECT_FALSE(merge_visitor_lists({a, std::string("\x05\x00", 2)}, merged, visitors));
}

}  // namespace
}  // namespace ithaca::tracker
