// Checkpoints the SQLite write-ahead log on a thread and connection of its own. Left to SQLite,
// the commit that pushes the WAL past its threshold also copies the WAL into the database file
// and syncs it — seconds on a large database with a busy disk — while every request in the
// group commit waits. Here the writer only appends to the WAL; this thread copies it back with
// passive checkpoints, which never block the writer.
//
// Passive checkpoints alone let the WAL file grow without bound under sustained writes: SQLite
// starts the WAL over only when a write finds every frame copied back, and a checkpointer copying
// while the writer appends is always a few frames behind (a bulk load grew the WAL past the
// database's own size). So from kFramesBeforeCatchUp frames on, the checkpointer runs its next
// checkpoint as soon as the last one ends, each copying what the writer appended meanwhile,
// until one copies everything: whenever the writer pauses for as long as a small checkpoint
// takes, the next write starts the WAL over (and journal_size_limit trims the file). Only if it
// cannot catch up (a writer that never pauses) does the WAL reach kFramesHardLimit; then the
// writer, after its commit, waits for one checkpoint that starts after that commit — a stall of
// ~50 ms that used to come every ~64 MB of writes even at half of peak load. Neither happens
// while a reader's old snapshot stops checkpoints short (it could not start the WAL over).
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "sqlite_db.hpp"

namespace ithaca::tracker {

class WalCheckpointer {
 public:
  static constexpr int kFramesBeforeCheckpoint = 1000;  // about 4 MB with 4 KiB pages
  static constexpr int kFramesBeforeCatchUp = 4 * kFramesBeforeCheckpoint;  // about 16 MB
  static constexpr int kFramesHardLimit = 16 * kFramesBeforeCheckpoint;  // about 64 MB
  // Back-to-back checkpoints one catch-up may run (each syncs the database file) before it
  // falls back to one per kFramesBeforeCheckpoint frames.
  static constexpr int kCatchUpTries = 64;

  // Takes over checkpointing for `writer` (its automatic checkpoints stop). Null on failure.
  static std::unique_ptr<WalCheckpointer> start(const std::string& path, sqlite3* writer,
                                                std::string& error);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // WAL frames as of the last commit, and those not yet copied into the database.
  int frames() const;
  int pending_frames() const;
  // Checkpoints run so far (tests: a reader that holds the WAL must not make them spin).
  long checkpoints() const;
  // Commits that waited for a checkpoint because the WAL was past kFramesHardLimit.
  long throttled_commits() const;

 private:

  WalCheckpointer() = default;
  static int on_commit(void* self, sqlite3* db, const char* name, int frames);
  void run();
  // With mutex_ held: running checkpoints back to back; a checkpoint due (grown enough, or that).
  bool catching_up() const;
  bool checkpoint_due() const;

  SqliteConnection db_;
  sqlite3* writer_ = nullptr;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  int frames_ = 0;      // frames in the WAL after the last commit (SQLite's count)
  int backfilled_ = 0;  // of those, copied into the database by the last checkpoint
  // WAL size at the last checkpoint. A checkpoint cannot copy frames a reader still needs (the
  // roll-up builder reads all the time); it is tried again only once kFramesBeforeCheckpoint
  // more frames arrived, or after a second — it used to be retried at once, in a loop that ran
  // thousands of checkpoints a second while a reader held the WAL.
  int attempted_at_ = 0;
  long checkpoints_ = 0;  // started
  long finished_ = 0;     // of those, finished
  long wanted_ = 0;       // the checkpoint a commit past the hard limit waits for
  bool reader_blocks_ = false;  // the last checkpoint stopped short at a reader's snapshot
  int catch_up_tries_ = 0;      // back-to-back checkpoints since the WAL last started over
  long throttled_commits_ = 0;
  std::condition_variable finished_cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace ithaca::tracker
