// The storage interfaces. EventStore holds events (append-only, plus retention); ControlStore
// holds the small, consistent state trackers share: rule-set versions and daily salts.
// SQLite implements both (sqlite_store.hpp); a scale-out store implements the same interfaces.
//
// Thread safety: every method may be called from any thread; implementations serialize what
// they must. write() is all-or-nothing and returns only once the events are durable.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ithaca/tracker/event.hpp"
#include "ithaca/tracker/status.hpp"

namespace ithaca::tracker {

// Half-open time range [from_ms, to_ms) over StoredEvent::ts_ms; absent bounds are open.
struct TimeRange {
  std::optional<std::int64_t> from_ms;
  std::optional<std::int64_t> to_ms;
};

struct Summary {
  std::int64_t events = 0;     // human events of every type
  std::int64_t pageviews = 0;
  std::int64_t visitors = 0;   // distinct visitor hashes (daily for anonymous visitors)
  std::int64_t bot_events = 0;
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Stores every event in one transaction; an event whose (site, event_id) is already stored
  // is skipped. Returns once the transaction is durable.
  virtual Status write(std::span<const StoredEvent> events) = 0;
  // As write(); once it has succeeded the store may also take the events out of `events` (left
  // valid, maybe empty) for what follows it — the SQLite store hands them to the roll-up builder.
  virtual Status write_and_take(std::vector<StoredEvent>& events) { return write(events); }

  virtual Status summary(std::string_view site, const TimeRange& range, Summary& out) = 0;

  // Retention: deletes events of `site` with ts_ms < cutoff_ms; `deleted` gets the count.
  virtual Status delete_before(std::string_view site, std::int64_t cutoff_ms,
                               std::int64_t& deleted) = 0;

  // Events stored for one consented first-party id (erasure/export build on this).
  virtual Status count_visitor_events(std::string_view site, std::string_view visitor_id,
                                      std::int64_t& count) = 0;

  // A store's write-ahead log, for /metrics; stores without one report nothing.
  struct WalStats {
    std::int64_t frames = 0;            // in the log now
    std::int64_t pending_frames = 0;    // not yet copied back into the database
    std::int64_t throttled_commits = 0; // commits that waited for a checkpoint to bound the log
  };
  virtual bool wal_stats(WalStats&) const { return false; }
};

struct RuleVersion {
  std::string site;
  std::int64_t version = 0;
  std::string body;   // the rule set exactly as published
  std::string etag;   // quoted strong entity tag
  std::int64_t created_ms = 0;
  std::string source;  // "file" or "admin" or "rollback"
  std::string content_hash;  // hex digest of body
  std::int64_t size_bytes = 0;
};

class ControlStore {
 public:
  virtual ~ControlStore() = default;

  // Appends a version (number = latest + 1) and makes it active; fills `out`.
  virtual Status publish_rules(std::string_view site, std::string_view body,
                               std::string_view source, std::int64_t now_ms,
                               RuleVersion& out) = 0;
  // The active version; `found` false when the site has none.
  virtual Status active_rules(std::string_view site, RuleVersion& out, bool& found) = 0;
  virtual Status rule_versions(std::string_view site, std::vector<RuleVersion>& out,
                               std::int64_t& active_version) = 0;  // newest first, bodies empty
  virtual Status rule_version(std::string_view site, std::int64_t version, RuleVersion& out,
                              bool& found) = 0;  // with its body
  virtual Status activate_rules(std::string_view site, std::int64_t version,
                                RuleVersion& out, bool& found) = 0;
  // The latest version published from a file (to tell whether the file changed).
  virtual Status latest_rules_from(std::string_view site, std::string_view source,
                                   RuleVersion& out, bool& found) = 0;

  // The salt of UTC day `day` (days since 1970-01-01), created at random when absent; every
  // salt of an earlier day is deleted. Trackers sharing a store share the salt.
  virtual Status daily_salt(std::int64_t day, std::string& salt16) = 0;
  virtual Status salt_days(std::vector<std::int64_t>& days) = 0;  // for tests and audits
  // A random key that never rotates (hashes consented first-party ids).
  virtual Status permanent_key(std::string& key16) = 0;
};

}  // namespace ithaca::tracker
