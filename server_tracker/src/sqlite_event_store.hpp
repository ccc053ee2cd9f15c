// EventStore on SQLite: one write connection (used by the group-commit writer and retention)
// and one read connection (reports), each behind its own mutex, and a checkpointer thread so
// commits never wait for the WAL to be copied back.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "committed_events.hpp"
#include "ithaca/tracker/event_store.hpp"
#include "sqlite_db.hpp"
#include "wal_checkpointer.hpp"

namespace ithaca::tracker {

class SqliteEventStore final : public EventStore {
 public:
  // `committed` (may be null) receives the human events of each write_and_take() once durable.
  static std::unique_ptr<SqliteEventStore> open(const std::string& path, bool synchronous_full,
                                                std::string& error,
                                                std::shared_ptr<CommittedEvents> committed = nullptr);

  Status write(std::span<const StoredEvent> events) override;
  Status write_and_take(std::vector<StoredEvent>& events) override;
  Status summary(std::string_view site, const TimeRange& range, Summary& out) override;
  Status delete_before(std::string_view site, std::int64_t cutoff_ms,
                       std::int64_t& deleted) override;
  Status count_visitor_events(std::string_view site, std::string_view visitor_id,
                              std::int64_t& count) override;

  int wal_pending_frames() const { return checkpointer_->pending_frames(); }
  bool wal_stats(WalStats& out) const override;

 private:
  SqliteEventStore() = default;
  Status insert(SqliteStatement& stmt, const StoredEvent& event);
  // One transaction; `seqs`, when given, gets each event's seq in the events table or -1.
  Status write_locked(std::span<const StoredEvent> events, std::vector<std::int64_t>* seqs);

  std::mutex write_mutex_;
  SqliteConnection writer_;
  SqliteStatement begin_, commit_, rollback_, insert_human_, insert_bot_;
  SqliteStatement delete_human_, delete_bot_;
  std::shared_ptr<CommittedEvents> committed_;

  std::mutex read_mutex_;
  SqliteConnection reader_;
  SqliteStatement summary_, bot_count_, visitor_count_;

  std::unique_ptr<WalCheckpointer> checkpointer_;  // last: stops before the connections close
};

}  // namespace ithaca::tracker
