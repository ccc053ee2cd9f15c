#include "sqlite_control_store.hpp"

#include <cstdio>

#include "random_bytes.hpp"
#include "sqlite_schema.hpp"

namespace ithaca::tracker {
namespace {

// Runs `body` inside BEGIN IMMEDIATE … COMMIT, rolling back when it fails.
template <typename F>
Status in_transaction(SqliteConnection& db, F&& body) {
  if (Status s = db.exec("BEGIN IMMEDIATE;"); !s) return s;
  Status s = body();
  if (!s) {
    (void)db.exec("ROLLBACK;");
    return s;
  }
  if (Status c = db.exec("COMMIT;"); !c) {
    (void)db.exec("ROLLBACK;");
    return c;
  }
  return Status::ok();
}

Status step_done(SqliteConnection& db, SqliteStatement& stmt) {
  if (stmt.step() != SQLITE_DONE) return Status::error(db.last_error());
  return Status::ok();
}

}  // namespace

std::string content_hash(std::string_view body) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : body) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string rules_etag(std::int64_t version, std::string_view hash) {
  return "\"v" + std::to_string(version) + "-" + std::string(hash.substr(0, 16)) + "\"";
}

std::unique_ptr<SqliteControlStore> SqliteControlStore::open(const std::string& path,
                                                             bool synchronous_full,
                                                             std::string& error) {
  std::unique_ptr<SqliteControlStore> store(new SqliteControlStore());
  Status s = store->db_.open(path, true);
  if (s) s = configure_connection(store->db_, synchronous_full);
  if (s) s = store->db_.exec("PRAGMA secure_delete=ON;");
  // The event store's checkpointer keeps the WAL short; no checkpoint inside these commits.
  if (s) s = store->db_.exec("PRAGMA wal_autocheckpoint=0;");
  if (s) s = apply_schema(store->db_);
  if (!s) {
    error = s.message();
    return nullptr;
  }
  return store;
}

Status SqliteControlStore::load_version(std::string_view site, std::int64_t version,
                                        bool with_body, RuleVersion& out, bool& found) {
  SqliteStatement stmt;
  if (Status s = db_.prepare(with_body ? "SELECT version, content_hash, created_ms, source, "
                                         "length(body), body FROM rule_versions "
                                         "WHERE site = ?1 AND version = ?2"
                                       : "SELECT version, content_hash, created_ms, source, "
                                         "length(body), '' FROM rule_versions "
                                         "WHERE site = ?1 AND version = ?2",
                             stmt);
      !s) {
    return s;
  }
  stmt.bind_text(1, site);
  stmt.bind_int(2, version);
  const int rc = stmt.step();
  found = rc == SQLITE_ROW;
  if (found) {
    out.site = std::string(site);
    out.version = stmt.column_int(0);
    out.content_hash = stmt.column_text(1);
    out.created_ms = stmt.column_int(2);
    out.source = stmt.column_text(3);
    out.size_bytes = stmt.column_int(4);
    out.body = stmt.column_text(5);
    out.etag = rules_etag(out.version, out.content_hash);
  } else if (rc != SQLITE_DONE) {
    return Status::error(db_.last_error());
  }
  return Status::ok();
}

