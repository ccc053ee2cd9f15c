// Status: success, or a failure with a message, for the tracker's own operations (storage,
// configuration). The tracker never throws across its public API.
#pragma once

#include <string>
#include <utility>

namespace ithaca::tracker {

class Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status error(std::string message) {
    Status s;
    s.failed_ = true;
    s.message_ = std::move(message);
    return s;
  }
  bool is_ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return !failed_; }
  const std::string& message() const noexcept { return message_; }

 private:
  bool failed_ = false;
  std::string message_;
};

}  // namespace ithaca::tracker
