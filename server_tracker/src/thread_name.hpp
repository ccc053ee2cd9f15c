// Names the calling thread (Linux: 15 characters at most), so that top -H, /proc/PID/task/*/comm
// and profilers tell the tracker's threads apart — the benchmarks read CPU time per thread.
#pragma once

#include <pthread.h>

namespace ithaca::tracker {

inline void name_this_thread(const char* name) noexcept { pthread_setname_np(pthread_self(), name); }

}  // namespace ithaca::tracker
