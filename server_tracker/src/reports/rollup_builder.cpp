#include "reports/rollup_builder.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "logger.hpp"
#include "reports/day_aggregator.hpp"
#include "reports/raw_events.hpp"
#include "reports/rollup_database.hpp"
#include "reports/visitor_spill_database.hpp"
#include "sqlite_db.hpp"
#include "thread_name.hpp"
#include "thread_priority.hpp"

namespace ithaca::tracker {
namespace {

// Replays take the events of a local day from a UTC window this much wider on each side, then
// keep those whose local day matches: daylight-saving jumps are never longer than this.
constexpr std::int64_t kReplayMarginMs = 3 * kHourMs;
constexpr std::size_t kLogBytesBeforeWrite = 16 << 20;
// An idle day keeps this share (1/n) of RollupBuilderOptions::visitors_in_memory.
constexpr std::size_t kIdleDayShare = 8;

struct DayKey {
  std::string site;
  std::int32_t day;
  bool operator<(const DayKey& o) const { return site != o.site ? site < o.site : day < o.day; }
};

struct CachedDay {
  std::unique_ptr<VisitorSpill> spill;  // declared first: the aggregator uses it until destroyed
  std::unique_ptr<DayAggregator> aggregator;
  VisitorEventLog log;  // the day's events since the last flush, for visitor_events
  std::uint64_t used = 0;
  bool dirty = false;
  // Flushes that wrote the day's visitor_events since it was written whole or compacted, and when
  // the last one was.
  std::size_t flushes = 0;
  std::chrono::steady_clock::time_point written;
};

}  // namespace

struct RollupBuilder::Impl {
  RollupBuilderOptions options;
  SqliteConnection reader;  // events, read only
  SqliteConnection eraser;  // events, for erasure and retention
  std::unique_ptr<RollupWriter> writer;
  std::unique_ptr<VisitorSpillDatabase> spill;
  SqliteQuery chunk, replay_day, max_seq, site_events;
  SqliteQuery erase_days, erase_human, erase_bots, write_max_seq, retain_human, retain_bots, begin, commit, rollback;

  std::map<DayKey, CachedDay> days;
  std::set<DayKey> to_compact;  // days let go of (or found at start) whose blocks may be many
  std::uint64_t tick = 0;
  std::atomic<std::int64_t> last_seq{0};
  std::atomic<std::int64_t> events_handed_over{0};  // rolled up from the writer's hand-off
  std::atomic<std::int64_t> events_read{0};          // rolled up after reading them from the table
  std::int64_t flushed_seq = 0;        // the high-water mark rollups.db holds
  std::size_t unflushed_events = 0;    // added to the days since
  std::chrono::steady_clock::time_point last_flush = std::chrono::steady_clock::now();

  std::mutex mutex;
  std::condition_variable wake, done;
  bool stopping = false;
  bool notified = false;
  std::uint64_t requested = 0, completed = 0;
  std::deque<std::function<void()>> jobs;
  std::thread thread;

  const TimeZone* zone(std::string_view site) const {
    auto it = options.zones.find(site);
    return it == options.zones.end() ? nullptr : it->second.get();
  }

  Status read_events(SqliteQuery& q, const std::function<void(std::int64_t, StoredEvent&)>& each) {
    StoredEvent e;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      const std::int64_t seq = read_raw_event(q, e);
      each(seq, e);
    }
    return q.done(rc);
  }

  // Rebuilds one day from stored events with seq <= last_seq; its visitor_events chunks are
  // replaced at the next write.
  Status replay(const std::string& site, std::int32_t day, CachedDay& out) {
    const TimeZone* z = zone(site);
    replay_day.bind(1, site)
        .bind(2, z->day_start_utc(day) - kReplayMarginMs)
        .bind(3, z->day_start_utc(day + 1) + kReplayMarginMs)
        .bind(4, last_seq.load());
    out.log.replace = true;
    return read_events(replay_day, [&](std::int64_t seq, StoredEvent& e) {
      if (z->local_day(e.ts_ms) != day) return;
      const int hour = static_cast<int>(z->local_hour(e.ts_ms) - static_cast<std::int64_t>(day) * 24);
      out.aggregator->add(e, hour);
      out.log.add(e, hour, seq);
    });
  }

