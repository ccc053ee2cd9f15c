#include "reports/rollup_database.hpp"

#include <algorithm>
#include <deque>
#include <optional>

#include "paced_vfs.hpp"

namespace ithaca::tracker {
namespace {

// The errors of a damaged roll-up row, for the writer's compaction and the reader alike.
Status undecodable_block() { return Status::error("roll-ups: a visitor_events block cannot be decoded"); }
Status undecodable_list() { return Status::error("roll-ups: a visitor_values list cannot be decoded"); }

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dim_day (
  site TEXT NOT NULL, dim INTEGER NOT NULL, value TEXT NOT NULL, day INTEGER NOT NULL,
  pageviews INTEGER NOT NULL, events INTEGER NOT NULL, visitors INTEGER NOT NULL, entries INTEGER NOT NULL,
  PRIMARY KEY (site, dim, value, day)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dim_hour (
  site TEXT NOT NULL, dim INTEGER NOT NULL, value TEXT NOT NULL, day INTEGER NOT NULL, hour INTEGER NOT NULL,
  pageviews INTEGER NOT NULL, events INTEGER NOT NULL, visitors INTEGER NOT NULL,
  PRIMARY KEY (site, dim, value, day, hour)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dim_pair_day (
  site TEXT NOT NULL, fdim INTEGER NOT NULL, fvalue TEXT NOT NULL, dim INTEGER NOT NULL, value TEXT NOT NULL,
  day INTEGER NOT NULL,
  pageviews INTEGER NOT NULL, events INTEGER NOT NULL, visitors INTEGER NOT NULL, entries INTEGER NOT NULL,
  PRIMARY KEY (site, fdim, fvalue, dim, value, day)) WITHOUT ROWID;
-- The journey tables hold, besides the rows of every event (fdim 0, fvalue ''), the rows of the
-- events whose dimension fdim (one of kPairDims) has the value fvalue.
CREATE TABLE IF NOT EXISTS stage_sets (
  site TEXT NOT NULL, fdim INTEGER NOT NULL, fvalue TEXT NOT NULL, stages TEXT NOT NULL, day INTEGER NOT NULL,
  visitors INTEGER NOT NULL,
  PRIMARY KEY (site, fdim, fvalue, stages, day)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS paths (
  site TEXT NOT NULL, fdim INTEGER NOT NULL, fvalue TEXT NOT NULL, kind INTEGER NOT NULL, steps TEXT NOT NULL,
  day INTEGER NOT NULL, visits INTEGER NOT NULL,
  PRIMARY KEY (site, fdim, fvalue, kind, steps, day)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS attribution (
  site TEXT NOT NULL, fdim INTEGER NOT NULL, fvalue TEXT NOT NULL, by INTEGER NOT NULL, goal TEXT NOT NULL,
  key TEXT NOT NULL, day INTEGER NOT NULL,
  first INTEGER NOT NULL, last INTEGER NOT NULL, linear INTEGER NOT NULL,
  first_value INTEGER NOT NULL, last_value INTEGER NOT NULL, linear_value INTEGER NOT NULL,
  PRIMARY KEY (site, fdim, fvalue, by, goal, key, day)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS units (
  site TEXT NOT NULL, fdim INTEGER NOT NULL, fvalue TEXT NOT NULL, kind INTEGER NOT NULL, key TEXT NOT NULL,
  variant TEXT NOT NULL, day INTEGER NOT NULL, visitors INTEGER NOT NULL, exposures INTEGER NOT NULL,
  PRIMARY KEY (site, fdim, fvalue, kind, key, variant, day)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS unit_goals (
  site TEXT NOT NULL, fdim INTEGER NOT NULL, fvalue TEXT NOT NULL, kind INTEGER NOT NULL, key TEXT NOT NULL,
  variant TEXT NOT NULL, goal TEXT NOT NULL, day INTEGER NOT NULL, converted INTEGER NOT NULL,
  PRIMARY KEY (site, fdim, fvalue, kind, key, variant, goal, day)) WITHOUT ROWID;
-- Each visitor-day's events, compactly encoded (visitor_events.hpp), for the reports no table
-- above answers: per day, visitor bucket and flush (part: its first seq), one block of chunks.
CREATE TABLE IF NOT EXISTS visitor_events (
  site TEXT NOT NULL, day INTEGER NOT NULL, bucket INTEGER NOT NULL, part INTEGER NOT NULL, events BLOB NOT NULL,
  PRIMARY KEY (site, day, bucket, part)) WITHOUT ROWID;
-- Per day and visitor_events flush (part: its first seq), the visitors that have each (dimension,
-- value) in some event (visitor_events.hpp's list encoding), so a selective filter reads only
-- their chunks; dim 0 rows only count the flush's visitors (empty list).
CREATE TABLE IF NOT EXISTS visitor_values (
  site TEXT NOT NULL, day INTEGER NOT NULL, dim INTEGER NOT NULL, value TEXT NOT NULL, part INTEGER NOT NULL,
  visitors INTEGER NOT NULL, list BLOB NOT NULL,
  PRIMARY KEY (site, day, dim, value, part)) WITHOUT ROWID;
)";

constexpr const char* kTables[] = {"dim_day",    "dim_hour",   "dim_pair_day",   "stage_sets",
                                   "paths",      "attribution", "units",        "unit_goals",
                                   "visitor_events", "visitor_values"};
constexpr int kTableCount = 10;
// 4: page, landing page and event pairs; 5: visitor_events; 6: visitor_values, and journey rows
// under a page, landing-page or event filter; 7: visitor_events in blocks per visitor bucket.
constexpr const char* kRollupSchema = "7";

Status open_db(SqliteConnection& db, const std::string& path, bool writer) {
  // The writer's MBs per flush reach the disk in steps (paced_vfs.hpp), so they do not queue in
  // front of the events WAL's fdatasync all at once when this file is synced.
  if (Status s = db.open(path, writer, writer ? paced_vfs_name() : nullptr); !s) return s;
  if (Status s = db.exec("PRAGMA journal_mode=WAL;"); !s) return s;
  // Derived data: a crash may lose the newest roll-up transaction, never make it inconsistent
  // (the processed-events mark commits with the rows), and the builder redoes it.
  if (Status s = db.exec("PRAGMA synchronous=NORMAL;"); !s) return s;
  if (writer) return db.exec(kSchema);
  // Reports read the visitor_events roll-up in bulk: mapped, its pages cost no read() call each
  // (a quarter less CPU per scan). Mapped pages are the page cache's, not the tracker's own memory.
  return db.exec("PRAGMA query_only=ON; PRAGMA mmap_size=2147418112;");
}

}  // namespace

struct RollupWriter::Statements {
  SqliteQuery begin, commit, rollback;
  SqliteQuery put_dim_day, del_dim_day, put_dim_hour, del_dim_hour;
  SqliteQuery put_pair, del_pair, put_stage, del_stage, put_path, del_path, put_attr, put_unit, put_goal, del_goal;
  SqliteQuery put_visitor_events, del_visitor_events, put_visitor_values, del_visitor_values;
  SqliteQuery bucket_blocks, del_bucket_blocks, day_lists, day_parts;
  SqliteQuery set_meta, get_meta, days;
  SqliteQuery delete_day[kTableCount], delete_before[kTableCount], delete_site[kTableCount];
};

RollupWriter::RollupWriter() : s_(std::make_unique<Statements>()) {}
RollupWriter::~RollupWriter() = default;

std::unique_ptr<RollupWriter> RollupWriter::open(const std::string& path, std::string& error) {
  std::unique_ptr<RollupWriter> w(new RollupWriter());
  auto fail = [&](const Status& st) {
    error = st.message();
    return nullptr;
  };
  if (Status st = open_db(w->db_, path, true); !st) return fail(st);
  sqlite3* db = w->db_.handle();
  Statements& s = *w->s_;
  const std::pair<SqliteQuery*, const char*> statements[] = {
      {&s.begin, "BEGIN IMMEDIATE"},
      {&s.commit, "COMMIT"},
      {&s.rollback, "ROLLBACK"},
      {&s.put_dim_day, "INSERT OR REPLACE INTO dim_day VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&s.del_dim_day, "DELETE FROM dim_day WHERE site = ?1 AND dim = ?2 AND value = ?3 AND day = ?4"},
      {&s.put_dim_hour, "INSERT OR REPLACE INTO dim_hour VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&s.del_dim_hour, "DELETE FROM dim_hour WHERE site = ?1 AND dim = ?2 AND value = ?3 AND day = ?4 AND hour = ?5"},
      {&s.put_pair, "INSERT OR REPLACE INTO dim_pair_day VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"},
      {&s.del_pair, "DELETE FROM dim_pair_day WHERE site = ?1 AND fdim = ?2 AND fvalue = ?3 AND dim = ?4 AND value = ?5 "
                    "AND day = ?6"},
      // Journey statements: ?1 site, ?2 fdim, ?3 fvalue, then the table's own columns.
      {&s.put_stage, "INSERT OR REPLACE INTO stage_sets VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&s.del_stage, "DELETE FROM stage_sets WHERE site = ?1 AND fdim = ?2 AND fvalue = ?3 AND stages = ?4 AND "
                     "day = ?5"},
      {&s.put_path, "INSERT OR REPLACE INTO paths VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&s.del_path, "DELETE FROM paths WHERE site = ?1 AND fdim = ?2 AND fvalue = ?3 AND kind = ?4 AND steps = ?5 "
                    "AND day = ?6"},
      {&s.put_attr, "INSERT OR REPLACE INTO attribution VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                    "?13)"},
      {&s.put_unit, "INSERT OR REPLACE INTO units VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
      {&s.put_goal, "INSERT OR REPLACE INTO unit_goals VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
      {&s.del_goal, "DELETE FROM unit_goals WHERE site = ?1 AND fdim = ?2 AND fvalue = ?3 AND kind = ?4 AND key = ?5 "
                    "AND variant = ?6 AND goal = ?7 AND day = ?8"},
      {&s.put_visitor_events, "INSERT OR REPLACE INTO visitor_events VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&s.del_visitor_events, "DELETE FROM visitor_events WHERE site = ?1 AND day = ?2"},
      {&s.put_visitor_values, "INSERT OR REPLACE INTO visitor_values VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&s.del_visitor_values, "DELETE FROM visitor_values WHERE site = ?1 AND day = ?2"},
      {&s.bucket_blocks, "SELECT part, events FROM visitor_events WHERE site = ?1 AND day = ?2 AND bucket = ?3 "
                         "ORDER BY site, day, bucket, part"},
      {&s.del_bucket_blocks, "DELETE FROM visitor_events WHERE site = ?1 AND day = ?2 AND bucket = ?3"},
      {&s.day_lists, "SELECT dim, value, part, list FROM visitor_values WHERE site = ?1 AND day = ?2 AND dim > 0 "
                     "ORDER BY site, day, dim, value, part"},
      {&s.day_parts, "SELECT count(*), min(part) FROM visitor_values WHERE site = ?1 AND day = ?2 AND dim = 0 AND "
                     "value = ''"},
      {&s.set_meta, "INSERT OR REPLACE INTO meta VALUES (?1, ?2)"},
      {&s.days, "SELECT DISTINCT day FROM dim_day WHERE site = ?1 AND dim = 0 ORDER BY day"},
  };
  // Roll-ups from another version of this code are dropped and rebuilt from the events (before
  // the statements are prepared: they need this version's columns).
  if (Status st = s.get_meta.prepare(db, "SELECT value FROM meta WHERE key = ?1"); !st) return fail(st);
  std::string version;
  bool found = false;
  if (Status st = w->get_meta("schema", version, found); !st) return fail(st);
  if (!found || version != kRollupSchema) {
    // Tables are dropped, not emptied: their columns may have changed.
    std::string drop = "BEGIN; DELETE FROM meta;";
    for (const char* table : kTables) drop += std::string(" DROP TABLE IF EXISTS ") + table + ";";
    drop += kSchema;
    drop += " INSERT INTO meta VALUES ('schema', '" + std::string(kRollupSchema) + "'); COMMIT;";
    if (Status st = w->db_.exec(drop); !st) return fail(st);
  }
  for (const auto& [q, sql] : statements) {
    if (Status st = q->prepare(db, sql); !st) return fail(st);
  }
  for (int t = 0; t < kTableCount; ++t) {
    const std::string table = kTables[t];
    if (Status st = s.delete_day[t].prepare(db, "DELETE FROM " + table + " WHERE site = ?1 AND day = ?2"); !st) {
      return fail(st);
    }
    if (Status st = s.delete_before[t].prepare(db, "DELETE FROM " + table + " WHERE site = ?1 AND day < ?2"); !st) {
      return fail(st);
    }
    if (Status st = s.delete_site[t].prepare(db, "DELETE FROM " + table + " WHERE site = ?1"); !st) return fail(st);
  }
  return w;
}

Status RollupWriter::begin() { return s_->begin.run(); }
Status RollupWriter::commit() { return s_->commit.run(); }
void RollupWriter::rollback() { (void)s_->rollback.run(); }

namespace {

class WritingSink final : public AggregateSink {
 public:
  WritingSink(RollupWriter::Statements& s, std::string_view site, std::int32_t day) : s_(s), site_(site), day_(day) {}
  Status status;

  void dim_day(Dim dim, std::string_view value, const Counts& c, std::int64_t entries) override {
    if (c.events == 0) {
      run(s_.del_dim_day.bind(1, site_).bind(2, static_cast<int>(dim)).bind(3, value).bind(4, day_));
      return;
    }
    run(s_.put_dim_day.bind(1, site_).bind(2, static_cast<int>(dim)).bind(3, value).bind(4, day_)
            .bind(5, c.pageviews).bind(6, c.events).bind(7, c.visitors).bind(8, entries));
  }
  void dim_hour(int hour, Dim dim, std::string_view value, const Counts& c) override {
    if (c.events == 0) {
      run(s_.del_dim_hour.bind(1, site_).bind(2, static_cast<int>(dim)).bind(3, value).bind(4, day_).bind(5, hour));
      return;
    }
    run(s_.put_dim_hour.bind(1, site_).bind(2, static_cast<int>(dim)).bind(3, value).bind(4, day_).bind(5, hour)
            .bind(6, c.pageviews).bind(7, c.events).bind(8, c.visitors));
  }
  void pair_day(Dim filter_dim, std::string_view filter_value, Dim dim, std::string_view value, const Counts& c,
                std::int64_t entries) override {
    if (c.events == 0) {
      run(s_.del_pair.bind(1, site_).bind(2, static_cast<int>(filter_dim)).bind(3, filter_value)
              .bind(4, static_cast<int>(dim)).bind(5, value).bind(6, day_));
      return;
    }
    run(s_.put_pair.bind(1, site_).bind(2, static_cast<int>(filter_dim)).bind(3, filter_value)
            .bind(4, static_cast<int>(dim)).bind(5, value).bind(6, day_).bind(7, c.pageviews).bind(8, c.events)
            .bind(9, c.visitors).bind(10, entries));
  }
  void segment(Dim filter_dim, std::string_view filter_value) override {
    segment_dim_ = static_cast<int>(filter_dim);
    segment_value_ = filter_value;
  }
  void stage_set(std::string_view stages, std::int64_t visitors) override {
    if (visitors == 0) {
      run(journey(s_.del_stage).bind(4, stages).bind(5, day_));
      return;
    }
    run(journey(s_.put_stage).bind(4, stages).bind(5, day_).bind(6, visitors));
  }
  void path(PathKind kind, std::string_view steps, std::int64_t visits) override {
    if (visits == 0) {
      run(journey(s_.del_path).bind(4, static_cast<int>(kind)).bind(5, steps).bind(6, day_));
      return;
    }
    run(journey(s_.put_path).bind(4, static_cast<int>(kind)).bind(5, steps).bind(6, day_).bind(7, visits));
  }
  void attribution(std::string_view goal, TouchKey by, const AttributionRow& r) override {
    run(journey(s_.put_attr).bind(4, static_cast<int>(by)).bind(5, goal).bind(6, r.key).bind(7, day_)
            .bind(8, r.first).bind(9, r.last).bind(10, r.linear).bind(11, r.first_value).bind(12, r.last_value)
            .bind(13, r.linear_value));
  }
  void unit(UnitKind kind, std::string_view key, std::string_view variant, std::int64_t visitors,
            std::int64_t exposures) override {
    run(journey(s_.put_unit).bind(4, static_cast<int>(kind)).bind(5, key).bind(6, variant).bind(7, day_)
            .bind(8, visitors).bind(9, exposures));
  }
  void unit_goal(UnitKind kind, std::string_view key, std::string_view variant, std::string_view goal,
                 std::int64_t converted) override {
    if (converted == 0) {
      run(journey(s_.del_goal).bind(4, static_cast<int>(kind)).bind(5, key).bind(6, variant).bind(7, goal)
              .bind(8, day_));
      return;
    }
    run(journey(s_.put_goal).bind(4, static_cast<int>(kind)).bind(5, key).bind(6, variant).bind(7, goal)
            .bind(8, day_).bind(9, converted));
  }

 private:
  void run(SqliteQuery& q) {
    Status st = q.run();
    if (!st && status) status = st;
  }
  SqliteQuery& journey(SqliteQuery& q) { return q.bind(1, site_).bind(2, segment_dim_).bind(3, segment_value_); }
  RollupWriter::Statements& s_;
  std::string_view site_;
  std::int32_t day_;
  int segment_dim_ = 0;
  std::string segment_value_;
};

}  // namespace

Status RollupWriter::write(std::string_view site, const DayAggregator& day, bool dirty_only) {
  WritingSink sink(*s_, site, day.day());
  day.emit(sink, dirty_only);
  return sink.status;
}

Status RollupWriter::write_visitor_events(std::string_view site, std::int32_t day, const VisitorEventLog& log) {
  if (log.replace) {
    if (Status st = s_->del_visitor_events.bind(1, site).bind(2, day).run(); !st) return st;
    if (Status st = s_->del_visitor_values.bind(1, site).bind(2, day).run(); !st) return st;
  }
  if (log.empty()) return Status::ok();
  Status status;
  const std::int64_t part = log.first_seq();
  log.each_block([&](std::int64_t bucket, std::string_view block) {
    if (!status) return;
    status = s_->put_visitor_events.bind(1, site).bind(2, day).bind(3, bucket).bind(4, part).bind_blob(5, block).run();
  });
  if (status) {
    status = s_->put_visitor_values.bind(1, site).bind(2, day).bind(3, 0).bind(4, "").bind(5, part)
                 .bind(6, static_cast<std::int64_t>(log.visitors())).bind_blob(7, "").run();
  }
  std::string list;
  log.each_value([&](Dim dim, std::string_view value, const std::vector<std::uint64_t>& visitors) {
    if (!status) return;
    encode_visitor_list(visitors, list);
    status = s_->put_visitor_values.bind(1, site).bind(2, day).bind(3, static_cast<int>(dim)).bind(4, value)
                 .bind(5, part).bind(6, static_cast<std::int64_t>(visitors.size())).bind_blob(7, list).run();
  });
  return status;
}

Status RollupWriter::visitor_event_parts(std::string_view site, std::int32_t day, std::int64_t& parts) {
  SqliteQuery& q = s_->day_parts.bind(1, site).bind(2, day);
  const int rc = q.step();
  parts = rc == SQLITE_ROW ? q.integer(0) : 0;
  return q.done(rc == SQLITE_ROW ? SQLITE_DONE : rc);
}

Status RollupWriter::compact_visitor_events(std::string_view site, std::int32_t day, VisitorEventsCompaction& out) {
  out = VisitorEventsCompaction{};
  // Blocks, bucket by bucket: each bucket's rows are read (copied) before they are replaced.
  std::vector<std::string> rows;
  std::vector<std::string_view> views;
  std::string merged;
  for (std::int64_t bucket = -128; bucket < 128; ++bucket) {
    rows.clear();
    std::int64_t first_part = 0;
    SqliteQuery& q = s_->bucket_blocks.bind(1, site).bind(2, day).bind(3, bucket);
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      if (rows.empty()) first_part = q.integer(0);
      rows.emplace_back(q.view(1));
    }
    if (Status st = q.done(rc); !st) return st;
    out.blocks_before += static_cast<std::int64_t>(rows.size());
    if (rows.empty()) continue;
    ++out.blocks_after;
    if (rows.size() == 1) {  // already whole: only counted
      VisitorBlock block;
      if (!block.parse(rows[0])) return undecodable_block();
      out.visitors += static_cast<std::int64_t>(block.entries().size());
      continue;
    }
    views.assign(rows.begin(), rows.end());
    std::size_t visitors = 0;
    if (!merge_visitor_blocks(views, merged, visitors)) return undecodable_block();
    out.visitors += static_cast<std::int64_t>(visitors);
    // The earliest part: a later flush of the day (a larger first seq) still sorts after it.
    if (Status st = s_->del_bucket_blocks.bind(1, site).bind(2, day).bind(3, bucket).run(); !st) return st;
    if (Status st = s_->put_visitor_events.bind(1, site).bind(2, day).bind(3, bucket).bind(4, first_part)
                        .bind_blob(5, merged).run();
        !st) {
      return st;
    }
  }

  // Lists: the day's are merged in memory (a whole day's, as compact as they get), then written.
  struct List {
    int dim;
    std::string value;
    std::int64_t part;
    std::string list;
    std::size_t visitors;
  };
  std::vector<List> lists;
  std::int64_t first_part = 0;
  {
    SqliteQuery& q = s_->day_parts.bind(1, site).bind(2, day);
    const int rc = q.step();
    if (rc == SQLITE_ROW) {
      out.lists_before = q.integer(0);
      first_part = q.integer(1);
    }
    if (Status st = q.done(rc == SQLITE_ROW ? SQLITE_DONE : rc); !st) return st;
  }
  if (out.lists_before == 0) return Status::ok();  // no flush wrote the day's lists
  std::vector<std::string> parts;
  auto finish = [&](List& l) -> bool {
    views.assign(parts.begin(), parts.end());
    return merge_visitor_lists(views, l.list, l.visitors);
  };
  SqliteQuery& q = s_->day_lists.bind(1, site).bind(2, day);
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    ++out.lists_before;
    const int dim = static_cast<int>(q.integer(0));
    const std::string_view value = q.view(1);
    if (lists.empty() || lists.back().dim != dim || lists.back().value != value) {
      if (!lists.empty() && !finish(lists.back())) {
        (void)q.done(SQLITE_DONE);
        return undecodable_list();
      }
      parts.clear();
      lists.push_back({dim, std::string(value), q.integer(2), {}, 0});
    }
    parts.emplace_back(q.view(3));
  }
  if (Status st = q.done(rc); !st) return st;
  if (!lists.empty() && !finish(lists.back())) return undecodable_list();
  out.lists_after = 1 + static_cast<std::int64_t>(lists.size());
  if (out.lists_after == out.lists_before) return Status::ok();  // already one list per value
  if (Status st = s_->del_visitor_values.bind(1, site).bind(2, day).run(); !st) return st;
  if (Status st = s_->put_visitor_values.bind(1, site).bind(2, day).bind(3, 0).bind(4, "").bind(5, first_part)
                      .bind(6, out.visitors).bind_blob(7, "").run();
      !st) {
    return st;
  }
  for (const List& l : lists) {
    if (Status st = s_->put_visitor_values.bind(1, site).bind(2, day).bind(3, l.dim).bind(4, l.value).bind(5, l.part)
                        .bind(6, static_cast<std::int64_t>(l.visitors)).bind_blob(7, l.list).run();
        !st) {
      return st;
    }
  }
  return Status::ok();
}

Status RollupWriter::delete_day(std::string_view site, std::int32_t day) {
  for (auto& q : s_->delete_day) {
    if (Status st = q.bind(1, site).bind(2, day).run(); !st) return st;
  }
  return Status::ok();
}

Status RollupWriter::delete_before(std::string_view site, std::int32_t day) {
  for (auto& q : s_->delete_before) {
    if (Status st = q.bind(1, site).bind(2, day).run(); !st) return st;
  }
  return Status::ok();
}

Status RollupWriter::delete_site(std::string_view site) {
  for (auto& q : s_->delete_site) {
    if (Status st = q.bind(1, site).run(); !st) return st;
  }
  return Status::ok();
}

Status RollupWriter::set_meta(std::string_view key, std::string_view value) {
  return s_->set_meta.bind(1, key).bind(2, value).run();
}

Status RollupWriter::get_meta(std::string_view key, std::string& value, bool& found) {
  SqliteQuery& q = s_->get_meta;
  q.bind(1, key);
  const int rc = q.step();
  found = rc == SQLITE_ROW;
  if (found) value = q.text(0);
  return q.done(found ? SQLITE_DONE : rc);
}

Status RollupWriter::days(std::string_view site, std::vector<std::int32_t>& out) {
  out.clear();
  SqliteQuery& q = s_->days;
  q.bind(1, site);
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) out.push_back(static_cast<std::int32_t>(q.integer(0)));
  return q.done(rc);
}

// ---------------------------------------------------------------------------------------------

// The blocks of one (day, bucket), all parts. A row's bytes last until the next step: of each
// block only its string table and the wanted visitors' chunks are copied; the visitor-days are
// handed out once the group is complete, a visitor-day's chunks in part order.
class RollupReader::BlockGroup {
 public:
  // `only`: the wanted visitors (null: all), signed ascending; `start` its merge position at the
  // group's first visitor. False when the block cannot be parsed.
  bool add(std::string_view bytes, const std::vector<std::uint64_t>* only, std::size_t start) {
    if (!block_.parse(bytes)) return false;
    if (used_ == copies_.size()) {
      copies_.emplace_back();
      tables_.emplace_back();
    }
    const auto b = static_cast<std::uint32_t>(used_++);
    std::string& copy = copies_[b];
    copy.clear();
    std::size_t next = start;
    bool any = false;
    for (const VisitorBlock::Entry& e : block_.entries()) {
      const auto visitor = static_cast<std::int64_t>(e.visitor);
      bool wanted = true;
      if (only) {  // a merge: both ascend
        while (next < only->size() && static_cast<std::int64_t>((*only)[next]) < visitor) ++next;
        wanted = next < only->size() && static_cast<std::int64_t>((*only)[next]) == visitor;
      }
      if (wanted && !any) {  // the table first: the chunks' strings point into it
        copy.reserve(block_.table_bytes().size() + e.chunk.size() * 4);
        copy.assign(block_.table_bytes());
        any = true;
      }
      // Offsets for now: the copy may still grow.
      items_.push_back({visitor, b, wanted ? copy.size() : 0, wanted ? e.chunk.size() : 0, wanted});
      if (wanted) copy.append(e.chunk);
    }
    std::vector<std::string_view>& table = tables_[b];
    table.clear();
    if (any) {
      for (const std::string_view s : block_.strings()) {
        table.emplace_back(copy.data() + (s.data() - block_.table_bytes().data()), s.size());
      }
    }
    return true;
  }
  bool empty() const { return used_ == 0; }
  // Calls `f(day, visitor, chunks)` per wanted visitor-day of the group, counts the others in
  // `skipped`; empties the group.
  void emit(std::int32_t day, const VisitorDayFn& f, std::int64_t* skipped) {
    // Each block ascends, and blocks were added in part order: one stable sort keeps a visitor's
    // chunks in that order (merging block by block was quadratic in a live day's many parts).
    if (used_ > 1) {
      std::stable_sort(items_.begin(), items_.end(), [](const Item& x, const Item& y) { return x.visitor < y.visitor; });
    }
    for (std::size_t i = 0; i < items_.size();) {
      const std::int64_t visitor = items_[i].visitor;
      std::size_t j = i;
      while (j < items_.size() && items_[j].visitor == visitor) ++j;
      if (items_[i].wanted) {  // a visitor's items are all wanted or none
        chunks_.clear();
        for (std::size_t k = i; k < j; ++k) {
          const Item& it = items_[k];
          chunks_.push_back({std::string_view(copies_[it.block]).substr(it.offset, it.size), &tables_[it.block]});
        }
        f(day, static_cast<std::uint64_t>(visitor), chunks_);
      } else if (skipped) {
        ++*skipped;
      }
      i = j;
    }
    clear();
  }
  // Drops the group's visitor-days unread (a failed read: the next one starts empty).
  void clear() {
    items_.clear();
    used_ = 0;
  }

 private:
  struct Item {
    std::int64_t visitor;
    std::uint32_t block;
    std::size_t offset, size;  // of the chunk in the block's copy
    bool wanted;
  };
  VisitorBlock block_;
  // Kept, with their capacity, for the next group; deques, so that growing them moves nothing.
  std::deque<std::string> copies_;
  std::deque<std::vector<std::string_view>> tables_;
  std::size_t used_ = 0;
  std::vector<Item> items_;
  std::vector<VisitorChunkRef> chunks_;
};

struct RollupReader::Statements {
  SqliteQuery series_day, series_hour, breakdown, segment_breakdown, segment_totals, segment_entries, stage_sets, paths, attribution_all,
      attribution_goal, units, goals, visitor_chunks, data_version, visitor_list, visitor_count, visitor_day_chunks,
      begin, end;
};

RollupReader::RollupReader() : s_(std::make_unique<Statements>()) {}
RollupReader::~RollupReader() = default;

std::unique_ptr<RollupReader> RollupReader::open(const std::string& path, std::string& error) {
  std::unique_ptr<RollupReader> r(new RollupReader());
  auto fail = [&](const Status& st) {
    error = st.message();
    return nullptr;
  };
  if (Status st = open_db(r->db_, path, false); !st) return fail(st);
  sqlite3* db = r->db_.handle();
  Statements& s = *r->s_;
  const std::pair<SqliteQuery*, const char*> statements[] = {
      {&s.series_day, "SELECT day, pageviews, events, visitors FROM dim_day WHERE site = ?1 AND dim = ?2 AND "
                      "value = ?3 AND day BETWEEN ?4 AND ?5 ORDER BY day"},
      {&s.series_hour, "SELECT day, hour, pageviews, events, visitors FROM dim_hour WHERE site = ?1 AND dim = ?2 "
                       "AND value = ?3 AND day BETWEEN ?4 AND ?5 ORDER BY day, hour"},
      {&s.breakdown, "SELECT value, sum(pageviews), sum(events), sum(visitors), sum(entries) FROM dim_day "
                     "WHERE site = ?1 AND dim = ?2 AND day BETWEEN ?3 AND ?4 GROUP BY value"},
      {&s.segment_breakdown, "SELECT value, sum(pageviews), sum(events), sum(visitors), sum(entries) FROM "
                             "dim_pair_day WHERE site = ?1 AND fdim = ?2 AND fvalue = ?3 AND dim = ?4 AND day BETWEEN "
                             "?5 AND ?6 GROUP BY value"},
      {&s.segment_entries, "SELECT coalesce(sum(entries), 0) FROM dim_pair_day WHERE site = ?1 AND fdim = ?2 AND "
                           "fvalue = ?3 AND dim = ?4 AND day BETWEEN ?5 AND ?6"},
      {&s.segment_totals, "SELECT sum(pageviews), sum(events), sum(visitors), count(*) FROM dim_day WHERE site = ?1 "
                          "AND dim = ?2 AND value = ?3 AND day BETWEEN ?4 AND ?5"},
      // Journey queries: ?1 site, ?2 kind (or by), ?3 and ?4 days, ?6 fdim, ?7 fvalue.
      {&s.stage_sets, "SELECT stages, sum(visitors) FROM stage_sets WHERE site = ?1 AND fdim = ?6 AND fvalue = ?7 "
                      "AND day BETWEEN ?3 AND ?4 GROUP BY stages HAVING sum(visitors) > 0"},
      {&s.paths, "SELECT steps, sum(visits) FROM paths WHERE site = ?1 AND fdim = ?6 AND fvalue = ?7 AND kind = ?2 "
                 "AND day BETWEEN ?3 AND ?4 GROUP BY steps HAVING sum(visits) > 0"},
      {&s.attribution_all, "SELECT key, sum(first), sum(last), sum(linear), sum(first_value), sum(last_value), "
                           "sum(linear_value) FROM attribution WHERE site = ?1 AND fdim = ?6 AND fvalue = ?7 AND "
                           "by = ?2 AND day BETWEEN ?3 AND ?4 GROUP BY key"},
      {&s.attribution_goal, "SELECT key, sum(first), sum(last), sum(linear), sum(first_value), sum(last_value), "
                            "sum(linear_value) FROM attribution WHERE site = ?1 AND fdim = ?6 AND fvalue = ?7 AND "
                            "by = ?2 AND goal = ?5 AND day BETWEEN ?3 AND ?4 GROUP BY key"},
      {&s.units, "SELECT key, variant, sum(visitors), sum(exposures) FROM units WHERE site = ?1 AND fdim = ?6 AND "
                 "fvalue = ?7 AND kind = ?2 AND day BETWEEN ?3 AND ?4 GROUP BY key, variant"},
      {&s.visitor_chunks, "SELECT day, bucket, events FROM visitor_events WHERE site = ?1 AND day BETWEEN ?2 AND ?3 "
                          "ORDER BY site, day, bucket, part"},
      {&s.data_version, "PRAGMA data_version"},
      {&s.begin, "BEGIN"},
      {&s.end, "COMMIT"},
      {&s.visitor_list, "SELECT list FROM visitor_values WHERE site = ?1 AND day = ?2 AND dim = ?3 AND value = ?4"},
      {&s.visitor_count, "SELECT sum(visitors) FROM visitor_values WHERE site = ?1 AND day = ?2 AND dim = 0 AND "
                         "value = ''"},
      {&s.visitor_day_chunks, "SELECT events FROM visitor_events WHERE site = ?1 AND day = ?2 AND bucket = ?3 "
                              "ORDER BY site, day, bucket, part"},
      {&s.goals, "SELECT key, variant, goal, sum(converted) FROM unit_goals WHERE site = ?1 AND fdim = ?6 AND "
                 "fvalue = ?7 AND kind = ?2 AND day BETWEEN ?3 AND ?4 GROUP BY key, variant, goal "
                 "HAVING sum(converted) > 0"},
  };
  for (const auto& [q, sql] : statements) {
    if (Status st = q->prepare(db, sql); !st) return fail(st);
  }
  return r;
}

Status RollupReader::timeseries(const ReportScope& scope, Interval interval, const Filter& filter,
                                std::vector<SeriesPoint>& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  out.clear();
  const bool hourly = interval == Interval::Hour;
  SqliteQuery& q = hourly ? s_->series_hour : s_->series_day;
  q.bind(1, scope.site).bind(2, static_cast<int>(filter.dim)).bind(3, filter.value).bind(4, scope.first_day)
      .bind(5, scope.last_day);
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    SeriesPoint p;
    int i = 0;
    p.bucket = q.integer(i++);
    if (hourly) p.bucket = p.bucket * 24 + q.integer(i++);
    p.counts.pageviews = q.integer(i++);
    p.counts.events = q.integer(i++);
    p.counts.visitors = q.integer(i++);
    out.push_back(p);
  }
  return q.done(rc);
}

Status RollupReader::breakdown(const ReportScope& scope, Dim dim, std::vector<BreakdownRow>& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  out.clear();
  SqliteQuery& q = s_->breakdown;
  q.bind(1, scope.site).bind(2, static_cast<int>(dim)).bind(3, scope.first_day).bind(4, scope.last_day);
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    BreakdownRow r;
    r.value = q.text(0);
    r.counts = {q.integer(1), q.integer(2), q.integer(3)};
    r.entries = q.integer(4);
    out.push_back(std::move(r));
  }
  return q.done(rc);
}

Status RollupReader::segment_breakdown(const ReportScope& scope, Dim dim, const Filter& filter,
                                       std::vector<BreakdownRow>& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  out.clear();
  if (dim == Dim::All || dim == filter.dim) {
    // The filter's own value in dim_day: the same events, visitors and pageviews.
    SqliteQuery& q = s_->segment_totals;
    q.bind(1, scope.site).bind(2, static_cast<int>(filter.dim)).bind(3, filter.value).bind(4, scope.first_day)
        .bind(5, scope.last_day);
    const int rc = q.step();
    std::optional<BreakdownRow> row;
    if (rc == SQLITE_ROW && q.integer(3) > 0) row = BreakdownRow{"", Counts{q.integer(0), q.integer(1), q.integer(2)}, 0};
    if (Status st = q.done(rc == SQLITE_ROW ? SQLITE_DONE : rc); !st || !row) return st;
    if (dim == filter.dim) {
      // By its own dimension: one row, the filter's value. Its entries are the visits with a
      // matching pageview, each of which has its (first matching) entry under exactly one value
      // of any other dimension.
      row->value = filter.value;
      SqliteQuery& e = s_->segment_entries;
      e.bind(1, scope.site).bind(2, static_cast<int>(filter.dim)).bind(3, filter.value)
          .bind(4, static_cast<int>(filter.dim == Dim::Type ? Dim::Page : Dim::Type))
          .bind(5, scope.first_day).bind(6, scope.last_day);
      const int erc = e.step();
      if (erc == SQLITE_ROW) row->entries = e.integer(0);
      if (Status st = e.done(erc == SQLITE_ROW ? SQLITE_DONE : erc); !st) return st;
    }
    out.push_back(std::move(*row));
    return Status::ok();
  }
  SqliteQuery& q = s_->segment_breakdown;
  q.bind(1, scope.site).bind(2, static_cast<int>(filter.dim)).bind(3, filter.value).bind(4, static_cast<int>(dim))
      .bind(5, scope.first_day).bind(6, scope.last_day);
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    BreakdownRow r;
    r.value = q.text(0);
    r.counts = {q.integer(1), q.integer(2), q.integer(3)};
    r.entries = q.integer(4);
    out.push_back(std::move(r));
  }
  return q.done(rc);
}

namespace {

// Binds a journey query's site, days and segment (?1, ?3, ?4, ?6, ?7).
SqliteQuery& bind_journey(SqliteQuery& q, const ReportScope& scope, const Filter& filter) {
  return q.bind(1, scope.site).bind(3, scope.first_day).bind(4, scope.last_day)
      .bind(6, static_cast<int>(filter.dim)).bind(7, filter.value);
}

}  // namespace

Status RollupReader::stage_sets(const ReportScope& scope, const Filter& filter, std::vector<StageSetRow>& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  out.clear();
  SqliteQuery& q = bind_journey(s_->stage_sets, scope, filter);
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) out.push_back({q.text(0), q.integer(1)});
  return q.done(rc);
}

void top_paths(std::vector<PathRow> all, std::size_t limit, PathResult& out) {
  out = PathResult{};
  out.distinct = static_cast<std::int64_t>(all.size());
  for (const auto& r : all) out.total_visits += r.visits;
  auto order = [](const PathRow& a, const PathRow& b) {
    return a.visits != b.visits ? a.visits > b.visits : a.steps < b.steps;
  };
  if (all.size() > limit) {
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(limit), all.end(), order);
    all.resize(limit);
  } else {
    std::sort(all.begin(), all.end(), order);
  }
  out.rows = std::move(all);
}

Status RollupReader::paths(const ReportScope& scope, const Filter& filter, PathKind kind, std::size_t limit,
                          PathResult& out) {
  std::vector<PathRow> all;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    SqliteQuery& q = bind_journey(s_->paths, scope, filter).bind(2, static_cast<int>(kind));
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) all.push_back({q.text(0), q.integer(1)});
    if (Status st = q.done(rc); !st) return st;
  }
  top_paths(std::move(all), limit, out);
  return Status::ok();
}

Status RollupReader::attribution(const ReportScope& scope, const Filter& filter, std::string_view goal, TouchKey by,
                                 std::vector<AttributionRow>& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  out.clear();
  SqliteQuery& q = bind_journey(goal.empty() ? s_->attribution_all : s_->attribution_goal, scope, filter);
  q.bind(2, static_cast<int>(by));
  if (!goal.empty()) q.bind(5, goal);
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    AttributionRow r;
    r.key = q.text(0);
    r.first = q.integer(1);
    r.last = q.integer(2);
    r.linear = q.integer(3);
    r.first_value = q.integer(4);
    r.last_value = q.integer(5);
    r.linear_value = q.integer(6);
    out.push_back(std::move(r));
  }
  return q.done(rc);
}

Status RollupReader::units(const ReportScope& scope, const Filter& filter, UnitKind kind,
                           std::vector<UnitRow>& exposed, std::vector<UnitGoalRow>& converted) {
  std::lock_guard<std::mutex> lock(mutex_);
  exposed.clear();
  converted.clear();
  SqliteQuery& u = bind_journey(s_->units, scope, filter).bind(2, static_cast<int>(kind));
  int rc;
  while ((rc = u.step()) == SQLITE_ROW) exposed.push_back({u.text(0), u.text(1), u.integer(2), u.integer(3)});
  if (Status st = u.done(rc); !st) return st;
  SqliteQuery& g = bind_journey(s_->goals, scope, filter).bind(2, static_cast<int>(kind));
  while ((rc = g.step()) == SQLITE_ROW) converted.push_back({g.text(0), g.text(1), g.text(2), g.integer(3)});
  return g.done(rc);
}

Status RollupReader::visitor_chunks(const ReportScope& scope, const VisitorDayFn& f,
                                    const std::vector<std::uint64_t>* only, std::int64_t* skipped) {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteQuery& q = s_->visitor_chunks.bind(1, scope.site).bind(2, scope.first_day).bind(3, scope.last_day);
  if (!group_) group_ = std::make_unique<BlockGroup>();
  BlockGroup& group = *group_;
  std::int32_t day = 0;
  std::int64_t bucket = 0;
  std::size_t start = 0;  // `only`'s merge position at the group's first visitor
  bool ok = true;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    const auto d = static_cast<std::int32_t>(q.integer(0));
    const std::int64_t b = q.integer(1);
    if (!group.empty() && (d != day || b != bucket)) {
      group.emit(day, f, skipped);
      if (d != day) start = 0;
    }
    if (group.empty() && only) {
      start = static_cast<std::size_t>(std::lower_bound(only->begin() + static_cast<std::ptrdiff_t>(start), only->end(),
                                                        b, [](std::uint64_t v, std::int64_t bk) {
                                                          return visitor_bucket(v) < bk;
                                                        }) -
                                       only->begin());
    }
    day = d;
    bucket = b;
    ok = group.add(q.view(2), only, start);
    if (!ok) break;
  }
  if (ok && rc == SQLITE_DONE) {
    if (!group.empty()) group.emit(day, f, skipped);
  } else {  // dropped: the next read starts empty
    group.clear();
  }
  if (!ok) {
    (void)q.done(SQLITE_DONE);
    return undecodable_block();
  }
  return q.done(rc);
}

Status RollupReader::visitors_with(std::string_view site, std::int32_t day, Dim dim, std::string_view value,
                                   std::vector<std::uint64_t>& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  out.clear();
  SqliteQuery& q = s_->visitor_list.bind(1, site).bind(2, day).bind(3, static_cast<int>(dim)).bind(4, value);
  int rc;
  std::size_t parts = 0;
  while ((rc = q.step()) == SQLITE_ROW) {
    ++parts;
    if (!decode_visitor_list(q.view(0), out)) {
      (void)q.done(SQLITE_DONE);
      return undecodable_list();
    }
  }
  // One part's list is already ascending; a visitor-day flushed more than once is on several.
  if (parts > 1) union_of_decoded_lists(out);
  return q.done(rc);
}

Status RollupReader::visitor_days(std::string_view site, std::int32_t day, std::int64_t& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteQuery& q = s_->visitor_count.bind(1, site).bind(2, day);
  const int rc = q.step();
  out = rc == SQLITE_ROW ? q.integer(0) : 0;
  return q.done(rc == SQLITE_ROW ? SQLITE_DONE : rc);
}

Status RollupReader::visitor_chunks_of(std::string_view site, std::int32_t day,
                                       const std::vector<std::uint64_t>& visitors, const VisitorDayFn& f) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!group_) group_ = std::make_unique<BlockGroup>();
  BlockGroup& group = *group_;
  SqliteQuery& q = s_->visitor_day_chunks;
  for (std::size_t i = 0; i < visitors.size();) {
    const std::size_t start = i;
    const std::int64_t bucket = visitor_bucket(visitors[i]);
    while (i < visitors.size() && visitor_bucket(visitors[i]) == bucket) ++i;
    q.bind(1, site).bind(2, day).bind(3, bucket);
    int rc;
    bool ok = true;
    while (ok && (rc = q.step()) == SQLITE_ROW) ok = group.add(q.view(0), &visitors, start);
    if (!ok) {
      group.clear();
      (void)q.done(SQLITE_DONE);
      return undecodable_block();
    }
    if (Status st = q.done(rc); !st) {
      group.clear();
      return st;
    }
    group.emit(day, f, nullptr);
  }
  return Status::ok();
}

Status RollupReader::begin_read() {
  std::lock_guard<std::mutex> lock(mutex_);
  return s_->begin.run();
}

Status RollupReader::end_read() {
  std::lock_guard<std::mutex> lock(mutex_);
  return s_->end.run();
}

Status RollupReader::data_version(std::int64_t& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteQuery& q = s_->data_version;
  const int rc = q.step();
  if (rc == SQLITE_ROW) out = q.integer(0);
  return q.done(rc == SQLITE_ROW ? SQLITE_DONE : rc);
}

}  // namespace ithaca::tracker
