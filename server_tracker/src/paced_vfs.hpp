// A SQLite VFS over the default one that sends a database's and its WAL's writes to the disk in
// steps of `kPaceBytes`, waiting for each, instead of leaving them all for the next fsync.
//
// Why: the WAL checkpointer copies ~4 MB into the events database and then fsyncs it. Handed to
// the disk at once, that flush sits in front of every `fdatasync` of the WAL that the group
// commit issues meanwhile (a commit overlapping a checkpoint took twice as long, and the slowest
// 1% of half-peak batches overlapped one 82–97% of the time). In steps, a commit's sync waits
// behind one step at most. Used by the checkpointer's connection and the roll-up builder's
// (its flushes write MBs); durability is unchanged: SQLite's own syncs still follow.
#pragma once

#include <cstddef>

namespace ithaca::tracker {

inline constexpr std::size_t kPaceBytes = 256 * 1024;

// Registers the VFS (once; thread-safe) and returns its name for sqlite3_open_v2, or nullptr if
// it could not be registered (then the default VFS is used: correct, only unpaced).
const char* paced_vfs_name();

}  // namespace ithaca::tracker
