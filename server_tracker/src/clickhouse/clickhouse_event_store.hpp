// EventStore on ClickHouse, for trackers that run side by side (docs/scale-out.md).
//
// write() inserts each batch (humans into `events`, bots into `bot_events`) with retries; when
// ClickHouse cannot take it, the batch goes to the local spool (clickhouse_spool.hpp) — durable
// before write() returns — and a flusher thread sends it once ClickHouse answers again. So an
// acknowledged event is either in ClickHouse or on the tracker's disk; write() fails (and the
// tracker answers 503) only when ClickHouse is down and the spool is full.
//
// Exactly once: a client event id already stored (for the same site, within an hour of the
// event's time) is skipped before inserting; an insert whose answer was lost is checked by its
// batch id before it is sent again. Two trackers taking the same client event id in the same
// instant can both store it (ClickHouse has no unique constraint); docs/scale-out.md says so.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "clickhouse/clickhouse_client.hpp"
#include "clickhouse/clickhouse_spool.hpp"
#include "ithaca/tracker/event_store.hpp"

namespace ithaca::tracker {

struct ClickHouseStoreOptions {
  ClickHouseEndpoint endpoint;
  std::string spool_dir;
  std::uint64_t spool_max_bytes = 1ULL << 30;
  int insert_attempts = 3;
  std::chrono::milliseconds retry_backoff{100};
  std::chrono::milliseconds flush_interval{1000};
  // After a failed insert, writes go straight to the spool for this long (the flusher probes).
  std::chrono::milliseconds unhealthy_for{2000};
};

class ClickHouseEventStore final : public EventStore {
 public:
  static std::unique_ptr<ClickHouseEventStore> open(const ClickHouseStoreOptions& options, std::string& error);
  ~ClickHouseEventStore() override;

  Status write(std::span<const StoredEvent> events) override;
  Status summary(std::string_view site, const TimeRange& range, Summary& out) override;
  Status delete_before(std::string_view site, std::int64_t cutoff_ms, std::int64_t& deleted) override;
  Status count_visitor_events(std::string_view site, std::string_view visitor_id, std::int64_t& count) override;

  // Erasure: drains the spool when ClickHouse answers, removes the id's rows from whatever is
  // still spooled, then deletes them from both tables and waits until ClickHouse has applied it.
  Status erase_visitor(const std::string& site, const std::string& visitor_id, std::int64_t& events,
                       std::int64_t& bot_events, std::int64_t& spooled);
  Status export_visitor(const std::string& site, const std::string& visitor_id, std::vector<StoredEvent>& out);

  // Sends everything spooled; fails when ClickHouse does not take it.
  Status flush_spool();
  std::uint64_t spooled_bytes() const { return spool_.bytes(); }
  std::size_t spooled_batches() const { return spool_.batches(); }
  const ClickHouseClient& client() const noexcept { return client_; }
  void stop();

  // A row on its way to ClickHouse: its text (one line in the batch's format) and what the
  // dedup check needs.
  struct Row {
    std::string site, event_id;
    std::int64_t ts = 0;
    std::string json;
  };

 private:
  explicit ClickHouseEventStore(const ClickHouseStoreOptions& options);
  enum class Sent { Stored, Failed };
  Sent send(const std::string& table, const std::string& batch, const std::string& format, std::vector<Row> rows,
            bool probe_batch, std::string& error);
  Status wait_for_mutations(const std::string& table);
  void run_flusher();

  ClickHouseStoreOptions options_;
  ClickHouseClient client_;
  ClickHouseSpool spool_;
  std::mutex spool_mutex_;  // one flush or erasure of the spool at a time
  std::atomic<std::int64_t> unhealthy_until_{0};

  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace ithaca::tracker
