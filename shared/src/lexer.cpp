#include "lexer.hpp"

#include <charconv>
#include <cstdlib>

#include "double_format.hpp"
#include "utf8.hpp"

namespace ithaca {

const char* describe(Tok kind) noexcept {
  switch (kind) {
    case Tok::End: return "end of expression";
    case Tok::Ident: return "identifier";
    case Tok::Int: case Tok::Uint: case Tok::Double: return "number";
    case Tok::String: return "string";
    case Tok::Bytes: return "bytes";
    case Tok::True: return "'true'";
    case Tok::False: return "'false'";
    case Tok::Null: return "'null'";
    case Tok::In: return "'in'";
    case Tok::LParen: return "'('";
    case Tok::RParen: return "')'";
    case Tok::LBracket: return "'['";
    case Tok::RBracket: return "']'";
    case Tok::LBrace: return "'{'";
    case Tok::RBrace: return "'}'";
    case Tok::Dot: return "'.'";
    case Tok::Comma: return "','";
    case Tok::Colon: return "':'";
    case Tok::Question: return "'?'";
    case Tok::Plus: return "'+'";
    case Tok::Minus: return "'-'";
    case Tok::Star: return "'*'";
    case Tok::Slash: return "'/'";
    case Tok::Percent: return "'%'";
    case Tok::Bang: return "'!'";
    case Tok::EqEq: return "'=='";
    case Tok::NotEq: return "'!='";
    case Tok::Less: return "'<'";
    case Tok::LessEq: return "'<='";
    case Tok::Greater: return "'>'";
    case Tok::GreaterEq: return "'>='";
    case Tok::AndAnd: return "'&&'";
    case Tok::OrOr: return "'||'";
  }
  return "token";
}

namespace {

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Result<std::vector<Token>> run() {
    std::vector<Token> out;
    for (;;) {
      skip_space_and_comments();
      Token t;
      t.begin = static_cast<int>(i_);
      if (i_ >= s_.size()) {
        t.end = t.begin;
        out.push_back(std::move(t));
        return out;
      }
      if (!next(t)) return error_;
      t.end = static_cast<int>(i_);
      out.push_back(std::move(t));
    }
  }

 private:
  bool fail(std::string message, std::size_t at) {
    error_ = Error{ErrorKind::Parse, std::move(message), static_cast<int>(at), {}};
    return false;
  }

