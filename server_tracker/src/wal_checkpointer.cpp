#include "wal_checkpointer.hpp"

#include <chrono>

#include "logger.hpp"
#include "thread_name.hpp"

namespace ithaca::tracker {

std::unique_ptr<WalCheckpointer> WalCheckpointer::start(const std::string& path, sqlite3* writer,
                                                        std::string& error) {
  std::unique_ptr<WalCheckpointer> c(new WalCheckpointer());
  Status s = c->db_.open(path, false);
  // A connection only learns that the database is in WAL mode by reading it; until then its
  // checkpoints do nothing.
  if (s) s = c->db_.exec("PRAGMA journal_mode=WAL;");
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

int WalCheckpointer::pending_frames() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return frames_ - backfilled_;
}

long WalCheckpointer::checkpoints() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return checkpoints_;
}

int WalCheckpointer::on_commit(void* self, sqlite3*, const char*, int frames) {
  auto* c = static_cast<WalCheckpointer*>(self);
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(c->mutex_);
    if (frames < c->frames_) c->backfilled_ = c->attempted_at_ = 0;  // the WAL started over
    const bool due_before = c->frames_ - c->attempted_at_ >= kFramesBeforeCheckpoint;
    c->frames_ = frames;
    wake = !due_before && c->frames_ - c->attempted_at_ >= kFramesBeforeCheckpoint;
  }
  if (wake) c->cv_.notify_one();
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  name_this_thread("ithaca-ckpt");
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    // Checkpoint once the WAL grew enough since the last try, and at least every second while
    // it holds frames not yet copied.
    cv_.wait_for(lock, std::chrono::seconds(1),
                 [&] { return stop_ || frames_ - attempted_at_ >= kFramesBeforeCheckpoint; });
    if (stop_ || frames_ <= backfilled_) continue;
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
    } else if (rc != SQLITE_BUSY) {
      log_warn("wal checkpoint failed", {{"error", db_.last_error()}});
    }
  }
}

}  // namespace ithaca::tracker
