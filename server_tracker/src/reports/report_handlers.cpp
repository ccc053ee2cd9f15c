#include "reports/report_handlers.hpp"

#include <nlohmann/json.hpp>

#include "ascii.hpp"
#include "handlers.hpp"
#include "logger.hpp"
#include "random_bytes.hpp"
#include "reports/report_service.hpp"
#include "reports/reports.hpp"
#include "request_guards.hpp"
#include "time_param.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;

constexpr std::int32_t kMaxRangeDays = 3660;
constexpr std::size_t kMaxParam = 256;
constexpr std::int32_t kFirstDay = 10957;  // 2000-01-01: reports cover 2000-01-01 to 2100-12-31
constexpr std::int32_t kLastDay = 47846;   // 2100-12-31

// Whether `name` is one of the report's own parameters (a list "goal, by").
bool takes(std::string_view report, std::string_view name) {
  std::string_view list = report_parameters(report);
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    if (list.substr(0, comma) == name) return true;
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 2);
  }
  return false;
}

// A local calendar date "YYYY-MM-DD" (the site's time zone), else an instant.
std::optional<std::int32_t> parse_day(std::string_view text, const TimeZone& zone, bool end) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    int y = 0, m = 0, d = 0;
    for (int i : {0, 1, 2, 3}) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      y = y * 10 + (text[i] - '0');
    }
    for (int i : {5, 6}) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      m = m * 10 + (text[i] - '0');
    }
    for (int i : {8, 9}) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      d = d * 10 + (text[i] - '0');
    }
    if (!is_calendar_date(y, m, d)) return std::nullopt;
    const auto day = static_cast<std::int32_t>(days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
    if (day < kFirstDay || day > kLastDay) return std::nullopt;
    return day;
  }
  auto ms = parse_time_param(text);
  if (!ms) return std::nullopt;
  const std::int32_t day = zone.local_day(end ? *ms - 1 : *ms);  // `to` instants are exclusive
  if (day < kFirstDay || day > kLastDay) return std::nullopt;
  return day;
}

HttpResponse error_response(const ReportError& e) {
  HttpResponse r = json_error(e.status, e.code, e.message);
  if (e.status == 503) r.set_header("Retry-After", "5");
  return r;
}

json event_json(const StoredEvent& e) {
  auto text = [](const std::string& s) { return s.empty() ? json() : json(s); };
  auto parsed = [](const std::string& s) {
    if (s.empty()) return json();
    json j = json::parse(s, nullptr, false);
    return j.is_discarded() ? json(s) : j;
  };
  return {{"type", to_string(e.type)},
          {"id", text(e.event_id)},
          {"name", text(e.name)},
          {"ts", e.ts_ms},
          {"client_ts", e.client_ts_ms ? json(e.client_ts_ms) : json()},
          {"received", e.received_ms},
          {"bot", e.bot},
          {"host", text(e.host)},
          {"path", text(e.path)},
          {"landing_path", text(e.landing_path)},
          {"referrer", {{"host", text(e.referrer_host)}, {"category", text(e.referrer_category)},
                        {"source", text(e.referrer_source)}}},
          {"utm", {{"source", text(e.utm_source)}, {"medium", text(e.utm_medium)}, {"campaign", text(e.utm_campaign)},
                   {"term", text(e.utm_term)}, {"content", text(e.utm_content)}}},
          {"device", {{"type", text(e.device_type)}, {"os", text(e.os)}, {"browser", text(e.browser)}}},
          {"geo", {{"country", text(e.country)}, {"region", text(e.region)}, {"city", text(e.city)}}},
          {"language", text(e.language)},
          {"timezone", text(e.timezone)},
          {"visit", {{"first", e.visit_first ? json(*e.visit_first) : json()},
                     {"count", e.visit_count ? json(*e.visit_count) : json()}}},
          {"journey_stage", text(e.journey_stage)},
          {"slot", text(e.slot)},
          {"experiment", text(e.experiment)},
          {"variant", text(e.variant)},
          {"value", e.value ? json(*e.value) : json()},
          {"props", parsed(e.props_json)},
          {"context", parsed(e.context_json)}};
}

}  // namespace