  void skip_space_and_comments() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        ++i_;
      } else if (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '/') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else {
        break;
      }
    }
  }

  bool next(Token& t) {
    const char c = s_[i_];
    const char n = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
    auto two = [&](Tok k) { t.kind = k; i_ += 2; return true; };
    auto one = [&](Tok k) { t.kind = k; i_ += 1; return true; };
    switch (c) {
      case '(': return one(Tok::LParen);
      case ')': return one(Tok::RParen);
      case '[': return one(Tok::LBracket);
      case ']': return one(Tok::RBracket);
      case '{': return one(Tok::LBrace);
      case '}': return one(Tok::RBrace);
      case ',': return one(Tok::Comma);
      case ':': return one(Tok::Colon);
      case '?': return one(Tok::Question);
      case '+': return one(Tok::Plus);
      case '-': return one(Tok::Minus);
      case '*': return one(Tok::Star);
      case '/': return one(Tok::Slash);
      case '%': return one(Tok::Percent);
      case '=': if (n == '=') return two(Tok::EqEq); return fail("'=' is not an operator; use '==' to compare", i_);
      case '!': if (n == '=') return two(Tok::NotEq); return one(Tok::Bang);
      case '<': if (n == '=') return two(Tok::LessEq); return one(Tok::Less);
      case '>': if (n == '=') return two(Tok::GreaterEq); return one(Tok::Greater);
      case '&': if (n == '&') return two(Tok::AndAnd); return fail("'&' is not an operator; use '&&'", i_);
      case '|': if (n == '|') return two(Tok::OrOr); return fail("'|' is not an operator; use '||'", i_);
      case '.':
        if (is_digit(n)) return number(t);
        return one(Tok::Dot);
      case '"': case '\'':
        return string(t, false, false);
      case '`':
        return backquoted(t);
      default: break;
    }
    if (is_digit(c)) return number(t);
    if (is_ident_start(c)) {
      // String prefixes: r/R raw, b/B bytes, in either order.
      std::size_t j = i_;
      bool raw = false, bytes = false;
      for (int k = 0; k < 2 && j < s_.size(); ++k, ++j) {
        char p = s_[j];
        if ((p == 'r' || p == 'R') && !raw) raw = true;
        else if ((p == 'b' || p == 'B') && !bytes) bytes = true;
        else break;
      }
      if (j > i_ && j < s_.size() && (s_[j] == '"' || s_[j] == '\'')) {
        i_ = j;
        return string(t, raw, bytes);
      }
      std::size_t start = i_;
      while (i_ < s_.size() && (is_ident_start(s_[i_]) || is_digit(s_[i_]))) ++i_;
      std::string_view word = s_.substr(start, i_ - start);
      if (word == "true") t.kind = Tok::True;
      else if (word == "false") t.kind = Tok::False;
      else if (word == "null") t.kind = Tok::Null;
      else if (word == "in") t.kind = Tok::In;
      else {
        t.kind = Tok::Ident;
        t.text = std::string(word);
      }
      return true;
    }
    if (static_cast<unsigned char>(c) >= 0x80) return fail("unexpected character outside a string", i_);
    return fail(std::string("unexpected character '") + c + "'", i_);
  }

  bool backquoted(Token& t) {
    const std::size_t start = i_++;
    std::size_t from = i_;
    while (i_ < s_.size() && s_[i_] != '`') {
      char c = s_[i_];
      if (!(is_ident_start(c) || is_digit(c) || c == '.' || c == '-' || c == '/' || c == ' '))
        return fail("invalid character in backquoted name", i_);
      ++i_;
    }
    if (i_ >= s_.size()) return fail("unterminated backquoted name", start);
    if (i_ == from) return fail("empty backquoted name", start);
    t.kind = Tok::Ident;
    t.backquoted = true;
    t.text = std::string(s_.substr(from, i_ - from));
    ++i_;
    return true;
  }

  bool number(Token& t) {
    const std::size_t start = i_;
    if (s_[i_] == '0' && i_ + 1 < s_.size() && (s_[i_ + 1] == 'x' || s_[i_ + 1] == 'X')) {
      i_ += 2;
      std::size_t from = i_;
      while (i_ < s_.size() && hex_value(s_[i_]) >= 0) ++i_;
      if (i_ == from) return fail("hexadecimal literal needs digits", start);
      std::uint64_t v;
      auto r = std::from_chars(s_.data() + from, s_.data() + i_, v, 16);
      if (r.ec != std::errc()) return fail("integer literal out of range", start);
      return integer_suffix(t, v, start);
    }
    bool is_double = false;
    while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
    if (i_ < s_.size() && s_[i_] == '.' && i_ + 1 < s_.size() && is_digit(s_[i_ + 1])) {
      is_double = true;
      ++i_;
      while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      std::size_t save = i_++;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (i_ < s_.size() && is_digit(s_[i_])) {
        is_double = true;
        while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
      } else {
        i_ = save;
        return fail("exponent needs digits", save);
      }
    }
    if (is_double) {
      t.kind = Tok::Double;
      t.number = 0;
      parse_double(s_.substr(start, i_ - start), t.number);  // the grammar above is its subset
      if (i_ < s_.size() && (is_ident_start(s_[i_]))) return fail("unexpected letter after number", i_);
      return true;
    }
    std::uint64_t v;
    auto r = std::from_chars(s_.data() + start, s_.data() + i_, v, 10);
    if (r.ec != std::errc()) return fail("integer literal out of range", start);
    return integer_suffix(t, v, start);
  }

  bool integer_suffix(Token& t, std::uint64_t v, std::size_t start) {
    if (i_ < s_.size() && (s_[i_] == 'u' || s_[i_] == 'U')) {
      ++i_;
      t.kind = Tok::Uint;
    } else {
      // The magnitude may be 2^63 only when a unary minus precedes it; the parser checks.
      if (v > 9223372036854775808ull) return fail("integer literal out of range", start);
      t.kind = Tok::Int;
    }
    t.bits = v;
    if (i_ < s_.size() && (is_ident_start(s_[i_]) || is_digit(s_[i_])))
      return fail("unexpected character after number", i_);
    return true;
  }

  bool string(Token& t, bool raw, bool bytes) {
    const std::size_t start = i_;
    const char q = s_[i_];
    const bool triple = s_.substr(i_, 3) == std::string(3, q);
    i_ += triple ? 3 : 1;
    std::string out;
    for (;;) {
      if (i_ >= s_.size()) return fail("unterminated string literal", start);
      char c = s_[i_];
      if (triple ? s_.substr(i_, 3) == std::string(3, q) : c == q) {
        i_ += triple ? 3 : 1;
        break;
      }
      if (!triple && (c == '\n' || c == '\r')) return fail("newline in string literal (use a triple-quoted string)", i_);
      if (c == '\\' && !raw) {
        if (!escape(out, bytes)) return false;
        continue;
      }
      if (static_cast<unsigned char>(c) >= 0x80) {
        std::size_t at = i_;
        if (utf8::decode(s_, i_) == utf8::invalid) return fail("invalid UTF-8 in string literal", at);
        out.append(s_.substr(at, i_ - at));
        continue;
      }
      out += c;
      ++i_;
    }
    t.kind = bytes ? Tok::Bytes : Tok::String;
    t.text = std::move(out);
    return true;
  }

  bool escape(std::string& out, bool bytes) {
    const std::size_t at = i_;
    if (i_ + 1 >= s_.size()) return fail("unterminated escape", at);
    char e = s_[i_ + 1];
    i_ += 2;
    switch (e) {
      case 'a': out += '\a'; return true;
      case 'b': out += '\b'; return true;
      case 'f': out += '\f'; return true;
      case 'n': out += '\n'; return true;
      case 'r': out += '\r'; return true;
      case 't': out += '\t'; return true;
      case 'v': out += '\v'; return true;
      case '\\': out += '\\'; return true;
      case '\'': out += '\''; return true;
      case '"': out += '"'; return true;
      case '`': out += '`'; return true;
      case '?': out += '?'; return true;
      case 'x': case 'X': case 'u': case 'U': {
        int digits = (e == 'x' || e == 'X') ? 2 : (e == 'u' ? 4 : 8);
        std::uint32_t v = 0;
        for (int k = 0; k < digits; ++k, ++i_) {
          if (i_ >= s_.size() || hex_value(s_[i_]) < 0) return fail("invalid hex digit in escape", at);
          v = v * 16 + static_cast<std::uint32_t>(hex_value(s_[i_]));
        }
        if (digits == 2 && bytes) { out += static_cast<char>(v); return true; }
        if (digits > 2 && bytes) return fail("\\u escapes are not allowed in bytes literals", at);
        if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return fail("invalid code point in escape", at);
        utf8::append(v, out);
        return true;
      }
      default:
        if (e >= '0' && e <= '3') {
          std::uint32_t v = static_cast<std::uint32_t>(e - '0');
          for (int k = 0; k < 2; ++k, ++i_) {
            if (i_ >= s_.size() || s_[i_] < '0' || s_[i_] > '7') return fail("invalid octal escape", at);
            v = v * 8 + static_cast<std::uint32_t>(s_[i_] - '0');
          }
          if (bytes) out += static_cast<char>(v);
          else utf8::append(v, out);
          return true;
        }
        return fail(std::string("invalid escape '\\") + e + "'", at);
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
  Error error_;
};

}  // namespace

Result<std::vector<Token>> tokenize(std::string_view source) { return Lexer(source).run(); }

}  // namespace ithaca
