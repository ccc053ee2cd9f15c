#include "logger.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace ithaca::tracker {
namespace {

std::atomic<bool> g_enabled{true};
std::mutex g_mutex;

void append_value(std::string& out, std::string_view value) {
  bool quote = value.empty();
  for (char c : value) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) quote = true;
  }
  if (!quote) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out.append(c == '\n' ? "\\n" : "?");
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void write(const char* level, std::string_view message, LogFields fields) {
  if (!g_enabled.load(std::memory_order_relaxed)) return;
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  std::string line = "ts=";
  line += stamp;
  line += " level=";
  line += level;
  line += " msg=";
  append_value(line, message);
  for (const auto& [key, value] : fields) {
    line.push_back(' ');
    line.append(key);
    line.push_back('=');
    append_value(line, value);
  }
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

void log_info(std::string_view message, LogFields fields) { write("info", message, fields); }
void log_warn(std::string_view message, LogFields fields) { write("warn", message, fields); }
void log_error(std::string_view message, LogFields fields) { write("error", message, fields); }
void set_log_enabled(bool enabled) { g_enabled.store(enabled); }

}  // namespace ithaca::tracker
