// The dimensions reports group and filter by. Each has a public name (query parameters, report
// paths), the StoredEvent field it reads and the column of the raw events tables (SQLite and
// ClickHouse share column names). Values are strings; "" means unknown/absent.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ithaca/tracker/event.hpp"

namespace ithaca::tracker {

enum class Dim : std::uint8_t {
  All = 0,  // one value, "": the unfiltered totals
  Page,
  Landing,
  ReferrerCategory,
  ReferrerSource,
  UtmSource,
  UtmMedium,
  UtmCampaign,
  Device,
  Os,
  Browser,
  Country,
  Language,
  Visit,  // "first" / "repeat" / "" from visit.first
  Event,  // the event or goal name ("" for pageviews)
  Type,   // pageview / event / exposure / conversion
};
inline constexpr int kDimCount = 16;

// The dimensions whose values segment the roll-ups: a breakdown filtered by one of them is
// served from roll-ups (dim_pair_day). Pages, landing pages and event names, whose values are
// many, are left out; filters on them read raw events.
inline constexpr std::array<Dim, 12> kSegmentDims = {
    Dim::ReferrerCategory, Dim::ReferrerSource, Dim::UtmSource, Dim::UtmMedium, Dim::UtmCampaign, Dim::Device,
    Dim::Os,               Dim::Browser,        Dim::Country,   Dim::Language,  Dim::Visit,       Dim::Type};
constexpr int segment_index(Dim dim) {
  for (int i = 0; i < static_cast<int>(kSegmentDims.size()); ++i) {
    if (kSegmentDims[static_cast<std::size_t>(i)] == dim) return i;
  }
  return -1;
}

// The dimensions whose values filter every report from roll-ups (dim_pair_day, and the journey
// rows kept per value since roll-up schema 6): the segment dimensions (same order, same
// indices) and pages, landing pages and event names.
inline constexpr std::array<Dim, 15> kPairDims = {
    Dim::ReferrerCategory, Dim::ReferrerSource, Dim::UtmSource, Dim::UtmMedium, Dim::UtmCampaign,
    Dim::Device,           Dim::Os,             Dim::Browser,   Dim::Country,   Dim::Language,
    Dim::Visit,            Dim::Type,           Dim::Page,      Dim::Landing,   Dim::Event};
constexpr int pair_index(Dim dim) {
  for (int i = 0; i < static_cast<int>(kPairDims.size()); ++i) {
    if (kPairDims[static_cast<std::size_t>(i)] == dim) return i;
  }
  return -1;
}
static_assert([] {
  for (std::size_t i = 0; i < kSegmentDims.size(); ++i) {
    if (kPairDims[i] != kSegmentDims[i]) return false;
  }
  return true;
}());

struct DimInfo {
  Dim dim;
  const char* name;    // public name: "page", "referrer_category", …
  const char* column;  // raw events column; for Visit see dimension_value()
};

const std::array<DimInfo, kDimCount>& dimensions();
std::optional<Dim> parse_dimension(std::string_view name);
const char* dimension_name(Dim dim);

// The value an event has for a dimension: a view into the event (or a constant), valid as long
// as the event is (the roll-up builder reads sixteen per event: no copies).
std::string_view dimension_value(const StoredEvent& event, Dim dim);
inline std::string_view visit_value(std::optional<bool> first) {
  return first ? (*first ? "first" : "repeat") : "";
}

}  // namespace ithaca::tracker
