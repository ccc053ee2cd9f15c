// Internals of classify_referrer (declared in ithaca/context.hpp), exposed for tests.
#pragma once

#include <string>
#include <string_view>

namespace ithaca::referrer {

struct HostClass {
  std::string category;  // search, social, email, paid, other; "" when the host is unknown
  std::string source;
};

// Classifies a normalized host (or Android app package) by the referrer tables: the matching
// pattern with the most labels wins; hosts starting with "mail." or "webmail." are email.
HostClass classify_host(std::string_view host);

// True when `host` is `site` or a subdomain of it, or `site` a subdomain of `host`, ignoring a
// leading "www." on either.
bool same_site(std::string_view host, std::string_view site);

// Category a campaign medium implies (paid, email, social, search, other), "" when none.
std::string medium_category(std::string_view medium);

// Category a bare utm_source implies ("newsletter" → email, "facebook" → social), "" when none.
std::string source_category(std::string_view source);

}  // namespace ithaca::referrer