  // A fresh aggregator for a day, with an empty spill.
  Status new_day(const std::string& site, std::int32_t day, CachedDay& out) {
    Status status;
    out.spill = spill->day(site, day, status);
    out.aggregator =
        std::make_unique<DayAggregator>(day, DayAggregator::Detail::Full, out.spill.get(), options.visitors_in_memory);
    return status;
  }

  // Drops a day from memory (and its spilled visitors); the next event of the day replays it.
  std::map<DayKey, CachedDay>::iterator drop(std::map<DayKey, CachedDay>::iterator it) {
    (void)spill->drop_day(it->first.site, it->first.day);  // only space: a new aggregator empties it anyway
    return days.erase(it);
  }

  CachedDay* day_for(const std::string& site, std::int32_t day, Status& status) {
    auto it = days.find(DayKey{site, day});
    if (it == days.end()) {
      CachedDay cached;
      status = new_day(site, day, cached);
      if (status) status = replay(site, day, cached);
      if (status) status = cached.aggregator->status();
      cached.dirty = true;  // rewritten whole: the stored rows may predate a restart
      it = days.emplace(DayKey{site, day}, std::move(cached)).first;
    }
    it->second.used = ++tick;
    return &it->second;
  }

  Status flush() {
    bool any = false;
    for (auto& [key, d] : days) any = any || d.dirty;
    // Nothing new: no transaction, so the reports' cached scans (keyed by the roll-ups'
    // data_version) stay valid across the sync() each report makes.
    if (!any && last_seq.load() == flushed_seq) {
      unflushed_events = 0;
      last_flush = std::chrono::steady_clock::now();
      return Status::ok();
    }
    if (Status s = writer->begin(); !s) return s;
    for (auto& [key, d] : days) {
      if (!d.dirty) continue;
      Status s = writer->write(key.site, *d.aggregator, true);
      if (s) s = writer->write_visitor_events(key.site, key.day, d.log);
      if (!s) {
        writer->rollback();
        return s;
      }
    }
    const std::int64_t seq = last_seq.load();
    if (Status s = writer->set_meta("last_seq", std::to_string(seq)); !s) {
      writer->rollback();
      return s;
    }
    if (Status s = writer->commit(); !s) {
      writer->rollback();
      return s;
    }
    if (any) {
      const auto now = std::chrono::steady_clock::now();
      for (auto& [key, d] : days) {
        if (!d.dirty) continue;
        d.flushes = d.log.replace ? 1 : d.flushes + 1;
        d.written = now;
        d.aggregator->clear_dirty();
        d.log.clear();
        d.log.replace = false;
        d.dirty = false;
      }
    }
    flushed_seq = seq;
    unflushed_events = 0;
    last_flush = std::chrono::steady_clock::now();
    return Status::ok();
  }

  bool flush_due() const {
    if (options.flush_events && unflushed_events >= options.flush_events) return true;
    if (std::chrono::steady_clock::now() - last_flush >= options.flush_interval) return true;
    std::size_t log_bytes = 0;
    for (const auto& [key, d] : days) log_bytes += d.log.bytes();
    return log_bytes >= options.flush_log_bytes;
  }

  // After a failure inside a chunk: forget every day in memory and go back to what rollups.db
  // holds; the next catch-up replays the days it needs.
  void reset_to_flushed() {
    for (auto it = days.begin(); it != days.end();) it = drop(it);
    last_seq = flushed_seq;
    unflushed_events = 0;
  }

  void evict() {
    while (days.size() > options.days_in_memory) {
      auto oldest = days.end();
      for (auto it = days.begin(); it != days.end(); ++it) {
        if (it->second.dirty) continue;
        if (oldest == days.end() || it->second.used < oldest->second.used) oldest = it;
      }
      if (oldest == days.end()) return;
      // No longer written: a late event replays the day and rewrites it whole.
      if (options.compact_written_days) to_compact.insert(oldest->first);
      drop(oldest);
    }
  }

  std::int64_t current_max_seq(SqliteQuery& q) {
    std::int64_t max = 0;
    if (q.step() == SQLITE_ROW) max = q.integer(0);
    q.reset();
    return max;
  }

  bool stop_requested() {
    std::lock_guard<std::mutex> lock(mutex);
    return stopping;
  }

