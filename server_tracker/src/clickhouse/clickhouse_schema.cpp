#include "clickhouse/clickhouse_schema.hpp"

#include <cmath>

#include "reports/event_facts.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;

std::string events_table(const std::string& name) {
  return "CREATE TABLE IF NOT EXISTS " + name + R"( (
  site String, event_id String, type String, name String,
  ts Int64, client_ts Int64, received Int64,
  visitor UInt64, visitor_id String,
  host String, path String, landing_path String,
  referrer_host String, referrer_category String, referrer_source String,
  utm_source String, utm_medium String, utm_campaign String, utm_term String, utm_content String,
  device_type String, os String, browser String,
  country String, region String, city String, language String, timezone String,
  visit_first Int8, visit_count Int64, journey_stage String,
  slot String, experiment String, variant String,
  value Float64, has_value UInt8, value_micro Int64,
  props String, context String,
  t_first_category String, t_first_source String, t_first_campaign String,
  t_last_category String, t_last_source String, t_last_campaign String,
  t_category Array(String), t_source Array(String), t_campaign Array(String),
  batch String
) ENGINE = MergeTree PARTITION BY intDiv(ts, 2592000000) ORDER BY (site, ts))";
}

}  // namespace

Status create_clickhouse_schema(const ClickHouseClient& client) {
  // The database name passed parse_clickhouse_url()'s identifier check.
  const std::string db = client.endpoint().database;
  if (auto r = client.execute("CREATE DATABASE IF NOT EXISTS " + db, false); !r.ok()) return r.status();
  const std::string statements[] = {
      events_table("events"),
      events_table("bot_events"),
      "CREATE TABLE IF NOT EXISTS rule_versions (site String, version Int64, body String, content_hash String, "
      "created_ms Int64, source String) ENGINE = MergeTree ORDER BY (site, version)",
      "CREATE TABLE IF NOT EXISTS rule_activations (site String, version Int64, at Int64, nonce UInt64) "
      "ENGINE = MergeTree ORDER BY (site, at)",
      "CREATE TABLE IF NOT EXISTS salts (day Int64, salt String, created Int64) ENGINE = MergeTree ORDER BY day",
      "CREATE TABLE IF NOT EXISTS secret_keys (name String, key String, created Int64) ENGINE = MergeTree "
      "ORDER BY name",
  };
  for (const auto& sql : statements) {
    if (auto r = client.execute(sql); !r.ok()) return r.status();
  }
  return Status::ok();
}

json clickhouse_row(const StoredEvent& e, const std::string& batch) {
  json row = {{"site", e.site},
              {"event_id", e.event_id},
              {"type", to_string(e.type)},
              {"name", e.name},
              {"ts", e.ts_ms},
              {"client_ts", e.client_ts_ms},
              {"received", e.received_ms},
              {"visitor", e.visitor},
              {"visitor_id", e.visitor_id},
              {"host", e.host},
              {"path", e.path},
              {"landing_path", e.landing_path},
              {"referrer_host", e.referrer_host},
              {"referrer_category", e.referrer_category},
              {"referrer_source", e.referrer_source},
              {"utm_source", e.utm_source},
              {"utm_medium", e.utm_medium},
              {"utm_campaign", e.utm_campaign},
              {"utm_term", e.utm_term},
              {"utm_content", e.utm_content},
              {"device_type", e.device_type},
              {"os", e.os},
              {"browser", e.browser},
              {"country", e.country},
              {"region", e.region},
              {"city", e.city},
              {"language", e.language},
              {"timezone", e.timezone},
              {"visit_first", e.visit_first ? (*e.visit_first ? 1 : 0) : -1},
              {"visit_count", e.visit_count.value_or(-1)},
              {"journey_stage", e.journey_stage},
              {"slot", e.slot},
              {"experiment", e.experiment},
              {"variant", e.variant},
              {"value", e.value && std::isfinite(*e.value) ? *e.value : 0.0},
              {"has_value", e.value ? 1 : 0},
              {"value_micro", value_micro(e.value)},
              {"props", e.props_json},
              {"context", e.context_json},
              {"batch", batch}};
  json cat = json::array(), src = json::array(), camp = json::array();
  Touches t;
  if (e.type == EventType::Conversion) {
    t = extract_touches(e.context_json);
    for (const auto& touch : t.linear) {
      cat.push_back(touch.category);
      src.push_back(touch.source);
      camp.push_back(touch.campaign);
    }
  }
  row["t_first_category"] = t.first.category;
  row["t_first_source"] = t.first.source;
  row["t_first_campaign"] = t.first.campaign;
  row["t_last_category"] = t.last.category;
  row["t_last_source"] = t.last.source;
  row["t_last_campaign"] = t.last.campaign;
  row["t_category"] = std::move(cat);
  row["t_source"] = std::move(src);
  row["t_campaign"] = std::move(camp);
  return row;
}

const char* const kClickHouseExportColumns =
    "site, event_id, type, name, ts, client_ts, received, visitor, visitor_id, host, path, landing_path, "
    "referrer_host, referrer_category, referrer_source, utm_source, utm_medium, utm_campaign, utm_term, "
    "utm_content, device_type, os, browser, country, region, city, language, timezone, visit_first, visit_count, "
    "journey_stage, slot, experiment, variant, value, has_value, props, context";

StoredEvent event_from_clickhouse(const json& r, bool bot) {
  auto str = [&](const char* k) -> std::string {
    auto it = r.find(k);
    return it != r.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto num = [&](const char* k) -> std::int64_t {
    auto it = r.find(k);
    if (it == r.end()) return 0;
    if (it->is_number_integer()) return it->get<std::int64_t>();
    if (it->is_string()) return std::strtoll(it->get<std::string>().c_str(), nullptr, 10);
    return 0;
  };
  StoredEvent e;
  e.site = str("site");
  e.event_id = str("event_id");
  e.type = parse_event_type(str("type")).value_or(EventType::Event);
  e.name = str("name");
  e.ts_ms = num("ts");
  e.client_ts_ms = num("client_ts");
  e.received_ms = num("received");
  if (auto it = r.find("visitor"); it != r.end() && it->is_number_unsigned()) e.visitor = it->get<std::uint64_t>();
  e.visitor_id = str("visitor_id");
  e.bot = bot;
  e.host = str("host");
  e.path = str("path");
  e.landing_path = str("landing_path");
  e.referrer_host = str("referrer_host");
  e.referrer_category = str("referrer_category");
  e.referrer_source = str("referrer_source");
  e.utm_source = str("utm_source");
  e.utm_medium = str("utm_medium");
  e.utm_campaign = str("utm_campaign");
  e.utm_term = str("utm_term");
  e.utm_content = str("utm_content");
  e.device_type = str("device_type");
  e.os = str("os");
  e.browser = str("browser");
  e.country = str("country");
  e.region = str("region");
  e.city = str("city");
  e.language = str("language");
  e.timezone = str("timezone");
  const std::int64_t first = num("visit_first");
  if (first >= 0) e.visit_first = first == 1;
  const std::int64_t count = num("visit_count");
  if (count >= 0) e.visit_count = count;
  e.journey_stage = str("journey_stage");
  e.slot = str("slot");
  e.experiment = str("experiment");
  e.variant = str("variant");
  if (num("has_value")) {
    if (auto it = r.find("value"); it != r.end() && it->is_number()) e.value = it->get<double>();
  }
  e.props_json = str("props");
  e.context_json = str("context");
  return e;
}

}  // namespace ithaca::tracker
