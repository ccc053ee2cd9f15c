#include "url_parts.hpp"

#include "ascii.hpp"

namespace ithaca::tracker {

UrlParts split_url(std::string_view url) {
  UrlParts parts;
  std::string_view rest = url;
  const auto scheme_end = rest.find("://");
  if (scheme_end != std::string_view::npos && rest.find_first_of("/?#") > scheme_end) {
    rest.remove_prefix(scheme_end + 3);
    const auto authority_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, authority_end);
    rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    if (!authority.empty() && authority.front() == '[') {
      const auto close = authority.find(']');
      authority = authority.substr(0, close == std::string_view::npos ? authority.size() : close + 1);
    } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
      authority = authority.substr(0, colon);
    }
    parts.host = to_lower(authority);
  } else if (rest.empty() || rest.front() != '/') {
    return parts;
  }
  const auto path_end = rest.find_first_of("?#");
  parts.path = std::string(rest.substr(0, path_end));
  if (parts.path.empty()) parts.path.assign(1, '/');
  return parts;
}

}  // namespace ithaca::tracker
