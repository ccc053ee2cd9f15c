// Compaction of live-ingested days, side by side in one run: a generated stream is rolled up as
// a live tracker does it — a builder flush every --flush-events events (a tracker flushes every
// 5 s: at 10M events in 30 days that is about 20 events per flush) — with compaction off. The
// roll-ups are copied; the copy's days are compacted (compact_days(), timed). Then both are
// described (visitor_events / visitor_values rows per day, bytes in use) and each --report is
// run --runs times on each, alternately, each time through a fresh report source (no kept scan;
// the page cache warm), with the process's CPU time around it; the answers must be identical.
//
//   compaction_bench --events N [--days D] [--flush-events F] [--runs R] [--dir DIR [--reuse]]
//                    [--report 'pages?landing_page=/&visit=first']...
//
// --reuse: DIR already holds the events and the live roll-ups (a run with --dir): only the copy,
// its compaction and the measurement are done again (so that only they need the bench lock).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench_rollups.hpp"
#include "reports/event_generator.hpp"
#include "reports/event_loader.hpp"
#include "reports/reports.hpp"
#include "reports/rollup_builder.hpp"
#include "reports/sqlite_query.hpp"
#include "reports/sqlite_report_source.hpp"
#include "sqlite_db.hpp"

namespace {

using namespace ithaca::tracker;
namespace fs = std::filesystem;

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "compaction_bench: %s\n", message.c_str());
  std::exit(1);
}

struct Report {
  std::string spec, name;
  ReportParams params;
  std::vector<Filter> filters;
};

// "name?dim=value&param=value": dimension names are filters, the rest report parameters.
Report parse_report(const std::string& spec) {
  Report r;
  r.spec = spec;
  const std::size_t q = spec.find('?');
  r.name = spec.substr(0, q);
  std::string rest = q == std::string::npos ? "" : spec.substr(q + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string pair = rest.substr(0, amp);
    rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string::npos) die("bad report parameter " + pair);
    const std::string key = pair.substr(0, eq), value = pair.substr(eq + 1);
    if (auto dim = parse_dimension(key)) {
      r.filters.push_back(Filter{*dim, value});
    } else {
      r.params[key] = value;
    }
  }
  return r;
}

// Rows per day of a query "SELECT day, count(*) ... GROUP BY day" as (median, max, total).
struct PerDay {
  std::int64_t days = 0, median = 0, max = 0, total = 0;
};
PerDay per_day(const std::string& path, const char* sql) {
  SqliteConnection db;
  if (Status s = db.open(path, false); !s) die(s.message());
  SqliteQuery q;
  if (Status s = q.prepare(db.handle(), sql); !s) die(s.message());
  std::vector<std::int64_t> counts;
  while (q.step() == SQLITE_ROW) counts.push_back(q.integer(1));
  PerDay p;
  if (counts.empty()) return p;
  std::sort(counts.begin(), counts.end());
  p.days = static_cast<std::int64_t>(counts.size());
  p.median = counts[counts.size() / 2];
  p.max = counts.back();
  for (std::int64_t c : counts) p.total += c;
  return p;
}