  Status add(std::int64_t seq, const StoredEvent& e) {
    const TimeZone* z = zone(e.site);
    if (!z) return Status::ok();  // a site no longer configured
    const std::int32_t day = z->local_day(e.ts_ms);
    Status load;
    CachedDay* d = day_for(e.site, day, load);
    if (!load) return load;
    const int hour = static_cast<int>(z->local_hour(e.ts_ms) - static_cast<std::int64_t>(day) * 24);
    d->aggregator->add(e, hour);
    d->log.add(e, hour, seq);
    d->dirty = true;
    return Status::ok();
  }

  // The events after last_seq, up to a chunk: those the writer handed over when they continue
  // from there, else read from the table.
  Status next_events(std::vector<CommittedEvents::Batch>& batches, bool& handed_over) {
    handed_over = false;
    if (options.committed) {
      options.committed->take(last_seq.load(), options.chunk_events, batches);
      handed_over = !batches.empty();
      if (handed_over) return Status::ok();
    }
    CommittedEvents::Batch batch;
    chunk.bind(1, last_seq.load()).bind(2, static_cast<std::int64_t>(options.chunk_events));
    Status st = read_events(chunk, [&](std::int64_t seq, StoredEvent& e) {
      batch.seqs.push_back(seq);
      batch.events.push_back(std::move(e));
    });
    if (st && !batch.events.empty()) batches.push_back(std::move(batch));
    return st;
  }

  // Processes every committed event not yet rolled up, writing the roll-ups when a flush is due
  // (or, with `flush_now`, at the end). A stop ends it between chunks, so that a tracker shut
  // down while millions of events wait for their roll-ups exits promptly (the high-water mark
  // is committed with the rows: the next start goes on from there).
  Status catch_up(bool flush_now) {
    for (;;) {
      if (stop_requested()) return Status::error("the roll-up builder is stopping");
      // SQLite reuses the largest rowid after it is deleted (retention of an idle database):
      // never stay above the table's maximum, or the reused numbers would be skipped.
      const std::int64_t max = current_max_seq(max_seq);
      if (max < last_seq.load()) last_seq = max;

      std::vector<CommittedEvents::Batch> batches;
      bool handed_over = false;
      if (Status st = next_events(batches, handed_over); !st) return st;
      if (batches.empty()) break;
      const std::uint64_t chunk_tick = tick;
      std::int64_t seq = last_seq.load();
      std::size_t count = 0;
      for (const auto& batch : batches) {
        for (std::size_t i = 0; i < batch.events.size(); ++i) {
          // Not in the table (a bot's, a repeated id), or already rolled up from the table.
          if (batch.seqs[i] <= seq) continue;
          seq = batch.seqs[i];
          ++count;
          if (Status s = add(seq, batch.events[i]); !s) {
            reset_to_flushed();
            return s;
          }
        }
      }
      // A day the whole chunk left alone (a rebuild has moved on; live, yesterday gets few late
      // events) keeps a small share of its visitors in memory: days in memory times the full
      // working set was most of a 10M rebuild's heap (heaptrack: ~300 of 406 MB).
      for (auto& [key, d] : days) {
        if (d.used <= chunk_tick) d.aggregator->keep_visitors(options.visitors_in_memory / kIdleDayShare);
      }
      for (const auto& [key, d] : days) {
        if (Status s = d.aggregator->status(); !s) {
          reset_to_flushed();
          return s;
        }
      }
      last_seq = seq;
      unflushed_events += count;
      (handed_over ? events_handed_over : events_read) += static_cast<std::int64_t>(count);
      if (flush_due()) {
        if (Status s = flush(); !s) return s;
      }
      evict();
    }
    if (flush_now || flush_due()) return flush();
    return Status::ok();
  }

  bool has_unflushed() const {
    for (const auto& [key, d] : days) {
      if (d.dirty) return true;
    }
    return flushed_seq != last_seq.load();
  }

