// The ClickHouse side of the tracker as a whole: the stores a tracker opens for
// --store clickhouse://…, and its report service, whose ReportSource answers every report in
// ClickHouse SQL over the raw events (checked function by function against 18.16; the SQL of
// each query is next to its C++ in clickhouse_reports.cpp and described in docs/reports.md).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "ithaca/tracker/options.hpp"
#include "ithaca/tracker/sqlite_store.hpp"
#include "reports/report_source.hpp"
#include "reports/time_zone.hpp"

namespace ithaca::tracker {

class ClickHouseClient;
class EventStore;
class ReportService;

bool is_clickhouse_store(std::string_view store);

// The event and control stores on ClickHouse (the struct is the SQLite factory's: two
// pointers). Creates the schema; the spool lives under <data>/clickhouse-spool.
SqliteStores open_clickhouse_stores(const TrackerOptions& options, std::string& error);

std::unique_ptr<ReportService> open_clickhouse_report_service(
    const TrackerOptions& options, std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones,
    EventStore& events, std::string& error);

// ReportSource over a ClickHouse database holding the tracker's events tables.
std::unique_ptr<ReportSource> make_clickhouse_report_source(const ClickHouseClient& client);

}  // namespace ithaca::tracker
