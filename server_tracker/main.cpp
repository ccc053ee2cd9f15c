// ithaca-tracker: parses options, builds the Tracker, serves it until SIGTERM/SIGINT, then
// shuts down in order — stop accepting, finish in-flight requests, drain the writer, close.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "ithaca/tracker/http_server.hpp"
#include "ithaca/tracker/options.hpp"
#include "ithaca/tracker/tracker.hpp"

namespace {

void log_line(const std::string& text) {
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ithaca::tracker;

  // Signals are taken by one thread with sigwait; every other thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  TrackerOptions options;
  std::string message;
  switch (parse_command_line(argc, argv, [](const char* name) { return std::getenv(name); }, options,
                             message)) {
    case ParseOutcome::Help: std::fputs(message.c_str(), stdout); return 0;
    case ParseOutcome::Error: log_line("ithaca-tracker: " + message); return 2;
    case ParseOutcome::Run: break;
  }
  std::error_code ec;
  apply_defaults(options, std::filesystem::read_symlink("/proc/self/exe", ec).string());

  std::string error;
  auto tracker = Tracker::create(options, error);
  if (!tracker) {
    log_line("ithaca-tracker: " + error);
    return 1;
  }
  HttpServer server(*tracker);
  const int port = server.bind(options.host, options.port);
  if (port < 0) {
    log_line("ithaca-tracker: cannot listen on " + options.host + ":" + std::to_string(options.port));
    return 1;
  }
  const std::string host = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  log_line("ts=- level=info msg=listening host=" + options.host + " port=" + std::to_string(port) +
           " url=http://" + host + ":" + std::to_string(port) + "/");

  std::thread waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    log_line(std::string("ts=- level=info msg=\"shutting down\" signal=") + (received == SIGINT ? "SIGINT" : "SIGTERM"));
    server.stop();
  });

  const bool served = server.listen();
  if (!served) kill(getpid(), SIGTERM);  // wakes the waiter when listen failed on its own
  waiter.join();
  tracker->shutdown();
  log_line("ts=- level=info msg=stopped");
  return served ? 0 : 1;
}
