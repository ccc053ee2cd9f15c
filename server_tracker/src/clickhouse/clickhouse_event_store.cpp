#include "clickhouse/clickhouse_event_store.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "clickhouse/clickhouse_schema.hpp"
#include "logger.hpp"
#include "random_bytes.hpp"
#include "thread_name.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kDedupWindowMs = 3'600'000;

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

using Row = ClickHouseEventStore::Row;

void append_hex(std::string& out, std::string_view bytes) {
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : bytes) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
}

std::vector<Row> parse_rows(const std::vector<std::string>& lines, const std::string& format) {
  std::vector<Row> rows;
  rows.reserve(lines.size());
  for (const auto& line : lines) {
    json j = clickhouse_row_object(line, format);
    Row r;
    if (j.is_object()) {
      r.site = j.value("site", "");
      r.event_id = j.value("event_id", "");
      auto ts = j.find("ts");
      if (ts != j.end() && ts->is_number_integer()) r.ts = ts->get<std::int64_t>();
      if (ts != j.end() && ts->is_string()) r.ts = std::strtoll(ts->get<std::string>().c_str(), nullptr, 10);
    }
    r.json = line;
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<std::string> lines_of(const std::vector<Row>& rows) {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.json);
  return out;
}

std::string where_batch(const std::vector<Row>& rows, const std::string& batch) {
  std::set<std::string> sites;
  std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = std::numeric_limits<std::int64_t>::min();
  for (const auto& r : rows) {
    sites.insert(r.site);
    lo = std::min(lo, r.ts);
    hi = std::max(hi, r.ts);
  }
  std::string in;
  for (const auto& s : sites) in += (in.empty() ? "" : ", ") + sql_string(s);
  return "site IN (" + in + ") AND ts >= " + sql_int(lo) + " AND ts <= " + sql_int(hi) + " AND batch = " +
         sql_string(batch);
}

}  // namespace

ClickHouseEventStore::ClickHouseEventStore(const ClickHouseStoreOptions& options)
    : options_(options), client_(options.endpoint), spool_(options.spool_dir, options.spool_max_bytes) {}

std::unique_ptr<ClickHouseEventStore> ClickHouseEventStore::open(const ClickHouseStoreOptions& options,
                                                                 std::string& error) {
  std::unique_ptr<ClickHouseEventStore> store(new ClickHouseEventStore(options));
  if (Status s = store->spool_.open(); !s) {
    error = s.message();
    return nullptr;
  }
  // The schema needs ClickHouse once, at start; after that it may come and go.
  Status schema = create_clickhouse_schema(store->client_);
  for (int attempt = 0; !schema && attempt < 10; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    schema = create_clickhouse_schema(store->client_);
  }
  if (!schema) {
    error = "cannot create the ClickHouse schema: " + schema.message();
    return nullptr;
  }
  if (store->spool_.batches()) {
    log_info("ClickHouse spool holds batches from an earlier run",
             {{"batches", std::to_string(store->spool_.batches())}, {"bytes", std::to_string(store->spool_.bytes())}});
  }
  ClickHouseEventStore* raw = store.get();
  store->flusher_ = std::thread([raw] { raw->run_flusher(); });
  return store;
}

ClickHouseEventStore::~ClickHouseEventStore() { stop(); }

void ClickHouseEventStore::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
}

