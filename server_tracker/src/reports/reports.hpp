// The reports of GET /v1/stats/{site}/{report}: each turns a few ReportSource queries into a
// JSON document and a table (what ?format=csv returns). Rates, funnels, shares and statistics
// are computed here, once, so every store gives the same document for the same counts.
// No HTTP here: report_handler.cpp parses requests and writes responses.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/report_source.hpp"

namespace ithaca::tracker {

// What reports read from a site's active rule set (its JSON document).
struct SiteRulesInfo {
  struct Variant {
    std::string id;
    double weight = 0;
  };
  struct Experiment {
    std::string id, goal;
    std::vector<Variant> variants;
  };
  std::vector<std::string> stages;  // journey stages, first to last
  std::vector<Experiment> experiments;
  std::map<std::string, std::string> slot_defaults;  // slot → default variant

  static SiteRulesInfo from_json(std::string_view rules_json);
};

struct ReportTable {
  std::vector<std::string> columns;
  std::vector<std::vector<nlohmann::json>> rows;
};

struct ReportResult {
  nlohmann::json body = nlohmann::json::object();
  ReportTable table;
};

struct ReportError {
  int status = 400;
  std::string code, message;
};

using ReportParams = std::map<std::string, std::string, std::less<>>;

bool is_report(std::string_view name);       // every report but the tracker's own "summary"
std::vector<std::string> report_names();
// The parameters `report` reads beside from, to, format and filters: "goal, by" ("" for none).
std::string_view report_parameters(std::string_view report);
// The breakdown dimension of a report name ("pages" → Page), or of ?dimension= for "breakdown".
std::optional<Dim> breakdown_dimension(std::string_view report);

// Runs `report`. Returns false with `error` set for bad parameters (4xx) or a store failure (503).
bool run_report(ReportSource& source, std::string_view report, const ReportScope& scope, const ReportParams& params,
                const SiteRulesInfo& rules, ReportResult& out, ReportError& error);

// RFC 4180 text of a table; arrays become "a > b > c".
std::string to_csv(const ReportTable& table);

// "2024-05-01" for a local day; "2024-05-01T13:00" for a local hour number.
std::string day_label(std::int32_t day);
std::string hour_label(std::int64_t hour);

}  // namespace ithaca::tracker
