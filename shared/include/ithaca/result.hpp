// Result<T>: the core's way to report failure without exceptions (none may cross the wasm boundary).
// An Error is the caller's problem (bad input): what was wrong and where. A CEL expression that
// evaluates to an error is not an Error but a Value of kind Error — a fact about the data.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ithaca {

enum class ErrorKind { Parse, Eval, Load, Json, Limit };

const char* to_string(ErrorKind kind) noexcept;

struct Error {
  ErrorKind kind = ErrorKind::Parse;
  std::string message;
  int position = -1;   // byte offset into the source text; -1 when not applicable
  std::string path;    // JSON path (e.g. "$.slots.hero.rules[2].when"); empty when not applicable
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace ithaca
