// The classification tables of shared/data/*.tsv, compiled in by cmake/EmbedData.cmake.
// Each is a constant row-major grid of strings; the .tsv file's comment header names the columns.
#pragma once

#include <cstddef>
#include <string_view>

namespace ithaca::data {

// Text layout (cmake/EmbedTsv.cmake): per cell a byte 0x80 + length, then the cell's bytes; per
// row a closing '\n', which no length byte equals, so a row start can be found from any byte.
inline std::size_t cell_length(char c) noexcept { return static_cast<unsigned char>(c) - 0x80u; }

// One row of a table; row[k] is its k-th cell.
class Row {
 public:
  constexpr Row() noexcept = default;
  explicit Row(const char* p) noexcept : p_(p) {}
  std::string_view operator[](std::size_t column) const noexcept {
    if (p_ == nullptr) return {};
    const char* c = p_;
    for (; column > 0 && *c != '\n'; --column) c += 1 + cell_length(*c);
    return *c == '\n' ? std::string_view() : std::string_view(c + 1, cell_length(*c));
  }
  bool empty() const noexcept { return p_ == nullptr; }
  // The first byte after this row.
  const char* next() const noexcept {
    const char* c = p_;
    while (*c != '\n') c += 1 + cell_length(*c);
    return c + 1;
  }

 private:
  const char* p_ = nullptr;
};

// A table: iterate it to read the rows in order.
struct Table {
  std::string_view text;

  class Iterator {
   public:
    explicit Iterator(const char* p) noexcept : p_(p) {}
    Row operator*() const noexcept { return Row(p_); }
    Iterator& operator++() noexcept {
      p_ = Row(p_).next();
      return *this;
    }
    bool operator!=(const Iterator& other) const noexcept { return p_ != other.p_; }

   private:
    const char* p_;
  };
  Iterator begin() const noexcept { return Iterator(text.data()); }
  Iterator end() const noexcept { return Iterator(text.data() + text.size()); }
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
extern const Table tz_listed;         // IANA zone, transitions past its rule (a zone's rows in time order)

}  // namespace ithaca::data
