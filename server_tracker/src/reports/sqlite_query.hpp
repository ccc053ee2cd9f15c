// A prepared statement for the report code, over a connection opened with SqliteConnection
// (sqlite_db.hpp). It adds what reports read and the tracker's own wrapper does not offer:
// doubles, column types, and binding by value type. Values are only ever bound, never spliced.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ithaca/tracker/status.hpp"

namespace ithaca::tracker {

class SqliteQuery {
 public:
  SqliteQuery() = default;
  ~SqliteQuery() { sqlite3_finalize(stmt_); }
  SqliteQuery(SqliteQuery&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  SqliteQuery& operator=(SqliteQuery&& o) noexcept {
    if (this != &o) {
      sqlite3_finalize(stmt_);
      db_ = o.db_;
      stmt_ = o.stmt_;
      o.stmt_ = nullptr;
    }
    return *this;
  }
  SqliteQuery(const SqliteQuery&) = delete;
  SqliteQuery& operator=(const SqliteQuery&) = delete;

  Status prepare(sqlite3* db, std::string_view sql) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    db_ = db;
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_,
                           nullptr) != SQLITE_OK) {
      return Status::error(std::string("prepare failed: ") + sqlite3_errmsg(db) + " in: " + std::string(sql));
    }
    return Status::ok();
  }

  SqliteQuery& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  SqliteQuery& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  SqliteQuery& bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  SqliteQuery& bind(int i, std::string_view v) {
    sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
  }
  SqliteQuery& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  SqliteQuery& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  SqliteQuery& bind_blob(int i, std::string_view v) {
    sqlite3_bind_blob64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT);
    return *this;
  }
  SqliteQuery& bind_null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }

  int step() { return sqlite3_step(stmt_); }
  // Runs a statement without rows; resets it.
  Status run() {
    const int rc = sqlite3_step(stmt_);
    reset();
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Status::error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    return Status::ok();
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Status done(int rc) {
    reset();
    if (rc != SQLITE_DONE) return Status::error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    return Status::ok();
  }

  int columns() const { return sqlite3_column_count(stmt_); }
  std::int64_t integer(int i) const { return sqlite3_column_int64(stmt_, i); }
  double real(int i) const { return sqlite3_column_double(stmt_, i); }
  bool null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  std::string text(int i) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string();
  }
  std::string_view view(int i) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string_view();
  }
  std::optional<std::int64_t> optional_integer(int i) const {
    if (null(i)) return std::nullopt;
    return integer(i);
  }
  std::optional<double> optional_real(int i) const {
    if (null(i)) return std::nullopt;
    return real(i);
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace ithaca::tracker
