#include <nlohmann/json.hpp>

#include "event_enricher.hpp"
#include "handlers.hpp"
#include "request_guards.hpp"

namespace ithaca::tracker {
namespace {

// The answer once the writer has the outcome; `cors` holds the request's CORS headers.
HttpResponse outcome_response(Tracker::State& state, GroupCommitWriter::Outcome outcome, std::size_t count,
                              bool bot, const std::vector<std::string>& warnings, const HttpResponse& cors) {
  HttpResponse response;
  switch (outcome) {
    case GroupCommitWriter::Outcome::Durable: {
      state.metrics.add_events_written(bot, count);
      nlohmann::json body = {{"accepted", count}};
      if (!warnings.empty()) body["warnings"] = warnings;
      response = json_response(202, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      break;
    }
    case GroupCommitWriter::Outcome::QueueFull:
      state.metrics.add_queue_full();
      response = json_error(503, "overloaded", "the write queue is full; retry later");
      response.set_header("Retry-After", "1");
      break;
    case GroupCommitWriter::Outcome::Stopped:
      response = json_error(503, "shutting_down", "the tracker is shutting down; retry later");
      response.set_header("Retry-After", "5");
      break;
    case GroupCommitWriter::Outcome::StoreFailed:
      response = json_error(503, "store_unavailable", "the events could not be stored; retry later");
      response.set_header("Retry-After", "5");
      break;
  }
  for (const auto& [name, value] : cors.headers) response.set_header(name, value);
  return response;
}

}  // namespace

std::optional<HttpResponse> handle_collect(Tracker::State& state, const HttpRequest& request,
                                           const AnswerLater* later) {
  // The browser SDK sends a batch again after a 429 or 5xx (after Retry-After) and drops one the
  // tracker refused (docs/sdk.md, "Events"). A cross-origin page can read the status and that
  // header only with CORS headers, so every answer carries them, refusals too, except the
  // refusal of an origin the site does not allow.
  auto with_cors = [&request](HttpResponse response) {
    add_cors_headers(request, response);
    return response;
  };

  if (request.method != "POST") return with_cors(method_not_allowed("POST, OPTIONS"));
  const std::string type = media_type(request);
  // text/plain is what navigator.sendBeacon sends for a string body.
  if (!type.empty() && type != "application/json" && type != "text/plain") {
    return with_cors(json_error(415, "unsupported_media_type",
                                "send application/json or text/plain (sendBeacon) bodies"));
  }
  const std::int64_t now = now_ms();
  if (auto limited = check_rate_limit(state, request, now)) return with_cors(std::move(*limited));

  CollectPayload payload;
  DecodeError error;
  if (!decode_collect(request.body, state.collect_limits, payload, error)) {
    return with_cors(json_error(error.status, error.code, error.message));
  }
  const SiteConfig* site = state.sites->find(payload.site);
  if (!site) return with_cors(json_error(404, "unknown_site", "no site " + payload.site + " is configured"));
  if (auto denied = check_origin(*site, request)) return *denied;

  const std::size_t count = payload.events.size();
  std::vector<StoredEvent> rows = enrich_events(state, request, payload, now);
  const bool bot = !rows.empty() && rows.front().bot;
  HttpResponse cors;  // the headers only: the request is gone when the writer answers
  add_cors_headers(request, cors);

  // Answer from the writer's thread once the commit is done, so this thread is free meanwhile.
  if (auto answer = later && *later ? (*later)() : nullptr) {
    state.writer->write(std::move(rows), [&state, answer = std::move(answer), count, bot,
                                          warnings = std::move(payload.warnings),
                                          cors = std::move(cors)](GroupCommitWriter::Outcome outcome) {
      answer(outcome_response(state, outcome, count, bot, warnings, cors));
    });
    return std::nullopt;
  }
  return outcome_response(state, state.writer->write(std::move(rows)), count, bot, payload.warnings, cors);
}

}  // namespace ithaca::tracker
