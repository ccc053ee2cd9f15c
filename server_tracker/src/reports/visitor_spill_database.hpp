// Where the roll-up builder's day aggregators keep the visitor states they do not hold in
// memory (day_aggregator.hpp, VisitorSpill): a scratch SQLite file next to the roll-ups. Its
// rows mean something only to the aggregator that wrote them, so the file is emptied when it is
// opened and a day's rows are dropped whenever its aggregator is. Nothing in it needs to
// survive a crash (roll-ups are rebuilt from the events), hence no journal and no fsync; being a
// file of its own, its writes never hold the roll-ups' write lock. Builder thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ithaca/tracker/status.hpp"
#include "reports/day_aggregator.hpp"
#include "reports/sqlite_query.hpp"
#include "sqlite_db.hpp"

namespace ithaca::tracker {

class VisitorSpillDatabase {
 public:
  // Creates (or empties) the file at `path`.
  static std::unique_ptr<VisitorSpillDatabase> open(const std::string& path, std::string& error);

  // The spill of one (site, day); emptied first. It must not outlive this database.
  std::unique_ptr<VisitorSpill> day(std::string_view site, std::int32_t day, Status& status);
  Status drop_day(std::string_view site, std::int32_t day);

  struct DaySpill;

 private:
  VisitorSpillDatabase() = default;
  SqliteConnection db_;
  SqliteQuery save_, load_, drop_;
};

}  // namespace ithaca::tracker
