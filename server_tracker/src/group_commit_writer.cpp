#include "group_commit_writer.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <climits>

#include "metrics.hpp"
#include "thread_name.hpp"

namespace ithaca::tracker {
namespace {

static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));

// Sleeps while `word` still holds `seen` (returns at once if it changed; may wake spuriously).
void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t seen) {
  ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT_PRIVATE, seen, nullptr, nullptr, 0);
}

void futex_wake_all(std::atomic<std::uint32_t>& word) {
  ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}

}  // namespace

GroupCommitWriter::GroupCommitWriter(EventStore& store, Options options, Metrics* metrics)
    : store_(store), options_(options), metrics_(metrics), thread_([this] { run(); }) {}

GroupCommitWriter::~GroupCommitWriter() { stop(); }

GroupCommitWriter::Outcome GroupCommitWriter::write(std::vector<StoredEvent> events) {
  if (events.empty()) return Outcome::Durable;
  auto shared = std::make_shared<Ticket>();
  Ticket& ticket = *shared;
  ticket.count = events.size();
  ticket.events = std::move(events);
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_) return Outcome::Stopped;
  // A batch larger than the whole queue is still admitted into an empty queue, so a
  // capacity below the batch limit cannot starve one client forever.
  if (queued_events_ > 0 && queued_events_ + ticket.count > options_.queue_capacity_events) {
    return Outcome::QueueFull;
  }
  queued_events_ += ticket.count;
  if (metrics_) ticket.queued_at = std::chrono::steady_clock::now();
  ticket.slot = static_cast<unsigned>(next_group_ & 1);
  // The writer sleeps only on an empty queue.
  const bool writer_idle = queue_.empty();
  queue_.push_back(shared);  // the caller keeps its own reference while it waits
  lock.unlock();
  if (writer_idle) work_cv_.notify_one();
  wait_for(ticket);
  return ticket.outcome;
}

void GroupCommitWriter::wait_for(const Ticket& ticket) {
  std::atomic<std::uint32_t>& word = wake_words_[ticket.slot];
  for (;;) {
    // Read the word before checking `done`: a wake after that check changes the word, so the
    // futex call returns at once instead of sleeping through it.
    const std::uint32_t seen = word.load(std::memory_order_acquire);
    if (ticket.done.load(std::memory_order_acquire)) return;
    futex_wait(word, seen);
  }
}

void GroupCommitWriter::wake(const std::vector<std::shared_ptr<Ticket>>& group) {
  bool slots[2] = {false, false};
  for (const auto& ticket : group) slots[ticket->slot] = true;
  for (unsigned s = 0; s < 2; ++s) {
    if (!slots[s]) continue;
    wake_words_[s].fetch_add(1, std::memory_order_release);
    futex_wake_all(wake_words_[s]);
  }
}

void GroupCommitWriter::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  work_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t GroupCommitWriter::queued_events() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queued_events_;
}

void GroupCommitWriter::run() {
  name_this_thread("ithaca-writer");
  std::vector<std::shared_ptr<Ticket>> group;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything queued is committed
      std::size_t events = 0;
      while (!queue_.empty() &&
             (group.empty() || events + queue_.front()->count <= options_.commit_max_events)) {
        events += queue_.front()->count;
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      ++next_group_;
    }
    if (metrics_) {
      const auto now = std::chrono::steady_clock::now();
      for (const auto& ticket : group) {
        metrics_->observe_commit_wait(std::chrono::duration<double>(now - ticket->queued_at).count());
      }
    }
    commit(group);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto& ticket : group) queued_events_ -= ticket->count;
    }
    for (auto& ticket : group) ticket->done.store(true, std::memory_order_release);
    wake(group);
    group.clear();
  }
}

void GroupCommitWriter::commit(std::vector<std::shared_ptr<Ticket>>& group) {
  const auto start = std::chrono::steady_clock::now();
  scratch_.clear();
  for (auto& ticket : group) {
    for (auto& event : ticket->events) scratch_.push_back(std::move(event));
    ticket->events.clear();
  }
  Status status = store_.write(scratch_);
  if (!status && group.size() > 1) {
    // One bad batch must not sink the others that shared its transaction: retry each alone.
    if (metrics_) metrics_->add_store_error();
    std::size_t offset = 0;
    for (auto& ticket : group) {
      Status alone = store_.write(std::span<const StoredEvent>(scratch_).subspan(offset, ticket->count));
      offset += ticket->count;
      ticket->outcome = alone ? Outcome::Durable : Outcome::StoreFailed;
      if (!alone && metrics_) metrics_->add_store_error();
    }
  } else {
    for (auto& ticket : group) ticket->outcome = status ? Outcome::Durable : Outcome::StoreFailed;
    if (!status && metrics_) metrics_->add_store_error();
  }
  if (metrics_) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics_->observe_commit(scratch_.size(), seconds);
  }
  scratch_.clear();
}

}  // namespace ithaca::tracker
