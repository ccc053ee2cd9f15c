// ithaca-gen: writes a realistic event stream (reports/event_generator.hpp) as collect requests —
// posted to a running tracker (measuring ingestion), or printed as JSON lines for other tools.
// Flags are documented in docs/reports.md ("The event-stream generator").
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "clickhouse/clickhouse_event_store.hpp"
#include "ithaca/tracker/sqlite_store.hpp"
#include "reports/event_generator.hpp"
#include "reports/event_loader.hpp"

namespace {

using ithaca::tracker::EventGenerator;
using ithaca::tracker::GeneratedRequest;
using ithaca::tracker::GeneratorOptions;

const char* kUsage = R"(ithaca-gen — a realistic stream of collect requests

Usage: ithaca-gen [options]

  --events N           events to generate (100000)
  --days D             the stream spans the D days before --end (6.5; the tracker keeps
                       client times up to 7 days old)
  --end-ms MS          end of the stream, epoch milliseconds (now)
  --seed S             random seed; the same seed gives the same stream (1)
  --site ID            site id (demo)
  --rules FILE         the site's rule set: experiments, slots, journey stages
                       (demo_site/rules/demo.json when it exists)
  --consent-rate R     share of visitors with a first-party id (0.3)
  --returning-rate R   share of visits by returning visitors (0.35)
  --bot-rate R         share of visits by crawlers (0.02)
  --post URL           POST each request to URL/v1/collect (the tracker needs --trust-proxy
                       and --rate-limit 0 to see one client per visitor at full speed)
  --concurrency N      parallel connections with --post (4)
  --out FILE           write JSON lines {"headers": {...}, "body": {...}} ("-": stdout)
  --load STORE         write straight into a store, without a tracker (benchmarks):
                       sqlite:DIR (DIR/ithaca.db) or clickhouse://host:port/database;
                       events are classified as the tracker would, visitors hashed plainly
  --quiet              no progress on stderr
  --help               this text

With --post or --load, a last line on stdout gives {"events", "requests", "seconds", "events_per_second",
"failed_requests"}.
)";

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

struct Target {
  std::string host;
  int port = 80;
  std::string base;  // path prefix
};

bool parse_url(const std::string& url, Target& t) {
  std::string rest = url;
  if (rest.rfind("http://", 0) == 0) rest = rest.substr(7);
  else return false;
  const auto slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  t.base = slash == std::string::npos ? "" : rest.substr(slash);
  while (!t.base.empty() && t.base.back() == '/') t.base.pop_back();
  const auto colon = hostport.rfind(':');
  t.host = hostport.substr(0, colon);
  if (colon != std::string::npos) t.port = std::atoi(hostport.c_str() + colon + 1);
  return !t.host.empty() && t.port > 0;
}

}  // namespace

