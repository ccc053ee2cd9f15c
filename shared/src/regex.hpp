// Regex: the linear-time regular-expression engine behind CEL's `matches` (an RE2 syntax subset).
// compile() parses the pattern straight into a Thompson NFA program of at most max_program_size
// instructions (repetitions are expanded, so the limit also caps `(a{1000}){1000}`), in
// O(pattern bytes × max_program_size) time at worst and without recursion. Whatever the engine
// cannot honour (backreferences, lookaround, \p{…}, possessive quantifiers, \C) is a Parse error
// naming the construct at its byte offset, never a silently different meaning.
// search() simulates the NFA over the text one UTF-8 code point at a time, keeping at most one
// thread per instruction and never backtracking: O(text bytes × program size) time and
// O(program size) space; no allocation when the program has at most kInlineStates instructions.
// Invalid UTF-8 in the text reads as U+FFFD, one bad byte at a time. \d \s \w \b are ASCII, and
// (?i) uses simple case folding for Latin, Greek, Cyrillic, Armenian and a few more scripts.
// A compiled Regex is immutable: search() is const and may run concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "ithaca/result.hpp"

namespace ithaca {

namespace regex_internal {
struct Inst {
  std::uint8_t op;
  std::uint8_t flags;
  std::int32_t x;  // code point, class offset, assertion kind, or relative jump
  std::int32_t y;  // class size, or the second relative jump of a split
};
struct Range {
  char32_t lo;
  char32_t hi;
};
}  // namespace regex_internal

class Regex {
 public:
  // Programs up to this many instructions are searched with stack storage only.
  static constexpr std::size_t kInlineStates = 256;

  // Compiles RE2-syntax `pattern`. Errors: ErrorKind::Parse, message says what is wrong,
  // position = byte offset in the pattern.
  static Result<Regex> compile(std::string_view pattern, std::size_t max_program_size = 2000);

  // CEL `matches` semantics: true when the pattern matches any substring of text (unanchored
  // search; ^/$ anchor at the ends of the text unless (?m) is set).
  bool search(std::string_view text) const noexcept;

  // Number of NFA instructions, including the final match.
  std::size_t program_size() const noexcept { return prog_.size(); }

  // The program compile() made, for compiled rule sets to carry constant patterns compiled
  // (compiled_ruleset.cpp): the page's engine then links no compiler.
  const std::vector<regex_internal::Inst>& program() const noexcept { return prog_; }
  const std::vector<regex_internal::Range>& ranges() const noexcept { return ranges_; }

  // The way back from untrusted bytes: a program is accepted only with everything search()
  // relies on — known instructions, jumps and class ranges inside the program, an instruction
  // after every one that is not a jump or the match, code points and assertions that exist, at
  // most max_program_size instructions. Errors: ErrorKind::Load, message says what is wrong.
  // A program compile() did not make searches safely, in the same time bounds, to no promised
  // meaning.
  static Result<Regex> from_program(std::vector<regex_internal::Inst> program, std::vector<regex_internal::Range> ranges,
                                    std::size_t max_program_size = 2000);

 private:
  Regex() = default;
  friend class RegexCompiler;
  void ready();  // derives anchored_, skip_ and first_bytes_ from a checked program

  std::vector<regex_internal::Inst> prog_;
  std::vector<regex_internal::Range> ranges_;  // class ranges, referenced by Inst::x / Inst::y
  bool anchored_ = false;                      // the program starts with \A
  bool skip_ = false;                          // first_bytes_ is worth consulting
  std::uint32_t first_bytes_[8] = {};          // bytes a match can start with (a bitmap)
};

}  // namespace ithaca
