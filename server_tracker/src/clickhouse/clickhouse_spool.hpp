// The local spool of the ClickHouse store: insert batches that ClickHouse could not take yet,
// one file each, written durably (temp file, fsync, rename, fsync of the folder) before the
// tracker acknowledges them. Bounded in bytes: when full, append() refuses and the tracker
// answers 503 instead of acknowledging. The store's flusher sends the files in order and
// removes each once ClickHouse holds its rows. Thread-safe.
//
// File format: a first line {"table": …, "batch": …, "rows": n, "format": …}, then one row per
// line in that ClickHouse input format ("TabSeparated"; files without "format", written before
// it existed, hold "JSONEachRow" lines).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "ithaca/tracker/status.hpp"

namespace ithaca::tracker {

struct SpoolBatch {
  std::string file;   // path
  std::string table;  // "events" or "bot_events"
  std::string batch;  // the batch id its rows carry
  std::vector<std::string> rows;  // one line per row, in `format`
  std::string format = "JSONEachRow";
};

class ClickHouseSpool {
 public:
  ClickHouseSpool(std::string dir, std::uint64_t max_bytes);

  Status open();  // creates the folder, counts what an earlier run left
  Status append(const std::string& table, const std::string& batch, const std::vector<std::string>& rows,
                const std::string& format);
  // Oldest first.
  std::vector<std::string> files() const;
  Status read(const std::string& file, SpoolBatch& out) const;
  Status remove(const std::string& file);
  // Replaces a file's rows (erasure); removes the file when no row is left.
  Status rewrite(const SpoolBatch& batch);

  std::uint64_t bytes() const;
  std::size_t batches() const;
  std::uint64_t max_bytes() const noexcept { return max_bytes_; }

 private:
  std::string dir_;
  std::uint64_t max_bytes_;
  mutable std::mutex mutex_;
  std::uint64_t bytes_ = 0;
  std::size_t batches_ = 0;
  std::uint64_t next_ = 0;
};

}  // namespace ithaca::tracker
