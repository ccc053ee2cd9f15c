// Decoding and validating a POST /v1/collect body: one event or a batch, as JSON (the same
// text whether it came as application/json or as a sendBeacon text/plain body). Everything a
// client controls is checked here — sizes, nesting depth, JSON syntax, UTF-8, types, lengths —
// so later stages only see well-formed events. This is the fuzz target's entry point.
//
// It is a single-pass reader written for this one schema rather than a general JSON library:
// collect is the tracker's hot path, and building a document tree for every request cost more
// than all the rest of the handler. props and context are kept as minified JSON text (what is
// stored) plus the handful of fields that become report columns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ithaca/tracker/event.hpp"

namespace ithaca::tracker {

struct CollectLimits {
  std::size_t max_body_bytes = 1u << 20;
  std::size_t max_events = 500;
  int max_depth = 16;
  std::size_t max_id_bytes = 128;
  std::size_t max_url_bytes = 2048;
  std::size_t max_name_bytes = 200;
  std::size_t max_props_bytes = 4096;     // minified JSON text
  std::size_t max_context_bytes = 16384;  // minified JSON text
};

// The members of `props` that become columns; strings longer than 256 bytes are dropped.
struct PropsFields {
  std::string slot, experiment, variant;
  std::optional<double> value;
};

// The members of `context` that become columns (same 256-byte rule).
struct ContextFields {
  std::string timezone;        // time.timezone
  std::string country;         // geo.country
  std::string first_language;  // geo.languages[0]
  std::string landing_path;    // visit.landing_path
  std::string journey_stage;   // journey.stage
  std::string visitor_id;      // visitor.id — the SDK sends it only with the visitor's consent
  std::optional<bool> visit_first;           // visit.first
  std::optional<std::int64_t> visit_count;   // visit.count (an integer)
};

struct DecodedEvent {
  EventType type = EventType::Pageview;
  std::string id;
  std::optional<std::int64_t> ts_ms;
  std::string url, referrer, name;
  std::string props_json;    // minified object text, "" when absent
  PropsFields props;
  std::string context_json;  // minified object text, "" when absent
  ContextFields context;
};

struct CollectPayload {
  std::string site;
  std::string visitor_id;  // consented first-party id, empty when absent
  std::vector<DecodedEvent> events;
  // Accepted, but not as meant: a props column of the wrong type ("$.events[2].props.value is
  // not a number ..."). The event is stored without that column; the 202 answer lists these.
  std::vector<std::string> warnings;
};

inline constexpr std::size_t kMaxCollectWarnings = 20;

struct DecodeError {
  int status = 400;
  std::string code;     // e.g. "invalid_json", "invalid_field", "too_many_events"
  std::string message;  // names the JSON path of the offending field, or the byte offset
};

// Earliest and latest accepted event times (2000-01-01 and 2100-01-01, UTC).
inline constexpr std::int64_t kMinEventTimeMs = 946'684'800'000;
inline constexpr std::int64_t kMaxEventTimeMs = 4'102'444'800'000;

bool decode_collect(std::string_view body, const CollectLimits& limits, CollectPayload& out,
                    DecodeError& error);

}  // namespace ithaca::tracker
