#include "group_commit_writer.hpp"

#include <optional>

#include "metrics.hpp"
#include "thread_name.hpp"

namespace ithaca::tracker {

GroupCommitWriter::GroupCommitWriter(EventStore& store, Options options, Metrics* metrics)
    : store_(store), options_(options), metrics_(metrics), thread_([this] { run(); }) {}

GroupCommitWriter::~GroupCommitWriter() { stop(); }

void GroupCommitWriter::write(std::vector<StoredEvent> events, Done done) {
  if (events.empty()) return done(Outcome::Durable);
  Ticket ticket;
  ticket.count = events.size();
  ticket.events = std::move(events);
  ticket.done = std::move(done);
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_) {
    lock.unlock();
    return ticket.done(Outcome::Stopped);
  }
  // A batch larger than the whole queue is still admitted into an empty queue, so a
  // capacity below the batch limit cannot starve one client forever.
  if (queued_events_ > 0 && queued_events_ + ticket.count > options_.queue_capacity_events) {
    lock.unlock();
    return ticket.done(Outcome::QueueFull);
  }
  queued_events_ += ticket.count;
  if (metrics_) ticket.queued_at = std::chrono::steady_clock::now();
  // The writer sleeps only on an empty queue.
  const bool writer_idle = queue_.empty();
  queue_.push_back(std::move(ticket));
  lock.unlock();
  if (writer_idle) work_cv_.notify_one();
}

GroupCommitWriter::Outcome GroupCommitWriter::write(std::vector<StoredEvent> events) {
  std::mutex mutex;
  std::condition_variable answered;
  std::optional<Outcome> outcome;
  write(std::move(events), [&](Outcome o) {
    // Notified under the lock: this frame may end as soon as the waiter sees the outcome.
    std::lock_guard<std::mutex> lock(mutex);
    outcome = o;
    answered.notify_one();
  });
  std::unique_lock<std::mutex> lock(mutex);
  answered.wait(lock, [&] { return outcome.has_value(); });
  return *outcome;
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
  std::vector<Ticket> group;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything queued is committed
      std::size_t events = 0;
      while (!queue_.empty() &&
             (group.empty() || events + queue_.front().count <= options_.commit_max_events)) {
        events += queue_.front().count;
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (metrics_) {
      const auto now = std::chrono::steady_clock::now();
      for (const auto& ticket : group) {
        metrics_->observe_commit_wait(std::chrono::duration<double>(now - ticket.queued_at).count());
      }
    }
    commit(group);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (const auto& ticket : group) queued_events_ -= ticket.count;
    }
    for (auto& ticket : group) ticket.done(ticket.outcome);
    group.clear();
  }
}

void GroupCommitWriter::commit(std::vector<Ticket>& group) {
  const auto start = std::chrono::steady_clock::now();
  scratch_.clear();
  std::size_t count = 0;
  for (const auto& ticket : group) count += ticket.count;
  scratch_.reserve(count);  // the store may take the vector's buffer along with the events
  for (auto& ticket : group) {
    for (auto& event : ticket.events) scratch_.push_back(std::move(event));
    ticket.events.clear();
  }
  Status status = store_.write_and_take(scratch_);
  if (!status && group.size() > 1) {
    // One bad batch must not sink the others that shared its transaction: retry each alone.
    if (metrics_) metrics_->add_store_error();
    std::size_t offset = 0;
    for (auto& ticket : group) {
      Status alone = store_.write(std::span<const StoredEvent>(scratch_).subspan(offset, ticket.count));
      offset += ticket.count;
      ticket.outcome = alone ? Outcome::Durable : Outcome::StoreFailed;
      if (!alone && metrics_) metrics_->add_store_error();
    }
  } else {
    for (auto& ticket : group) ticket.outcome = status ? Outcome::Durable : Outcome::StoreFailed;
    if (!status && metrics_) metrics_->add_store_error();
  }
  if (metrics_) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics_->observe_commit(count, seconds);
  }
  scratch_.clear();
}

}  // namespace ithaca::tracker
