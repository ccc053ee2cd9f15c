#include "group_commit_writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "metrics.hpp"

namespace ithaca::tracker {
namespace {

// An EventStore that records each transaction and can be held closed or made to fail.
class FakeStore : public EventStore {
 public:
  Status write(std::span<const StoredEvent> events) override {
    std::unique_lock<std::mutex> lock(mutex);
    ++entered;
    cv.notify_all();
    cv.wait(lock, [&] { return !hold; });
    for (const auto& e : events) {
      if (e.name == "poison") return Status::error("poisoned");
    }
    if (fail) return Status::error("disk full");
    transactions.push_back(events.size());
    for (const auto& e : events) ids.push_back(e.event_id);
    return Status::ok();
  }
  Status summary(std::string_view, const TimeRange&, Summary&) override { return Status::ok(); }
  Status delete_before(std::string_view, std::int64_t, std::int64_t&) override { return Status::ok(); }
  Status count_visitor_events(std::string_view, std::string_view, std::int64_t&) override { return Status::ok(); }

  void wait_entered(int n) {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [&] { return entered >= n; });
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex);
    hold = false;
    cv.notify_all();
  }

  std::mutex mutex;
  std::condition_variable cv;
  bool hold = false;
  bool fail = false;
  int entered = 0;
  std::vector<std::size_t> transactions;
  std::vector<std::string> ids;
};

std::vector<StoredEvent> batch(const std::string& prefix, int n, const std::string& name = "") {
  std::vector<StoredEvent> events(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    events[static_cast<std::size_t>(i)].event_id = prefix + std::to_string(i);
    events[static_cast<std::size_t>(i)].name = name;
  }
  return events;
}

// A writer (with metrics) whose first commit, of one event, is held in the store: later batches
// queue up behind it until release().
struct HeldFirstCommit {
  explicit HeldFirstCommit(GroupCommitWriter::Options options = {}) : writer(store, options, &metrics) {
    store.hold = true;
    first = std::thread([this] { writer.write(batch("first", 1)); });
    store.wait_entered(1);
  }
  void release() {
    store.release();
    first.join();
  }
  FakeStore store;
  Metrics metrics;
  GroupCommitWriter writer;
  std::thread first;
};

TEST(GroupCommitWriter, WriteReturnsAfterTheCommit) {
  FakeStore store;
  Metrics metrics;
  GroupCommitWriter writer(store, {}, &metrics);
  EXPECT_EQ(writer.write(batch("a", 3)), GroupCommitWriter::Outcome::Durable);
  ASSERT_EQ(store.transactions.size(), 1u);
  EXPECT_EQ(store.transactions[0], 3u);
  EXPECT_EQ(writer.queued_events(), 0u);
}

TEST(GroupCommitWriter, ConcurrentBatchesShareOneTransaction) {
  FakeStore store;
  store.hold = true;
  GroupCommitWriter writer(store, {});
  // The first batch occupies the writer; the next ones queue up behind it.
  std::thread first([&] { EXPECT_EQ(writer.write(batch("first", 1)), GroupCommitWriter::Outcome::Durable); });
  store.wait_entered(1);
  std::vector<std::thread> others;
  for (int t = 0; t < 8; ++t) {
    others.emplace_back([&, t] {
      EXPECT_EQ(writer.write(batch("t" + std::to_string(t) + "-", 10)), GroupCommitWriter::Outcome::Durable);
    });
  }
  while (writer.queued_events() < 81) std::this_thread::yield();
  store.release();
  first.join();
  for (auto& t : others) t.join();
  ASSERT_EQ(store.transactions.size(), 2u);
  EXPECT_EQ(store.transactions[0], 1u);
  EXPECT_EQ(store.transactions[1], 80u);  // eight batches, one commit
}

