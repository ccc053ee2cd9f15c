// Structured log lines on stderr in logfmt: `ts=… level=info msg="…" key=value`. Callers pass
// only what may be logged — never an IP address, a User-Agent or a first-party id.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace ithaca::tracker {

using LogFields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

void log_info(std::string_view message, LogFields fields = {});
void log_warn(std::string_view message, LogFields fields = {});
void log_error(std::string_view message, LogFields fields = {});

// Tests silence the log.
void set_log_enabled(bool enabled);

}  // namespace ithaca::tracker
