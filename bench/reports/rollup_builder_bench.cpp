// The roll-up builder alone, fed as the tracker feeds it: generated events are written to an
// events database in small batches (as the group-commit writer commits them), the builder is
// woken after each and the bench waits until it has rolled the batch up. The tracker's builder
// writes its roll-ups once a second; here they are written every --flush-events events instead
// (think of it as the ingest rate), so that the work per event does not depend on how fast the
// machine is. Prints the process's resident memory as it goes and, under callgrind with
// --toggle-collect on the builder thread (bench/reports/rollup_instructions.sh), gives the
// builder's instructions per event — a measure the machine's load does not change.
//
//   rollup_builder_bench --events N [--batch B] [--days D] [--flush-events F] [--dir DIR]
//                        [--visitors-in-memory V]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "bench_rollups.hpp"
#include "reports/event_generator.hpp"
#include "reports/event_loader.hpp"
#include "reports/rollup_builder.hpp"

namespace {

long resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
    status.ignore(1 << 12, '\n');
  }
  return 0;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ithaca::tracker;
  std::int64_t events = 20'000, batch = 20, visitors_in_memory = -1, flush_events = 5'000;
  double days = 0.5;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--events") events = std::atoll(value().c_str());
    else if (a == "--batch") batch = std::atoll(value().c_str());
    else if (a == "--days") days = std::atof(value().c_str());
    else if (a == "--dir") dir = value();
    else if (a == "--flush-events") flush_events = std::atoll(value().c_str());
    else if (a == "--visitors-in-memory") visitors_in_memory = std::atoll(value().c_str());
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (events < 1 || batch < 1 || flush_events < 1) {
    std::fprintf(stderr, "--events, --batch and --flush-events must be positive\n");
    return 2;
  }
  namespace fs = std::filesystem;
  const bool temporary = dir.empty();
  if (temporary) dir = (fs::temp_directory_path() / ("rollup-bench-" + std::to_string(::getpid()))).string();
  fs::remove_all(dir);
  fs::create_directories(dir);

  std::string error;
  BenchRollups bench;
  const bool opened = open_bench_rollups(dir, "rollups.db", bench, error);
  SqliteStores& stores = bench.stores;
  RollupBuilderOptions& o = bench.options;
  o.flush_events = static_cast<std::size_t>(flush_events);
  o.flush_interval = std::chrono::hours(24);
  if (visitors_in_memory >= 0) o.visitors_in_memory = static_cast<std::size_t>(visitors_in_memory);
  std::unique_ptr<RollupBuilder> builder = opened ? RollupBuilder::start(o, error) : nullptr;
  if (!builder) {
    std::fprintf(stderr, "rollup_builder_bench: %s\n", error.c_str());
    return 1;
  }

  GeneratorOptions g;
  g.events = events;
  g.days = days;
  g.seed = 5;
  g.rules_json = read_file(ITHACA_SOURCE_DIR "/demo_site/rules/demo.json");
  EventGenerator generator(g);
  GeneratedRequest r;
  std::vector<StoredEvent> pending;
  std::int64_t written = 0, humans = 0, next_report = 0;
  const auto start = std::chrono::steady_clock::now();
  auto write = [&]() {
    if (Status s = stores.events->write(pending); !s) {
      std::fprintf(stderr, "rollup_builder_bench: %s\n", s.message().c_str());
      std::exit(1);
    }
    written += static_cast<std::int64_t>(pending.size());
    for (const StoredEvent& e : pending) humans += e.bot ? 0 : 1;  // bots go to another table
    pending.clear();
    const std::int64_t target = humans;  // the events table's seq numbers start at 1 here
    builder->notify();
    while (builder->processed_seq() < target) std::this_thread::sleep_for(std::chrono::microseconds(200));
    if (written >= next_report) {
      std::printf("events %lld rss_mib %.1f\n", static_cast<long long>(written), resident_kib() / 1024.0);
      std::fflush(stdout);
      next_report += std::max<std::int64_t>(events / 10, 1);
    }
  };
  while (generator.next(r)) {
    append_stored_events(r, pending);
    if (static_cast<std::int64_t>(pending.size()) >= batch) write();
  }
  if (!pending.empty()) write();
  if (!builder->sync(std::chrono::minutes(5))) {
    std::fprintf(stderr, "rollup_builder_bench: the builder did not catch up\n");
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  builder.reset();
  std::printf("done events %lld seconds %.2f rss_mib %.1f\n", static_cast<long long>(written), seconds,
              resident_kib() / 1024.0);
  if (temporary) fs::remove_all(dir);
  return 0;
}
