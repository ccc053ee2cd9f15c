// The tracker: every endpoint of the HTTP contract as a function from HttpRequest to
// HttpResponse, independent of any socket. Tracker owns the stores, the group-commit writer,
// the rate limiter and the published rule sets; handle() is safe to call from many threads.
// Lifetime: create() opens everything; shutdown() (or the destructor) drains the writer and
// closes the stores, after which handle() answers 503.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "ithaca/tracker/http_types.hpp"
#include "ithaca/tracker/options.hpp"

namespace ithaca::tracker {

class Tracker {
 public:
  static std::unique_ptr<Tracker> create(TrackerOptions options, std::string& error);
  ~Tracker();
  Tracker(const Tracker&) = delete;
  Tracker& operator=(const Tracker&) = delete;

  HttpResponse handle(const HttpRequest& request);
  // The same, for an HTTP layer that can answer later: a collect request is then answered
  // through `later` once its events are durable (and nothing is returned), so the calling
  // thread does not wait for the commit. Every other request is answered at once.
  std::optional<HttpResponse> handle(const HttpRequest& request, const AnswerLater& later);

  // Records a response produced outside handle() (e.g. by the HTTP layer rejecting a body
  // that is too large) in the metrics.
  void record_external(const HttpRequest& request, int status, double seconds);

  void shutdown();
  const TrackerOptions& options() const;
  const std::string& admin_token() const;

  struct State;

 private:
  explicit Tracker(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace ithaca::tracker
