// Runs the language-neutral decision vectors (tests/vectors/decide_*.json) through the native
// core. The wasm build runs the same files (tests/js/), so both homes answer to one truth.
#include <gtest/gtest.h>

#include <filesystem>

#include "ithaca/json.hpp"
#include "ithaca/ruleset.hpp"
#include "testing/files.hpp"

namespace ithaca {
namespace {

struct VectorCase {
  std::string file;
  std::size_t index;
};

std::vector<VectorCase> all_cases() {
  std::vector<VectorCase> out;
  for (const auto& entry : std::filesystem::directory_iterator(testing::source_path("tests/vectors"))) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("decide_", 0) != 0 || entry.path().extension() != ".json") continue;
    auto doc = parse_json(testing::read_file("tests/vectors/" + name));
    if (!doc.ok()) {
      out.push_back({name, static_cast<std::size_t>(-1)});
      continue;
    }
    const Value* cases = doc.value().find("cases");
    for (std::size_t i = 0; cases && i < cases->as_list().size(); ++i) out.push_back({name, i});
  }
  return out;
}

class DecideVectors : public ::testing::TestWithParam<VectorCase> {};

std::string str(const Value* v) { return v ? to_json(*v) : "(absent)"; }

TEST_P(DecideVectors, MatchesExpectation) {
  const VectorCase& vc = GetParam();
  auto doc = parse_json(testing::read_file("tests/vectors/" + vc.file));
  ASSERT_TRUE(doc.ok()) << vc.file << ": " << doc.error().message;
  const Value& root = doc.value();
  LoadResult loaded;
  if (const Value* file = root.find("rules_file")) loaded = load_ruleset(testing::read_file(std::string(file->as_string())));
  else loaded = load_ruleset(*root.find("rules"));
  ASSERT_TRUE(loaded.ok()) << vc.file << ": " << (loaded.errors.empty() ? "" : loaded.errors[0].path + " " + loaded.errors[0].message);

  const Value& c = root.find("cases")->as_list()[vc.index];
  SCOPED_TRACE(std::string(c.find("name")->as_string()));
  const Value out = decide(*loaded.rules, *c.find("context"));
  const Value* decisions = out.find("decisions");
  ASSERT_NE(decisions, nullptr);
  for (const auto& [key, want] : c.find("expected")->as_map()) {
    const std::string slot(key.as_string());
    if (slot == "journey") {
      EXPECT_EQ(str(out.find_path("journey.stage")), to_json(want)) << "journey stage";
      continue;
    }
    const Value* d = decisions->find(slot);
    ASSERT_NE(d, nullptr) << "no decision for slot " << slot;
    for (const auto& [field, value] : want.as_map()) {
      const std::string f(field.as_string());
      if (f == "experiment_id") {
        EXPECT_EQ(str(d->find_path("experiment.id")), to_json(value)) << slot;
      } else if (f == "skipped_reason_contains") {
        bool found = false;
        for (const auto& [rule, why] : d->find_path("explanation.skipped")->as_map())
          found |= why.as_string().find(value.as_string()) != std::string_view::npos;
        EXPECT_TRUE(found) << slot << ": no skipped rule says '" << value.as_string() << "' in " << to_json(*d);
      } else {
        EXPECT_EQ(str(d->find(f)), to_json(value)) << slot << "." << f << " in " << to_json(*d);
      }
    }
  }
}

// Without details, the same document with each explanation cut to its summary.
TEST_P(DecideVectors, BriefDecisionsAreTheFullOnesWithSummariesOnly) {
  const VectorCase& vc = GetParam();
  auto doc = parse_json(testing::read_file("tests/vectors/" + vc.file));
  ASSERT_TRUE(doc.ok());
  const Value& root = doc.value();
  LoadResult loaded;
  if (const Value* file = root.find("rules_file")) loaded = load_ruleset(testing::read_file(std::string(file->as_string())));
  else loaded = load_ruleset(*root.find("rules"));
  ASSERT_TRUE(loaded.ok());
  const Value& context = *root.find("cases")->as_list()[vc.index].find("context");

  Value full = parse_json(decide_to_json(*loaded.rules, context)).value();
  const Value brief = parse_json(decide_to_json(*loaded.rules, context, DecideOptions{false})).value();
  Map decisions;
  for (const auto& [slot, d] : full.find("decisions")->as_map()) {
    Value decision = d;
    Map only_summary;
    only_summary.set("summary", *d.find_path("explanation.summary"));
    decision.edit_map().set("explanation", Value::map(std::move(only_summary)));
    decisions.set(slot.as_string(), decision);
  }
  full.edit_map().set("decisions", Value::map(std::move(decisions)));
  EXPECT_EQ(to_json(brief), to_json(full));
}

INSTANTIATE_TEST_SUITE_P(Vectors, DecideVectors, ::testing::ValuesIn(all_cases()),
                         [](const auto& test) {
                           std::string name = test.param.file.substr(0, test.param.file.size() - 5) + "_" + std::to_string(test.param.index);
                           for (char& ch : name) if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

}  // namespace
}  // namespace ithaca
