#include "paced_vfs.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstring>
#include <mutex>

namespace ithaca::tracker {
namespace {

sqlite3_vfs* g_real = nullptr;

// The real file follows this header in the block SQLite allocates (szOsFile covers both).
struct PacedFile {
  sqlite3_file base;
  int fd;                 // our own descriptor of the same file, for sync_file_range
  std::size_t unpaced;    // bytes written since the last step
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

PacedFile* self(sqlite3_file* f) { return reinterpret_cast<PacedFile*>(f); }
sqlite3_file* real(sqlite3_file* f) { return self(f)->real(); }

int x_close(sqlite3_file* f) {
  const int rc = real(f)->pMethods->xClose(real(f));
  if (self(f)->fd >= 0) ::close(self(f)->fd);
  return rc;
}
int x_read(sqlite3_file* f, void* p, int n, sqlite3_int64 o) { return real(f)->pMethods->xRead(real(f), p, n, o); }
int x_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 o) {
  const int rc = real(f)->pMethods->xWrite(real(f), p, n, o);
  PacedFile* pf = self(f);
  if (rc == SQLITE_OK && pf->fd >= 0 && (pf->unpaced += static_cast<std::size_t>(n)) >= kPaceBytes) {
    pf->unpaced = 0;
    // Start writing what is dirty and wait for it: the page cache then never holds more than
    // one step of this file's writes for the next fsync (ours or the WAL's) to flush behind.
    (void)::sync_file_range(pf->fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
  }
  return rc;
}
int x_truncate(sqlite3_file* f, sqlite3_int64 s) { return real(f)->pMethods->xTruncate(real(f), s); }
int x_sync(sqlite3_file* f, int flags) {
  self(f)->unpaced = 0;
  return real(f)->pMethods->xSync(real(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* s) { return real(f)->pMethods->xFileSize(real(f), s); }
int x_lock(sqlite3_file* f, int l) { return real(f)->pMethods->xLock(real(f), l); }
int x_unlock(sqlite3_file* f, int l) { return real(f)->pMethods->xUnlock(real(f), l); }
int x_check_reserved(sqlite3_file* f, int* r) { return real(f)->pMethods->xCheckReservedLock(real(f), r); }
int x_file_control(sqlite3_file* f, int op, void* a) { return real(f)->pMethods->xFileControl(real(f), op, a); }
int x_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int x_device(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
int x_shm_map(sqlite3_file* f, int i, int sz, int ext, void volatile** p) {
  return real(f)->pMethods->xShmMap(real(f), i, sz, ext, p);
}
int x_shm_lock(sqlite3_file* f, int o, int n, int fl) { return real(f)->pMethods->xShmLock(real(f), o, n, fl); }
void x_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int x_shm_unmap(sqlite3_file* f, int d) { return real(f)->pMethods->xShmUnmap(real(f), d); }
int x_fetch(sqlite3_file* f, sqlite3_int64 o, int n, void** p) { return real(f)->pMethods->xFetch(real(f), o, n, p); }
int x_unfetch(sqlite3_file* f, sqlite3_int64 o, void* p) { return real(f)->pMethods->xUnfetch(real(f), o, p); }

const sqlite3_io_methods kMethods = {
    3,          x_close,       x_read,        x_write,       x_truncate,     x_sync,
    x_file_size, x_lock,       x_unlock,      x_check_reserved, x_file_control, x_sector_size,
    x_device,   x_shm_map,     x_shm_lock,    x_shm_barrier, x_shm_unmap,    x_fetch,
    x_unfetch,
};

int v_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  if (!(flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)) || !name) {
    // Rollback journals and temporary files: the default VFS's own file, unwrapped.
    return g_real->xOpen(g_real, name, f, flags, out_flags);
  }
  PacedFile* pf = self(f);
  pf->base.pMethods = nullptr;
  pf->fd = -1;
  pf->unpaced = 0;
  const int rc = g_real->xOpen(g_real, name, pf->real(), flags, out_flags);
  if (pf->real()->pMethods == nullptr) return rc;  // nothing to close: SQLite will not call xClose
  pf->base.pMethods = &kMethods;
  if (rc == SQLITE_OK) pf->fd = ::open(name, O_RDONLY | O_CLOEXEC);  // pacing is best effort
  return rc;
}
int v_delete(sqlite3_vfs*, const char* n, int s) { return g_real->xDelete(g_real, n, s); }
int v_access(sqlite3_vfs*, const char* n, int fl, int* r) { return g_real->xAccess(g_real, n, fl, r); }
int v_full(sqlite3_vfs*, const char* n, int sz, char* out) { return g_real->xFullPathname(g_real, n, sz, out); }
void* v_dlopen(sqlite3_vfs*, const char* n) { return g_real->xDlOpen(g_real, n); }
void v_dlerror(sqlite3_vfs*, int n, char* m) { g_real->xDlError(g_real, n, m); }
void (*v_dlsym(sqlite3_vfs*, void* h, const char* s))(void) { return g_real->xDlSym(g_real, h, s); }
void v_dlclose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int v_random(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int v_sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int v_time(sqlite3_vfs*, double* t) { return g_real->xCurrentTime(g_real, t); }
int v_last_error(sqlite3_vfs*, int n, char* m) { return g_real->xGetLastError(g_real, n, m); }
int v_time64(sqlite3_vfs*, sqlite3_int64* t) { return g_real->xCurrentTimeInt64(g_real, t); }

sqlite3_vfs g_vfs;

}  // namespace

const char* paced_vfs_name() {
  static const char* name = [] () -> const char* {
    g_real = sqlite3_vfs_find(nullptr);
    if (!g_real || g_real->iVersion < 2) return nullptr;
    std::memset(&g_vfs, 0, sizeof g_vfs);
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(sizeof(PacedFile)) + g_real->szOsFile;
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = "ithaca-paced";
    g_vfs.xOpen = v_open;
    g_vfs.xDelete = v_delete;
    g_vfs.xAccess = v_access;
    g_vfs.xFullPathname = v_full;
    g_vfs.xDlOpen = v_dlopen;
    g_vfs.xDlError = v_dlerror;
    g_vfs.xDlSym = v_dlsym;
    g_vfs.xDlClose = v_dlclose;
    g_vfs.xRandomness = v_random;
    g_vfs.xSleep = v_sleep;
    g_vfs.xCurrentTime = v_time;
    g_vfs.xGetLastError = v_last_error;
    g_vfs.xCurrentTimeInt64 = v_time64;
    if (sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0) != SQLITE_OK) return nullptr;
    return g_vfs.zName;
  }();
  return name;
}

}  // namespace ithaca::tracker
