// What the regex compiler (regex_compiler.cpp) writes and the matcher (regex.cpp) reads: the
// program's instruction set, and the Unicode facts both sides use.
#pragma once

#include <cstdint>

#include "regex.hpp"

namespace ithaca::regex_internal {

constexpr char32_t kMaxRune = 0x10FFFF;
constexpr char32_t kBadRune = 0xFFFD;  // what an invalid byte of text reads as

enum Op : std::uint8_t { kChar, kAny, kAnyNotNL, kClass, kAssert, kSplit, kJmp, kMatch };
enum Assertion : std::int32_t { kBeginText, kEndText, kBeginLine, kEndLine, kWordBoundary, kNotWordBoundary };
enum ClassFlag : std::uint8_t { kNegate = 1, kFold = 2 };

// Writes the other members of c's case orbit to out (at most 3) and returns how many (regex.cpp).
int case_variants(char32_t c, char32_t out[3]);

inline bool is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

}  // namespace ithaca::regex_internal
