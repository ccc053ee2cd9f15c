# The reports suites (included from tests/tracker/CMakeLists.txt): report logic against
# hand-computed numbers, statistics, time zones, the generator, the HTTP endpoints, and the
# ClickHouse store-equivalence and erasure tests, which start a local ClickHouse 18.16.
add_executable(tracker_reports_tests
  reports_test.cpp
  day_aggregator_test.cpp
  statistics_test.cpp
  time_zone_test.cpp
  event_generator_test.cpp
  report_handlers_test.cpp
  sqlite_report_source_test.cpp
  visitor_events_test.cpp
  report_service_test.cpp
  rollup_handoff_test.cpp
)
target_link_libraries(tracker_reports_tests PRIVATE tracker_test_support GTest::gtest_main)
ithaca_warnings(tracker_reports_tests)
ithaca_sanitize(tracker_reports_tests)
gtest_discover_tests(tracker_reports_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120 LABELS "tracker;reports")

# Starts a ClickHouse server of its own: its own executable, so it runs once per suite.
add_executable(tracker_clickhouse_tests clickhouse_test.cpp clickhouse_server.cpp)
target_link_libraries(tracker_clickhouse_tests PRIVATE tracker_test_support GTest::gtest_main)
ithaca_warnings(tracker_clickhouse_tests)
ithaca_sanitize(tracker_clickhouse_tests)
gtest_discover_tests(tracker_clickhouse_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300 LABELS "tracker;clickhouse")
