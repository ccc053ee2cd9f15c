// ControlStore on ClickHouse: what trackers running side by side must share — rule-set versions
// and which one is active, the daily salt, the permanent key. ClickHouse has no transactions,
// so shared secrets are agreed on without them: a tracker that finds no salt for the day
// inserts a random candidate, waits a moment, and everyone uses the smallest candidate stored
// (docs/scale-out.md). Activations are rows; the newest one wins.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "clickhouse/clickhouse_client.hpp"
#include "ithaca/tracker/event_store.hpp"

namespace ithaca::tracker {

class ClickHouseControlStore final : public ControlStore {
 public:
  // The schema must exist (ClickHouseEventStore::open creates it).
  explicit ClickHouseControlStore(ClickHouseEndpoint endpoint,
                                  std::chrono::milliseconds settle = std::chrono::milliseconds(300));

  Status publish_rules(std::string_view site, std::string_view body, std::string_view source, std::int64_t now_ms,
                       RuleVersion& out) override;
  Status active_rules(std::string_view site, RuleVersion& out, bool& found) override;
  Status rule_versions(std::string_view site, std::vector<RuleVersion>& out, std::int64_t& active_version) override;
  Status rule_version(std::string_view site, std::int64_t version, RuleVersion& out, bool& found) override;
  Status activate_rules(std::string_view site, std::int64_t version, RuleVersion& out, bool& found) override;
  Status latest_rules_from(std::string_view site, std::string_view source, RuleVersion& out, bool& found) override;
  Status daily_salt(std::int64_t day, std::string& salt16) override;
  Status salt_days(std::vector<std::int64_t>& days) override;
  Status permanent_key(std::string& key16) override;

 private:
  Status load(std::string_view site, const std::string& condition, bool with_body, RuleVersion& out, bool& found);
  Status activate(std::string_view site, std::int64_t version, std::int64_t now_ms);
  Status agreed_secret(const std::string& table, const std::string& key_column, const std::string& key,
                       const std::string& value_column, std::string& out);

  ClickHouseClient client_;
  std::chrono::milliseconds settle_;
  std::mutex mutex_;
};

}  // namespace ithaca::tracker
