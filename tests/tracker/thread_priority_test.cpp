// The roll-up builder yields the CPU to the request path: it runs ten nice steps below the
// thread that started the tracker, and lowering one thread leaves the others as they were.
#include "thread_priority.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include "ithaca/tracker/tracker.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

int nice_of(long tid) {
  errno = 0;
  const int value = ::getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
  EXPECT_EQ(errno, 0);
  return value;
}

long this_tid() { return ::syscall(SYS_gettid); }

// The id of this process's thread called `name`, if there is one.
std::optional<long> thread_named(const std::string& name) {
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string value;
    std::getline(comm, value);
    if (value == name) return std::stol(task.path().filename().string());
  }
  return std::nullopt;
}

TEST(ThreadPriority, LowersOnlyTheCallingThread) {
  const int before = nice_of(this_tid());
  int lowered = -100;
  std::thread t([&] {
    lower_this_thread_priority(3);
    lowered = nice_of(this_tid());
  });
  t.join();
  EXPECT_EQ(lowered, std::min(before + 3, 19));
  EXPECT_EQ(nice_of(this_tid()), before);
}

TEST(ThreadPriority, StopsAtNineteen) {
  int lowered = -100;
  std::thread t([&] {
    lower_this_thread_priority(40);
    lowered = nice_of(this_tid());
  });
  t.join();
  EXPECT_EQ(lowered, 19);
}

TEST(ThreadPriority, RollupBuilderRunsBelowTheRequestPath) {
  testing::TempDir dir;
  std::string error;
  auto tracker = Tracker::create(testing::test_options(dir), error);
  ASSERT_TRUE(tracker) << error;
  std::optional<long> builder, writer;
  for (int i = 0; i < 200 && !(builder && writer); ++i) {  // the threads name themselves as they start
    builder = thread_named("ithaca-rollup");
    writer = thread_named("ithaca-writer");
    if (!(builder && writer)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(builder && writer);
  const int base = nice_of(this_tid());
  EXPECT_EQ(nice_of(*writer), base);
  EXPECT_EQ(nice_of(*builder), std::min(base + kBackgroundNiceSteps, 19));
}

}  // namespace
}  // namespace ithaca::tracker
