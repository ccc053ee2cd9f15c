// The WAL checkpointer: it copies the WAL back once readers let it, and while a reader holds
// an old snapshot (the roll-up builder always reads) it waits for more frames instead of
// retrying in a loop.
#include "wal_checkpointer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <thread>

#include "sqlite_db.hpp"
#include "sqlite_schema.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using testing::TempDir;

// Commits `rows` rows of one page each (about one WAL frame per row).
void write_pages(SqliteConnection& db, int rows) {
  ASSERT_TRUE(db.exec("BEGIN;"));
  for (int i = 0; i < rows; ++i) ASSERT_TRUE(db.exec("INSERT INTO pages (body) VALUES (zeroblob(4000));"));
  ASSERT_TRUE(db.exec("COMMIT;"));
}

// A database with one table of pages, its writer and the writer's checkpointer.
class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(writer.open(path, true));
    ASSERT_TRUE(configure_connection(writer, false));
    ASSERT_TRUE(writer.exec("CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB);"));
    std::string error;
    checkpointer = WalCheckpointer::start(path, writer.handle(), error);
    ASSERT_TRUE(checkpointer) << error;
  }

  TempDir dir;
  const std::string path = dir.str("wal.db");
  SqliteConnection writer;
  std::unique_ptr<WalCheckpointer> checkpointer;
};

TEST_F(WalCheckpointerTest, WaitsForMoreFramesWhileAReaderHoldsTheWal) {

  // A reader takes its snapshot, then the WAL grows far past the checkpoint threshold: no
  // checkpoint can copy the frames after the snapshot while the reader holds it.
  SqliteConnection reader;
  ASSERT_TRUE(reader.open(path, false));
  ASSERT_TRUE(reader.exec("BEGIN; SELECT count(*) FROM pages;"));
  write_pages(writer, 1500);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  // One try when the threshold was crossed, perhaps one more from the once-a-second pass; the
  // loop this replaces ran thousands in the same time.
  EXPECT_LE(checkpointer->checkpoints(), 3);
  EXPECT_GT(checkpointer->pending_frames(), 0);

  // Once the reader lets go, the next pass copies everything.
  ASSERT_TRUE(reader.exec("COMMIT;"));
  for (int i = 0; i < 300 && checkpointer->pending_frames() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(checkpointer->pending_frames(), 0);
}

// Passive checkpoints alone never caught up with a writer that does not pause (a bulk load grew
// the WAL past the database's own size); past the hard limit a commit waits for one.
TEST_F(WalCheckpointerTest, KeepsTheWalBoundedUnderSustainedWrites) {

  constexpr int kFramesPerCommit = 200;
  constexpr int kCommits = 3 * WalCheckpointer::kFramesHardLimit / kFramesPerCommit;
  std::uintmax_t largest = 0;
  for (int i = 0; i < kCommits; ++i) {
    write_pages(writer, kFramesPerCommit);
    largest = std::max(largest, std::filesystem::file_size(path + "-wal"));
  }
  // A WAL frame is a 4 KiB page and a 24-byte header. Bounded: the limit plus a few commits'
  // worth (slack for a slow disk); unbounded, it reached three limits' worth.
  const std::uintmax_t frame = 4096 + 24;
  EXPECT_LE(largest, 2 * WalCheckpointer::kFramesHardLimit * frame);
  EXPECT_GE(checkpointer->throttled_commits(), 2);  // 3 limits' worth of frames were written
}

// A writer that pauses between commits (a tracker below its peak) never waits at the hard limit:
// from kFramesBeforeCatchUp on, checkpoints run back to back, each copying what the last commit
// added, until one finishes inside a pause and the next write starts the WAL over. (Before, one
// checkpoint per 1,000 frames copied 4 MB at a time, rarely finished inside a pause, and every
// ~64 MB a commit stalled ~50 ms for one.)
TEST_F(WalCheckpointerTest, CatchesUpWithAWriterThatPausesBeforeTheHardLimit) {
  constexpr int kFramesPerCommit = 100;
  std::uintmax_t largest = 0;
  for (int i = 0; i < 3 * WalCheckpointer::kFramesHardLimit / 2 / kFramesPerCommit; ++i) {
    write_pages(writer, kFramesPerCommit);
    largest = std::max(largest, std::filesystem::file_size(path + "-wal"));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(checkpointer->throttled_commits(), 0);
  const std::uintmax_t frame = 4096 + 24;
  EXPECT_LT(largest, static_cast<std::uintmax_t>(WalCheckpointer::kFramesHardLimit) * frame);
}

// While a reader holds a snapshot no checkpoint can start the WAL over: past the limit, commits
// go on without waiting for checkpoints (they would stall the tracker behind a long report).
TEST_F(WalCheckpointerTest, DoesNotHoldCommitsWhileAReaderHoldsTheWal) {
  SqliteConnection reader;
  ASSERT_TRUE(reader.open(path, false));
  write_pages(writer, 10);
  ASSERT_TRUE(reader.exec("BEGIN; SELECT count(*) FROM pages;"));
  constexpr int kFramesPerCommit = 200;
  for (int i = 0; i < 2 * WalCheckpointer::kFramesHardLimit / kFramesPerCommit; ++i) write_pages(writer, kFramesPerCommit);
  // At most the first commit past the limit waits, for the checkpoint that finds the reader.
  EXPECT_LE(checkpointer->throttled_commits(), 1);
  ASSERT_TRUE(reader.exec("COMMIT;"));
}

}  // namespace
}  // namespace ithaca::tracker
