// The loaded, validated form of a rule set (private to the core).
#pragma once

#include <cstdint>
#include <optional>
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
};

// A compiled condition and the source text of each of its top-level && / || operands, made once
// at load so explanations cost no string building per decision.
struct Condition {
  Program program;
  std::vector<Value> parts;  // source text of each top-level && / || operand
};

struct RuleSet::Impl {
  struct Segment {
    Value name;
    Condition when;
  };
  struct Stage {
    Value id;
    Condition when;
  };
  struct ExperimentVariant {
    Value id;
    std::uint32_t upper = 0;  // cumulative weight threshold in [0, 10000]
  };
  struct Experiment {
    Value id;
    std::string id_text;
    std::optional<Condition> audience;
    std::uint32_t traffic = 10000;  // in basis points of the 10000 buckets
    std::vector<ExperimentVariant> variants;
    std::optional<Timestamp> start, end;
    std::string traffic_text;       // e.g. "20%"
  };
  struct Rule {
    Value id;
    std::optional<Condition> when;
    Value variant;         // when not an experiment rule
    int experiment = -1;   // index into experiments
    std::optional<Schedule> schedule;
  };
  struct Slot {
    Value name;
    Value default_variant;
    Value variants;        // map: variant → {"props": …}; empty map when none declared
    std::vector<Rule> rules;
  };

  Value document;
  std::string site, version;
  Value site_value, version_value;
  std::vector<Segment> segments;  // in dependency order
  std::vector<Stage> stages;
  std::vector<Experiment> experiments;
  std::vector<Slot> slots;
};

}  // namespace ithaca