ClickHouseEventStore::Sent ClickHouseEventStore::send(const std::string& table, const std::string& batch,
                                                      const std::string& format, std::vector<Row> rows,
                                                      bool probe_batch, std::string& error) {
  if (rows.empty()) return Sent::Stored;
  // Built now: the dedup step below moves the rows out (the check after a lost answer once ran
  // on the moved-from rows, found nothing and sent the batch a second time).
  const std::string batch_where = where_batch(rows, batch);
  auto batch_present = [&](bool& known) -> bool {
    std::vector<std::vector<std::string>> result;
    known = client_.select("SELECT count() FROM " + table + " WHERE " + batch_where, result).is_ok();
    return known && !result.empty() && !result[0].empty() && result[0][0] != "0";
  };
  if (probe_batch) {
    bool known = false;
    if (batch_present(known)) return Sent::Stored;
    if (!known) {
      error = "ClickHouse did not answer the batch check";
      return Sent::Failed;
    }
  }

  // Skip client event ids stored already (same site, within an hour of the event's time), and
  // repeats inside the batch.
  std::map<std::string, std::vector<const Row*>> by_site;
  for (const auto& r : rows) {
    if (!r.event_id.empty()) by_site[r.site].push_back(&r);
  }
  std::set<std::pair<std::string, std::string>> known_ids;
  for (const auto& [site, list] : by_site) {
    std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = std::numeric_limits<std::int64_t>::min();
    // The ids travel as one literal of hex strings split by ClickHouse: an IN list of 20,000
    // literals took ClickHouse longer to parse than the insert that followed took to run.
    std::string in;
    std::unordered_set<std::string_view> listed;
    for (const Row* r : list) {
      lo = std::min(lo, r->ts);
      hi = std::max(hi, r->ts);
      if (!listed.insert(r->event_id).second) continue;
      if (!in.empty()) in += ',';
      append_hex(in, r->event_id);
    }
    std::vector<std::vector<std::string>> result;
    Status s = client_.select("SELECT event_id FROM " + table + " WHERE site = " + sql_string(site) + " AND ts >= " +
                                  sql_int(lo - kDedupWindowMs) + " AND ts <= " + sql_int(hi + kDedupWindowMs) +
                                  " AND event_id IN (SELECT unhex(arrayJoin(splitByChar(',', '" + in + "'))))",
                              result);
    if (!s) {
      error = s.message();
      return Sent::Failed;
    }
    for (const auto& row : result) {
      if (!row.empty()) known_ids.emplace(site, row[0]);
    }
  }
  std::vector<Row> fresh;
  fresh.reserve(rows.size());
  std::set<std::pair<std::string, std::string>> taken;
  for (auto& r : rows) {
    if (!r.event_id.empty()) {
      auto key = std::make_pair(r.site, r.event_id);
      if (known_ids.count(key) || !taken.insert(key).second) continue;
    }
    fresh.push_back(std::move(r));
  }
  if (fresh.empty()) return Sent::Stored;

  std::string data;
  for (const auto& r : fresh) {
    data += r.json;
    data += '\n';
  }
  const std::string insert = format == kTabSeparated
                                 ? "INSERT INTO " + table + " (" + kClickHouseInsertColumns + ") FORMAT TabSeparated"
                                 : "INSERT INTO " + table + " FORMAT JSONEachRow";
  for (int attempt = 1; attempt <= options_.insert_attempts; ++attempt) {
    ClickHouseResult r = client_.insert(insert, data);
    if (r.ok()) return Sent::Stored;
    error = r.status().message();
    if (r.outcome == ClickHouseOutcome::Ambiguous) {
      bool known = false;
      if (batch_present(known)) return Sent::Stored;
      if (!known) return Sent::Failed;  // the spool's flusher checks the batch before resending
    }
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (cv_.wait_for(lock, options_.retry_backoff * attempt, [&] { return stopping_; })) break;
    }
  }
  return Sent::Failed;
}

Status ClickHouseEventStore::write(std::span<const StoredEvent> events) {
  if (events.empty()) return Status::ok();
  for (const bool bot : {false, true}) {
    const std::string table = bot ? "bot_events" : "events";
    const std::string batch = to_hex(random_bytes(12));
    std::vector<Row> rows;
    for (const auto& e : events) {
      if (e.bot != bot) continue;
      rows.push_back(Row{e.site, e.event_id, e.ts_ms, clickhouse_row(e, batch)});
    }
    if (rows.empty()) continue;
    std::vector<std::string> lines = lines_of(rows);
    if (steady_ms() >= unhealthy_until_.load()) {
      std::string error;
      if (send(table, batch, kTabSeparated, std::move(rows), false, error) == Sent::Stored) continue;
      if (unhealthy_until_.exchange(steady_ms() + options_.unhealthy_for.count()) == 0) {
        log_warn("ClickHouse insert failed; spooling locally", {{"error", error}});
      }
    }
    if (Status s = spool_.append(table, batch, lines, kTabSeparated); !s) {
      log_error("ClickHouse unavailable and the spool refused a batch", {{"error", s.message()}});
      return s;
    }
    cv_.notify_all();
  }
  return Status::ok();
}