  Status rebuild(const std::string& site, std::int32_t day) {
    if (auto it = days.find(DayKey{site, day}); it != days.end()) drop(it);
    CachedDay cached;
    if (Status s = new_day(site, day, cached); !s) return s;
    if (Status s = replay(site, day, cached); !s) return s;
    if (Status s = cached.aggregator->status(); !s) return s;
    if (Status s = writer->begin(); !s) return s;
    Status s = writer->delete_day(site, day);
    if (s) s = writer->write(site, *cached.aggregator, false);
    if (s) s = writer->write_visitor_events(site, day, cached.log);
    if (s) s = writer->commit();
    if (!s) {
      writer->rollback();
      return s;
    }
    cached.aggregator->clear_dirty();
    cached.log.clear();
    cached.log.replace = false;
    cached.used = ++tick;
    days.emplace(DayKey{site, day}, std::move(cached));
    evict();
    return Status::ok();
  }

  // Rewrites a day's stored visitor_events / visitor_values in one transaction, when more than
  // one flush wrote them (otherwise nothing to do: idempotent).
  Status compact(const DayKey& key) {
    std::int64_t parts = 0;
    if (Status s = writer->visitor_event_parts(key.site, key.day, parts); !s || parts <= 1) return s;
    const auto start = std::chrono::steady_clock::now();
    VisitorEventsCompaction c;
    if (Status s = writer->begin(); !s) return s;
    Status s = writer->compact_visitor_events(key.site, key.day, c);
    if (s) s = writer->commit();
    if (!s) {
      writer->rollback();
      return s;
    }
    if (auto it = days.find(key); it != days.end()) it->second.flushes = 1;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    log_info("visitor_events compacted", {{"site", key.site},
                                          {"day", std::to_string(key.day)},
                                          {"flushes", std::to_string(parts)},
                                          {"blocks", std::to_string(c.blocks_before) + "->" + std::to_string(c.blocks_after)},
                                          {"lists", std::to_string(c.lists_before) + "->" + std::to_string(c.lists_after)},
                                          {"ms", std::to_string(ms.count())}});
    return Status::ok();
  }

