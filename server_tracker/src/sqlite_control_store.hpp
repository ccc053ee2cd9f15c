// ControlStore on SQLite: rule-set versions, the active version per site, daily salts and the
// permanent key, on their own connection. Deleted salts are overwritten (secure_delete) and
// the WAL is truncated so an old salt does not linger on disk.
#pragma once

#include <memory>
#include <mutex>

#include "ithaca/tracker/event_store.hpp"
#include "sqlite_db.hpp"

namespace ithaca::tracker {

class SqliteControlStore final : public ControlStore {
 public:
  static std::unique_ptr<SqliteControlStore> open(const std::string& path, bool synchronous_full,
                                                  std::string& error);

  Status publish_rules(std::string_view site, std::string_view body, std::string_view source,
                       std::int64_t now_ms, RuleVersion& out) override;
  Status active_rules(std::string_view site, RuleVersion& out, bool& found) override;
  Status rule_versions(std::string_view site, std::vector<RuleVersion>& out,
                       std::int64_t& active_version) override;
  Status rule_version(std::string_view site, std::int64_t version, RuleVersion& out,
                      bool& found) override;
  Status activate_rules(std::string_view site, std::int64_t version, RuleVersion& out,
                        bool& found) override;
  Status latest_rules_from(std::string_view site, std::string_view source, RuleVersion& out,
                           bool& found) override;
  Status daily_salt(std::int64_t day, std::string& salt16) override;
  Status salt_days(std::vector<std::int64_t>& days) override;
  Status permanent_key(std::string& key16) override;

 private:
  SqliteControlStore() = default;
  Status load_version(std::string_view site, std::int64_t version, bool with_body,
                      RuleVersion& out, bool& found);

  std::mutex mutex_;
  SqliteConnection db_;
};

// "v<version>-<first 16 hex digits of the content hash>", quoted: a strong ETag.
std::string rules_etag(std::int64_t version, std::string_view content_hash);
// FNV-1a 64 of the body as 16 hex digits: identifies content, not a secret.
std::string content_hash(std::string_view body);

}  // namespace ithaca::tracker