Status ClickHouseEventStore::flush_spool() {
  std::lock_guard<std::mutex> lock(spool_mutex_);
  for (const auto& file : spool_.files()) {
    SpoolBatch b;
    if (Status s = spool_.read(file, b); !s) return s;
    std::string error;
    if (send(b.table, b.batch, b.format, parse_rows(b.rows, b.format), true, error) != Sent::Stored) {
      return Status::error(error);
    }
    if (Status s = spool_.remove(file); !s) return s;
  }
  unhealthy_until_ = 0;
  return Status::ok();
}

void ClickHouseEventStore::run_flusher() {
  name_this_thread("ithaca-spool");
  bool failing = false;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    cv_.wait_for(lock, options_.flush_interval, [&] { return stopping_; });
    if (stopping_) break;
    if (spool_.batches() == 0) continue;
    lock.unlock();
    const std::size_t before = spool_.batches();
    Status s = flush_spool();
    if (!s && !failing) log_warn("ClickHouse spool not flushed yet", {{"error", s.message()}});
    if (s && before) log_info("ClickHouse spool flushed", {{"batches", std::to_string(before)}});
    failing = !s;
    lock.lock();
  }
}

Status ClickHouseEventStore::summary(std::string_view site, const TimeRange& range, Summary& out) {
  out = Summary{};
  std::string where = "site = " + sql_string(site);
  if (range.from_ms) where += " AND ts >= " + sql_int(*range.from_ms);
  if (range.to_ms) where += " AND ts < " + sql_int(*range.to_ms);
  std::vector<std::vector<std::string>> rows;
  if (Status s = client_.select("SELECT count(), countIf(type = 'pageview'), uniqExact(visitor) FROM events WHERE " +
                                    where,
                                rows);
      !s) {
    return s;
  }
  if (!rows.empty() && rows[0].size() == 3) {
    out.events = std::strtoll(rows[0][0].c_str(), nullptr, 10);
    out.pageviews = std::strtoll(rows[0][1].c_str(), nullptr, 10);
    out.visitors = std::strtoll(rows[0][2].c_str(), nullptr, 10);
  }
  if (Status s = client_.select("SELECT count() FROM bot_events WHERE " + where, rows); !s) return s;
  if (!rows.empty() && !rows[0].empty()) out.bot_events = std::strtoll(rows[0][0].c_str(), nullptr, 10);
  return Status::ok();
}

