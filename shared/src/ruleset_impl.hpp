// The loaded, validated form of a rule set (private to the core).
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "ithaca/expression.hpp"
#include "ithaca/ruleset.hpp"

namespace ithaca {

struct Schedule {
  std::optional<Timestamp> start, end;  // against time.now: start <= now < end
  std::uint8_t days = 0x7F;             // bit d set: weekday d (0 = Sunday) allowed
  int hour_from = 0, hour_to = 24;      // local time.hour in [from, to)
  bool uses_days = false, uses_hours = false;
  std::string before_json, after_json, hours_json;  // why it does not apply, as JSON strings (decide.cpp)
};

// A compiled condition and the spans of its top-level && / || operands in the source, whose
// texts explanations quote (made once by RuleSet's constructor, so they cost no string building
// per decision).
struct Condition {
  Program program;
  std::vector<std::pair<std::int32_t, std::int32_t>> parts;  // [begin, end) of each operand
  std::vector<std::string> parts_json;  // the text of each, as JSON strings
};

// A loader (load_ruleset from JSON, load_compiled_ruleset from bytes) fills in what the rule set
// says; RuleSet's constructor (decide.cpp) derives the rest — every `*_json` member: each name and
// fixed text the decision document repeats, escaped once so writing a decision is appending bytes.
struct RuleSet::Impl {
  struct Segment {
    Value name;            // for the `segment` map rules read
    std::string name_json;
    Condition when;
  };
  struct Stage {
    Value id;
    std::string id_json;
    Condition when;
  };
  struct ExperimentVariant {
    std::string id;
    std::uint32_t upper = 0; // cumulative weight threshold in [0, 10000]
    std::string id_json;
  };
  struct Experiment {
    std::string id;
    std::string id_json;
    std::optional<Condition> audience;
    std::uint32_t traffic = 10000;  // in basis points of the 10000 buckets
    std::vector<ExperimentVariant> variants;
    std::optional<Timestamp> start, end;
    std::string traffic_text;       // e.g. "20%"
    // Made from the above once the rule set is built (decide.cpp), so deciding builds no text:
    std::string variant_salt;       // id + ":variant", the second hash's key
    std::string needs_now_json, not_running_json, audience_json, needs_id_json, outside_json, no_variant_json;
  };
  struct Rule {
    std::string id, id_json;
    std::optional<Condition> when;
    std::string variant;        // the variant it shows, when not an experiment rule
    std::string variant_json;
    std::string props_json;     // the variant's props, "" when none
    int experiment = -1;        // index into experiments
    std::optional<Schedule> schedule;
    std::string summary_json;   // "rule 'x' matched: …"
    // Experiment rules, per variant of the experiment (decide.cpp): `,"experiment":{…,"bucket":`,
    // `,"props":{…}` or "", and the summary's JSON text up to the bucket number.
    std::vector<std::string> experiment_json, experiment_props_json, experiment_summary_json;
  };
  struct Slot {
    std::string name, default_variant;
    std::string name_json;
    std::string default_json, default_props_json, default_summary_json;
    Value variants;             // map: variant → {"props": …}; empty map when none declared
    std::vector<Rule> rules;
  };

  Value document;  // null for a compiled rule set
  std::string site, version;
  bool has_version = false;
  std::string site_json, version_json;
  std::vector<Segment> segments;  // in dependency order
  std::vector<Stage> stages;
  std::vector<Experiment> experiments;
  std::vector<Slot> slots;
  int path_ids = 0;  // attribute paths numbered across all conditions (share_path_ids)
  // What a decision can read (packed_context.cpp): the sorted paths, and the same as a tree.
  struct ContextKey {
    Value key;
    std::vector<ContextKey> kids;  // none: the whole value below the key
  };
  std::vector<std::vector<std::string>> context_paths;
  std::vector<ContextKey> context_plan;
};

// Fills context_paths and context_plan from the loaded conditions (packed_context.cpp).
void plan_context(RuleSet::Impl& rules);

}  // namespace ithaca