  // One queued day (not one still in memory: it is queued again when let go), else a day in
  // memory written in several flushes, none for `compact_idle_after`, that is not its site's
  // newest (yesterday, once its late events have stopped; a later one is added after it).
  void compact_one() {
    while (!to_compact.empty()) {
      const DayKey key = *to_compact.begin();
      to_compact.erase(to_compact.begin());
      if (days.count(key)) continue;
      if (Status s = compact(key); !s) log_error("roll-up compaction failed", {{"error", s.message()}});
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    for (auto it = days.begin(); it != days.end(); ++it) {
      CachedDay& d = it->second;
      const auto next = std::next(it);
      const bool newest = next == days.end() || next->first.site != it->first.site;
      if (newest || d.dirty || d.flushes <= 1 || now - d.written < options.compact_idle_after) continue;
      d.flushes = 1;  // also after a failure: not retried at every turn
      if (Status s = compact(it->first); !s) log_error("roll-up compaction failed", {{"error", s.message()}});
      return;
    }
  }

  // Days stored in several flushes that no builder compacted (it stopped first, or a rebuild
  // wrote a large day in parts).
  Status queue_stored_days() {
    std::vector<std::int32_t> stored;
    for (const auto& [site, z] : options.zones) {
      if (Status s = writer->days(site, stored); !s) return s;
      for (std::int32_t day : stored) {
        std::int64_t parts = 0;
        if (Status s = writer->visitor_event_parts(site, day, parts); !s) return s;
        if (parts > 1) to_compact.insert(DayKey{site, day});
      }
    }
    return Status::ok();
  }

  // A site's roll-ups were made in another time zone (or never): rebuild all of its days.
  Status rebuild_site(const std::string& site) {
    for (auto it = days.begin(); it != days.end();) it = it->first.site == site ? drop(it) : std::next(it);
    const TimeZone* z = zone(site);
    std::map<std::int32_t, CachedDay> open;
    Status status = writer->begin();
    if (!status) return status;
    auto write_day = [&](std::map<std::int32_t, CachedDay>::iterator it) {
      if (status) status = it->second.aggregator->status();
      if (status) status = writer->write(site, *it->second.aggregator, false);
      if (status) status = writer->write_visitor_events(site, it->first, it->second.log);
      (void)spill->drop_day(site, it->first);
      open.erase(it);
    };
    if (status) status = writer->delete_site(site);
    site_events.bind(1, site).bind(2, last_seq.load());
    Status read = read_events(site_events, [&](std::int64_t seq, StoredEvent& e) {
      const std::int32_t day = z->local_day(e.ts_ms);
      auto it = open.find(day);
      if (it == open.end()) {
        it = open.emplace(day, CachedDay{}).first;
        if (Status s = new_day(site, day, it->second); !s && status) status = s;
        while (open.size() > 3) write_day(open.begin());
      }
      const int hour = static_cast<int>(z->local_hour(e.ts_ms) - static_cast<std::int64_t>(day) * 24);
      it->second.aggregator->add(e, hour);
      VisitorEventLog& log = it->second.log;
      log.add(e, hour, seq);
      // A whole day's chunks would hold the day's events in memory: write them as they grow
      // (inside this one transaction; the site's stored chunks are already deleted).
      if (log.bytes() > kLogBytesBeforeWrite) {
        if (status) status = writer->write_visitor_events(site, day, log);
        log.clear();
      }
    });
    while (!open.empty()) write_day(open.begin());
    if (status) status = read;
    if (status) status = writer->set_meta("zone:" + site, z->name());
    if (status) status = writer->commit();
    if (!status) writer->rollback();
    return status;
  }

  Status check_zones() {
    for (const auto& [site, z] : options.zones) {
      std::string stored;
      bool found = false;
      if (Status s = writer->get_meta("zone:" + site, stored, found); !s) return s;
      if (found && stored == z->name()) continue;
      if (found) {
        log_info("rebuilding roll-ups for a new time zone", {{"site", site}, {"from", stored}, {"to", z->name()}});
      }
      if (Status s = rebuild_site(site); !s) return s;
    }
    return Status::ok();
  }

  // Runs `body` holding the events database's write lock, after rolling up everything committed
  // before it; afterwards the high-water mark is clamped to what the table still holds.
  Status with_events_locked(const std::function<Status()>& body) {
    if (Status s = catch_up(true); !s) return s;
    if (Status s = begin.run(); !s) return s;
    Status s = catch_up(true);
    if (s) s = body();
    std::int64_t max = 0;
    if (s) max = current_max_seq(write_max_seq);
    if (s) s = commit.run();
    if (!s) {
      (void)rollback.run();
      return s;
    }
    // Events handed over by the writer may be among those deleted.
    if (options.committed) options.committed->invalidate();
    if (max < last_seq.load()) last_seq = max;
    return flush();
  }

  Status erase(const std::string& site, const std::string& id, ErasureResult& result) {
    const TimeZone* z = zone(site);
    std::set<std::int32_t> touched;
    Status s = with_events_locked([&]() -> Status {
      erase_days.bind(1, site).bind(2, id);
      int rc;
      while ((rc = erase_days.step()) == SQLITE_ROW) {
        if (z) touched.insert(z->local_day(erase_days.integer(0)));
      }
      if (Status st = erase_days.done(rc); !st) return st;
      if (Status st = erase_human.bind(1, site).bind(2, id).run(); !st) return st;
      result.events = eraser.changes();
      if (Status st = erase_bots.bind(1, site).bind(2, id).run(); !st) return st;
      result.bot_events = eraser.changes();
      return Status::ok();
    });
    if (!s) return s;
    for (std::int32_t day : touched) {
      if (Status st = rebuild(site, day); !st) return st;
      result.days_rebuilt.push_back(day);
    }
    return Status::ok();
  }

  Status retain(const std::string& site, std::int64_t cutoff_ms, std::int64_t& deleted) {
    deleted = 0;
    const TimeZone* z = zone(site);
    if (!z) return Status::ok();
    const std::int32_t cut_day = z->local_day(cutoff_ms);
    const std::int64_t cut_ms = z->day_start_utc(cut_day);
    // Small transactions, so the group-commit writer never waits long behind retention.
    for (SqliteQuery* q : {&retain_human, &retain_bots}) {
      for (;;) {
        std::int64_t n = 0;
        Status s = with_events_locked([&]() -> Status {
          if (Status st = q->bind(1, site).bind(2, cut_ms).run(); !st) return st;
          n = eraser.changes();
          return Status::ok();
        });
        if (!s) return s;
        deleted += n;
        if (n == 0) break;
      }
    }
    for (auto it = days.begin(); it != days.end();) {
      it = (it->first.site == site && it->first.day < cut_day) ? drop(it) : std::next(it);
    }
    if (Status s = writer->begin(); !s) return s;
    Status s = writer->delete_before(site, cut_day);
    if (s) s = writer->commit();
    if (!s) writer->rollback();
    return s;
  }

  void run() {
    name_this_thread("ithaca-rollup");
    // Roll-ups may lag under load; the request path and the writer must not wait for the CPU.
    lower_this_thread_priority(kBackgroundNiceSteps);
    std::unique_lock<std::mutex> lock(mutex);
    while (!stopping) {
      wake.wait_for(lock, options.poll, [&] { return stopping || notified || !jobs.empty(); });
      if (stopping) break;
      notified = false;
      const std::uint64_t generation = requested;
      // Someone waits in sync(): write what is rolled up now rather than at the next interval.
      const bool waited_for = requested > completed;
      std::deque<std::function<void()>> pending;
      pending.swap(jobs);
      lock.unlock();
      for (auto& job : pending) job();
      if (Status s = catch_up(waited_for); !s && !stop_requested()) {
        log_error("roll-up failed", {{"error", s.message()}});
      }
      lock.lock();
      completed = std::max(completed, generation);
      done.notify_all();
      // Compaction between catch-ups, a day at a time, when no report or job waits for the thread.
      if (options.compact_written_days && requested == completed && jobs.empty() && !stopping) {
        lock.unlock();
        compact_one();
        lock.lock();
      }
    }
    lock.unlock();
    // What is rolled up but not yet written, so that a restart need not redo it.
    if (has_unflushed()) {
      if (Status s = flush(); !s) log_error("roll-up failed", {{"error", s.message()}});
    }
    lock.lock();
    // Fail whatever is still queued: its callers are waiting.
    std::deque<std::function<void()>> pending;
    pending.swap(jobs);
    lock.unlock();
    for (auto& job : pending) job();
  }

  Status submit(std::function<Status()> body) {
    auto promise = std::make_shared<std::promise<Status>>();
    auto future = promise->get_future();
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (stopping || !thread.joinable()) return Status::error("the roll-up builder is stopped");
      jobs.push_back([this, promise, body = std::move(body)] {
        promise->set_value(stopping ? Status::error("the roll-up builder is stopping") : body());
      });
    }
    wake.notify_all();
    return future.get();
  }
};

