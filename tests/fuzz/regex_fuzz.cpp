// libFuzzer target for the regex engine. Input: a pattern, a newline, then the text (any bytes,
// invalid UTF-8 included). Compiling must fail cleanly or succeed; a compiled pattern must search
// in bounded time, give the same answer twice, and give the same answer wrapped in (?:…).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "regex.hpp"

namespace {

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view pattern = input.substr(0, newline);
  const std::string_view text = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  auto re = ithaca::Regex::compile(pattern);
  if (!re.ok()) {
    const int position = re.error().position;
    require(re.error().kind == ithaca::ErrorKind::Parse && !re.error().message.empty(), "error is a Parse error with a message");
    require(position >= 0 && static_cast<std::size_t>(position) <= pattern.size(), "error position inside the pattern");
    return 0;
  }
  require(re.value().program_size() <= 2000, "program within max_program_size");
  const bool found = re.value().search(text);
  require(re.value().search(text) == found, "search is repeatable");

  // A group changes neither the language nor the program size. \Q…\E would swallow the ')'.
  if (pattern.find("\\Q") == std::string_view::npos) {
    auto grouped = ithaca::Regex::compile("(?:" + std::string(pattern) + ")");
    require(grouped.ok(), "(?:P) compiles when P does");
    require(grouped.value().search(text) == found, "(?:P) matches when P does");
  }
  return 0;
}