HttpResponse handle_report(Tracker::State& state, const HttpRequest& request, const SiteConfig& site,
                           std::string_view report) {
  if (request.method != "GET" && request.method != "HEAD") return method_not_allowed("GET, HEAD");
  if (!is_report(report)) {
    std::string names = "summary";
    for (const auto& n : report_names()) names += ", " + n;
    return json_error(404, "not_found", "no report " + std::string(report) + "; reports: " + names);
  }
  if (!state.reports) return json_error(503, "reports_unavailable", "reports are not available on this tracker");
  ReportService& service = *state.reports;
  const auto zone = service.zone(site.id);

  ReportScope scope;
  scope.site = site.id;
  scope.zone = zone;
  ReportParams params;
  std::string format = "json";
  std::optional<std::int32_t> first, last;
  if (auto repeated = check_repeated_parameters(request)) return *repeated;
  for (const auto& [key, value] : request.query) {
    if (value.size() > kMaxParam) return json_error(400, "invalid_parameter", key + " is too long");
    if (key == "from" || key == "to") {
      auto day = parse_day(value, *zone, key == "to");
      if (!day) {
        return json_error(400, "invalid_parameter",
                          key + " must be a date YYYY-MM-DD (in the site's time zone), epoch milliseconds or an "
                                "RFC 3339 UTC time, from 2000-01-01 to 2100-12-31");
      }
      (key == "from" ? first : last) = *day;
    } else if (key == "format") {
      if (value != "json" && value != "csv") return json_error(400, "invalid_parameter", "format must be json or csv");
      if (value == "csv" && report == "journey") {
        return json_error(400, "invalid_parameter", "journey is JSON only (funnel, paths and attribution have CSV)");
      }
      format = value;
    } else if (auto dim = parse_dimension(key)) {
      for (const auto& f : scope.filters) {
        if (f.dim == *dim) return json_error(400, "invalid_parameter", "one filter per dimension: " + key);
      }
      scope.filters.push_back({*dim, value});
    } else if (takes(report, key)) {
      params[key] = value;
    } else {
      const std::string_view own = report_parameters(report);
      return json_error(400, "invalid_parameter",
                        "unknown parameter " + key + " for " + std::string(report) + ", which takes " +
                            (own.empty() ? std::string() : std::string(own) + ", ") +
                            "from, to, format and dimension filters (see docs/reports.md)");
    }
  }
  const std::int64_t now = now_ms();
  const std::int32_t today = zone->local_day(now);
  scope.last_day = last.value_or(today);
  scope.first_day = first.value_or(scope.last_day - 29);
  const std::int32_t asked_first = scope.first_day;
  if (scope.first_day > scope.last_day) return json_error(400, "invalid_parameter", "from is after to");
  // Only whole retained days: the oldest day may already be partly deleted.
  std::optional<std::int32_t> retained_from;
  if (site.retention_days > 0) {
    retained_from = zone->local_day(now - static_cast<std::int64_t>(site.retention_days) * kDayMs) + 1;
    scope.first_day = std::max(scope.first_day, *retained_from);
  }
  if (scope.last_day - scope.first_day >= kMaxRangeDays) {
    return json_error(400, "invalid_parameter", "a report covers at most " + std::to_string(kMaxRangeDays) + " days");
  }

  SiteRulesInfo rules;
  if (auto active = state.sites->rules(site.id)) rules = SiteRulesInfo::from_json(active->version.body);

  ReportResult result;
  ReportError error;
  if (scope.first_day <= scope.last_day) {
    if (!run_report(service.source(), report, scope, params, rules, result, error)) {
      if (error.status == 503) state.metrics.add_store_error();
      return error_response(error);
    }
  } else {
    // The whole range is older than the retention period: an empty report of the same shape.
    ReportScope empty = scope;
    empty.first_day = empty.last_day = scope.last_day;
    empty.filters.push_back({Dim::Type, std::string("\x01")});  // matches nothing
    if (!run_report(service.source(), report, empty, params, rules, result, error)) return error_response(error);
    // No bucket of zeros for days that are not kept (a chart would draw them as days without
    // visitors), and the answer names the range asked for: `retained_from` says why it is empty.
    if (report == "timeseries") {
      result.body["rows"] = json::array();
      result.table.rows.clear();
    }
    scope.first_day = asked_first;
  }

  if (format == "csv") {
    HttpResponse response;
    response.status = 200;
    response.content_type = "text/csv; charset=utf-8";
    response.body = to_csv(result.table);
    response.set_header("Content-Disposition", "attachment; filename=\"" + site.id + "-" + std::string(report) + ".csv\"");
    response.set_header("Cache-Control", "no-store");
    return response;
  }
  json body = {{"site", site.id},
               {"report", report},
               {"timezone", zone->name()},
               {"from", day_label(scope.first_day)},
               {"to", day_label(scope.last_day)},
               {"from_ms", scope.from_ms()},
               {"to_ms", scope.to_ms()},
               {"retained_from", retained_from ? json(day_label(*retained_from)) : json()},
               {"source", service.source().last_source()}};
  json filters = json::object();
  for (const auto& f : scope.filters) filters[dimension_name(f.dim)] = f.value;
  body["filters"] = std::move(filters);
  for (auto& [key, value] : result.body.items()) body[key] = std::move(value);
  HttpResponse response = json_response(200, body.dump(-1, ' ', false, json::error_handler_t::replace));
  response.set_header("Cache-Control", "no-store");
  return response;
}

