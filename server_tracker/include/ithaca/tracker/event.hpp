// One stored event: what a visitor did, already reduced to the dimensions reports group by.
// No raw IP and no User-Agent string ever reach this struct; `visitor` is a keyed hash (daily
// salted for anonymous visitors, stable for a consented first-party id).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ithaca::tracker {

enum class EventType : std::uint8_t { Pageview, Event, Exposure, Conversion };

const char* to_string(EventType type) noexcept;
std::optional<EventType> parse_event_type(std::string_view text) noexcept;

struct StoredEvent {
  std::string site;
  std::string event_id;  // the client's id, empty when none; (site, event_id) is stored once
  EventType type = EventType::Pageview;
  std::string name;      // event or goal name; empty for pageviews

  std::int64_t ts_ms = 0;         // event time used by reports (client time unless implausible)
  std::int64_t client_ts_ms = 0;  // as the client sent it, 0 when absent
  std::int64_t received_ms = 0;   // server clock

  std::uint64_t visitor = 0;  // keyed hash
  std::string visitor_id;     // consented first-party id, empty when none
  bool bot = false;           // bots are stored apart and never counted as visitors

  std::string host, path, landing_path;
  std::string referrer_host, referrer_category, referrer_source;
  std::string utm_source, utm_medium, utm_campaign, utm_term, utm_content;
  std::string device_type, os, browser;
  std::string country, region, city, language, timezone;
  std::optional<bool> visit_first;
  std::optional<std::int64_t> visit_count;
  std::string journey_stage;
  std::string slot, experiment, variant;  // exposures (and conversions tied to one)
  std::optional<double> value;            // conversion value
  std::string props_json;                 // the event's props object, compact JSON, may be empty
  std::string context_json;               // the client's context, kept for conversions only
};

}  // namespace ithaca::tracker
