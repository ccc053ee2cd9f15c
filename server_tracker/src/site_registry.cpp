#include "site_registry.hpp"

#include <nlohmann/json.hpp>

#include "ascii.hpp"
#include "ithaca/compiled_ruleset.hpp"

namespace ithaca::tracker {

SiteRegistry::SiteRegistry(std::vector<SiteConfig> sites) : sites_(std::move(sites)) {}

const SiteConfig* SiteRegistry::find(std::string_view id) const {
  for (const auto& site : sites_) {
    if (site.id == id) return &site;
  }
  return nullptr;
}

std::shared_ptr<const ActiveRules> SiteRegistry::rules(std::string_view id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = rules_.find(id);
  return it == rules_.end() ? nullptr : it->second;
}

void SiteRegistry::set_rules(std::string_view id, std::shared_ptr<const ActiveRules> rules) {
  std::lock_guard<std::mutex> lock(mutex_);
  rules_[std::string(id)] = std::move(rules);
}

bool origin_allowed(const SiteConfig& site, std::string_view origin, std::string_view host) {
  if (origin.empty()) return true;
  for (const auto& allowed : site.allowed_origins) {
    if (allowed == "*" || iequals(allowed, origin)) return true;
  }
  if (!host.empty()) {
    for (std::string_view scheme : {"http://", "https://"}) {
      if (origin.size() == scheme.size() + host.size() && iequals(origin.substr(0, scheme.size()), scheme) &&
          iequals(origin.substr(scheme.size()), host)) {
        return true;
      }
    }
  }
  return false;
}

std::shared_ptr<const ithaca::RuleSet> load_rules(std::string_view body,
                                                  std::vector<ithaca::Error>& errors) {
  ithaca::LoadResult loaded = ithaca::load_ruleset(body);
  if (!loaded.ok()) {
    errors = std::move(loaded.errors);
    return nullptr;
  }
  return loaded.rules;
}

std::shared_ptr<const ithaca::RuleSet> load_site_rules(std::string_view body, std::string_view site_id,
                                                       std::vector<ithaca::Error>& errors) {
  auto ruleset = load_rules(body, errors);
  std::string named;
  if (ruleset) {
    named = ruleset->site();
  } else {
    // The core's errors stop at the document; its `site` is still read for this one check.
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_object() && doc.contains("site") && doc["site"].is_string()) named = doc["site"].get<std::string>();
  }
  if (named.empty() || named == site_id) return ruleset;
  errors.push_back(ithaca::Error{ithaca::ErrorKind::Load,
                                 "the rule set is for site \"" + named + "\", not \"" + std::string(site_id) + "\"", -1,
                                 "$.site"});
  return nullptr;
}

std::shared_ptr<const ActiveRules> make_active_rules(RuleVersion version, std::shared_ptr<const ithaca::RuleSet> ruleset) {
  auto active = std::make_shared<ActiveRules>();
  active->version = std::move(version);
  active->compiled = ithaca::compile_ruleset(*ruleset);
  active->ruleset = std::move(ruleset);
  return active;
}

}  // namespace ithaca::tracker
