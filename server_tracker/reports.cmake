# Reports, roll-ups, retention, erasure/export and the ClickHouse scale-out store, added to the
# tracker library; and ithaca-gen, the event-stream generator (docs/reports.md). Included from
# server_tracker/CMakeLists.txt.
target_sources(ithaca_tracker PRIVATE
  src/reports/time_zone.cpp
  src/reports/dimensions.cpp
  src/reports/event_facts.cpp
  src/reports/day_aggregator.cpp
  src/reports/raw_events.cpp
  src/reports/rollup_database.cpp
  src/reports/rollup_builder.cpp
  src/reports/visitor_spill_database.cpp
  src/reports/visitor_events.cpp
  src/reports/visitor_day_totals.cpp
  src/reports/sqlite_report_source.cpp
  src/reports/statistics.cpp
  src/reports/reports.cpp
  src/reports/report_service.cpp
  src/reports/report_handlers.cpp
  src/reports/event_generator.cpp
  src/reports/event_loader.cpp
  src/clickhouse/clickhouse_client.cpp
  src/clickhouse/clickhouse_schema.cpp
  src/clickhouse/clickhouse_spool.cpp
  src/clickhouse/clickhouse_event_store.cpp
  src/clickhouse/clickhouse_control_store.cpp
  src/clickhouse/clickhouse_reports.cpp
)

add_executable(ithaca-gen tools/ithaca_gen.cpp)
target_include_directories(ithaca-gen PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
target_link_libraries(ithaca-gen PRIVATE ithaca::tracker ithaca::httplib nlohmann_json::nlohmann_json
                      Threads::Threads)
ithaca_warnings(ithaca-gen)
ithaca_sanitize(ithaca-gen)
