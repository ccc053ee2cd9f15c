// Group commit: request threads hand their batches to one writer thread and wait; the writer
// takes everything queued since its last commit and stores it in one transaction, then wakes
// every waiter. Concurrent batches thus share one fsync, and each caller learns the outcome of
// the transaction that holds its events — an "ok" means durable.
//
// Waking: a caller sleeps on one of two futex words chosen by the group it will join, and the
// writer wakes a whole group with one system call per word instead of one per caller (on this
// project's virtual machines a system call and a wake-up are most of a single-event request's
// cost); the callers then return without taking the writer's mutex again.
//
// The queue is bounded in events: when full, write() refuses at once (the caller answers 503)
// instead of growing. stop() drains what is queued, then stops; later writes are refused.
#pragma once

#include <atomic>
#include <chrono>
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
  // Shared with the writer: `outcome` is written before `done` is set (release).
  struct Ticket {
    std::vector<StoredEvent> events;
    std::size_t count = 0;
    Outcome outcome = Outcome::Durable;
    std::atomic<bool> done{false};
    std::chrono::steady_clock::time_point queued_at;
    unsigned slot = 0;  // which of wake_words_ the caller sleeps on; set before it is queued
  };

  void run();
  void commit(std::vector<std::shared_ptr<Ticket>>& group);
  void wait_for(const Ticket& ticket);
  void wake(const std::vector<std::shared_ptr<Ticket>>& group);

  EventStore& store_;
  Options options_;
  Metrics* metrics_;

  mutable std::mutex mutex_;
  std::condition_variable work_cv_;
  std::deque<std::shared_ptr<Ticket>> queue_;
  std::size_t queued_events_ = 0;
  bool stopping_ = false;
  // Callers queued while group n is the next to be taken sleep on word n % 2; a finished group
  // bumps the words its callers sleep on (a group split by commit_max_events holds both).
  std::uint64_t next_group_ = 0;
  std::atomic<std::uint32_t> wake_words_[2] = {0, 0};
  std::vector<StoredEvent> scratch_;  // writer thread only
  std::thread thread_;
};

}  // namespace ithaca::tracker
