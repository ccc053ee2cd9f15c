// The paced VFS: a database written through it reads back the same through the default VFS,
// and its writes reach the disk while they are made, not only at the next fsync.
#include "paced_vfs.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstring>
#include <fstream>
#include <string>

#include "sqlite_db.hpp"
#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using testing::TempDir;

// Bytes this process has caused to be sent to the block layer (/proc/self/io), -1 if unknown.
long long write_bytes() {
  std::ifstream io("/proc/self/io");
  std::string key;
  long long value = 0;
  while (io >> key >> value) {
    if (key == "write_bytes:") return value;
  }
  return -1;
}

long long count_rows(SqliteConnection& db) {
  SqliteStatement count;
  EXPECT_TRUE(db.prepare("SELECT count(*), sum(length(body)) FROM pages", count));
  EXPECT_EQ(count.step(), SQLITE_ROW);
  return count.column_int(0) * 1'000'000'000LL + count.column_int(1);
}

TEST(PacedVfs, RegistersOnceUnderOneName) {
  const char* name = paced_vfs_name();
  ASSERT_NE(name, nullptr);
  EXPECT_STREQ(name, paced_vfs_name());
  EXPECT_NE(sqlite3_vfs_find(name), nullptr);
  EXPECT_NE(sqlite3_vfs_find(nullptr), sqlite3_vfs_find(name)) << "must not become the default VFS";
}

TEST(PacedVfs, WalDatabaseWrittenThroughItReadsBackThroughTheDefault) {
  TempDir dir;
  const std::string path = dir.str("paced.db");
  {
    SqliteConnection db;
    ASSERT_TRUE(db.open(path, true, paced_vfs_name()));
    ASSERT_TRUE(db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
    ASSERT_TRUE(db.exec("CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB);"));
    // A default-VFS reader alongside: locks and the WAL index are shared across the two VFSes.
    SqliteConnection reader;
    ASSERT_TRUE(reader.open(path, false));
    for (int t = 0; t < 3; ++t) {
      ASSERT_TRUE(db.exec("BEGIN;"));
      for (int i = 0; i < 300; ++i) ASSERT_TRUE(db.exec("INSERT INTO pages (body) VALUES (randomblob(3000));"));
      ASSERT_TRUE(db.exec("COMMIT;"));
      EXPECT_EQ(count_rows(reader), (t + 1) * 300 * 1'000'000'000LL + (t + 1) * 300 * 3000LL);
    }
    ASSERT_TRUE(db.exec("PRAGMA wal_checkpoint(TRUNCATE);"));
  }
  SqliteConnection plain;
  ASSERT_TRUE(plain.open(path, false));
  EXPECT_EQ(count_rows(plain), 900 * 1'000'000'000LL + 900 * 3000LL);
  SqliteStatement check;
  ASSERT_TRUE(plain.prepare("PRAGMA integrity_check", check));
  ASSERT_EQ(check.step(), SQLITE_ROW);
  EXPECT_EQ(check.column_text(0), "ok");
}

TEST(PacedVfs, WritesReachTheDiskBeforeAnySync) {
  TempDir dir;
  if (write_bytes() < 0) GTEST_SKIP() << "no /proc/self/io";
  // synchronous=OFF: SQLite itself never syncs, so only the pacing can send the pages out.
  auto written_by = [&](const char* vfs, const char* file) {
    SqliteConnection db;
    EXPECT_TRUE(db.open(dir.str(file), true, vfs));
    EXPECT_TRUE(db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"));
    EXPECT_TRUE(db.exec("CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB);"));
    const long long before = write_bytes();
    EXPECT_TRUE(db.exec("BEGIN;"));
    for (int i = 0; i < 500; ++i) EXPECT_TRUE(db.exec("INSERT INTO pages (body) VALUES (randomblob(4000));"));
    EXPECT_TRUE(db.exec("COMMIT;"));
    return write_bytes() - before;
  };
  const long long plain = written_by(nullptr, "plain.db");
  const long long paced = written_by(paced_vfs_name(), "paced.db");
  // On a file system without block accounting (tmpfs) neither counts: nothing to compare.
  if (paced == 0 && plain == 0) GTEST_SKIP() << "the temporary folder's file system counts no block writes";
  // ~2 MB written: all but the last step (256 KiB) must have been sent already.
  EXPECT_GE(paced, 2'000'000LL - static_cast<long long>(kPaceBytes) - 100'000);
}

}  // namespace
}  // namespace ithaca::tracker
