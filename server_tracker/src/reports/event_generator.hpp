// A realistic, deterministic stream of collect requests for benchmarks, demos and tests: visits
// that arrive with a daily rhythm, come through search, social, email, paid and referral
// channels (with utm tags and click ids), browse a shop by a Markov walk, progress through the
// journey stages of the site's rule set, see experiment variants bucketed as the core buckets
// them, and convert — more often in the better variant. Returning visitors carry their visit
// count and touchpoints; some consent (a first-party id), a few are bots. The same seed gives
// the same stream. Used by ithaca-gen (tools/ithaca_gen.cpp); flags in docs/reports.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace ithaca::tracker {

struct GeneratorOptions {
  std::string site = "demo";
  std::uint64_t seed = 1;
  std::int64_t events = 100'000;  // stop once this many events were generated
  double days = 6.5;              // the stream covers (end - days, end]
  std::int64_t end_ms = 0;        // 0: now
  double consent_rate = 0.3;      // visitors with a first-party id
  double returning_rate = 0.35;   // visits by a visitor seen before
  double bot_rate = 0.02;         // visits by crawlers
  std::string rules_json;         // the site's rule set: experiments, slots, journey (may be empty)
  std::string host = "shop.example";
};

// One POST /v1/collect: the JSON body and the headers a browser would send. The tracker must
// trust X-Forwarded-For (--trust-proxy) to see one address per visitor.
struct GeneratedRequest {
  std::string user_agent, forwarded_for, accept_language;
  std::int64_t ts = 0;  // time of its first event
  std::size_t events = 0;
  nlohmann::json body;
};

class EventGenerator {
 public:
  explicit EventGenerator(GeneratorOptions options);
  ~EventGenerator();
  EventGenerator(const EventGenerator&) = delete;
  EventGenerator& operator=(const EventGenerator&) = delete;

  // The next request (visits in time order); false when the stream has its events.
  bool next(GeneratedRequest& out);
  std::int64_t events_generated() const noexcept;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace ithaca::tracker
