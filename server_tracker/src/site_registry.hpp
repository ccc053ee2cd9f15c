// The configured sites (fixed at start) and, per site, the active rule set: its published
// version and the loaded RuleSet the core decides with. Swapping the active rule set is
// atomic for readers, who keep the version they started with.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ithaca/ruleset.hpp"
#include "ithaca/tracker/event_store.hpp"
#include "ithaca/tracker/options.hpp"

namespace ithaca::tracker {

struct ActiveRules {
  RuleVersion version;                            // with its body
  std::shared_ptr<const ithaca::RuleSet> ruleset;
  std::string compiled;                           // the rule set as pages load it (compile_ruleset)
};

class SiteRegistry {
 public:
  explicit SiteRegistry(std::vector<SiteConfig> sites);

  const SiteConfig* find(std::string_view id) const;  // nullptr for unknown sites
  const std::vector<SiteConfig>& sites() const noexcept { return sites_; }

  std::shared_ptr<const ActiveRules> rules(std::string_view id) const;
  void set_rules(std::string_view id, std::shared_ptr<const ActiveRules> rules);

 private:
  std::vector<SiteConfig> sites_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const ActiveRules>, std::less<>> rules_;
};

// CORS: a request without an Origin header (same-origin GETs, server-to-server calls) passes;
// otherwise the origin must be listed for the site, be "*"-allowed, or equal the tracker's own
// origin (`host` is the request's Host header).
bool origin_allowed(const SiteConfig& site, std::string_view origin, std::string_view host);

// Validates `body` with the core (load_ruleset). On failure fills `errors` and returns null.
std::shared_ptr<const ithaca::RuleSet> load_rules(std::string_view body,
                                                  std::vector<ithaca::Error>& errors);

// load_rules for publishing to `site_id`: a document naming another site is refused too, and
// that is listed with its other problems, not only once they are fixed.
std::shared_ptr<const ithaca::RuleSet> load_site_rules(std::string_view body, std::string_view site_id,
                                                       std::vector<ithaca::Error>& errors);

// The rules a site serves and decides with: the published version, loaded, and compiled once
// here for the browser SDK (GET /v1/rules/{site}?compiled=N).
std::shared_ptr<const ActiveRules> make_active_rules(RuleVersion version, std::shared_ptr<const ithaca::RuleSet> ruleset);

}  // namespace ithaca::tracker
