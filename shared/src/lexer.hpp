// Tokens of the CEL subset. The lexer decodes literals (escapes, radix, suffixes) so the parser
// deals only in values, and reports every error with its byte position.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ithaca/result.hpp"

namespace ithaca {

enum class Tok : std::uint8_t {
  End, Ident, Int, Uint, Double, String, Bytes,
  True, False, Null, In,
  LParen, RParen, LBracket, RBracket, LBrace, RBrace,
  Dot, Comma, Colon, Question,
  Plus, Minus, Star, Slash, Percent, Bang,
  EqEq, NotEq, Less, LessEq, Greater, GreaterEq, AndAnd, OrOr,
};

struct Token {
  Tok kind = Tok::End;
  int begin = 0;       // byte span in the source
  int end = 0;
  std::string text;    // identifier name, or decoded string/bytes literal
  std::uint64_t bits = 0;  // Int (two's complement of the magnitude), Uint
  double number = 0;       // Double
  bool backquoted = false; // `field name` identifiers
};

// Splits `source` into tokens ending with Tok::End. An Int token holds the magnitude as
// unsigned so that -9223372036854775808 can be formed by the parser.
Result<std::vector<Token>> tokenize(std::string_view source);

const char* describe(Tok kind) noexcept;

}  // namespace ithaca
