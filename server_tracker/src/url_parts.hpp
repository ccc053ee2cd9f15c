// Splitting a URL into the parts reports keep: the host and the path. The query string and
// fragment are dropped (they may carry personal data); campaign parameters are extracted
// separately by the core before that.
#pragma once

#include <string>
#include <string_view>

namespace ithaca::tracker {

struct UrlParts {
  std::string host;  // lower case, without userinfo and port
  std::string path;  // "/" when the URL has none
};

// Accepts absolute URLs ("https://a.example/x?y") and absolute paths ("/x?y"). Anything else
// gives empty parts.
UrlParts split_url(std::string_view url);

}  // namespace ithaca::tracker