std::int64_t bytes_in_use(const std::string& path) {
  SqliteConnection db;
  if (Status s = db.open(path, false); !s) die(s.message());
  std::int64_t pages = 0, free_pages = 0, size = 0;
  for (auto [sql, out] : {std::pair{"PRAGMA page_count", &pages}, std::pair{"PRAGMA freelist_count", &free_pages},
                          std::pair{"PRAGMA page_size", &size}}) {
    SqliteQuery q;
    if (Status s = q.prepare(db.handle(), sql); !s) die(s.message());
    if (q.step() == SQLITE_ROW) *out = q.integer(0);
  }
  return (pages - free_pages) * size;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t events = 100'000, flush_events = 20, runs = 5;
  double days = 3;
  std::string dir;
  bool reuse = false;
  std::vector<std::string> specs;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--events") events = std::atoll(value().c_str());
    else if (a == "--days") days = std::atof(value().c_str());
    else if (a == "--flush-events") flush_events = std::atoll(value().c_str());
    else if (a == "--runs") runs = std::atoll(value().c_str());
    else if (a == "--dir") dir = value();
    else if (a == "--reuse") reuse = true;
    else if (a == "--report") specs.push_back(value());
    else die("unknown option " + a);
  }
  if (events < 1 || flush_events < 1 || runs < 1 || days <= 0) die("--events, --flush-events, --runs, --days must be positive");
  if (specs.empty()) specs = {"pages?landing_page=/&visit=first", "funnel?landing_page=/&visit=first",
                              "pages?country=DE&device=mobile&visit=repeat"};
  std::vector<Report> reports;
  for (const std::string& spec : specs) reports.push_back(parse_report(spec));
  const bool temporary = dir.empty();
  if (temporary) dir = (fs::temp_directory_path() / ("compaction-bench-" + std::to_string(::getpid()))).string();
  if (reuse && (temporary || !fs::exists(dir + "/rollups-live.db"))) die("--reuse needs a --dir with rollups-live.db");
  if (!reuse) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }

  std::string error;
  BenchRollups bench;
  if (!open_bench_rollups(dir, "rollups-live.db", bench, error)) die(error);
  SqliteStores& stores = bench.stores;
  RollupBuilderOptions& o = bench.options;
  o.chunk_events = o.flush_events = static_cast<std::size_t>(flush_events);
  o.flush_interval = std::chrono::hours(24);
  o.compact_written_days = false;

  // The stream, then the live roll-up of it.
  const std::string rules_json = read_file(ITHACA_SOURCE_DIR "/demo_site/rules/demo.json");
  std::int64_t last_ts = 0;
  if (!reuse) {
    GeneratorOptions g;
    g.events = events;
    g.days = days;
    g.seed = 5;
    g.rules_json = rules_json;
    EventGenerator generator(g);
    GeneratedRequest r;
    std::vector<StoredEvent> pending;
    std::int64_t written = 0;
    auto write = [&] {
      if (Status s = stores.events->write(pending); !s) die(s.message());
      written += static_cast<std::int64_t>(pending.size());
      pending.clear();
    };
    while (generator.next(r)) {
      append_stored_events(r, pending);
      if (pending.size() >= 10'000) write();
    }
    write();
    const double cpu = cpu_seconds();
    const auto wall = std::chrono::steady_clock::now();
    {
      auto live = RollupBuilder::start(o, error);
      if (!live || !live->sync(std::chrono::hours(2))) die("the live roll-up failed: " + error);
    }
    std::printf("rolled up %lld events live (a flush every %lld): %.1f s, %.1f CPU-s\n",
                static_cast<long long>(written), static_cast<long long>(flush_events),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count(), cpu_seconds() - cpu);
  }
  {
    SqliteConnection db;
    SqliteQuery q;
    if (Status s = db.open(o.events_path, false); !s) die(s.message());
    if (Status s = q.prepare(db.handle(), "SELECT max(ts) FROM events"); !s) die(s.message());
    if (q.step() == SQLITE_ROW) last_ts = q.integer(0);
  }

  // The copy, compacted.
  const std::string compacted_path = dir + "/rollups-compacted.db";
  fs::copy_file(o.rollups_path, compacted_path, fs::copy_options::overwrite_existing);
  if (fs::exists(o.rollups_path + "-wal")) {
    fs::copy_file(o.rollups_path + "-wal", compacted_path + "-wal", fs::copy_options::overwrite_existing);
  }
  RollupBuilderOptions oc = o;
  oc.rollups_path = compacted_path;
  auto live = RollupBuilder::start(o, error);
  auto compacted = live ? RollupBuilder::start(oc, error) : nullptr;
  if (!compacted) die(error);
  const auto zone = o.zones["demo"];
  const std::int32_t last_day = zone->local_day(last_ts);
  const std::int32_t first_day = last_day - static_cast<std::int32_t>(days) - 1;
  std::vector<std::int32_t> all_days;
  for (std::int32_t d = first_day; d <= last_day; ++d) all_days.push_back(d);
  const double cpu = cpu_seconds();
  const auto wall = std::chrono::steady_clock::now();
  if (Status s = compacted->compact_days("demo", all_days); !s) die(s.message());
  std::printf("compacted %zu days: %.2f s, %.2f CPU-s\n", all_days.size(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count(), cpu_seconds() - cpu);

  std::printf("\n| roll-ups | visitor_events rows per day: median / max (total) | visitor_values rows per day: median / max (total) | bytes in use |\n|---|---:|---:|---:|\n");
  for (const auto& [label, path] : {std::pair{"live", o.rollups_path}, std::pair{"compacted", compacted_path}}) {
    const PerDay b = per_day(path, "SELECT day, count(*) FROM visitor_events GROUP BY day");
    const PerDay l = per_day(path, "SELECT day, count(*) FROM visitor_values GROUP BY day");
    std::printf("| %s | %lld / %lld (%lld) | %lld / %lld (%lld) | %lld |\n", label, static_cast<long long>(b.median),
                static_cast<long long>(b.max), static_cast<long long>(b.total), static_cast<long long>(l.median),
                static_cast<long long>(l.max), static_cast<long long>(l.total),
                static_cast<long long>(bytes_in_use(path)));
  }

  const SiteRulesInfo rules = SiteRulesInfo::from_json(rules_json);
  ReportScope scope;
  scope.site = "demo";
  scope.zone = zone;
  scope.first_day = first_day;
  scope.last_day = last_day;
  std::printf("\n| report (%lld runs each, alternating) | live CPU-s median / min | compacted CPU-s median / min | "
              "ratio | same answer |\n|---|---:|---:|---:|---|\n",
              static_cast<long long>(runs));
  for (const Report& rep : reports) {
    std::vector<double> cpu_of[2];
    std::string body[2];
    bool same = true;
    for (std::int64_t run = 0; run < runs; ++run) {
      for (int which = 0; which < 2; ++which) {
        RollupBuilder& b = which == 0 ? *live : *compacted;
        auto source = SqliteReportSource::open(o.events_path, which == 0 ? o.rollups_path : compacted_path, b, error);
        if (!source) die(error);
        scope.filters = rep.filters;
        ReportResult result;
        ReportError report_error;
        const double before = cpu_seconds();
        if (!run_report(*source, rep.name, scope, rep.params, rules, result, report_error)) {
          die(rep.spec + ": " + report_error.message);
        }
        cpu_of[which].push_back(cpu_seconds() - before);
        if (source->last_source() != "rollups") die(rep.spec + ": not answered from the roll-ups");
        result.body.erase("source");
        const std::string text = result.body.dump();
        if (run == 0) body[which] = text;
        same = same && text == body[which];
      }
    }
    same = same && body[0] == body[1];
    for (auto& v : cpu_of) std::sort(v.begin(), v.end());
    const double live_median = cpu_of[0][cpu_of[0].size() / 2], compact_median = cpu_of[1][cpu_of[1].size() / 2];
    std::printf("| `%s` | %.3f / %.3f | %.3f / %.3f | %.2f | %s |\n", rep.spec.c_str(), live_median, cpu_of[0][0],
                compact_median, cpu_of[1][0], live_median > 0 ? compact_median / live_median : 0.0,
                same ? "yes" : "NO");
    if (!same) return 1;
  }
  live.reset();
  compacted.reset();
  if (temporary) fs::remove_all(dir);
  return 0;
}
