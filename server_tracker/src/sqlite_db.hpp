// Thin RAII wrappers over the SQLite C API: a connection and a prepared statement. Every SQL
// text with client data in it goes through bind(); nothing is ever spliced into SQL.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "ithaca/tracker/status.hpp"

namespace ithaca::tracker {

class SqliteStatement {
 public:
  SqliteStatement() = default;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement();
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  bool valid() const noexcept { return stmt_ != nullptr; }

  // Parameters are 1-based. Empty text binds NULL when `empty_is_null`. bind_text copies the
  // text; bind_text_ref does not, so the text must outlive the step (the insert hot path).
  void bind_text(int index, std::string_view text, bool empty_is_null = false);
  void bind_text_ref(int index, std::string_view text, bool empty_is_null = false);
  void bind_blob(int index, std::string_view bytes);
  void bind_int(int index, std::int64_t value);
  void bind_double(int index, double value);
  void bind_null(int index);
  template <typename T>
  void bind_optional(int index, const std::optional<T>& value) {
    if (!value) {
      bind_null(index);
    } else if constexpr (std::is_floating_point_v<T>) {
      bind_double(index, *value);
    } else {
      bind_int(index, static_cast<std::int64_t>(*value));
    }
  }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  // Without clear_bindings the next use must bind every parameter again (the insert does).
  void reset(bool clear_bindings = true);

  std::int64_t column_int(int index) const;
  std::string column_text(int index) const;
  bool column_is_null(int index) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteConnection {
 public:
  SqliteConnection() = default;
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Status open(const std::string& path, bool create, const char* vfs = nullptr);  // vfs: nullptr = default
  Status exec(std::string_view sql);  // statements without parameters or results
  Status prepare(std::string_view sql, SqliteStatement& out);
  std::string last_error() const;
  sqlite3* handle() const noexcept { return db_; }
  std::int64_t changes() const { return sqlite3_changes64(db_); }
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace ithaca::tracker
