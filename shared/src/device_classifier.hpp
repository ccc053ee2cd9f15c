// Internals of classify_device (declared in ithaca/context.hpp), exposed for tests.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ithaca/value.hpp"

namespace ithaca::device {

// User-Agent longer than this is classified on its first kMaxUserAgent bytes.
inline constexpr std::size_t kMaxUserAgent = 2048;

struct Brand {
  std::string name;
  std::string version;
};

// User-Agent Client Hints, normalised from JS (navigator.userAgentData), snake_case or header form.
struct ClientHints {
  std::optional<bool> mobile;
  std::string platform;          // as sent: "Android", "Windows", "macOS" …
  std::string platform_version;  // "14.0.0", "15.0.0"
  std::string model;
  std::vector<Brand> brands;
  std::vector<Brand> full_version_list;
  std::string full_version;      // deprecated Sec-CH-UA-Full-Version
  std::vector<std::string> form_factors;
  bool empty() const {
    return !mobile && platform.empty() && platform_version.empty() && model.empty() &&
           brands.empty() && full_version_list.empty() && full_version.empty() && form_factors.empty();
  }
};

ClientHints parse_client_hints(const Value& ua_ch);

// Parses a structured-field list of strings with parameters, as in Sec-CH-UA:
// "Chromium";v="124", "Google Chrome";v="124" → [{Chromium,124}, {Google Chrome,124}].
std::vector<Brand> parse_brand_header(std::string_view header);

// "124.0.6367.82" → "124.0"; "17" → "17"; "" when `version` does not start with a digit.
std::string major_minor(std::string_view version);

}  // namespace ithaca::device