void refresh_shared_rules(Tracker::State& state) {
  for (const auto& site : state.sites->sites()) {
    RuleVersion stored;
    bool found = false;
    if (Status s = state.control->active_rules(site.id, stored, found); !s || !found) continue;
    auto current = state.sites->rules(site.id);
    if (current && current->version.version == stored.version && current->version.etag == stored.etag) continue;
    if (Status s = activate_stored_rules(state, site); !s) {
      log_error("cannot activate shared rules", {{"site", site.id}, {"error", s.message()}});
    } else {
      log_info("rules activated from the shared store", {{"site", site.id}, {"version", std::to_string(stored.version)}});
    }
  }
}

HttpResponse handle_visitor_data(Tracker::State& state, const HttpRequest& request, const SiteConfig& site,
                                 std::string_view rest) {
  std::string_view id = rest.substr(9);  // after "visitors/"
  bool exporting = false;
  if (auto slash = id.find('/'); slash != std::string_view::npos) {
    if (id.substr(slash) != "/export") return json_error(404, "not_found", "no such admin endpoint");
    id = id.substr(0, slash);
    exporting = true;
  }
  if (!is_identifier(id, 8, 128)) {
    return json_error(400, "invalid_parameter", "a first-party id is 8-128 characters of [A-Za-z0-9._-]");
  }
  if (exporting && request.method != "GET" && request.method != "HEAD") return method_not_allowed("GET");
  if (!exporting && request.method != "DELETE") return method_not_allowed("DELETE");
  if (!state.reports) return json_error(503, "unavailable", "visitor data is not available on this tracker");
  ReportService& service = *state.reports;
  // Audit lines name the operation, the site and the counts — never the id itself.
  const std::string audit = to_hex(random_bytes(8));
  const std::string id_text(id);

  if (exporting) {
    std::vector<StoredEvent> events;
    if (Status s = service.export_visitor(site.id, id_text, events); !s) {
      state.metrics.add_store_error();
      log_error("visitor export failed", {{"site", site.id}, {"audit", audit}, {"error", s.message()}});
      return json_error(503, "store_unavailable", "the export could not be read; retry later");
    }
    json list = json::array();
    for (const auto& e : events) list.push_back(event_json(e));
    log_info("visitor data exported", {{"site", site.id}, {"audit", audit}, {"events", std::to_string(events.size())},
                                       {"store", service.store_name()}});
    json body = {{"site", site.id}, {"visitor_id", id_text}, {"audit", audit}, {"count", events.size()},
                 {"events", std::move(list)}};
    HttpResponse response = json_response(200, body.dump(-1, ' ', false, json::error_handler_t::replace));
    response.set_header("Cache-Control", "no-store");
    response.set_header("Content-Disposition", "attachment; filename=\"" + site.id + "-visitor-export.json\"");
    return response;
  }

  ErasureSummary summary;
  if (Status s = service.erase_visitor(site.id, id_text, summary); !s) {
    state.metrics.add_store_error();
    log_error("visitor erasure failed", {{"site", site.id}, {"audit", audit}, {"error", s.message()}});
    HttpResponse r = json_error(503, "store_unavailable", "the erasure could not be completed; retry later");
    r.set_header("Retry-After", "5");
    return r;
  }
  log_info("visitor data erased", {{"site", site.id},
                                   {"audit", audit},
                                   {"store", service.store_name()},
                                   {"events", std::to_string(summary.events)},
                                   {"bot_events", std::to_string(summary.bot_events)},
                                   {"spooled_events", std::to_string(summary.spooled_events)},
                                   {"rollup_days_rebuilt", std::to_string(summary.days_rebuilt.size())}});
  json days = json::array();
  for (auto d : summary.days_rebuilt) days.push_back(day_label(d));
  json body = {{"site", site.id},
               {"erased", true},
               {"audit", audit},
               {"events", summary.events},
               {"bot_events", summary.bot_events},
               {"spooled_events", summary.spooled_events},
               {"rollup_days_rebuilt", std::move(days)}};
  return json_response(200, body.dump());
}

}  // namespace ithaca::tracker
