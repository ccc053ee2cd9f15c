#include "sqlite_db.hpp"

#include <utility>

namespace ithaca::tracker {

SqliteStatement::~SqliteStatement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

void SqliteStatement::bind_text(int index, std::string_view text, bool empty_is_null) {
  if (empty_is_null && text.empty()) {
    sqlite3_bind_null(stmt_, index);
    return;
  }
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void SqliteStatement::bind_text_ref(int index, std::string_view text, bool empty_is_null) {
  if (empty_is_null && text.empty()) {
    sqlite3_bind_null(stmt_, index);
    return;
  }
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void SqliteStatement::bind_blob(int index, std::string_view bytes) {
  sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
}

void SqliteStatement::bind_int(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
void SqliteStatement::bind_double(int index, double value) { sqlite3_bind_double(stmt_, index, value); }
void SqliteStatement::bind_null(int index) { sqlite3_bind_null(stmt_, index); }

int SqliteStatement::step() { return sqlite3_step(stmt_); }

void SqliteStatement::reset(bool clear_bindings) {
  sqlite3_reset(stmt_);
  if (clear_bindings) sqlite3_clear_bindings(stmt_);
}

std::int64_t SqliteStatement::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string SqliteStatement::column_text(int index) const {
  const auto* p = sqlite3_column_blob(stmt_, index);
  const int n = sqlite3_column_bytes(stmt_, index);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

bool SqliteStatement::column_is_null(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

SqliteConnection::~SqliteConnection() {
  if (db_) sqlite3_close_v2(db_);
}

Status SqliteConnection::open(const std::string& path, bool create, const char* vfs) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, vfs) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    return Status::error("cannot open " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 10'000);
  return Status::ok();
}

Status SqliteConnection::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string error = message ? message : last_error();
    sqlite3_free(message);
    return Status::error(error);
  }
  return Status::ok();
}

Status SqliteConnection::prepare(std::string_view sql, SqliteStatement& out) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    return Status::error("prepare failed: " + last_error());
  }
  out = SqliteStatement(db_, stmt);
  return Status::ok();
}

std::string SqliteConnection::last_error() const { return db_ ? sqlite3_errmsg(db_) : "no database"; }

}  // namespace ithaca::tracker
