#include "event_enricher.hpp"

#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "ascii.hpp"
#include "ithaca/context.hpp"
#include "request_guards.hpp"
#include "request_signals.hpp"
#include "url_parts.hpp"

namespace ithaca::tracker {
namespace {

std::string first_language(const std::string& from_context, std::string_view accept_language) {
  if (!from_context.empty() && from_context.size() <= 35) return to_lower(from_context);
  std::string_view first = accept_language.substr(0, accept_language.find(','));
  first = trim(first.substr(0, first.find(';')));
  // A language tag is ASCII letters, digits and '-' (some clients write `en_US`): the header's
  // other bytes are not stored.
  if (!is_identifier(first, 1, 35)) return {};  // `*` included
  return to_lower(first);
}

// Header text kept as a URL only when it is one as HTTP sends it: printable ASCII (the body's
// strings are checked for UTF-8 when decoded; headers are not).
bool printable_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) return false;
  }
  return true;
}

bool valid_country(std::string_view c) {
  return c.size() == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

// A context keeps `visitor` only when its id is the row's consented visitor_id: under GPC/DNT,
// or beside another batch id, the first-party id would stay in the stored text, where erasure
// and export (which look ids up in visitor_id) never reach it.
std::string without_other_visitor(std::string context_json, const std::string& visitor_id) {
  if (context_json.find("\"visitor\"") == std::string::npos) return context_json;
  nlohmann::json context = nlohmann::json::parse(context_json, nullptr, false);
  if (!context.is_object() || !context.contains("visitor")) return context_json;
  const nlohmann::json& visitor = context["visitor"];
  const bool same = !visitor_id.empty() && visitor.is_object() && visitor.contains("id") && visitor["id"] == visitor_id;
  if (same) return context_json;
  context.erase("visitor");
  return context.dump();
}

}  // namespace

void set_classified_columns(StoredEvent& e, std::string_view url, const ithaca::ReferrerInfo& referrer,
                            const ithaca::DeviceInfo& device) {
  UrlParts parts = split_url(url);
  e.host = std::move(parts.host);
  e.path = std::move(parts.path);
  e.referrer_host = referrer.host;
  e.referrer_category = referrer.category;
  e.referrer_source = referrer.source;
  e.utm_source = referrer.campaign.source;
  e.utm_medium = referrer.campaign.medium;
  e.utm_campaign = referrer.campaign.campaign;
  e.utm_term = referrer.campaign.term;
  e.utm_content = referrer.campaign.content;
  e.device_type = device.type;
  e.os = device.os;
  e.browser = device.browser;
}

bool opted_out(const HttpRequest& request) {
  return trim(request.header("sec-gpc")) == "1" || trim(request.header("dnt")) == "1";
}

std::vector<StoredEvent> enrich_events(Tracker::State& state, const HttpRequest& request,
                                       CollectPayload& payload, std::int64_t now) {
  const std::string ip = client_ip(state, request);
  const std::string_view user_agent = request.header("user-agent");
  const ithaca::DeviceInfo device = state.classifications.device(request);
  const bool bot = device.bot || device.type == "bot";

  GeoResult geo;
  if (state.geo) state.geo->lookup(ip, geo);

  // Consent travels with the first-party id — `visitor_id` of the request, or the event
  // context's `visitor.id` (the SDK only sends it with consent); GPC/DNT withdraw it, leaving
  // the daily hash.
  const bool withdrawn = opted_out(request);
  std::optional<std::uint64_t> anonymous;
  auto anonymous_hash = [&] {
    if (!anonymous) anonymous = state.hasher->anonymous(payload.site, ip, user_agent, now);
    return *anonymous;
  };
  const std::string_view referer = request.header("referer");
  const std::string_view page_header = referer.size() <= 2048 && printable_ascii(referer) ? referer : std::string_view();

  std::vector<StoredEvent> rows;
  rows.reserve(payload.events.size());
  for (DecodedEvent& in : payload.events) {
    StoredEvent& e = rows.emplace_back();  // in place: a StoredEvent is about 1 KB
    e.site = payload.site;
    e.event_id = std::move(in.id);
    e.type = in.type;
    e.name = std::move(in.name);
    e.received_ms = now;
    e.client_ts_ms = in.ts_ms.value_or(0);
    e.ts_ms = (in.ts_ms && *in.ts_ms >= now - kMaxEventAgeMs && *in.ts_ms <= now + kMaxEventLeadMs)
                  ? *in.ts_ms
                  : now;
    if (!withdrawn) {
      if (!payload.visitor_id.empty()) {
        e.visitor_id = payload.visitor_id;
      } else if (is_identifier(in.context.visitor_id, 8, 128)) {
        e.visitor_id = in.context.visitor_id;
      }
    }
    e.visitor = e.visitor_id.empty() ? anonymous_hash() : state.hasher->consented(payload.site, e.visitor_id);
    e.bot = bot;

    const std::string_view url = in.url.empty() ? page_header : std::string_view(in.url);
    set_classified_columns(e, url, state.classifications.referrer(in.referrer, url), device);

    const ContextFields& context = in.context;
    e.country = geo.country;
    e.region = geo.region;
    e.city = geo.city;
    if (e.country.empty() && valid_country(context.country)) e.country = context.country;
    e.language = first_language(context.first_language, request.header("accept-language"));
    e.timezone = context.timezone;
    e.landing_path = split_url(context.landing_path).path;
    e.visit_first = context.visit_first;
    e.visit_count = context.visit_count;
    e.journey_stage = context.journey_stage;

    e.slot = std::move(in.props.slot);
    e.experiment = std::move(in.props.experiment);
    e.variant = std::move(in.props.variant);
    e.value = in.props.value;
    e.props_json = std::move(in.props_json);
    // Conversions keep the context: attribution reads the touchpoints it carries.
    if (e.type == EventType::Conversion) e.context_json = without_other_visitor(std::move(in.context_json), e.visitor_id);
  }
  return rows;
}

}  // namespace ithaca::tracker
