#include "clickhouse/clickhouse_control_store.hpp"

#include <chrono>
#include <thread>

#include "random_bytes.hpp"
#include "sqlite_control_store.hpp"  // content_hash(), rules_etag(): the same tags as SQLite

namespace ithaca::tracker {
namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t to_int(const std::string& s) { return std::strtoll(s.c_str(), nullptr, 10); }

std::string from_hex(const std::string& hex) {
  std::string out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1]));
  }
  return out;
}

constexpr const char* kVersionColumns = "version, content_hash, created_ms, source, length(body)";

}  // namespace

ClickHouseControlStore::ClickHouseControlStore(ClickHouseEndpoint endpoint, std::chrono::milliseconds settle)
    : client_(std::move(endpoint)), settle_(settle) {}

Status ClickHouseControlStore::load(std::string_view site, const std::string& condition, bool with_body,
                                    RuleVersion& out, bool& found) {
  std::vector<std::vector<std::string>> rows;
  const std::string sql = std::string("SELECT ") + kVersionColumns + (with_body ? ", body" : ", ''") +
                          " FROM rule_versions WHERE site = " + sql_string(site) + " AND " + condition +
                          " ORDER BY version DESC LIMIT 1";
  if (Status s = client_.select(sql, rows); !s) return s;
  found = !rows.empty() && rows[0].size() == 6;
  if (!found) return Status::ok();
  const auto& r = rows[0];
  out.site = std::string(site);
  out.version = to_int(r[0]);
  out.content_hash = r[1];
  out.created_ms = to_int(r[2]);
  out.source = r[3];
  out.size_bytes = to_int(r[4]);
  out.body = r[5];
  out.etag = rules_etag(out.version, out.content_hash);
  return Status::ok();
}

Status ClickHouseControlStore::activate(std::string_view site, std::int64_t version, std::int64_t now_ms) {
  std::uint64_t nonce = 0;
  for (unsigned char c : random_bytes(7)) nonce = (nonce << 8) | c;
  auto r = client_.execute("INSERT INTO rule_activations VALUES (" + sql_string(site) + ", " + sql_int(version) + ", " +
                           sql_int(now_ms) + ", " + std::to_string(nonce) + ")");
  return r.status();
}

Status ClickHouseControlStore::publish_rules(std::string_view site, std::string_view body, std::string_view source,
                                             std::int64_t now_ms, RuleVersion& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string hash = content_hash(body);
  // Trackers starting together publish the same rules file: the newest version already
  // holding this content from this source is reused rather than duplicated.
  RuleVersion latest;
  bool found = false;
  if (Status s = load(site, "1", false, latest, found); !s) return s;
  if (found && latest.content_hash == hash && latest.source == source) {
    if (Status s = activate(site, latest.version, now_ms); !s) return s;
    return load(site, "version = " + sql_int(latest.version), true, out, found);
  }
  const std::int64_t version = found ? latest.version + 1 : 1;
  auto r = client_.execute("INSERT INTO rule_versions VALUES (" + sql_string(site) + ", " + sql_int(version) + ", " +
                           sql_string(body) + ", " + sql_string(hash) + ", " + sql_int(now_ms) + ", " +
                           sql_string(source) + ")");
  if (!r.ok()) return r.status();
  if (Status s = activate(site, version, now_ms); !s) return s;
  return load(site, "version = " + sql_int(version), true, out, found);
}

Status ClickHouseControlStore::active_rules(std::string_view site, RuleVersion& out, bool& found) {
  std::vector<std::vector<std::string>> rows;
  if (Status s = client_.select("SELECT version FROM rule_activations WHERE site = " + sql_string(site) +
                                    " ORDER BY at DESC, nonce DESC LIMIT 1",
                                rows);
      !s) {
    return s;
  }
  found = false;
  if (rows.empty() || rows[0].empty()) return Status::ok();
  return load(site, "version = " + sql_int(to_int(rows[0][0])), true, out, found);
}

