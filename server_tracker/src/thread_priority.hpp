// Background threads that must yield the CPU to the request path when the cores are busy, and
// may use them freely when they are idle (Linux keeps a nice value per thread).
#pragma once

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace ithaca::tracker {

// Nice steps for the roll-up builder: CFS then gives it about a tenth of the share of a request
// thread or the writer when they compete, and everything when they do not.
inline constexpr int kBackgroundNiceSteps = 10;

// Raises the calling thread's nice value by `steps` (at most 19). Best effort: a failure leaves
// the thread as it was.
inline void lower_this_thread_priority(int steps) noexcept {
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  errno = 0;
  const int now = ::getpriority(PRIO_PROCESS, tid);
  if (errno != 0) return;
  (void)::setpriority(PRIO_PROCESS, tid, std::min(now + steps, 19));
}

}  // namespace ithaca::tracker
