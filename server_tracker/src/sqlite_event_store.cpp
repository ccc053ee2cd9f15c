#include "sqlite_event_store.hpp"

#include <limits>
#include <string>

#include "sqlite_schema.hpp"

namespace ithaca::tracker {
namespace {

std::string insert_sql(const char* table) {
  std::string sql = std::string("INSERT INTO ") + table + " (" + kEventColumns + ") VALUES (";
  for (int i = 1; i <= kEventColumnCount; ++i) {
    sql += '?';
    sql += std::to_string(i);
    sql += i < kEventColumnCount ? ',' : ')';
  }
  // Only a repeated (site, event_id) is skipped; any other constraint failure is an error.
  sql += " ON CONFLICT DO NOTHING";
  return sql;
}

std::int64_t lower(const TimeRange& r) { return r.from_ms.value_or(std::numeric_limits<std::int64_t>::min()); }
std::int64_t upper(const TimeRange& r) { return r.to_ms.value_or(std::numeric_limits<std::int64_t>::max()); }

}  // namespace

std::unique_ptr<SqliteEventStore> SqliteEventStore::open(const std::string& path,
                                                         bool synchronous_full,
                                                         std::string& error,
                                                         std::shared_ptr<CommittedEvents> committed) {
  std::unique_ptr<SqliteEventStore> store(new SqliteEventStore());
  store->committed_ = std::move(committed);
  auto fail = [&](const Status& s) {
    error = s.message();
    return nullptr;
  };
  if (Status s = store->writer_.open(path, true); !s) return fail(s);
  if (Status s = configure_connection(store->writer_, synchronous_full); !s) return fail(s);
  if (Status s = apply_schema(store->writer_); !s) return fail(s);
  auto& w = store->writer_;
  if (Status s = w.prepare("BEGIN IMMEDIATE", store->begin_); !s) return fail(s);
  if (Status s = w.prepare("COMMIT", store->commit_); !s) return fail(s);
  if (Status s = w.prepare("ROLLBACK", store->rollback_); !s) return fail(s);
  if (Status s = w.prepare(insert_sql("events"), store->insert_human_); !s) return fail(s);
  if (Status s = w.prepare(insert_sql("bot_events"), store->insert_bot_); !s) return fail(s);
  if (Status s = w.prepare("DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE site = ?1 "
                           "AND ts < ?2 LIMIT 5000)",
                           store->delete_human_);
      !s) {
    return fail(s);
  }
  if (Status s = w.prepare("DELETE FROM bot_events WHERE seq IN (SELECT seq FROM bot_events WHERE "
                           "site = ?1 AND ts < ?2 LIMIT 5000)",
                           store->delete_bot_);
      !s) {
    return fail(s);
  }

  auto& r = store->reader_;
  if (Status s = r.open(path, false); !s) return fail(s);
  if (Status s = r.exec("PRAGMA query_only=ON;"); !s) return fail(s);
  if (Status s = r.prepare("SELECT count(*), coalesce(sum(type = 'pageview'), 0), "
                           "count(DISTINCT visitor) FROM events WHERE site = ?1 AND ts >= ?2 AND ts < ?3",
                           store->summary_);
      !s) {
    return fail(s);
  }
  if (Status s = r.prepare("SELECT count(*) FROM bot_events WHERE site = ?1 AND ts >= ?2 AND ts < ?3",
                           store->bot_count_);
      !s) {
    return fail(s);
  }
  if (Status s = r.prepare("SELECT (SELECT count(*) FROM events WHERE site = ?1 AND visitor_id = ?2) + "
                           "(SELECT count(*) FROM bot_events WHERE site = ?1 AND visitor_id = ?2)",
                           store->visitor_count_);
      !s) {
    return fail(s);
  }
  store->checkpointer_ = WalCheckpointer::start(path, w.handle(), error);
  if (!store->checkpointer_) return nullptr;
  return store;
}

Status SqliteEventStore::insert(SqliteStatement& stmt, const StoredEvent& e) {
  int i = 0;
  stmt.bind_text_ref(++i, e.site);
  stmt.bind_text_ref(++i, e.event_id, true);
  stmt.bind_text_ref(++i, to_string(e.type));
  stmt.bind_text_ref(++i, e.name, true);
  stmt.bind_int(++i, e.ts_ms);
  if (e.client_ts_ms) {
    stmt.bind_int(++i, e.client_ts_ms);
  } else {
    stmt.bind_null(++i);
  }
  stmt.bind_int(++i, e.received_ms);
  stmt.bind_int(++i, static_cast<std::int64_t>(e.visitor));
  stmt.bind_text_ref(++i, e.visitor_id, true);
  for (const std::string* s :
       {&e.host, &e.path, &e.landing_path, &e.referrer_host, &e.referrer_category,
        &e.referrer_source, &e.utm_source, &e.utm_medium, &e.utm_campaign, &e.utm_term,
        &e.utm_content, &e.device_type, &e.os, &e.browser, &e.country, &e.region, &e.city,
        &e.language, &e.timezone}) {
    stmt.bind_text_ref(++i, *s, true);
  }
  stmt.bind_optional(++i, e.visit_first);
  stmt.bind_optional(++i, e.visit_count);
  stmt.bind_text_ref(++i, e.journey_stage, true);
  stmt.bind_text_ref(++i, e.slot, true);
  stmt.bind_text_ref(++i, e.experiment, true);
  stmt.bind_text_ref(++i, e.variant, true);
  stmt.bind_optional(++i, e.value);
  stmt.bind_text_ref(++i, e.props_json, true);
  stmt.bind_text_ref(++i, e.context_json, true);
  const int rc = stmt.step();
  stmt.reset(/*clear_bindings=*/false);  // every parameter is bound again for the next row
  if (rc != SQLITE_DONE) return Status::error("insert failed: " + writer_.last_error());
  return Status::ok();
}

Status SqliteEventStore::write(std::span<const StoredEvent> events) {
  if (events.empty()) return Status::ok();
  std::lock_guard<std::mutex> lock(write_mutex_);
  return write_locked(events, nullptr);
}

Status SqliteEventStore::write_and_take(std::vector<StoredEvent>& events) {
  if (events.empty()) return Status::ok();
  std::lock_guard<std::mutex> lock(write_mutex_);
  if (!committed_) return write_locked(events, nullptr);
  // Read before the transaction begins: a deletion committed after this refuses the batch.
  const std::uint64_t generation = committed_->generation();
  CommittedEvents::Batch batch;
  if (Status s = write_locked(events, &batch.seqs); !s) return s;
  for (std::int64_t seq : batch.seqs) {
    if (seq < 0) continue;
    if (batch.stored++ == 0) batch.first = seq;
    batch.last = seq;
  }
  batch.events = std::move(events);
  events.clear();
  committed_->add(generation, std::move(batch));
  return Status::ok();
}

Status SqliteEventStore::write_locked(std::span<const StoredEvent> events, std::vector<std::int64_t>* seqs) {
  int rc = begin_.step();
  begin_.reset();
  if (rc != SQLITE_DONE) return Status::error("begin failed: " + writer_.last_error());
  if (seqs) seqs->reserve(events.size());
  for (const StoredEvent& e : events) {
    if (Status s = insert(e.bot ? insert_bot_ : insert_human_, e); !s) {
      rollback_.step();
      rollback_.reset();
      return s;
    }
    // A repeated client event id inserts nothing (ON CONFLICT DO NOTHING): no row, no seq.
    if (seqs) seqs->push_back(!e.bot && writer_.changes() == 1 ? writer_.last_insert_rowid() : -1);
  }
  rc = commit_.step();
  commit_.reset();
  if (rc != SQLITE_DONE) {
    Status s = Status::error("commit failed: " + writer_.last_error());
    rollback_.step();
    rollback_.reset();
    return s;
  }
  return Status::ok();
}

Status SqliteEventStore::summary(std::string_view site, const TimeRange& range, Summary& out) {
  std::lock_guard<std::mutex> lock(read_mutex_);
  out = Summary{};
  summary_.bind_text(1, site);
  summary_.bind_int(2, lower(range));
  summary_.bind_int(3, upper(range));
  int rc = summary_.step();
  if (rc == SQLITE_ROW) {
    out.events = summary_.column_int(0);
    out.pageviews = summary_.column_int(1);
    out.visitors = summary_.column_int(2);
  }
  summary_.reset();
  if (rc != SQLITE_ROW) return Status::error("summary failed: " + reader_.last_error());
  bot_count_.bind_text(1, site);
  bot_count_.bind_int(2, lower(range));
  bot_count_.bind_int(3, upper(range));
  rc = bot_count_.step();
  if (rc == SQLITE_ROW) out.bot_events = bot_count_.column_int(0);
  bot_count_.reset();
  if (rc != SQLITE_ROW) return Status::error("summary failed: " + reader_.last_error());
  return Status::ok();
}

Status SqliteEventStore::delete_before(std::string_view site, std::int64_t cutoff_ms,
                                       std::int64_t& deleted) {
  deleted = 0;
  for (SqliteStatement* stmt : {&delete_human_, &delete_bot_}) {
    // Small transactions, so the group-commit writer never waits long behind retention.
    for (;;) {
      std::lock_guard<std::mutex> lock(write_mutex_);
      stmt->bind_text(1, site);
      stmt->bind_int(2, cutoff_ms);
      const int rc = stmt->step();
      stmt->reset();
      if (rc != SQLITE_DONE) return Status::error("retention delete failed: " + writer_.last_error());
      const auto n = writer_.changes();
      deleted += n;
      if (n == 0) break;
    }
  }
  // The roll-up builder must not take events that may be gone (committed_events.hpp).
  if (committed_ && deleted > 0) committed_->invalidate();
  return Status::ok();
}

Status SqliteEventStore::count_visitor_events(std::string_view site, std::string_view visitor_id,
                                              std::int64_t& count) {
  std::lock_guard<std::mutex> lock(read_mutex_);
  visitor_count_.bind_text(1, site);
  visitor_count_.bind_text(2, visitor_id);
  const int rc = visitor_count_.step();
  count = rc == SQLITE_ROW ? visitor_count_.column_int(0) : 0;
  visitor_count_.reset();
  if (rc != SQLITE_ROW) return Status::error("count failed: " + reader_.last_error());
  return Status::ok();
}

bool SqliteEventStore::wal_stats(WalStats& out) const {
  out.frames = checkpointer_->frames();
  out.pending_frames = checkpointer_->pending_frames();
  out.throttled_commits = checkpointer_->throttled_commits();
  return true;
}

}  // namespace ithaca::tracker