Status SqliteControlStore::publish_rules(std::string_view site, std::string_view body,
                                         std::string_view source, std::int64_t now_ms,
                                         RuleVersion& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string hash = content_hash(body);
  return in_transaction(db_, [&]() -> Status {
    SqliteStatement next;
    if (Status s = db_.prepare("SELECT coalesce(max(version), 0) + 1 FROM rule_versions WHERE site = ?1",
                               next);
        !s) {
      return s;
    }
    next.bind_text(1, site);
    if (next.step() != SQLITE_ROW) return Status::error(db_.last_error());
    const std::int64_t version = next.column_int(0);

    SqliteStatement insert;
    if (Status s = db_.prepare("INSERT INTO rule_versions (site, version, body, content_hash, "
                               "created_ms, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               insert);
        !s) {
      return s;
    }
    insert.bind_text(1, site);
    insert.bind_int(2, version);
    insert.bind_text(3, body);
    insert.bind_text(4, hash);
    insert.bind_int(5, now_ms);
    insert.bind_text(6, source);
    if (Status s = step_done(db_, insert); !s) return s;

    SqliteStatement activate;
    if (Status s = db_.prepare("INSERT INTO active_rules (site, version) VALUES (?1, ?2) "
                               "ON CONFLICT (site) DO UPDATE SET version = excluded.version",
                               activate);
        !s) {
      return s;
    }
    activate.bind_text(1, site);
    activate.bind_int(2, version);
    if (Status s = step_done(db_, activate); !s) return s;

    out.site = std::string(site);
    out.version = version;
    out.body = std::string(body);
    out.content_hash = hash;
    out.created_ms = now_ms;
    out.source = std::string(source);
    out.size_bytes = static_cast<std::int64_t>(body.size());
    out.etag = rules_etag(version, hash);
    return Status::ok();
  });
}

Status SqliteControlStore::active_rules(std::string_view site, RuleVersion& out, bool& found) {
  std::lock_guard<std::mutex> lock(mutex_);
  found = false;
  SqliteStatement stmt;
  if (Status s = db_.prepare("SELECT version FROM active_rules WHERE site = ?1", stmt); !s) return s;
  stmt.bind_text(1, site);
  const int rc = stmt.step();
  if (rc == SQLITE_DONE) return Status::ok();
  if (rc != SQLITE_ROW) return Status::error(db_.last_error());
  return load_version(site, stmt.column_int(0), true, out, found);
}

Status SqliteControlStore::rule_versions(std::string_view site, std::vector<RuleVersion>& out,
                                         std::int64_t& active_version) {
  std::lock_guard<std::mutex> lock(mutex_);
  out.clear();
  active_version = 0;
  SqliteStatement active;
  if (Status s = db_.prepare("SELECT version FROM active_rules WHERE site = ?1", active); !s) return s;
  active.bind_text(1, site);
  if (active.step() == SQLITE_ROW) active_version = active.column_int(0);

  SqliteStatement stmt;
  if (Status s = db_.prepare("SELECT version, content_hash, created_ms, source, length(body) FROM "
                             "rule_versions WHERE site = ?1 ORDER BY version DESC",
                             stmt);
      !s) {
    return s;
  }
  stmt.bind_text(1, site);
  int rc;
  while ((rc = stmt.step()) == SQLITE_ROW) {
    RuleVersion v;
    v.site = std::string(site);
    v.version = stmt.column_int(0);
    v.content_hash = stmt.column_text(1);
    v.created_ms = stmt.column_int(2);
    v.source = stmt.column_text(3);
    v.etag = rules_etag(v.version, v.content_hash);
    v.size_bytes = stmt.column_int(4);
    out.push_back(std::move(v));
  }
  if (rc != SQLITE_DONE) return Status::error(db_.last_error());
  return Status::ok();
}

Status SqliteControlStore::rule_version(std::string_view site, std::int64_t version,
                                        RuleVersion& out, bool& found) {
  std::lock_guard<std::mutex> lock(mutex_);
  return load_version(site, version, true, out, found);
}

Status SqliteControlStore::activate_rules(std::string_view site, std::int64_t version,
                                          RuleVersion& out, bool& found) {
  std::lock_guard<std::mutex> lock(mutex_);
  found = false;
  return in_transaction(db_, [&]() -> Status {
    if (Status s = load_version(site, version, true, out, found); !s || !found) return s;
    SqliteStatement activate;
    if (Status s = db_.prepare("INSERT INTO active_rules (site, version) VALUES (?1, ?2) "
                               "ON CONFLICT (site) DO UPDATE SET version = excluded.version",
                               activate);
        !s) {
      return s;
    }
    activate.bind_text(1, site);
    activate.bind_int(2, version);
    return step_done(db_, activate);
  });
}

Status SqliteControlStore::latest_rules_from(std::string_view site, std::string_view source,
                                             RuleVersion& out, bool& found) {
  std::lock_guard<std::mutex> lock(mutex_);
  found = false;
  SqliteStatement stmt;
  if (Status s = db_.prepare("SELECT max(version) FROM rule_versions WHERE site = ?1 AND source = ?2",
                             stmt);
      !s) {
    return s;
  }
  stmt.bind_text(1, site);
  stmt.bind_text(2, source);
  if (stmt.step() != SQLITE_ROW) return Status::error(db_.last_error());
  if (stmt.column_is_null(0)) return Status::ok();
  return load_version(site, stmt.column_int(0), false, out, found);
}

Status SqliteControlStore::daily_salt(std::int64_t day, std::string& salt16) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::int64_t removed = 0;
  Status status = in_transaction(db_, [&]() -> Status {
    SqliteStatement insert;
    if (Status s = db_.prepare("INSERT INTO salts (day, salt) VALUES (?1, ?2) ON CONFLICT (day) DO NOTHING",
                               insert);
        !s) {
      return s;
    }
    insert.bind_int(1, day);
    insert.bind_blob(2, random_bytes(16));
    if (Status s = step_done(db_, insert); !s) return s;

    SqliteStatement select;
    if (Status s = db_.prepare("SELECT salt FROM salts WHERE day = ?1", select); !s) return s;
    select.bind_int(1, day);
    if (select.step() != SQLITE_ROW) return Status::error(db_.last_error());
    salt16 = select.column_text(0);

    SqliteStatement remove;
    if (Status s = db_.prepare("DELETE FROM salts WHERE day < ?1", remove); !s) return s;
    remove.bind_int(1, day);
    if (Status s = step_done(db_, remove); !s) return s;
    removed = db_.changes();
    return Status::ok();
  });
  if (status && removed > 0) {
    // The deleted salt's page images still sit in the WAL until a checkpoint overwrites them.
    (void)db_.exec("PRAGMA wal_checkpoint(TRUNCATE);");
  }
  return status;
}

Status SqliteControlStore::salt_days(std::vector<std::int64_t>& days) {
  std::lock_guard<std::mutex> lock(mutex_);
  days.clear();
  SqliteStatement stmt;
  if (Status s = db_.prepare("SELECT day FROM salts ORDER BY day", stmt); !s) return s;
  while (stmt.step() == SQLITE_ROW) days.push_back(stmt.column_int(0));
  return Status::ok();
}

Status SqliteControlStore::permanent_key(std::string& key16) {
  std::lock_guard<std::mutex> lock(mutex_);
  return in_transaction(db_, [&]() -> Status {
    SqliteStatement insert;
    if (Status s = db_.prepare("INSERT INTO meta (key, value) VALUES ('visitor_id_key', ?1) "
                               "ON CONFLICT (key) DO NOTHING",
                               insert);
        !s) {
      return s;
    }
    insert.bind_blob(1, random_bytes(16));
    if (Status s = step_done(db_, insert); !s) return s;
    SqliteStatement select;
    if (Status s = db_.prepare("SELECT value FROM meta WHERE key = 'visitor_id_key'", select); !s) {
      return s;
    }
    if (select.step() != SQLITE_ROW) return Status::error(db_.last_error());
    key16 = select.column_text(0);
    return Status::ok();
  });
}

}  // namespace ithaca::tracker
