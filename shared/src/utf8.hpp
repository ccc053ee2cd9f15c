// UTF-8 decoding shared by the JSON reader, the lexer and the string functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ithaca::utf8 {

inline constexpr std::uint32_t invalid = 0xFFFFFFFFu;

// Decodes one code point at s[i], advancing i. Returns `invalid` (and advances one byte) for
// malformed, overlong or surrogate sequences.
inline std::uint32_t decode(std::string_view s, std::size_t& i) noexcept {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) { ++i; return c; }
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || c > 0xF4 || i + len > s.size()) { ++i; return invalid; }
  std::uint32_t cp = c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = byte(i + k);
    if ((cc & 0xC0) != 0x80) { ++i; return invalid; }
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr std::uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { ++i; return invalid; }
  i += len;
  return cp;
}

inline bool valid(std::string_view s) noexcept {
  std::size_t i = 0;
  // ASCII, nearly all a context holds, needs no decoding (at -Oz decode() is a call per byte).
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  while (i < s.size())
    if (decode(s, i) == invalid) return false;
  return true;
}

inline std::size_t count_code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) decode(s, i);
  return n;
}

inline void append(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace ithaca::utf8
