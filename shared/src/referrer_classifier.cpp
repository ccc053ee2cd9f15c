#include "referrer_classifier.hpp"

#include <array>

#include "ascii_text.hpp"
#include "data_tables.hpp"
#include "ithaca/context.hpp"
#include "url_parts.hpp"

namespace ithaca {
namespace referrer {
namespace {

constexpr std::size_t npos = std::string_view::npos;
constexpr std::size_t kMaxLabels = 16;
constexpr std::size_t kMaxCampaignValue = 256;

struct Labels {
  std::array<std::string_view, kMaxLabels> items;
  std::size_t count = 0;
};

Labels split_labels(std::string_view host) {
  Labels l;
  while (!host.empty() && l.count < kMaxLabels) {
    std::size_t dot = host.find('.');
    l.items[l.count++] = host.substr(0, dot);
    if (dot == npos) break;
    host.remove_prefix(dot + 1);
  }
  return l;
}

bool all_alpha(std::string_view s) {
  for (char c : s)
    if (!ascii::is_alpha(c)) return false;
  return !s.empty();
}

// "com", "de", "co.uk", "com.br": what may follow the brand label of a "brand.*" pattern.
bool public_suffix_like(const Labels& l, std::size_t from) {
  const std::size_t n = l.count - from;
  if (n == 1) return all_alpha(l.items[from]) && l.items[from].size() >= 2 && l.items[from].size() <= 6;
  if (n == 2)
    return all_alpha(l.items[from]) && l.items[from].size() <= 3 && all_alpha(l.items[from + 1]) &&
           l.items[from + 1].size() == 2;
  return false;
}

// Labels in the matched pattern (its specificity), 0 when `pattern` does not match `host`.
std::size_t pattern_match(std::string_view host, const Labels& hl, std::string_view pattern) {
  if (pattern.size() > 2 && pattern.substr(pattern.size() - 2) == ".*") {
    const Labels pl = split_labels(pattern.substr(0, pattern.size() - 2));
    for (std::size_t tail = 1; tail <= 2; ++tail) {
      if (hl.count < pl.count + tail) continue;
      const std::size_t start = hl.count - tail - pl.count;
      bool same = true;
      for (std::size_t k = 0; k < pl.count && same; ++k) same = hl.items[start + k] == pl.items[k];
      if (same && public_suffix_like(hl, start + pl.count)) return pl.count + 1;
    }
    return 0;
  }
  if (host == pattern ||
      (host.size() > pattern.size() && host[host.size() - pattern.size() - 1] == '.' &&
       host.substr(host.size() - pattern.size()) == pattern))
    return split_labels(pattern).count;
  return 0;
}

struct NamedTable {
  const data::Table* table;
  std::string_view category;
};

std::string_view strip_www(std::string_view host) {
  if (host.substr(0, 4) == "www.") host.remove_prefix(4);
  return host;
}

}  // namespace

HostClass classify_host(std::string_view host) {
  HostClass best;
  if (host.empty()) return best;
  const std::array<NamedTable, 5> tables = {{{&data::email_hosts, "email"},
                                             {&data::ad_hosts, "paid"},
                                             {&data::search_engines, "search"},
                                             {&data::social_networks, "social"},
                                             {&data::known_referrers, "other"}}};
  const Labels hl = split_labels(host);
  std::size_t best_score = 0;
  for (const NamedTable& t : tables) {
    for (const data::Row row : *t.table) {
      const std::size_t score = pattern_match(host, hl, row[0]);
      if (score > best_score) {
        best_score = score;
        best.category = t.category;
        best.source = row[1];
      }
    }
  }
  if (best_score == 0 && hl.count >= 3 && (hl.items[0] == "mail" || hl.items[0] == "webmail")) {
    best.category = "email";
    best.source = hl.items[1];
  }
  return best;
}

bool same_site(std::string_view host, std::string_view site) {
  host = strip_www(host);
  site = strip_www(site);
  if (host.empty() || site.empty()) return false;
  auto sub = [](std::string_view a, std::string_view b) {  // a is b or a subdomain of b
    return a == b || (a.size() > b.size() && a[a.size() - b.size() - 1] == '.' && a.substr(a.size() - b.size()) == b);
  };
  return sub(host, site) || sub(site, host);
}

std::string medium_category(std::string_view medium) {
  const std::string m = ascii::to_lower(ascii::trim(medium));
  if (m.empty()) return {};
  for (const data::Row row : data::campaign_mediums)
    if (row[0] == m) return std::string(row[1]);
  if (m.find("paid") != npos || m.find("cp") != npos) return "paid";
  if (m.find("mail") != npos || m.find("newsletter") != npos) return "email";
  if (m.find("social") != npos) return "social";
  return {};
}

std::string source_category(std::string_view source) {
  const std::string s = ascii::to_lower(ascii::trim(source));
  if (s.empty()) return {};
  for (const data::Row row : data::campaign_sources)
    if (row[0] == s) return std::string(row[1]);
  // A host ("facebook.com", "l.instagram.com") or a source name of the host tables ("google").
  HostClass host = classify_host(url::normalize_host(s));
  if (!host.category.empty()) return host.category;
  const std::array<NamedTable, 4> tables = {{{&data::email_hosts, "email"},
                                             {&data::search_engines, "search"},
                                             {&data::social_networks, "social"},
                                             {&data::ad_hosts, "paid"}}};
  for (const NamedTable& nt : tables)
    for (const data::Row row : *nt.table)
      if (row[1] == s) return std::string(nt.category);
  return {};
}

}  // namespace referrer

namespace {

struct ClickId {
  std::string type, value, source, category;
};

void read_campaign(const std::vector<url::QueryParam>& params, CampaignInfo& c, ClickId& click) {
  for (const data::Row row : data::campaign_params) {
    const std::string_view name = row[0], field = row[1];
    std::string* target = field == "source"     ? &c.source
                          : field == "medium"   ? &c.medium
                          : field == "campaign" ? &c.campaign
                          : field == "term"     ? &c.term
                          : field == "content"  ? &c.content
                          : field == "id"       ? &c.id
                                                : nullptr;
    if (target == nullptr || !target->empty()) continue;
    for (const url::QueryParam& p : params) {
      if (!ascii::iequals(p.key, name)) continue;
      std::string_view v = ascii::trim(p.value);
      if (!v.empty()) *target = std::string(ascii::bounded(v, referrer::kMaxCampaignValue));
      break;
    }
  }
  for (const data::Row row : data::click_ids) {
    if (!click.type.empty()) break;
    for (const url::QueryParam& p : params) {
      if (!ascii::iequals(p.key, row[0])) continue;
      std::string_view v = ascii::trim(p.value);
      if (v.empty()) continue;
      click = {std::string(row[0]), std::string(ascii::bounded(v, referrer::kMaxCampaignValue)),
               std::string(row[1]), std::string(row[2])};
      break;
    }
  }
  c.click_id = click.value;
  c.click_id_type = click.type;
}

std::string default_medium(std::string_view category) {
  if (category == "search") return "organic";
  if (category == "social") return "social";
  if (category == "email") return "email";
  if (category == "paid") return "cpc";
  if (category == "other") return "referral";
  if (category == "internal") return "internal";
  return {};
}

}  // namespace

ReferrerInfo classify_referrer(std::string_view referrer_url, std::string_view landing_url,
                               std::string_view site_host) {
  using namespace referrer;
  ReferrerInfo info;
  const std::string_view ref_text = ascii::trim(ascii::bounded(referrer_url, url::kMaxUrl));
  info.url = ascii::repair_utf8(ref_text);
  const url::UrlParts ref = url::parse_url(ref_text);
  const url::UrlParts land = url::parse_url(landing_url);
  info.host = ref.host;

  ClickId click;
  read_campaign(url::parse_query(land.query), info.campaign, click);
  const CampaignInfo& c = info.campaign;
  const bool has_campaign = !c.source.empty() || !c.medium.empty() || !c.campaign.empty();

  std::string site = url::normalize_host(site_host);
  if (site.empty()) site = land.host;
  const bool has_referrer = !ref.host.empty();
  const bool internal = has_referrer && same_site(ref.host, site);
  const HostClass host = has_referrer && !internal ? classify_host(ref.host) : HostClass{};
  const std::string medium_cat = medium_category(c.medium);

  std::string category, source;
  if (medium_cat == "paid" || click.category == "paid" || host.category == "paid") {
    category = "paid";
    source = click.category == "paid" ? click.source : host.source;
  } else if (medium_cat == "email" || click.category == "email" || host.category == "email") {
    category = "email";
    source = host.category == "email" ? host.source : click.source;
  } else if (medium_cat == "social" || medium_cat == "search") {
    category = medium_cat;
    source = host.source;
  } else if (internal) {
    category = "internal";
    source = std::string(strip_www(ref.host));
  } else if (has_referrer) {
    category = host.category.empty() ? "other" : host.category;
    source = host.source.empty() ? std::string(strip_www(ref.host)) : host.source;
  } else if (click.category == "social" || click.category == "search") {
    category = click.category;
    source = click.source;
  } else if (has_campaign) {
    category = medium_cat.empty() ? source_category(c.source) : medium_cat;
    if (category.empty()) category = "other";
  } else {
    category = "direct";
  }
  // Tagged traffic is named by its tag (newsletter names, partner names), except inside the site.
  if (!c.source.empty() && category != "internal") source = ascii::to_lower(c.source);
  info.category = category;
  info.source = source;
  info.medium = !c.medium.empty() && category != "internal" ? ascii::to_lower(c.medium) : default_medium(category);
  return info;
}

}  // namespace ithaca