RollupBuilder::RollupBuilder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RollupBuilder::~RollupBuilder() { stop(); }

std::unique_ptr<RollupBuilder> RollupBuilder::start(RollupBuilderOptions options, std::string& error) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.options = std::move(options);
  auto fail = [&](const Status& s) {
    error = "roll-ups: " + s.message();
    return nullptr;
  };
  m.writer = RollupWriter::open(m.options.rollups_path, error);
  if (!m.writer) return fail(Status::error(error));
  m.spill = VisitorSpillDatabase::open(m.options.rollups_path + "-visitors", error);
  if (!m.spill) return fail(Status::error(error));
  if (Status s = m.reader.open(m.options.events_path, false); !s) return fail(s);
  if (Status s = m.reader.exec("PRAGMA query_only=ON;"); !s) return fail(s);
  if (Status s = m.eraser.open(m.options.events_path, false); !s) return fail(s);
  const std::string cols = kRawEventColumns;
  const std::pair<SqliteQuery*, std::pair<sqlite3*, std::string>> statements[] = {
      {&m.chunk, {m.reader.handle(), "SELECT " + cols + " FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2"}},
      {&m.replay_day, {m.reader.handle(), "SELECT " + cols + " FROM events WHERE site = ?1 AND ts >= ?2 AND ts < ?3 "
                                      "AND seq <= ?4"}},
      {&m.site_events, {m.reader.handle(), "SELECT " + cols + " FROM events WHERE site = ?1 AND seq <= ?2 "
                                           "ORDER BY site, ts"}},
      {&m.max_seq, {m.reader.handle(), "SELECT coalesce(max(seq), 0) FROM events"}},
      {&m.begin, {m.eraser.handle(), "BEGIN IMMEDIATE"}},
      {&m.commit, {m.eraser.handle(), "COMMIT"}},
      {&m.rollback, {m.eraser.handle(), "ROLLBACK"}},
      {&m.write_max_seq, {m.eraser.handle(), "SELECT coalesce(max(seq), 0) FROM events"}},
      {&m.erase_days, {m.eraser.handle(), "SELECT ts FROM events WHERE site = ?1 AND visitor_id = ?2"}},
      {&m.erase_human, {m.eraser.handle(), "DELETE FROM events WHERE site = ?1 AND visitor_id = ?2"}},
      {&m.erase_bots, {m.eraser.handle(), "DELETE FROM bot_events WHERE site = ?1 AND visitor_id = ?2"}},
      {&m.retain_human, {m.eraser.handle(), "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE "
                                            "site = ?1 AND ts < ?2 LIMIT 5000)"}},
      {&m.retain_bots, {m.eraser.handle(), "DELETE FROM bot_events WHERE seq IN (SELECT seq FROM bot_events "
                                           "WHERE site = ?1 AND ts < ?2 LIMIT 5000)"}},
  };
  for (const auto& [q, spec] : statements) {
    if (Status s = q->prepare(spec.first, spec.second); !s) return fail(s);
  }
  std::string value;
  bool found = false;
  if (Status s = m.writer->get_meta("last_seq", value, found); !s) return fail(s);
  if (found) m.last_seq = std::strtoll(value.c_str(), nullptr, 10);
  m.flushed_seq = m.last_seq.load();
  if (Status s = m.check_zones(); !s) return fail(s);
  if (m.options.compact_written_days) {
    if (Status s = m.queue_stored_days(); !s) return fail(s);
  }

  std::unique_ptr<RollupBuilder> builder(new RollupBuilder(std::move(impl)));
  Impl* raw = builder->impl_.get();
  raw->thread = std::thread([raw] { raw->run(); });
  if (raw->options.committed) {
    raw->options.committed->on_half_full([raw] {
      {
        std::lock_guard<std::mutex> lock(raw->mutex);
        raw->notified = true;
      }
      raw->wake.notify_all();
    });
  }
  return builder;
}

