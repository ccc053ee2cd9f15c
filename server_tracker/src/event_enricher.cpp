#include "event_enricher.hpp"

#include <map>
#include <utility>

#include "ascii.hpp"
#include "ithaca/context.hpp"
#include "request_guards.hpp"
#include "request_signals.hpp"
#include "url_parts.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxDimension = 256;

const json* member(const json& object, const char* group, const char* key) {
  if (!object.is_object()) return nullptr;
  auto g = object.find(group);
  if (g == object.end() || !g->is_object()) return nullptr;
  auto k = g->find(key);
  return k == g->end() ? nullptr : &*k;
}

std::string string_member(const json& object, const char* group, const char* key) {
  const json* value = member(object, group, key);
  if (!value || !value->is_string()) return {};
  const auto& s = value->get_ref<const std::string&>();
  return s.size() <= kMaxDimension ? s : std::string();
}

std::string string_prop(const json& props, const char* key) {
  if (!props.is_object()) return {};
  auto it = props.find(key);
  if (it == props.end() || !it->is_string()) return {};
  const auto& s = it->get_ref<const std::string&>();
  return s.size() <= kMaxDimension ? s : std::string();
}

std::string first_language(const json& context, std::string_view accept_language) {
  if (const json* languages = member(context, "geo", "languages");
      languages && languages->is_array() && !languages->empty() && (*languages)[0].is_string()) {
    const auto& s = (*languages)[0].get_ref<const std::string&>();
    if (s.size() <= 35) return to_lower(s);
  }
  std::string_view first = accept_language.substr(0, accept_language.find(','));
  first = trim(first.substr(0, first.find(';')));
  if (first.empty() || first == "*" || first.size() > 35) return {};
  return to_lower(first);
}

bool valid_country(std::string_view c) {
  return c.size() == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

}  // namespace

bool opted_out(const HttpRequest& request) {
  return trim(request.header("sec-gpc")) == "1" || trim(request.header("dnt")) == "1";
}

std::vector<StoredEvent> enrich_events(Tracker::State& state, const HttpRequest& request,
                                       CollectPayload& payload, std::int64_t now) {
  const std::string ip = client_ip(state, request);
  const std::string_view user_agent = request.header("user-agent");
  const ithaca::DeviceInfo device = ithaca::classify_device(
      user_agent.size() <= 1024 ? user_agent : std::string_view(), client_hints(request));
  const bool bot = device.bot || device.type == "bot";

  GeoResult geo;
  if (state.geo) state.geo->lookup(ip, geo);

  // Consent travels with the first-party id; GPC/DNT withdraw it, leaving the daily hash.
  std::string visitor_id = opted_out(request) ? std::string() : payload.visitor_id;
  const std::uint64_t visitor = visitor_id.empty()
                                    ? state.hasher->anonymous(payload.site, ip, user_agent, now)
                                    : state.hasher->consented(payload.site, visitor_id);
  const std::string_view page_header = request.header("referer");

  // Events of one batch usually share their page: classify each (url, referrer) once.
  std::map<std::pair<std::string, std::string>, ithaca::ReferrerInfo> referrers;

  std::vector<StoredEvent> rows;
  rows.reserve(payload.events.size());
  for (DecodedEvent& in : payload.events) {
    StoredEvent e;
    e.site = payload.site;
    e.event_id = std::move(in.id);
    e.type = in.type;
    e.name = std::move(in.name);
    e.received_ms = now;
    e.client_ts_ms = in.ts_ms.value_or(0);
    e.ts_ms = (in.ts_ms && *in.ts_ms >= now - kMaxEventAgeMs && *in.ts_ms <= now + kMaxEventLeadMs)
                  ? *in.ts_ms
                  : now;
    e.visitor = visitor;
    e.visitor_id = visitor_id;
    e.bot = bot;

    std::string url = in.url.empty() && page_header.size() <= 2048 ? std::string(page_header) : in.url;
    UrlParts parts = split_url(url);
    e.host = std::move(parts.host);
    e.path = std::move(parts.path);

    auto key = std::make_pair(url, in.referrer);
    auto found = referrers.find(key);
    if (found == referrers.end()) {
      found = referrers.emplace(key, ithaca::classify_referrer(in.referrer, url, "")).first;
    }
    const ithaca::ReferrerInfo& ref = found->second;
    e.referrer_host = ref.host;
    e.referrer_category = ref.category;
    e.referrer_source = ref.source;
    e.utm_source = ref.campaign.source;
    e.utm_medium = ref.campaign.medium;
    e.utm_campaign = ref.campaign.campaign;
    e.utm_term = ref.campaign.term;
    e.utm_content = ref.campaign.content;

    e.device_type = device.type;
    e.os = device.os;
    e.browser = device.browser;

    const json& context = in.context;
    e.country = geo.country;
    e.region = geo.region;
    e.city = geo.city;
    if (e.country.empty()) {
      std::string claimed = string_member(context, "geo", "country");
      if (valid_country(claimed)) e.country = std::move(claimed);
    }
    e.language = first_language(context, request.header("accept-language"));
    e.timezone = string_member(context, "time", "timezone");
    e.landing_path = split_url(string_member(context, "visit", "landing_path")).path;
    if (const json* first = member(context, "visit", "first"); first && first->is_boolean()) {
      e.visit_first = first->get<bool>();
    }
    if (const json* count = member(context, "visit", "count"); count && count->is_number_integer()) {
      e.visit_count = count->get<std::int64_t>();
    }
    e.journey_stage = string_member(context, "journey", "stage");

    e.slot = string_prop(in.props, "slot");
    e.experiment = string_prop(in.props, "experiment");
    e.variant = string_prop(in.props, "variant");
    if (in.props.is_object()) {
      if (auto v = in.props.find("value"); v != in.props.end() && v->is_number()) {
        e.value = v->get<double>();
      }
      e.props_json = in.props.dump();
    }
    // Conversions keep the context: attribution reads the touchpoints it carries.
    if (e.type == EventType::Conversion && context.is_object()) e.context_json = context.dump();
    rows.push_back(std::move(e));
  }
  return rows;
}

}  // namespace ithaca::tracker
