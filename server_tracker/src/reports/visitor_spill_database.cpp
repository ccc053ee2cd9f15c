#include "reports/visitor_spill_database.hpp"

#include <filesystem>

namespace ithaca::tracker {

struct VisitorSpillDatabase::DaySpill final : VisitorSpill {
  DaySpill(VisitorSpillDatabase& db, std::string_view site, std::int32_t day) : db_(db), site_(site), day_(day) {}
  Status save(std::uint64_t visitor, std::string_view state) override {
    return db_.save_.bind(1, site_).bind(2, day_).bind(3, static_cast<std::int64_t>(visitor)).bind(4, state).run();
  }
  Status load(std::uint64_t visitor, std::string& state, bool& found) override {
    SqliteQuery& q = db_.load_.bind(1, site_).bind(2, day_).bind(3, static_cast<std::int64_t>(visitor));
    const int rc = q.step();
    found = rc == SQLITE_ROW;
    if (found) state.assign(q.view(0));
    return q.done(found ? SQLITE_DONE : rc);
  }

  VisitorSpillDatabase& db_;
  std::string site_;
  std::int32_t day_;
};

std::unique_ptr<VisitorSpillDatabase> VisitorSpillDatabase::open(const std::string& path, std::string& error) {
  std::unique_ptr<VisitorSpillDatabase> db(new VisitorSpillDatabase());
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  Status s = db->db_.open(path, true);
  // One writer, this thread: an exclusive lock taken once instead of per statement.
  if (s) s = db->db_.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;");
  if (s) {
    s = db->db_.exec("DROP TABLE IF EXISTS visitors; CREATE TABLE visitors (site TEXT NOT NULL, day INTEGER NOT NULL, "
                     "visitor INTEGER NOT NULL, state BLOB NOT NULL, PRIMARY KEY (site, day, visitor));");
  }
  if (s) s = db->save_.prepare(db->db_.handle(), "INSERT OR REPLACE INTO visitors VALUES (?1, ?2, ?3, ?4)");
  if (s) s = db->load_.prepare(db->db_.handle(), "SELECT state FROM visitors WHERE site = ?1 AND day = ?2 AND visitor = ?3");
  if (s) s = db->drop_.prepare(db->db_.handle(), "DELETE FROM visitors WHERE site = ?1 AND day = ?2");
  if (!s) {
    error = "visitor spill: " + s.message();
    return nullptr;
  }
  return db;
}

std::unique_ptr<VisitorSpill> VisitorSpillDatabase::day(std::string_view site, std::int32_t day, Status& status) {
  status = drop_day(site, day);
  return std::make_unique<DaySpill>(*this, site, day);
}

Status VisitorSpillDatabase::drop_day(std::string_view site, std::int32_t day) {
  return drop_.bind(1, site).bind(2, day).run();
}

}  // namespace ithaca::tracker