void RollupBuilder::stop() {
  if (!impl_) return;
  if (impl_->options.committed) impl_->options.committed->on_half_full(nullptr);
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void RollupBuilder::notify() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->notified = true;
  }
  impl_->wake.notify_all();
}

bool RollupBuilder::sync(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  if (impl_->stopping) return false;
  const std::uint64_t wanted = ++impl_->requested;
  impl_->notified = true;
  impl_->wake.notify_all();
  return impl_->done.wait_for(lock, timeout, [&] { return impl_->completed >= wanted || impl_->stopping; }) &&
         impl_->completed >= wanted;
}

Status RollupBuilder::erase_visitor(const std::string& site, const std::string& visitor_id, ErasureResult& result) {
  result = ErasureResult{};
  return impl_->submit([&]() { return impl_->erase(site, visitor_id, result); });
}

Status RollupBuilder::apply_retention(const std::string& site, std::int64_t cutoff_ms, std::int64_t& deleted) {
  return impl_->submit([&]() { return impl_->retain(site, cutoff_ms, deleted); });
}

Status RollupBuilder::rebuild_days(const std::string& site, std::vector<std::int32_t> days) {
  return impl_->submit([&]() -> Status {
    if (!impl_->zone(site)) return Status::error("unknown site " + site);
    if (Status s = impl_->catch_up(true); !s) return s;
    for (std::int32_t day : days) {
      if (Status s = impl_->rebuild(site, day); !s) return s;
    }
    return Status::ok();
  });
}

Status RollupBuilder::compact_days(const std::string& site, std::vector<std::int32_t> days) {
  return impl_->submit([&]() -> Status {
    if (!impl_->zone(site)) return Status::error("unknown site " + site);
    if (Status s = impl_->catch_up(true); !s) return s;
    for (std::int32_t day : days) {
      if (Status s = impl_->compact(DayKey{site, day}); !s) return s;
    }
    return Status::ok();
  });
}

std::int64_t RollupBuilder::processed_seq() const { return impl_->last_seq.load(); }

std::int64_t RollupBuilder::events_handed_over() const { return impl_->events_handed_over.load(); }

std::int64_t RollupBuilder::events_read() const { return impl_->events_read.load(); }

std::size_t RollupBuilder::events_waiting() const {
  return impl_->options.committed ? impl_->options.committed->held_events() : 0;
}

}  // namespace ithaca::tracker
