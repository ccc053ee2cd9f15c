// Group commit: request threads hand their batches to one writer thread; the writer takes
// everything queued since its last commit and stores it in one transaction, then tells each
// batch's caller the outcome of the transaction that holds its events — "durable" means on disk.
// Concurrent batches thus share one fsync.
//
// The outcome arrives through a callback on the writer's thread, so a caller need not wait:
// the HTTP layer answers a collect request from there (cpp-httplib's answer_later), and the
// request's thread is free for the connection's next request meanwhile. A blocking form is
// there for callers without that (tests, a socket-less embedding).
//
// The queue is bounded in events: when full, write() refuses at once (the caller answers 503)
// instead of growing. stop() drains what is queued, then stops; later writes are refused.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
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
  using Done = std::function<void(Outcome)>;

  GroupCommitWriter(EventStore& store, Options options, Metrics* metrics = nullptr);
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Queues the events. `done` is called exactly once with the outcome: at once, on this thread,
  // when they are refused or the batch is empty (Durable); otherwise on the writer's thread after
  // the commit that holds them. It should be quick: the next commit waits for it.
  void write(std::vector<StoredEvent> events, Done done);
  // Blocks until the events are committed or refused.
  Outcome write(std::vector<StoredEvent> events);

  void stop();
  std::size_t queued_events() const;
  std::size_t capacity() const noexcept { return options_.queue_capacity_events; }

 private:
  struct Ticket {
    std::vector<StoredEvent> events;
    std::size_t count = 0;
    Done done;
    Outcome outcome = Outcome::Durable;
    std::chrono::steady_clock::time_point queued_at;
  };

  void run();
  void commit(std::vector<Ticket>& group);

  EventStore& store_;
  Options options_;
  Metrics* metrics_;

  mutable std::mutex mutex_;
  std::condition_variable work_cv_;
  std::deque<Ticket> queue_;
  std::size_t queued_events_ = 0;
  bool stopping_ = false;
  std::vector<StoredEvent> scratch_;  // writer thread only
  std::thread thread_;
};

}  // namespace ithaca::tracker
