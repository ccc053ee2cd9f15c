#include "metrics.hpp"

#include <gtest/gtest.h>

namespace ithaca::tracker {
namespace {

TEST(Metrics, RendersPrometheusText) {
  Metrics metrics;
  metrics.observe_request(Route::Collect, 202, 0.002);
  metrics.observe_request(Route::Collect, 202, 0.2);
  metrics.observe_request(Route::Collect, 400, 0.0001);
  metrics.observe_commit(10, 0.001);
  metrics.observe_commit_wait(0.003);
  metrics.add_events_written(false, 10);
  metrics.add_store_error();
  Metrics::Gauges gauges;
  gauges.queue_events = 3;
  gauges.queue_capacity = 100;
  gauges.rules_versions = {{"shop", 4}};
  const std::string text = metrics.render(gauges);
  EXPECT_NE(text.find("ithaca_http_requests_total{route=\"collect\",status=\"202\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("ithaca_http_requests_total{route=\"collect\",status=\"400\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("ithaca_http_request_duration_seconds_bucket{route=\"collect\",le=\"0.0025\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("ithaca_http_request_duration_seconds_bucket{route=\"collect\",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("ithaca_http_request_duration_seconds_count{route=\"collect\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("ithaca_writer_queue_events 3\n"), std::string::npos);
  EXPECT_NE(text.find("ithaca_events_written_total{kind=\"human\"} 10\n"), std::string::npos);
  EXPECT_NE(text.find("ithaca_store_errors_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("ithaca_rules_active_version{site=\"shop\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE ithaca_commit_duration_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("ithaca_commit_wait_seconds_bucket{le=\"0.0025\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("ithaca_commit_wait_seconds_bucket{le=\"0.005\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("process_resident_memory_bytes "), std::string::npos);
  // Routes without traffic add no series; a store without a write-ahead log adds none of its own.
  EXPECT_EQ(text.find("route=\"decide\""), std::string::npos);
  EXPECT_EQ(text.find("ithaca_wal_"), std::string::npos);
}

TEST(Metrics, RendersTheWriteAheadLogOfAStoreThatHasOne) {
  Metrics metrics;
  Metrics::Gauges gauges;
  gauges.has_wal = true;
  gauges.wal_frames = 1200;
  gauges.wal_pending_frames = 200;
  gauges.wal_throttled_commits = 3;
  const std::string text = metrics.render(gauges);
  EXPECT_NE(text.find("ithaca_wal_frames 1200\n"), std::string::npos);
  EXPECT_NE(text.find("ithaca_wal_pending_frames 200\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE ithaca_wal_throttled_commits_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("ithaca_wal_throttled_commits_total 3\n"), std::string::npos);
}

TEST(Metrics, RendersTheRollupBuildersCountsWhereThereIsOne) {
  Metrics metrics;
  Metrics::Gauges gauges;
  EXPECT_EQ(metrics.render(gauges).find("ithaca_rollup_"), std::string::npos);  // ClickHouse: none
  gauges.has_rollups = true;
  gauges.rollup_events_handed_over = 900;
  gauges.rollup_events_read = 25;
  gauges.rollup_handoff_events = 7;
  const std::string text = metrics.render(gauges);
  EXPECT_NE(text.find("# TYPE ithaca_rollup_events_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("ithaca_rollup_events_total{source=\"handoff\"} 900\n"), std::string::npos);
  EXPECT_NE(text.find("ithaca_rollup_events_total{source=\"table\"} 25\n"), std::string::npos);
  EXPECT_NE(text.find("ithaca_rollup_handoff_events 7\n"), std::string::npos);
}

TEST(Metrics, OutOfRangeStatusesAreCountedAs500) {
  Metrics metrics;
  metrics.observe_request(Route::Other, 42, 0);
  EXPECT_EQ(metrics.requests(Route::Other, 500), 1u);
}

}  // namespace
}  // namespace ithaca::tracker