int main(int argc, char** argv) {
  GeneratorOptions options;
  std::string rules_file, post, out_file, load;
  int concurrency = 4;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "ithaca-gen: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--events") {
      options.events = std::atoll(value().c_str());
    } else if (a == "--days") {
      options.days = std::atof(value().c_str());
    } else if (a == "--end-ms") {
      options.end_ms = std::atoll(value().c_str());
    } else if (a == "--seed") {
      options.seed = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--site") {
      options.site = value();
    } else if (a == "--rules") {
      rules_file = value();
    } else if (a == "--consent-rate") {
      options.consent_rate = std::atof(value().c_str());
    } else if (a == "--returning-rate") {
      options.returning_rate = std::atof(value().c_str());
    } else if (a == "--bot-rate") {
      options.bot_rate = std::atof(value().c_str());
    } else if (a == "--post") {
      post = value();
    } else if (a == "--concurrency") {
      concurrency = std::atoi(value().c_str());
    } else if (a == "--out") {
      out_file = value();
    } else if (a == "--load") {
      load = value();
    } else if (a == "--quiet") {
      quiet = true;
    } else {
      std::fprintf(stderr, "ithaca-gen: unknown option %s (see --help)\n", a.c_str());
      return 2;
    }
  }
  if (options.events < 1 || !(options.days > 0 && options.days <= 3660) || concurrency < 1 || concurrency > 256) {
    std::fprintf(stderr, "ithaca-gen: --events must be >= 1, --days in (0, 3660], --concurrency 1..256\n");
    return 2;
  }
  if (post.empty() + out_file.empty() + load.empty() != 2) {
    std::fprintf(stderr, "ithaca-gen: give exactly one of --post URL, --out FILE or --load STORE\n");
    return 2;
  }
  if (rules_file.empty()) {
    // The demo rules: from the working directory, else from the repository this binary was
    // built in (build/*/bin/ithaca-gen).
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::string repository = ec ? std::string() : (exe.parent_path() / ".." / ".." / "..").string();
    for (const std::string& guess : {std::string("demo_site/rules/demo.json"), repository + "/demo_site/rules/demo.json"}) {
      if (read_file(guess, options.rules_json)) break;
    }
    if (options.rules_json.empty() && !quiet) {
      std::fprintf(stderr, "ithaca-gen: no demo_site/rules/demo.json found; generating without experiments\n");
    }
  } else if (!read_file(rules_file, options.rules_json)) {
    std::fprintf(stderr, "ithaca-gen: cannot read %s\n", rules_file.c_str());
    return 2;
  }

  EventGenerator generator(options);
  const auto start = std::chrono::steady_clock::now();

  if (!out_file.empty()) {
    std::ofstream file;
    std::ostream* out = &std::cout;
    if (out_file != "-") {
      file.open(out_file, std::ios::binary | std::ios::trunc);
      if (!file) {
        std::fprintf(stderr, "ithaca-gen: cannot write %s\n", out_file.c_str());
        return 1;
      }
      out = &file;
    }
    GeneratedRequest r;
    while (generator.next(r)) {
      nlohmann::json line = {{"headers", {{"user-agent", r.user_agent}, {"x-forwarded-for", r.forwarded_for}}},
                             {"body", std::move(r.body)}};
      if (!r.accept_language.empty()) line["headers"]["accept-language"] = r.accept_language;
      *out << line.dump() << '\n';
    }
    out->flush();
    return *out ? 0 : 1;
  }

  if (!load.empty()) {
    using namespace ithaca::tracker;
    std::string error;
    std::unique_ptr<EventStore> store;
    SqliteStores sqlite;
    if (load.rfind("sqlite:", 0) == 0) {
      const std::string dir = load.substr(7);
      std::filesystem::create_directories(dir);
      SqliteOptions o;
      o.path = dir + "/ithaca.db";
      o.synchronous_full = false;
      sqlite = open_sqlite_stores(o, error);
      store = std::move(sqlite.events);
    } else if (is_clickhouse_store(load)) {
      ClickHouseStoreOptions o;
      if (parse_clickhouse_url(load, o.endpoint, error)) {
        o.spool_dir = (std::filesystem::temp_directory_path() / ("ithaca-gen-spool-" + std::to_string(::getpid()))).string();
        store = ClickHouseEventStore::open(o, error);
      }
    } else {
      error = "--load needs sqlite:DIR or clickhouse://host:port/database";
    }
    if (!store) {
      std::fprintf(stderr, "ithaca-gen: %s\n", error.c_str());
      return 1;
    }
    // One thread generates while another writes the previous batch: the store's round trips
    // (ClickHouse) and the generator then share the two cores instead of taking turns.
    std::vector<StoredEvent> batch, writing;
    std::int64_t written = 0;
    auto last_report = start;
    std::mutex m;
    std::condition_variable cv;
    bool pending = false, finished = false, failed = false;
    std::thread writer([&] {
      for (;;) {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return pending || finished; });
        if (!pending) return;
        lock.unlock();
        Status s = store->write(writing);
        lock.lock();
        pending = false;
        if (!s) {
          std::fprintf(stderr, "ithaca-gen: %s\n", s.message().c_str());
          failed = true;
        } else {
          written += static_cast<std::int64_t>(writing.size());
        }
        writing.clear();
        const auto now = std::chrono::steady_clock::now();
        if (!quiet && now - last_report > std::chrono::seconds(10)) {
          last_report = now;
          const double secs = std::chrono::duration<double>(now - start).count();
          std::fprintf(stderr, "ithaca-gen: %lld events in %.0f s (%.0f/s)\n", static_cast<long long>(written), secs,
                       static_cast<double>(written) / secs);
        }
        cv.notify_all();
      }
    });
    auto flush = [&]() -> bool {
      std::unique_lock<std::mutex> lock(m);
      cv.wait(lock, [&] { return !pending; });
      if (failed) return false;
      if (batch.empty()) return true;
      writing.swap(batch);
      pending = true;
      cv.notify_all();
      return true;
    };
    auto finish = [&]() -> bool {
      bool ok = flush();
      std::unique_lock<std::mutex> lock(m);
      cv.wait(lock, [&] { return !pending; });
      finished = true;
      cv.notify_all();
      lock.unlock();
      writer.join();
      return ok && !failed;
    };
    GeneratedRequest r;
    bool ok = true;
    while (ok && generator.next(r)) {
      append_stored_events(r, batch);
      if (batch.size() >= 20'000) ok = flush();
    }
    if (!finish() || !ok) return 1;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("{\"events\": %lld, \"seconds\": %.3f, \"events_per_second\": %.0f}\n",
                static_cast<long long>(written), seconds, static_cast<double>(written) / seconds);
    return 0;
  }

  Target target;
  if (!parse_url(post, target)) {
    std::fprintf(stderr, "ithaca-gen: --post needs http://host:port\n");
    return 2;
  }
  std::mutex mutex;
  std::atomic<std::int64_t> events{0}, requests{0}, failed{0};
  std::atomic<bool> done{false};
  std::vector<std::thread> workers;
  for (int w = 0; w < concurrency; ++w) {
    workers.emplace_back([&] {
      httplib::Client client(target.host, target.port);
      client.set_keep_alive(true);
      client.set_read_timeout(60, 0);
      GeneratedRequest r;
      for (;;) {
        {
          std::lock_guard<std::mutex> lock(mutex);
          if (!generator.next(r)) return;
        }
        const std::string body = r.body.dump();
        httplib::Headers headers = {{"User-Agent", r.user_agent}, {"X-Forwarded-For", r.forwarded_for}};
        if (!r.accept_language.empty()) headers.emplace("Accept-Language", r.accept_language);
        bool ok = false;
        for (int attempt = 0; attempt < 20 && !ok; ++attempt) {
          auto res = client.Post(target.base + "/v1/collect", headers, body, "application/json");
          if (res && res->status == 202) {
            ok = true;
          } else if (res && res->status != 429 && res->status != 503) {
            std::fprintf(stderr, "ithaca-gen: %d %s\n", res->status, res->body.substr(0, 200).c_str());
            break;
          } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(50 << std::min(attempt, 5)));
          }
        }
        if (ok) {
          events += static_cast<std::int64_t>(r.events);
        } else {
          ++failed;
        }
        ++requests;
      }
    });
  }
  std::thread progress([&] {
    while (!done) {
      for (int i = 0; i < 50 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (done || quiet) continue;
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "ithaca-gen: %lld events in %.0f s (%.0f/s)\n", static_cast<long long>(events.load()), s,
                   static_cast<double>(events.load()) / s);
    }
  });
  for (auto& w : workers) w.join();
  done = true;
  progress.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"events\": %lld, \"requests\": %lld, \"seconds\": %.3f, \"events_per_second\": %.0f, "
              "\"failed_requests\": %lld}\n",
              static_cast<long long>(events.load()), static_cast<long long>(requests.load()), seconds,
              static_cast<double>(events.load()) / seconds, static_cast<long long>(failed.load()));
  return failed.load() ? 1 : 0;
}
