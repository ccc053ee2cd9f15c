// The classification tables of shared/data/*.tsv, compiled in by cmake/EmbedData.cmake.
// Each is a constant row-major grid of strings; the .tsv file's comment header names the columns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ithaca::data {

// Cells are (offset, length) pairs into one string pool per table: compact in wasm, and
// repeated cells share their bytes.
struct Table {
  const char* pool;
  const std::uint16_t* cells;
  std::size_t rows;
  std::size_t columns;
  std::string_view at(std::size_t row, std::size_t column) const noexcept {
    const std::size_t i = 2 * (row * columns + column);
    return {pool + cells[i], cells[i + 1]};
  }
};

// Device (device_classifier.cpp).
extern const Table bot_tokens;        // token, bot name, strength (strong/weak)
extern const Table bot_markers;       // generic token, kind
extern const Table browser_tokens;    // token, browser, version key, kind (browser/app/webview)
extern const Table os_tokens;         // token, os, device type, version style
extern const Table tv_markers;        // token
extern const Table client_hint_brands;  // brand, browser
extern const Table windows_versions;  // NT version, marketing version

// Referrer and campaign (referrer_classifier.cpp).
extern const Table search_engines;    // host pattern, source
extern const Table social_networks;   // host pattern, source
extern const Table email_hosts;       // host pattern, source
extern const Table ad_hosts;          // host pattern, source
extern const Table known_referrers;   // host pattern, source (category other)
extern const Table campaign_params;   // query parameter, utm field
extern const Table campaign_mediums;  // medium, category
extern const Table campaign_sources;  // utm_source value, category
extern const Table click_ids;         // query parameter, source, category

// Time (civil_time.cpp): sorted by zone name.
extern const Table tz_zones;          // IANA zone, ISO country, POSIX TZ rule

}  // namespace ithaca::data
