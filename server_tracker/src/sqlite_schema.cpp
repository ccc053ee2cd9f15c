#include "sqlite_schema.hpp"

#include <string>

namespace ithaca::tracker {

const char* const kEventColumns =
    "site, event_id, type, name, ts, client_ts, received, visitor, visitor_id, "
    "host, path, landing_path, referrer_host, referrer_category, referrer_source, "
    "utm_source, utm_medium, utm_campaign, utm_term, utm_content, "
    "device_type, os, browser, country, region, city, language, timezone, "
    "visit_first, visit_count, journey_stage, slot, experiment, variant, value, props, context";

namespace {

std::string event_table(const char* name) {
  return std::string("CREATE TABLE IF NOT EXISTS ") + name + R"( (
  seq INTEGER PRIMARY KEY,
  site TEXT NOT NULL,
  event_id TEXT,
  type TEXT NOT NULL,
  name TEXT,
  ts INTEGER NOT NULL,
  client_ts INTEGER,
  received INTEGER NOT NULL,
  visitor INTEGER NOT NULL,
  visitor_id TEXT,
  host TEXT, path TEXT, landing_path TEXT,
  referrer_host TEXT, referrer_category TEXT, referrer_source TEXT,
  utm_source TEXT, utm_medium TEXT, utm_campaign TEXT, utm_term TEXT, utm_content TEXT,
  device_type TEXT, os TEXT, browser TEXT,
  country TEXT, region TEXT, city TEXT, language TEXT, timezone TEXT,
  visit_first INTEGER, visit_count INTEGER, journey_stage TEXT,
  slot TEXT, experiment TEXT, variant TEXT, value REAL,
  props TEXT, context TEXT
);
CREATE INDEX IF NOT EXISTS )" + name + "_site_ts ON " + name + R"( (site, ts);
CREATE UNIQUE INDEX IF NOT EXISTS )" + name + "_dedup ON " + name +
         R"( (site, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS )" + name + "_visitor_id ON " + name +
         R"( (site, visitor_id) WHERE visitor_id IS NOT NULL;
)";
}

}  // namespace

Status configure_connection(SqliteConnection& db, bool synchronous_full) {
  if (Status s = db.exec("PRAGMA journal_mode=WAL;"); !s) return s;
  return db.exec(synchronous_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
}

Status apply_schema(SqliteConnection& db) {
  SqliteStatement version;
  if (Status s = db.prepare("PRAGMA user_version", version); !s) return s;
  if (version.step() != SQLITE_ROW) return Status::error("cannot read schema version");
  const auto current = version.column_int(0);
  version = SqliteStatement();
  if (current > kSchemaVersion) {
    return Status::error("database schema " + std::to_string(current) +
                         " is newer than this tracker (" + std::to_string(kSchemaVersion) + ")");
  }
  if (current == kSchemaVersion) return Status::ok();

  std::string sql = "BEGIN IMMEDIATE;\n";
  sql += event_table("events");
  sql += event_table("bot_events");
  sql += R"(
CREATE TABLE IF NOT EXISTS rule_versions (
  site TEXT NOT NULL,
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (site, version)
);
CREATE TABLE IF NOT EXISTS active_rules (site TEXT PRIMARY KEY, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS salts (day INTEGER PRIMARY KEY, salt BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
PRAGMA user_version = 1;
COMMIT;
)";
  if (Status s = db.exec(sql); !s) {
    (void)db.exec("ROLLBACK;");
    return Status::error("cannot create schema: " + s.message());
  }
  return Status::ok();
}

}  // namespace ithaca::tracker
