#include "reports/raw_events.hpp"

namespace ithaca::tracker {

const char* const kRawEventColumns =
    "seq, site, event_id, type, name, ts, client_ts, received, visitor, visitor_id, host, path, "
    "landing_path, referrer_host, referrer_category, referrer_source, utm_source, utm_medium, "
    "utm_campaign, utm_term, utm_content, device_type, os, browser, country, region, city, language, "
    "timezone, visit_first, visit_count, journey_stage, slot, experiment, variant, value, props, context";

std::int64_t read_raw_event(const SqliteQuery& r, StoredEvent& e) {
  int i = 0;
  const std::int64_t seq = r.integer(i++);
  e.site = r.text(i++);
  e.event_id = r.text(i++);
  e.type = parse_event_type(r.view(i++)).value_or(EventType::Event);
  e.name = r.text(i++);
  e.ts_ms = r.integer(i++);
  e.client_ts_ms = r.integer(i++);
  e.received_ms = r.integer(i++);
  e.visitor = static_cast<std::uint64_t>(r.integer(i++));
  e.visitor_id = r.text(i++);
  for (std::string* s : {&e.host, &e.path, &e.landing_path, &e.referrer_host, &e.referrer_category,
                         &e.referrer_source, &e.utm_source, &e.utm_medium, &e.utm_campaign, &e.utm_term,
                         &e.utm_content, &e.device_type, &e.os, &e.browser, &e.country, &e.region, &e.city,
                         &e.language, &e.timezone}) {
    *s = r.text(i++);
  }
  if (r.null(i)) {
    e.visit_first.reset();
  } else {
    e.visit_first = r.integer(i) != 0;
  }
  ++i;
  e.visit_count = r.optional_integer(i++);
  e.journey_stage = r.text(i++);
  e.slot = r.text(i++);
  e.experiment = r.text(i++);
  e.variant = r.text(i++);
  e.value = r.optional_real(i++);
  e.props_json = r.text(i++);
  e.context_json = r.text(i++);
  e.bot = false;
  return seq;
}

}  // namespace ithaca::tracker
