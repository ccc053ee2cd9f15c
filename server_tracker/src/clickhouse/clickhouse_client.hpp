// A small client for ClickHouse's HTTP interface (cpp-httplib underneath; this is the one file
// of the tracker that includes httplib.h as a client). ClickHouse 18.16 has no query
// parameters, so SQL text is built with sql_string()/sql_int(), which quote every value; no
// caller splices raw client data into SQL.
//
// Outcomes tell a retry policy what it needs: Unreachable means the request never reached the
// server (safe to resend); Ambiguous means it was sent but no answer came back (an INSERT may
// or may not have been applied); Rejected is an answer with an error status. Thread-safe: each
// call uses its own connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ithaca/tracker/status.hpp"

namespace ithaca::tracker {

struct ClickHouseEndpoint {
  std::string host = "127.0.0.1";
  int port = 8123;
  std::string database = "ithaca";
  std::string user, password;
};

bool is_clickhouse_store(std::string_view store);
// clickhouse://[user[:password]@]host[:port][/database]
bool parse_clickhouse_url(std::string_view url, ClickHouseEndpoint& out, std::string& error);

enum class ClickHouseOutcome { Ok, Unreachable, Ambiguous, Rejected };

struct ClickHouseResult {
  ClickHouseOutcome outcome = ClickHouseOutcome::Ok;
  int http_status = 0;
  std::string body;  // the answer, or the error text
  bool ok() const noexcept { return outcome == ClickHouseOutcome::Ok; }
  Status status() const;
};

class ClickHouseClient {
 public:
  explicit ClickHouseClient(ClickHouseEndpoint endpoint);

  const ClickHouseEndpoint& endpoint() const noexcept { return endpoint_; }
  void set_timeouts(std::chrono::milliseconds connect, std::chrono::milliseconds read);

  // A statement in the request body; `database` false for statements that create it.
  ClickHouseResult execute(std::string_view sql, bool use_database = true) const;
  // `insert_sql` ("INSERT INTO t FORMAT JSONEachRow") in the URL, `data` as the body.
  ClickHouseResult insert(std::string_view insert_sql, std::string_view data) const;
  // A SELECT answered as TabSeparated, split into unescaped fields.
  Status select(std::string_view sql, std::vector<std::vector<std::string>>& rows) const;

 private:
  ClickHouseResult post(const std::string& path, std::string_view body) const;

  ClickHouseEndpoint endpoint_;
  std::chrono::milliseconds connect_timeout_{2000};
  std::chrono::milliseconds read_timeout_{60000};
};

// SQL literals: a quoted, escaped string, and an integer.
std::string sql_string(std::string_view value);
std::string sql_int(std::int64_t value);
// Parses ClickHouse TabSeparated text.
std::vector<std::vector<std::string>> parse_tab_separated(std::string_view text);

}  // namespace ithaca::tracker