// ithaca_commit_wait_seconds: the batches queued behind a commit waited for it; the first did not.
TEST(GroupCommitWriter, RecordsHowLongEachBatchWaitedForTheCommitBeforeIt) {
  HeldFirstCommit held;
  std::vector<std::thread> others;
  for (const char* prefix : {"w0-", "w1-", "w2-"}) {
    others.emplace_back([&, prefix] { held.writer.write(batch(prefix, 2)); });
  }
  while (held.writer.queued_events() < 7) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  held.release();
  for (auto& t : others) t.join();
  const std::string text = held.metrics.render({});
  EXPECT_NE(text.find("ithaca_commit_wait_seconds_count 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("ithaca_commit_wait_seconds_bucket{le=\"0.025\"} 1\n"), std::string::npos) << text;
}

TEST(GroupCommitWriter, RefusesWhenTheQueueIsFull) {
  FakeStore store;
  store.hold = true;
  GroupCommitWriter::Options options;
  options.queue_capacity_events = 10;
  GroupCommitWriter writer(store, options);
  std::thread first([&] { writer.write(batch("a", 6)); });
  store.wait_entered(1);
  std::thread second([&] { EXPECT_EQ(writer.write(batch("b", 4)), GroupCommitWriter::Outcome::Durable); });
  while (writer.queued_events() < 10) std::this_thread::yield();
  EXPECT_EQ(writer.write(batch("c", 1)), GroupCommitWriter::Outcome::QueueFull);
  store.release();
  first.join();
  second.join();
  EXPECT_EQ(writer.write(batch("d", 1)), GroupCommitWriter::Outcome::Durable);
}

TEST(GroupCommitWriter, AnOversizedBatchStillFitsAnEmptyQueue) {
  FakeStore store;
  GroupCommitWriter::Options options;
  options.queue_capacity_events = 5;
  GroupCommitWriter writer(store, options);
  EXPECT_EQ(writer.write(batch("big", 50)), GroupCommitWriter::Outcome::Durable);
}

TEST(GroupCommitWriter, ABadBatchDoesNotSinkItsNeighbours) {
  HeldFirstCommit held;
  std::atomic<int> durable{0}, failed{0};
  std::vector<std::thread> others;
  for (int t = 0; t < 4; ++t) {
    others.emplace_back([&, t] {
      auto outcome = held.writer.write(batch("t" + std::to_string(t), 2, t == 2 ? "poison" : ""));
      (outcome == GroupCommitWriter::Outcome::Durable ? durable : failed)++;
    });
  }
  while (held.writer.queued_events() < 9) std::this_thread::yield();
  held.release();
  for (auto& t : others) t.join();
  EXPECT_EQ(durable.load(), 3);
  EXPECT_EQ(failed.load(), 1);
  EXPECT_GE(held.metrics.store_errors(), 2u);
}

TEST(GroupCommitWriter, StoreFailureIsReported) {
  FakeStore store;
  store.fail = true;
  GroupCommitWriter writer(store, {});
  EXPECT_EQ(writer.write(batch("a", 2)), GroupCommitWriter::Outcome::StoreFailed);
}

TEST(GroupCommitWriter, StopDrainsTheQueueAndRefusesLaterWrites) {
  FakeStore store;
  store.hold = true;
  GroupCommitWriter writer(store, {});
  std::thread first([&] { EXPECT_EQ(writer.write(batch("a", 1)), GroupCommitWriter::Outcome::Durable); });
  store.wait_entered(1);
  std::thread second([&] { EXPECT_EQ(writer.write(batch("b", 1)), GroupCommitWriter::Outcome::Durable); });
  while (writer.queued_events() < 2) std::this_thread::yield();
  std::thread stopper([&] { writer.stop(); });
  store.release();
  stopper.join();
  first.join();
  second.join();
  EXPECT_EQ(store.ids.size(), 2u);
  EXPECT_EQ(writer.write(batch("c", 1)), GroupCommitWriter::Outcome::Stopped);
}

TEST(GroupCommitWriter, RespectsTheCommitSizeLimit) {
  GroupCommitWriter::Options options;
  options.commit_max_events = 10;
  HeldFirstCommit held(options);
  std::vector<std::thread> others;
  for (int t = 0; t < 4; ++t) others.emplace_back([&, t] { held.writer.write(batch("t" + std::to_string(t), 4)); });
  while (held.writer.queued_events() < 17) std::this_thread::yield();
  held.release();
  for (auto& t : others) t.join();
  ASSERT_EQ(held.store.transactions.size(), 3u);
  EXPECT_EQ(held.store.transactions[1], 8u);
  EXPECT_EQ(held.store.transactions[2], 8u);
}

// Many callers, many small groups (some split by the size limit): each returns once, after its
// own commit.
TEST(GroupCommitWriter, EveryCallerIsWokenByItsOwnCommit) {
  FakeStore store;
  GroupCommitWriter::Options options;
  options.commit_max_events = 7;  // splits groups often, so a group holds callers of both words
  GroupCommitWriter writer(store, options);
  constexpr int kThreads = 24, kWrites = 150;
  std::atomic<int> durable{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i) + "-";
        if (writer.write(batch(id, 1 + (i % 3))) != GroupCommitWriter::Outcome::Durable) return;
        // Returned only after its commit: its last event is already stored.
        std::lock_guard<std::mutex> lock(store.mutex);
        if (std::find(store.ids.begin(), store.ids.end(), id + std::to_string(i % 3)) == store.ids.end()) return;
        ++durable;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(durable.load(), kThreads * kWrites);
  EXPECT_EQ(writer.queued_events(), 0u);
  std::size_t events = 0;
  for (std::size_t n : store.transactions) {
    EXPECT_LE(n, 7u);
    events += n;
  }
  EXPECT_EQ(events, store.ids.size());
  EXPECT_EQ(events, static_cast<std::size_t>(kThreads) * (kWrites / 3) * (1 + 2 + 3));
}

// The callback form, as the HTTP layer uses it: write() returns at once, and the outcome comes
// once, on the writer's thread, after the events are stored.
TEST(GroupCommitWriter, TheCallbackComesFromTheWriterAfterTheCommit) {
  FakeStore store;
  store.hold = true;
  GroupCommitWriter writer(store, {});
  std::mutex mutex;
  std::condition_variable called;
  int calls = 0;
  bool stored_when_called = false;
  std::thread::id caller_thread;
  GroupCommitWriter::Outcome outcome = GroupCommitWriter::Outcome::StoreFailed;
  writer.write(batch("cb", 2), [&](GroupCommitWriter::Outcome o) {
    std::lock_guard<std::mutex> lock(mutex);
    {
      std::lock_guard<std::mutex> store_lock(store.mutex);
      stored_when_called = store.ids.size() == 2;
    }
    ++calls;
    outcome = o;
    caller_thread = std::this_thread::get_id();
    called.notify_all();
  });
  store.wait_entered(1);
  {
    std::lock_guard<std::mutex> lock(mutex);
    EXPECT_EQ(calls, 0);  // held in the store: not answered yet
  }
  store.release();
  std::unique_lock<std::mutex> lock(mutex);
  called.wait(lock, [&] { return calls > 0; });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(outcome, GroupCommitWriter::Outcome::Durable);
  EXPECT_TRUE(stored_when_called);
  EXPECT_NE(caller_thread, std::this_thread::get_id());
}

TEST(GroupCommitWriter, ARefusedCallbackIsAnsweredAtOnceOnTheCallersThread) {
  GroupCommitWriter::Options options;
  options.queue_capacity_events = 4;
  HeldFirstCommit held(options);  // its one event is still counted while held
  GroupCommitWriter& writer = held.writer;
  std::atomic<int> queued_calls{0};
  writer.write(batch("b", 3), [&](GroupCommitWriter::Outcome o) {
    EXPECT_EQ(o, GroupCommitWriter::Outcome::Durable);
    ++queued_calls;
  });
  EXPECT_EQ(queued_calls.load(), 0);
  std::vector<GroupCommitWriter::Outcome> now;
  const auto me = std::this_thread::get_id();
  auto record = [&](GroupCommitWriter::Outcome o) {
    EXPECT_EQ(std::this_thread::get_id(), me);
    now.push_back(o);
  };
  writer.write(batch("c", 1), record);  // the queue holds 4 of 4
  writer.write({}, record);             // nothing to store
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0], GroupCommitWriter::Outcome::QueueFull);
  EXPECT_EQ(now[1], GroupCommitWriter::Outcome::Durable);
  std::thread stopper([&] { writer.stop(); });
  held.release();
  stopper.join();
  EXPECT_EQ(queued_calls.load(), 1);  // stop() drained it
  writer.write(batch("d", 1), record);
  ASSERT_EQ(now.size(), 3u);
  EXPECT_EQ(now[2], GroupCommitWriter::Outcome::Stopped);
  EXPECT_EQ(held.store.ids.size(), 4u);
}

}  // namespace
}  // namespace ithaca::tracker