Status ClickHouseControlStore::rule_versions(std::string_view site, std::vector<RuleVersion>& out,
                                             std::int64_t& active_version) {
  out.clear();
  active_version = 0;
  std::vector<std::vector<std::string>> rows;
  if (Status s = client_.select(std::string("SELECT ") + kVersionColumns + " FROM rule_versions WHERE site = " +
                                    sql_string(site) + " ORDER BY version DESC LIMIT 1 BY version",
                                rows);
      !s) {
    return s;
  }
  for (const auto& r : rows) {
    if (r.size() != 5) continue;
    RuleVersion v;
    v.site = std::string(site);
    v.version = to_int(r[0]);
    v.content_hash = r[1];
    v.created_ms = to_int(r[2]);
    v.source = r[3];
    v.size_bytes = to_int(r[4]);
    v.etag = rules_etag(v.version, v.content_hash);
    out.push_back(std::move(v));
  }
  if (Status s = client_.select("SELECT version FROM rule_activations WHERE site = " + sql_string(site) +
                                    " ORDER BY at DESC, nonce DESC LIMIT 1",
                                rows);
      !s) {
    return s;
  }
  if (!rows.empty() && !rows[0].empty()) active_version = to_int(rows[0][0]);
  return Status::ok();
}

Status ClickHouseControlStore::rule_version(std::string_view site, std::int64_t version, RuleVersion& out,
                                            bool& found) {
  return load(site, "version = " + sql_int(version), true, out, found);
}

Status ClickHouseControlStore::activate_rules(std::string_view site, std::int64_t version, RuleVersion& out,
                                              bool& found) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Status s = load(site, "version = " + sql_int(version), true, out, found); !s || !found) return s;
  return activate(site, version, wall_ms());
}

Status ClickHouseControlStore::latest_rules_from(std::string_view site, std::string_view source, RuleVersion& out,
                                                 bool& found) {
  return load(site, "source = " + sql_string(source), true, out, found);
}

Status ClickHouseControlStore::agreed_secret(const std::string& table, const std::string& key_column,
                                             const std::string& key, const std::string& value_column,
                                             std::string& out) {
  const std::string select = "SELECT min(" + value_column + "), count() FROM " + table + " WHERE " + key_column +
                             " = " + key;
  std::vector<std::vector<std::string>> rows;
  if (Status s = client_.select(select, rows); !s) return s;
  if (rows.empty() || rows[0].size() != 2 || rows[0][1] == "0") {
    const std::string candidate = to_hex(random_bytes(16));
    auto r = client_.execute("INSERT INTO " + table + " VALUES (" + key + ", " + sql_string(candidate) + ", " +
                             sql_int(wall_ms()) + ")");
    if (!r.ok()) return r.status();
    // Another tracker may have inserted its own candidate in the same moment: let both land,
    // then take the smallest, as every tracker does.
    std::this_thread::sleep_for(settle_);
    if (Status s = client_.select(select, rows); !s) return s;
    if (rows.empty() || rows[0].size() != 2 || rows[0][1] == "0") return Status::error("the secret did not persist");
  }
  out = from_hex(rows[0][0]);
  return out.size() == 16 ? Status::ok() : Status::error("a stored secret is malformed");
}

Status ClickHouseControlStore::daily_salt(std::int64_t day, std::string& salt16) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Status s = agreed_secret("salts", "day", sql_int(day), "salt", salt16); !s) return s;
  std::vector<std::vector<std::string>> rows;
  if (Status s = client_.select("SELECT count() FROM salts WHERE day < " + sql_int(day), rows); !s) return s;
  if (!rows.empty() && !rows[0].empty() && rows[0][0] != "0") {
    if (auto r = client_.execute("ALTER TABLE salts DELETE WHERE day < " + sql_int(day)); !r.ok()) return r.status();
  }
  return Status::ok();
}

Status ClickHouseControlStore::salt_days(std::vector<std::int64_t>& days) {
  days.clear();
  std::vector<std::vector<std::string>> rows;
  if (Status s = client_.select("SELECT DISTINCT day FROM salts ORDER BY day", rows); !s) return s;
  for (const auto& r : rows) {
    if (!r.empty()) days.push_back(to_int(r[0]));
  }
  return Status::ok();
}

Status ClickHouseControlStore::permanent_key(std::string& key16) {
  std::lock_guard<std::mutex> lock(mutex_);
  return agreed_secret("secret_keys", "name", "'permanent'", "key", key16);
}

}  // namespace ithaca::tracker
