#include "wal_checkpointer.hpp"

#include <algorithm>
#include <chrono>

#include "logger.hpp"
#include "paced_vfs.hpp"
#include "thread_name.hpp"

namespace ithaca::tracker {

std::unique_ptr<WalCheckpointer> WalCheckpointer::start(const std::string& path, sqlite3* writer,
                                                        std::string& error) {
  std::unique_ptr<WalCheckpointer> c(new WalCheckpointer());
  // Paced: its copies reach the disk in steps, not all in front of the writer's next sync.
  Status s = c->db_.open(path, false, paced_vfs_name());
  // A connection only learns that the database is in WAL mode by reading it; until then its
  // checkpoints do nothing.
  if (s) s = c->db_.exec("PRAGMA journal_mode=WAL;");
  // The writer truncates a WAL that starts over back to this size (a burst leaves no big file).
  if (s && sqlite3_exec(writer, "PRAGMA journal_size_limit=16777216;", nullptr, nullptr, nullptr) != SQLITE_OK) {
    s = Status::error(sqlite3_errmsg(writer));
  }
  if (!s) {
    error = "checkpointer: " + s.message();
    return nullptr;
  }
  c->writer_ = writer;
  // Replaces SQLite's own hook, which is what runs automatic checkpoints.
  sqlite3_wal_hook(writer, &WalCheckpointer::on_commit, c.get());
  c->thread_ = std::thread([p = c.get()] { p->run(); });
  return c;
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (writer_) sqlite3_wal_hook(writer_, nullptr, nullptr);
}

int WalCheckpointer::frames() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return frames_;
}

int WalCheckpointer::pending_frames() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return frames_ - backfilled_;
}

long WalCheckpointer::checkpoints() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return checkpoints_;
}

long WalCheckpointer::throttled_commits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return throttled_commits_;
}

// Runs on the writer's thread right after each commit, with the database's write lock released.
int WalCheckpointer::on_commit(void* self, sqlite3*, const char*, int frames) {
  auto* c = static_cast<WalCheckpointer*>(self);
  std::unique_lock<std::mutex> lock(c->mutex_);
  if (frames < c->frames_) c->backfilled_ = c->attempted_at_ = c->catch_up_tries_ = 0;  // the WAL started over
  const bool due_before = c->checkpoint_due();
  c->frames_ = frames;
  // SQLite starts the WAL over only when a write finds every frame copied back. While a reader
  // holds an old snapshot no checkpoint can get there, so waiting would only slow the writer.
  const bool over_limit = c->frames_ >= kFramesHardLimit && c->frames_ > c->backfilled_ && !c->reader_blocks_;
  if (!over_limit) {
    if (!due_before && c->checkpoint_due()) c->cv_.notify_one();
    return SQLITE_OK;
  }
  // Wait for a checkpoint that starts after this commit (one already running may have started
  // before it). Bounded, so that a reader holding the WAL slows writes but never stops them.
  ++c->throttled_commits_;
  const long wanted = c->checkpoints_ + 1;
  c->wanted_ = std::max(c->wanted_, wanted);
  c->cv_.notify_one();
  c->finished_cv_.wait_for(lock, std::chrono::seconds(2), [&] { return c->stop_ || c->finished_ >= wanted; });
  return SQLITE_OK;
}

bool WalCheckpointer::catching_up() const {
  return frames_ >= kFramesBeforeCatchUp && frames_ > backfilled_ && !reader_blocks_ &&
         catch_up_tries_ < kCatchUpTries;
}

bool WalCheckpointer::checkpoint_due() const {
  return frames_ - attempted_at_ >= kFramesBeforeCheckpoint || catching_up();
}

void WalCheckpointer::run() {
  name_this_thread("ithaca-ckpt");
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    // Checkpoint once the WAL grew enough since the last try, at least every second while it
    // holds frames not yet copied, at once while catching up, and at once for a commit waiting
    // past the hard limit.
    cv_.wait_for(lock, std::chrono::seconds(1), [&] {
      return stop_ || checkpoints_ < wanted_ || checkpoint_due();
    });
    if (stop_) break;
    if (frames_ <= backfilled_) {
      if (checkpoints_ < wanted_) {  // all copied back already: nothing to wait for
        finished_ = checkpoints_ = wanted_;
        finished_cv_.notify_all();
      }
      continue;
    }
    if (catching_up()) ++catch_up_tries_;
    attempted_at_ = frames_;
    ++checkpoints_;
    lock.unlock();
    int log = 0, copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    lock.lock();
    if (rc == SQLITE_OK && log >= 0) {
      // Frames the writer appended meanwhile wait for the next checkpoint; a WAL that started
      // over meanwhile (smaller than what was checkpointed) has nothing of this one's.
      if (log <= frames_) backfilled_ = copied;
      reader_blocks_ = copied < log;  // a reader's snapshot stopped the copy short
    } else if (rc != SQLITE_BUSY) {
      log_warn("wal checkpoint failed", {{"error", db_.last_error()}});
    }
    finished_ = checkpoints_;
    finished_cv_.notify_all();
  }
  finished_cv_.notify_all();  // stop_: release a throttled commit
}

}  // namespace ithaca::tracker
