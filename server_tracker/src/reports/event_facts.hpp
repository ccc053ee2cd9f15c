// What aggregation needs from a conversion beyond its columns: its touchpoints (read from the
// journey group of the context the SDK sent) and its value in millionths. Both stores derive
// these with the same functions — SQLite when it rolls events up, ClickHouse when it inserts
// them — so attribution agrees to the last credit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/report_source.hpp"

namespace ithaca::tracker {

struct Touch {
  std::string category, source, campaign;
  const std::string& key(TouchKey by) const {
    return by == TouchKey::Category ? category : by == TouchKey::Source ? source : campaign;
  }
};

struct Touches {
  Touch first;               // journey.first_touch, else the first touchpoint, else empty
  Touch last;                // journey.last_touch, else the last touchpoint, else `first`
  std::vector<Touch> linear;  // journey.touchpoints, else just `first`; never empty
};

Touches extract_touches(std::string_view context_json);

// llround(value * 1e6) with the value clamped to ±1e12; 0 without a value.
std::int64_t value_micro(const std::optional<double>& value);

// Touchpoint i of n (0-based) gets 1e6 / n millionths, the first 1e6 % n of them one more; a
// value is split the same way (its sign kept), so the shares always add up exactly.
std::int64_t linear_credit(std::size_t i, std::size_t n);
std::int64_t linear_share(std::int64_t value_micro, std::size_t i, std::size_t n);

}  // namespace ithaca::tracker
