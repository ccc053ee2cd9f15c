// libFuzzer target for the tracker's collect payload decoder (server_tracker/src/
// collect_decoder.cpp): arbitrary bytes as a POST /v1/collect body. Invariants: the decoder
// either accepts — and then every event satisfies the documented limits and every string is
// valid UTF-8 — or refuses with a 400/413, a code and a message; it never crashes, leaks or
// recurses on deep input, and decoding the same bytes twice gives the same answer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collect_decoder.hpp"
#include "fuzz_checks.hpp"

using ithaca::fuzz::is_valid_utf8;
using ithaca::fuzz::require;
using namespace ithaca::tracker;

namespace {

bool same(const CollectPayload& a, const CollectPayload& b) {
  if (a.site != b.site || a.visitor_id != b.visitor_id || a.events.size() != b.events.size()) return false;
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    const auto& x = a.events[i];
    const auto& y = b.events[i];
    if (x.type != y.type || x.id != y.id || x.ts_ms != y.ts_ms || x.url != y.url || x.referrer != y.referrer ||
        x.name != y.name || x.props != y.props || x.context != y.context) {
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

  if (!ok) {
    require(error.status == 400 || error.status == 413, "refusals are 400 or 413");
    require(!error.code.empty() && !error.message.empty(), "refusals say what was wrong");
    require(error.code == error_again.code && error.message == error_again.message, "same refusal twice");
    require(payload.events.empty(), "a refused payload has no events");
    return 0;
  }
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
    require(e.props.is_null() || (e.props.is_object() && e.props.dump().size() <= limits.max_props_bytes),
            "props object within its limit");
    require(e.context.is_null() || (e.context.is_object() && e.context.dump().size() <= limits.max_context_bytes),
            "context object within its limit");
    require((e.type != EventType::Event && e.type != EventType::Conversion) || !e.name.empty(),
            "events and conversions are named");
  }
  return 0;
}