Status ClickHouseEventStore::wait_for_mutations(const std::string& table) {
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (Clock::now() < deadline) {
    std::vector<std::vector<std::string>> rows;
    if (Status s = client_.select("SELECT count() FROM system.mutations WHERE database = " +
                                      sql_string(client_.endpoint().database) + " AND table = " + sql_string(table) +
                                      " AND is_done = 0",
                                  rows);
        !s) {
      return s;
    }
    if (!rows.empty() && !rows[0].empty() && rows[0][0] == "0") return Status::ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Status::error("ClickHouse did not finish deleting from " + table + " within 120 s");
}

Status ClickHouseEventStore::delete_before(std::string_view site, std::int64_t cutoff_ms, std::int64_t& deleted) {
  deleted = 0;
  const std::string where = "site = " + sql_string(site) + " AND ts < " + sql_int(cutoff_ms);
  for (const char* table : {"events", "bot_events"}) {
    std::vector<std::vector<std::string>> rows;
    if (Status s = client_.select(std::string("SELECT count() FROM ") + table + " WHERE " + where, rows); !s) return s;
    const std::int64_t n = rows.empty() || rows[0].empty() ? 0 : std::strtoll(rows[0][0].c_str(), nullptr, 10);
    if (n == 0) continue;
    if (auto r = client_.execute(std::string("ALTER TABLE ") + table + " DELETE WHERE " + where); !r.ok()) {
      return r.status();
    }
    if (Status s = wait_for_mutations(table); !s) return s;
    deleted += n;
  }
  return Status::ok();
}

Status ClickHouseEventStore::count_visitor_events(std::string_view site, std::string_view visitor_id,
                                                  std::int64_t& count) {
  count = 0;
  for (const char* table : {"events", "bot_events"}) {
    std::vector<std::vector<std::string>> rows;
    if (Status s = client_.select(std::string("SELECT count() FROM ") + table + " WHERE site = " + sql_string(site) +
                                      " AND visitor_id = " + sql_string(visitor_id),
                                  rows);
        !s) {
      return s;
    }
    if (!rows.empty() && !rows[0].empty()) count += std::strtoll(rows[0][0].c_str(), nullptr, 10);
  }
  return Status::ok();
}

Status ClickHouseEventStore::erase_visitor(const std::string& site, const std::string& visitor_id,
                                           std::int64_t& events, std::int64_t& bot_events, std::int64_t& spooled) {
  events = bot_events = spooled = 0;
  {
    // What ClickHouse can take goes there first; the rest is erased from the spool files.
    std::lock_guard<std::mutex> lock(spool_mutex_);
    for (const auto& file : spool_.files()) {
      SpoolBatch b;
      if (Status s = spool_.read(file, b); !s) return s;
      std::string error;
      if (send(b.table, b.batch, b.format, parse_rows(b.rows, b.format), true, error) == Sent::Stored) {
        if (Status s = spool_.remove(file); !s) return s;
        continue;
      }
      const std::size_t before = b.rows.size();
      std::vector<std::string> kept;
      for (auto& line : b.rows) {
        json j = clickhouse_row_object(line, b.format);
        const bool match = j.is_object() && j.value("site", "") == site && j.value("visitor_id", "") == visitor_id;
        if (!match) kept.push_back(std::move(line));
      }
      if (kept.size() == before) continue;
      spooled += static_cast<std::int64_t>(before - kept.size());
      b.rows = std::move(kept);
      if (Status s = spool_.rewrite(b); !s) return s;
    }
  }
  const std::string where = "site = " + sql_string(site) + " AND visitor_id = " + sql_string(visitor_id);
  for (const char* table : {"events", "bot_events"}) {
    std::vector<std::vector<std::string>> rows;
    if (Status s = client_.select(std::string("SELECT count() FROM ") + table + " WHERE " + where, rows); !s) return s;
    const std::int64_t n = rows.empty() || rows[0].empty() ? 0 : std::strtoll(rows[0][0].c_str(), nullptr, 10);
    (std::string_view(table) == "events" ? events : bot_events) = n;
    if (n == 0) continue;
    if (auto r = client_.execute(std::string("ALTER TABLE ") + table + " DELETE WHERE " + where); !r.ok()) {
      return r.status();
    }
    if (Status s = wait_for_mutations(table); !s) return s;
  }
  return Status::ok();
}

Status ClickHouseEventStore::export_visitor(const std::string& site, const std::string& visitor_id,
                                            std::vector<StoredEvent>& out) {
  out.clear();
  const std::string where = "site = " + sql_string(site) + " AND visitor_id = " + sql_string(visitor_id);
  for (const bool bot : {false, true}) {
    ClickHouseResult r = client_.execute(std::string("SELECT ") + kClickHouseExportColumns + " FROM " +
                                         (bot ? "bot_events" : "events") + " WHERE " + where +
                                         " ORDER BY ts FORMAT JSONEachRow");
    if (!r.ok()) return r.status();
    std::size_t start = 0;
    while (start < r.body.size()) {
      std::size_t end = r.body.find('\n', start);
      if (end == std::string::npos) end = r.body.size();
      json j = json::parse(std::string_view(r.body).substr(start, end - start), nullptr, false);
      if (j.is_object()) out.push_back(event_from_clickhouse(j, bot));
      start = end + 1;
    }
  }
  // Acknowledged events still waiting in the spool belong to the export too.
  std::lock_guard<std::mutex> lock(spool_mutex_);
  for (const auto& file : spool_.files()) {
    SpoolBatch b;
    if (Status s = spool_.read(file, b); !s) return s;
    for (const auto& line : b.rows) {
      json j = clickhouse_row_object(line, b.format);
      if (j.is_object() && j.value("site", "") == site && j.value("visitor_id", "") == visitor_id) {
        out.push_back(event_from_clickhouse(j, b.table == "bot_events"));
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const StoredEvent& a, const StoredEvent& b) { return a.ts_ms < b.ts_ms; });
  return Status::ok();
}

}  // namespace ithaca::tracker
