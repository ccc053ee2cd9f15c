// Everything a Tracker owns, shared by the handlers (each endpoint lives in its own file and
// takes this state). Members are set up by Tracker::create() and never reseated afterwards.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "classification_cache.hpp"
#include "collect_decoder.hpp"
#include "geo_database.hpp"
#include "group_commit_writer.hpp"
#include "ithaca/tracker/event_store.hpp"
#include "ithaca/tracker/tracker.hpp"
#include "metrics.hpp"
#include "rate_limiter.hpp"
#include "reports/report_service.hpp"
#include "site_registry.hpp"
#include "static_files.hpp"
#include "visitor_hasher.hpp"

namespace ithaca::tracker {

struct Tracker::State {
  TrackerOptions options;
  std::string admin_token;
  CollectLimits collect_limits;

  std::unique_ptr<EventStore> events;
  std::unique_ptr<ControlStore> control;
  std::unique_ptr<GroupCommitWriter> writer;
  std::unique_ptr<VisitorHasher> hasher;
  std::unique_ptr<RateLimiter> limiter;
  std::unique_ptr<GeoDatabase> geo;  // null without --geo-db
  std::unique_ptr<SiteRegistry> sites;
  std::unique_ptr<StaticFiles> static_root;  // null when there is nothing to serve at /
  std::unique_ptr<StaticFiles> sdk_root;     // null when the SDK is not built
  std::unique_ptr<StaticFiles> sdk_tools_root;  // the tools engine (dist/tools/): null when not built
  ClassificationCache classifications;
  Metrics metrics;

  std::mutex publish_mutex;  // serializes rule publication per tracker
  std::atomic<bool> stopping{false};

  std::mutex maintenance_mutex;
  std::condition_variable maintenance_cv;
  bool maintenance_stop = false;
  std::thread maintenance;

  // [reports] reports, roll-ups, erasure/export and retention (reports/report_service.hpp).
  // Last, so it is destroyed first: it reads the stores above.
  std::unique_ptr<ReportService> reports;
};

std::int64_t now_ms();

}  // namespace ithaca::tracker
