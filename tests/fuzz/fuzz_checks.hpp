// Invariant checks shared by the fuzz targets. A broken invariant aborts, which libFuzzer
// reports as a crash with the input saved as an artifact.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

#include "ithaca/json.hpp"
#include "ithaca/value.hpp"

namespace ithaca::fuzz {

inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

// A visitor context that reads every group the rule sets' conditions do: what the rule-set
// targets decide against (beside an empty one).
inline const Value& visitor_context() {
  static const Value context = parse_json(R"({
    "time": {"hour": 9, "weekday": 6, "now": "2026-11-28T09:00:00Z"},
    "geo": {"country": "DE", "languages": ["de-de", "en"]},
    "device": {"type": "mobile", "os": "ios", "browser": "safari"},
    "referrer": {"category": "social", "source": "instagram"},
    "utm": {"campaign": "winter", "medium": "email"},
    "visit": {"count": 3, "pageviews": 4, "days_since_last": 40},
    "journey": {"stage": "consideration", "interests": ["espresso"]},
    "custom": {"cart_items": 1, "orders": 0}, "visitor": {"id": "fuzz"}})").value();
  return context;
}

inline bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// JSON text of a value, or "error: <message>" for an error value.
inline std::string describe(const Value& v) {
  if (v.is_error()) return "error: " + std::string(v.as_string());
  return to_json(v);
}

// Maps whose keys are not all strings are written with the keys' string forms, so {1: a, '1': b}
// cannot round-trip; such values are exempt from the round-trip check.
inline bool has_non_string_key(const Value& v) {
  if (v.is_list()) {
    for (const Value& item : v.as_list()) {
      if (has_non_string_key(item)) return true;
    }
  } else if (v.is_map()) {
    for (const auto& [key, item] : v.as_map()) {
      if (!key.is_string() || has_non_string_key(item)) return true;
    }
  }
  return false;
}

// The JSON written for a value reads back, and writing what was read gives the same text.
inline void require_json_round_trip(const Value& v) {
  if (has_non_string_key(v)) return;
  const std::string text = to_json(v);
  JsonLimits generous;
  generous.max_bytes = std::numeric_limits<std::size_t>::max();
  generous.max_depth = 100000;
  auto back = parse_json(text, generous);
  if (!back.ok()) std::fprintf(stderr, "unreadable output JSON: %s\n  %s\n", text.c_str(), back.error().message.c_str());
  require(back.ok(), "to_json() wrote text that parse_json() rejects");
  require(to_json(back.value()) == text, "to_json(parse_json(to_json(v))) differs from to_json(v)");
}

}  // namespace ithaca::fuzz
