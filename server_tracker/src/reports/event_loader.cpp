#include "reports/event_loader.hpp"

#include <functional>

#include "ithaca/context.hpp"
#include "ithaca/value.hpp"
#include "event_enricher.hpp"
#include "url_parts.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;

std::string member(const json& j, const char* group, const char* key) {
  if (!j.is_object() || !j.contains(group) || !j[group].is_object()) return {};
  const json& g = j[group];
  auto it = g.find(key);
  return it != g.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::uint64_t hash64(std::string_view a, std::string_view b, std::int64_t day) {
  std::uint64_t h = std::hash<std::string_view>{}(a) * 0x9E3779B97F4A7C15ULL;
  h ^= std::hash<std::string_view>{}(b) + 0x632BE59BD9B4E019ULL + (h << 6) + (h >> 2);
  h ^= static_cast<std::uint64_t>(day) * 0xD6E8FEB86659FD93ULL;
  h ^= h >> 32;
  return h * 0x9E3779B97F4A7C15ULL;
}

}  // namespace

void append_stored_events(const GeneratedRequest& r, std::vector<StoredEvent>& out) {
  const ithaca::DeviceInfo device = ithaca::classify_device(r.user_agent, ithaca::Value());
  const bool bot = device.bot || device.type == "bot";
  const std::string site = r.body.value("site", "");
  const std::string visitor_id = r.body.value("visitor_id", "");
  for (const json& in : r.body["events"]) {
    StoredEvent e;
    e.site = site;
    e.event_id = in.value("id", "");
    e.type = parse_event_type(in.value("type", "pageview")).value_or(EventType::Event);
    e.name = in.value("name", "");
    e.ts_ms = e.client_ts_ms = e.received_ms = in.value("ts", std::int64_t{0});
    e.visitor_id = visitor_id;
    e.visitor = visitor_id.empty() ? hash64(r.forwarded_for, r.user_agent, e.ts_ms / 86'400'000)
                                   : hash64("id", visitor_id, 0);
    e.bot = bot;
    const std::string url = in.value("url", "");
    set_classified_columns(e, url, ithaca::classify_referrer(in.value("referrer", ""), url, ""), device);
    const json context = in.contains("context") ? in["context"] : json::object();
    e.country = member(context, "geo", "country");
    if (context.contains("geo") && context["geo"].contains("languages") && !context["geo"]["languages"].empty()) {
      std::string lang = context["geo"]["languages"][0].get<std::string>();
      for (char& c : lang) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      e.language = lang;
    }
    e.timezone = member(context, "time", "timezone");
    e.landing_path = split_url(member(context, "visit", "landing_path")).path;
    if (context.contains("visit")) {
      const json& v = context["visit"];
      if (v.contains("first") && v["first"].is_boolean()) e.visit_first = v["first"].get<bool>();
      if (v.contains("count") && v["count"].is_number_integer()) e.visit_count = v["count"].get<std::int64_t>();
    }
    e.journey_stage = member(context, "journey", "stage");
    if (in.contains("props") && in["props"].is_object()) {
      const json& p = in["props"];
      e.slot = p.value("slot", "");
      e.experiment = p.value("experiment", "");
      e.variant = p.value("variant", "");
      if (p.contains("value") && p["value"].is_number()) e.value = p["value"].get<double>();
      e.props_json = p.dump();
    }
    if (e.type == EventType::Conversion) e.context_json = context.dump();
    out.push_back(std::move(e));
  }
}

}  // namespace ithaca::tracker
