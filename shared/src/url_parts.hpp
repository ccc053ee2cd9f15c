// A small, forgiving URL splitter for referrers and landing pages. Untrusted input: it never
// fails, bounds every length, and hands back empty parts for what it cannot read.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ithaca::url {

inline constexpr std::size_t kMaxUrl = 4096;
inline constexpr std::size_t kMaxParams = 64;
inline constexpr std::size_t kMaxParamValue = 1024;

struct UrlParts {
  std::string scheme;       // lower-case, without ':'
  std::string host;         // lower-case, without port, user info or trailing dot; "" if none or invalid
  std::optional<int> port;
  std::string path;         // raw, as written
  std::string query;        // raw, without '?'
  std::string fragment;     // raw, without '#'
};

// Accepts absolute URLs, scheme-relative ("//host/path") and bare "host/path" forms.
UrlParts parse_url(std::string_view text);

// Lower-case, without port and trailing dot; "" when it holds characters no host name has.
std::string normalize_host(std::string_view host);

// %XX decoding (malformed escapes stay as written); '+' becomes a space when `plus_as_space`.
std::string percent_decode(std::string_view s, bool plus_as_space);

struct QueryParam {
  std::string key;    // decoded
  std::string value;  // decoded, at most kMaxParamValue bytes, valid UTF-8
};
// At most kMaxParams parameters, in order; "a&b=1" gives {a, ""}, {b, "1"}, and so does the
// HTML-escaped "a&amp;b=1".
std::vector<QueryParam> parse_query(std::string_view query);

}  // namespace ithaca::url
