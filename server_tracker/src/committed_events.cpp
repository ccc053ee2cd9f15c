#include "committed_events.hpp"

#include <utility>

namespace ithaca::tracker {

std::uint64_t CommittedEvents::generation() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return generation_;
}

void CommittedEvents::add(std::uint64_t generation, Batch batch) {
  if (batch.stored == 0) return;  // nothing the builder reads
  // Rows of one transaction get consecutive seqs (one writer, rowid = largest + 1); anything
  // else (a table written from elsewhere) is left to the table.
  if (batch.last - batch.first + 1 != static_cast<std::int64_t>(batch.stored)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (generation != generation_) return;
  if (held_ + batch.events.size() > capacity_) return;
  const bool was_below_half = held_ < capacity_ / 2;
  held_ += batch.events.size();
  batches_.push_back(std::move(batch));
  // Called under the lock, so that on_half_full(nullptr) returns only once no call is running
  // (the builder takes this lock without holding its own).
  if (was_below_half && held_ >= capacity_ / 2 && wake_) wake_();
}

void CommittedEvents::take(std::int64_t last_seq, std::size_t max_events, std::vector<Batch>& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t taken = 0;
  while (!batches_.empty()) {
    Batch& b = batches_.front();
    const std::size_t size = b.events.size();
    if (b.last > last_seq) {
      if (b.first > last_seq + 1) break;  // a gap: the table has what lies between
      if (taken > 0 && taken + size > max_events) break;
      last_seq = b.last;
      taken += size;
      out.push_back(std::move(b));
    }
    held_ -= size;
    batches_.pop_front();
  }
}

void CommittedEvents::invalidate() {
  std::deque<Batch> dropped;  // freed outside the lock
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++generation_;
    dropped.swap(batches_);
    held_ = 0;
  }
}

void CommittedEvents::on_half_full(std::function<void()> wake) {
  std::lock_guard<std::mutex> lock(mutex_);
  wake_ = std::move(wake);
}

std::size_t CommittedEvents::held_events() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return held_;
}

}  // namespace ithaca::tracker
