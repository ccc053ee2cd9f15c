// Group commit: request threads hand their batches to one writer thread and wait; the writer
// takes everything queued since its last commit and stores it in one transaction, then wakes
// every waiter. Concurrent batches thus share one fsync, and each caller learns the outcome of
// the transaction that holds its events — an "ok" means durable.
//
// The queue is bounded in events: when full, write() refuses at once (the caller answers 503)
// instead of growing. stop() drains what is queued, then stops; later writes are refused.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "ithaca/tracker/event_store.hpp"

namespace ithaca::tracker {

class Metrics;

class GroupCommitWriter {
 public:
  struct Options {
    std::size_t queue_capacity_events = 200'000;
    std::size_t commit_max_events = 20'000;
  };
  enum class Outcome { Durable, QueueFull, Stopped, StoreFailed };

  GroupCommitWriter(EventStore& store, Options options, Metrics* metrics = nullptr);
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Blocks until the events are committed or refused. Empty batches are Durable at once.
  Outcome write(std::vector<StoredEvent> events);

  void stop();
  std::size_t queued_events() const;
  std::size_t capacity() const noexcept { return options_.queue_capacity_events; }

 private:
  // Shared with the writer, which wakes a group's callers after it lets go of the mutex.
  struct Ticket {
    std::vector<StoredEvent> events;
    std::size_t count = 0;
    Outcome outcome = Outcome::Durable;
    bool done = false;
    // One per caller: a commit wakes exactly its own callers, not those still queued.
    std::condition_variable wake;
  };

  void run();
  void commit(std::vector<std::shared_ptr<Ticket>>& group);

  EventStore& store_;
  Options options_;
  Metrics* metrics_;

  mutable std::mutex mutex_;
  std::condition_variable work_cv_;
  std::deque<std::shared_ptr<Ticket>> queue_;
  std::size_t queued_events_ = 0;
  bool stopping_ = false;
  std::vector<StoredEvent> scratch_;  // writer thread only
  std::thread thread_;
};

}  // namespace ithaca::tracker
