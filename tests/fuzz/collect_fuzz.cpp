// libFuzzer target for the tracker's collect payload decoder (server_tracker/src/
// collect_decoder.cpp): arbitrary bytes as a POST /v1/collect body. Invariants: the decoder
// never crashes, leaks or recurses without bound; it either refuses with a 400/413, a code and a
// message, or accepts — and then every event satisfies the documented limits, every string is
// valid UTF-8, and nlohmann/json (the reference) agrees that the body is JSON and that the
// stored props/context texts are the same objects as in the body. Whatever nlohmann rejects,
// the decoder rejects too. Decoding the same bytes twice gives the same answer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "collect_decoder.hpp"
#include "fuzz_checks.hpp"

using ithaca::fuzz::is_valid_utf8;
using ithaca::fuzz::require;
using namespace ithaca::tracker;
using nlohmann::json;

namespace {

bool same(const CollectPayload& a, const CollectPayload& b) {
  if (a.site != b.site || a.visitor_id != b.visitor_id || a.events.size() != b.events.size()) return false;
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    const auto& x = a.events[i];
    const auto& y = b.events[i];
    if (x.type != y.type || x.id != y.id || x.ts_ms != y.ts_ms || x.url != y.url || x.referrer != y.referrer ||
        x.name != y.name || x.props_json != y.props_json || x.context_json != y.context_json) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  CollectLimits limits;
  limits.max_body_bytes = 64 * 1024;
  limits.max_events = 50;

  CollectPayload payload;
  DecodeError error;
  const bool ok = decode_collect(body, limits, payload, error);
  CollectPayload again;
  DecodeError error_again;
  require(decode_collect(body, limits, again, error_again) == ok, "decoding is deterministic");

  // The reference parser (iterative; the decoder's own depth limit keeps this input shallow
  // whenever the decoder accepted it).
  const bool reference_ok = json::accept(body);

  if (!ok) {
    require(error.status == 400 || error.status == 413, "refusals are 400 or 413");
    require(!error.code.empty() && !error.message.empty(), "refusals say what was wrong");
    require(error.code == error_again.code && error.message == error_again.message, "same refusal twice");
    require(payload.events.empty(), "a refused payload has no events");
    return 0;
  }
  require(reference_ok, "only JSON is accepted");
  require(same(payload, again), "same payload twice");
  require(!payload.site.empty() && payload.site.size() <= 64, "site id length");
  require(payload.visitor_id.empty() || (payload.visitor_id.size() >= 8 && payload.visitor_id.size() <= 128),
          "visitor id length");
  require(!payload.events.empty() && payload.events.size() <= limits.max_events, "batch size");
  for (const DecodedEvent& e : payload.events) {
    require(e.id.size() <= limits.max_id_bytes && e.url.size() <= limits.max_url_bytes &&
                e.referrer.size() <= limits.max_url_bytes && e.name.size() <= limits.max_name_bytes,
            "string lengths");
    require(is_valid_utf8(e.id) && is_valid_utf8(e.url) && is_valid_utf8(e.referrer) && is_valid_utf8(e.name),
            "strings are UTF-8");
    require(!e.ts_ms || (*e.ts_ms >= kMinEventTimeMs && *e.ts_ms <= kMaxEventTimeMs), "ts range");
    require((e.type != EventType::Event && e.type != EventType::Conversion) || !e.name.empty(),
            "events and conversions are named");
    require(e.props_json.size() <= limits.max_props_bytes, "props within its limit");
    require(e.context_json.size() <= limits.max_context_bytes, "context within its limit");
    for (const std::string* text : {&e.props_json, &e.context_json}) {
      if (text->empty()) continue;
      const json parsed = json::parse(*text, nullptr, false);
      require(parsed.is_object(), "stored props/context are JSON objects");
    }
    require(is_valid_utf8(e.context.timezone) && is_valid_utf8(e.context.country) &&
                is_valid_utf8(e.context.first_language) && is_valid_utf8(e.context.landing_path) &&
                is_valid_utf8(e.context.journey_stage) && is_valid_utf8(e.props.slot) &&
                is_valid_utf8(e.props.experiment) && is_valid_utf8(e.props.variant),
            "column strings are UTF-8");
  }
  // Single events and batches agree with the reference on what the props objects hold.
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_object() && !doc.contains("events") && !payload.events[0].props_json.empty()) {
    require(json::parse(payload.events[0].props_json) == doc["props"], "props text is the body's props");
  }
  if (doc.is_object() && doc.contains("events") && doc["events"].is_array()) {
    for (std::size_t i = 0; i < payload.events.size() && i < doc["events"].size(); ++i) {
      const auto& event = doc["events"][i];
      if (!payload.events[i].context_json.empty() && event.is_object() && event.contains("context")) {
        require(json::parse(payload.events[i].context_json) == event["context"], "context text is the body's context");
      }
    }
  }
  return 0;
}
