// The CEL lexer (lexer.cpp): token kinds and byte spans, literal decoding (numbers, every string
// and bytes escape, raw and triple-quoted forms), backquoted names, and each error's position.
#include "lexer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/cel_test_util.hpp"

namespace ithaca {
namespace {

std::vector<Tok> kinds(std::string_view source) {
  auto r = tokenize(source);
  EXPECT_TRUE(r.ok()) << source << ": " << (r.ok() ? "" : r.error().message);
  std::vector<Tok> out;
  if (r.ok())
    for (const Token& t : r.value()) out.push_back(t.kind);
  return out;
}

// The single literal token of `source` (followed by End).
Token only(std::string_view source) {
  auto r = tokenize(source);
  EXPECT_TRUE(r.ok()) << source << ": " << (r.ok() ? "" : r.error().message);
  if (!r.ok()) return {};
  EXPECT_EQ(r.value().size(), 2u) << source;
  EXPECT_EQ(r.value().back().kind, Tok::End);
  return r.value().front();
}

TEST(Lexer, EmptySourceIsJustEnd) {
  auto r = tokenize("");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().size(), 1u);
  EXPECT_EQ(r.value()[0].kind, Tok::End);
  EXPECT_EQ(r.value()[0].begin, 0);
}

TEST(Lexer, Punctuation) {
  EXPECT_EQ(kinds("( ) [ ] { } . , : ?"),
            (std::vector<Tok>{Tok::LParen, Tok::RParen, Tok::LBracket, Tok::RBracket, Tok::LBrace,
                              Tok::RBrace, Tok::Dot, Tok::Comma, Tok::Colon, Tok::Question, Tok::End}));
}

TEST(Lexer, Operators) {
  EXPECT_EQ(kinds("+ - * / % ! == != < <= > >= && ||"),
            (std::vector<Tok>{Tok::Plus, Tok::Minus, Tok::Star, Tok::Slash, Tok::Percent, Tok::Bang,
                              Tok::EqEq, Tok::NotEq, Tok::Less, Tok::LessEq, Tok::Greater,
                              Tok::GreaterEq, Tok::AndAnd, Tok::OrOr, Tok::End}));
}

TEST(Lexer, OperatorsNeedNoSpaces) {
  EXPECT_EQ(kinds("a<=b&&!c"), (std::vector<Tok>{Tok::Ident, Tok::LessEq, Tok::Ident, Tok::AndAnd,
                                                 Tok::Bang, Tok::Ident, Tok::End}));
  EXPECT_EQ(kinds("1-1"), (std::vector<Tok>{Tok::Int, Tok::Minus, Tok::Int, Tok::End}));
}

TEST(Lexer, KeywordsAndIdentifiers) {
  EXPECT_EQ(kinds("true false null in"),
            (std::vector<Tok>{Tok::True, Tok::False, Tok::Null, Tok::In, Tok::End}));
  auto r = tokenize("_a1 Abc inx nullable true_");
  ASSERT_TRUE(r.ok());
  std::vector<std::string> names;
  for (const Token& t : r.value())
    if (t.kind == Tok::Ident) names.push_back(t.text);
  EXPECT_EQ(names, (std::vector<std::string>{"_a1", "Abc", "inx", "nullable", "true_"}));
}

TEST(Lexer, SpansAreByteOffsets) {
  auto r = tokenize("  ab <= 'é'");
  ASSERT_TRUE(r.ok());
  const auto& t = r.value();
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].begin, 2);
  EXPECT_EQ(t[0].end, 4);
  EXPECT_EQ(t[1].begin, 5);
  EXPECT_EQ(t[1].end, 7);
  EXPECT_EQ(t[2].begin, 8);
  EXPECT_EQ(t[2].end, 12);  // 'é' is four bytes: quote, two UTF-8 bytes, quote
  EXPECT_EQ(t[3].kind, Tok::End);
  EXPECT_EQ(t[3].begin, 12);
}

TEST(Lexer, WhitespaceAndComments) {
  EXPECT_EQ(kinds(" \t\r\n\f1 // a comment with 'quotes' and \"more\"\n+ 2 // trailing"),
            (std::vector<Tok>{Tok::Int, Tok::Plus, Tok::Int, Tok::End}));
  EXPECT_EQ(kinds("// only a comment"), (std::vector<Tok>{Tok::End}));
  EXPECT_EQ(kinds("1 / 2"), (std::vector<Tok>{Tok::Int, Tok::Slash, Tok::Int, Tok::End}));
}

// ---- numbers ----

TEST(LexerNumbers, Integers) {
  Token t = only("0");
  EXPECT_EQ(t.kind, Tok::Int);
  EXPECT_EQ(t.bits, 0u);
  EXPECT_EQ(only("123").bits, 123u);
  EXPECT_EQ(only("007").bits, 7u);
  EXPECT_EQ(only("9223372036854775807").bits, 9223372036854775807u);
  // 2^63 lexes (the parser accepts it only after a unary minus).
  t = only("9223372036854775808");
  EXPECT_EQ(t.kind, Tok::Int);
  EXPECT_EQ(t.bits, 9223372036854775808u);
}

TEST(LexerNumbers, Hexadecimal) {
  EXPECT_EQ(only("0x1F").bits, 31u);
  EXPECT_EQ(only("0X1f").bits, 31u);
  EXPECT_EQ(only("0xdeadBEEF").bits, 0xdeadbeefu);
  Token t = only("0xFFFFFFFFFFFFFFFFu");
  EXPECT_EQ(t.kind, Tok::Uint);
  EXPECT_EQ(t.bits, 0xFFFFFFFFFFFFFFFFu);
}

TEST(LexerNumbers, Unsigned) {
  Token t = only("42u");
  EXPECT_EQ(t.kind, Tok::Uint);
  EXPECT_EQ(t.bits, 42u);
  EXPECT_EQ(only("42U").kind, Tok::Uint);
  EXPECT_EQ(only("18446744073709551615u").bits, 18446744073709551615u);
}

TEST(LexerNumbers, Doubles) {
  struct {
    const char* text;
    double value;
  } cases[] = {{"1.5", 1.5}, {".5", 0.5}, {"0.0", 0.0}, {"1e3", 1000.0}, {"1E3", 1000.0},
               {"1e+3", 1000.0}, {"1e-3", 0.001}, {"2.5e2", 250.0}, {"0e+0", 0.0},
               {"123456789.125", 123456789.125}, {"1e400", std::numeric_limits<double>::infinity()}};
  for (const auto& c : cases) {
    Token t = only(c.text);
    EXPECT_EQ(t.kind, Tok::Double) << c.text;
    EXPECT_EQ(t.number, c.value) << c.text;
  }
}

TEST(LexerNumbers, NoSignInLiterals) {
  // The grammar has no signed literals: '-' is its own token.
  EXPECT_EQ(kinds("-1"), (std::vector<Tok>{Tok::Minus, Tok::Int, Tok::End}));
  EXPECT_EQ(kinds("-1.5"), (std::vector<Tok>{Tok::Minus, Tok::Double, Tok::End}));
}

TEST(LexerNumbers, DotAfterIntegerIsSelection) {
  // "1." is not a FLOAT_LIT (DIGIT* . DIGIT+); "1.a" is member access on 1.
  EXPECT_EQ(kinds("1.a"), (std::vector<Tok>{Tok::Int, Tok::Dot, Tok::Ident, Tok::End}));
  EXPECT_EQ(kinds("1."), (std::vector<Tok>{Tok::Int, Tok::Dot, Tok::End}));
}

// ---- strings and bytes ----

struct StringCase {
  const char* source;
  Tok kind;
  std::string text;  // decoded contents
};

void PrintTo(const StringCase& c, std::ostream* os) { *os << c.source; }

class LexerStrings : public ::testing::TestWithParam<StringCase> {};

TEST_P(LexerStrings, Decode) {
  const auto& c = GetParam();
  Token t = only(c.source);
  EXPECT_EQ(t.kind, c.kind) << c.source;
  EXPECT_EQ(t.text, c.text) << c.source;
  EXPECT_EQ(t.begin, 0);
  EXPECT_EQ(t.end, static_cast<int>(std::string_view(c.source).size()));
}

using namespace std::string_literals;

INSTANTIATE_TEST_SUITE_P(Quotes, LexerStrings, ::testing::Values(
    StringCase{R"('abc')", Tok::String, "abc"},
    StringCase{R"("abc")", Tok::String, "abc"},
    StringCase{R"('')", Tok::String, ""},
    StringCase{R"('"')", Tok::String, "\""},
    StringCase{R"("'")", Tok::String, "'"},
    StringCase{R"('''x''x''')", Tok::String, "x''x"},
    StringCase{R"("""a"b""c""")", Tok::String, "a\"b\"\"c"},
    StringCase{"'''line1\nline2'''", Tok::String, "line1\nline2"},
    StringCase{"\"\"\"cr\r\nlf\"\"\"", Tok::String, "cr\r\nlf"},
    StringCase{R"('''''')", Tok::String, ""},
    StringCase{"'h\xc3\xa9llo \xf0\x9f\x98\x80'", Tok::String, "h\xc3\xa9llo \xf0\x9f\x98\x80"}));

INSTANTIATE_TEST_SUITE_P(Escapes, LexerStrings, ::testing::Values(
    StringCase{R"('\a\b\f\n\r\t\v')", Tok::String, "\a\b\f\n\r\t\v"},
    StringCase{R"('\\ \? \" \' \`')", Tok::String, "\\ ? \" ' `"},
    StringCase{R"("\x41\X42\x7f")", Tok::String, "AB\x7f"},
    // \x, \u, \U and octal denote code points in strings: \xff is U+00FF, two bytes of UTF-8.
    StringCase{R"('\xff')", Tok::String, "\xc3\xbf"},
    StringCase{R"('\377')", Tok::String, "\xc3\xbf"},
    StringCase{R"('\303\277')", Tok::String, "\xc3\x83\xc2\xbf"},
    StringCase{R"('\101\060\000')", Tok::String, "A0\0"s},
    StringCase{R"('\u00e9\u20AC')", Tok::String, "\xc3\xa9\xe2\x82\xac"},
    StringCase{R"('\U0001F600\U00000041')", Tok::String, "\xf0\x9f\x98\x80" "A"},
    StringCase{R"('\U0010FFFF')", Tok::String, "\xf4\x8f\xbf\xbf"},
    StringCase{R"('''\n\'''')", Tok::String, "\n'"}));

INSTANTIATE_TEST_SUITE_P(Raw, LexerStrings, ::testing::Values(
    StringCase{R"(r'\n')", Tok::String, "\\n"},
    StringCase{R"(R"\x41\\")", Tok::String, "\\x41\\\\"},
    StringCase{R"(r'''a\'b''')", Tok::String, "a\\'b"},
    // A raw single-quoted string ends at the first quote: a backslash does not escape it.
    StringCase{R"(r'\')", Tok::String, "\\"},
    StringCase{R"(r'\d+\.\d*')", Tok::String, "\\d+\\.\\d*"}));

INSTANTIATE_TEST_SUITE_P(Bytes, LexerStrings, ::testing::Values(
    StringCase{R"(b'abc')", Tok::Bytes, "abc"},
    StringCase{R"(B"abc")", Tok::Bytes, "abc"},
    StringCase{R"(b'')", Tok::Bytes, ""},
    // In bytes, \x and octal escapes are octets, not code points.
    StringCase{R"(b'\xff\x00')", Tok::Bytes, "\xff\0"s},
    StringCase{R"(b'\377\000')", Tok::Bytes, "\xff\0"s},
    StringCase{R"(b'\303\277')", Tok::Bytes, "\xc3\xbf"},
    // A literal non-ASCII character contributes its UTF-8 bytes.
    StringCase{"b'\xc3\xbf'", Tok::Bytes, "\xc3\xbf"},
    StringCase{R"(b'''a'b''')", Tok::Bytes, "a'b"},
    StringCase{R"(br'\xff')", Tok::Bytes, "\\xff"},
    StringCase{R"(rb'\xff')", Tok::Bytes, "\\xff"},
    StringCase{R"(Rb"\n")", Tok::Bytes, "\\n"},
    StringCase{R"(bR'\n')", Tok::Bytes, "\\n"}));

TEST(Lexer, PrefixLettersAloneAreIdentifiers) {
  auto r = tokenize("b r br rb bytes");
  ASSERT_TRUE(r.ok());
  for (std::size_t i = 0; i + 1 < r.value().size(); ++i) EXPECT_EQ(r.value()[i].kind, Tok::Ident);
}

// ---- backquoted names ----

TEST(LexerBackquoted, IsAnIdentifierWithTheRawName) {
  auto r = tokenize("a.`content-type`");
  ASSERT_TRUE(r.ok());
  const Token& t = r.value()[2];
  EXPECT_EQ(t.kind, Tok::Ident);
  EXPECT_TRUE(t.backquoted);
  EXPECT_EQ(t.text, "content-type");
  EXPECT_EQ(t.begin, 2);
  EXPECT_EQ(t.end, 16);
  EXPECT_FALSE(r.value()[0].backquoted);
}

TEST(LexerBackquoted, AllowsDotsSlashesDashesAndSpaces) {
  for (const char* name : {"foo.txt", "/api/v1", "a-b", "two words", "_x9"}) {
    Token t = only("`" + std::string(name) + "`");
    EXPECT_EQ(t.kind, Tok::Ident);
    EXPECT_EQ(t.text, name);
  }
}

// ---- errors and their positions ----

struct LexErrorCase {
  const char* source;
  int position;
  const char* what;
};

void PrintTo(const LexErrorCase& c, std::ostream* os) { *os << c.source; }

class LexerErrors : public ::testing::TestWithParam<LexErrorCase> {};

TEST_P(LexerErrors, ArePositioned) {
  const auto& c = GetParam();
  auto r = tokenize(c.source);
  ASSERT_FALSE(r.ok()) << c.source;
  EXPECT_EQ(r.error().kind, ErrorKind::Parse);
  EXPECT_EQ(r.error().position, c.position) << r.error().message;
  EXPECT_NE(r.error().message.find(c.what), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(Characters, LexerErrors, ::testing::Values(
    LexErrorCase{"a = 1", 2, "use '=='"},
    LexErrorCase{"a & b", 2, "use '&&'"},
    LexErrorCase{"a | b", 2, "use '||'"},
    LexErrorCase{"a # b", 2, "unexpected character '#'"},
    LexErrorCase{"1 @", 2, "unexpected character '@'"},
    LexErrorCase{"a ; b", 2, "unexpected character ';'"},
    LexErrorCase{"x + \xc3\xa9", 4, "outside a string"},
    LexErrorCase{"$a", 0, "unexpected character '$'"}));

INSTANTIATE_TEST_SUITE_P(Numbers, LexerErrors, ::testing::Values(
    LexErrorCase{"0x", 0, "hexadecimal literal needs digits"},
    LexErrorCase{"1 + 0xg", 4, "hexadecimal literal needs digits"},
    LexErrorCase{"0x10000000000000000", 0, "out of range"},
    LexErrorCase{"9223372036854775809", 0, "out of range"},
    LexErrorCase{"18446744073709551616u", 0, "out of range"},
    LexErrorCase{"x + 99999999999999999999", 4, "out of range"},
    LexErrorCase{"1e", 1, "exponent needs digits"},
    LexErrorCase{"1e+", 1, "exponent needs digits"},
    LexErrorCase{"1.5e-x", 3, "exponent needs digits"},
    LexErrorCase{"1.5u", 3, "after number"},
    LexErrorCase{"1e3u", 3, "after number"},
    LexErrorCase{"123abc", 3, "after number"},
    LexErrorCase{"12u3", 3, "after number"},
    LexErrorCase{"0x1Fg", 4, "after number"}));

INSTANTIATE_TEST_SUITE_P(Strings, LexerErrors, ::testing::Values(
    LexErrorCase{"'abc", 0, "unterminated string"},
    LexErrorCase{"x + \"abc", 4, "unterminated string"},
    LexErrorCase{"'''abc''", 0, "unterminated string"},
    LexErrorCase{"'abc\"", 0, "unterminated string"},
    LexErrorCase{"b'", 1, "unterminated string"},
    LexErrorCase{"'a\nb'", 2, "newline in string"},
    LexErrorCase{"\"a\rb\"", 2, "newline in string"},
    LexErrorCase{R"('ab\q')", 3, "invalid escape '\\q'"},
    LexErrorCase{R"('\8')", 1, "invalid escape"},
    LexErrorCase{R"('\400')", 1, "invalid escape"},
    LexErrorCase{R"('\1')", 1, "octal"},
    LexErrorCase{R"('\19')", 1, "octal"},
    LexErrorCase{R"('\x4')", 1, "hex digit"},
    LexErrorCase{R"('\xg0')", 1, "hex digit"},
    LexErrorCase{R"('\u12')", 1, "hex digit"},
    LexErrorCase{R"('\U0001F60')", 1, "hex digit"},
    LexErrorCase{R"('\uD800')", 1, "invalid code point"},
    LexErrorCase{R"('\uDFFF')", 1, "invalid code point"},
    LexErrorCase{R"('\U00110000')", 1, "invalid code point"},
    LexErrorCase{R"('\U0000D800')", 1, "invalid code point"},
    LexErrorCase{R"(b'\u00ff')", 2, "not allowed in bytes"},
    LexErrorCase{R"(b'\U000000ff')", 2, "not allowed in bytes"},
    LexErrorCase{"'\\", 1, "unterminated"},
    LexErrorCase{"'a\xff'", 2, "invalid UTF-8"},
    LexErrorCase{"'\xc3('", 1, "invalid UTF-8"},
    LexErrorCase{"'\xed\xa0\x80'", 1, "invalid UTF-8"}));

INSTANTIATE_TEST_SUITE_P(Backquoted, LexerErrors, ::testing::Values(
    LexErrorCase{"a.``", 2, "empty backquoted name"},
    LexErrorCase{"a.`abc", 2, "unterminated backquoted name"},
    LexErrorCase{"a.`a$b`", 4, "invalid character in backquoted name"},
    LexErrorCase{"a.`a\nb`", 4, "invalid character in backquoted name"}));

TEST(Lexer, DescribeNamesEveryToken) {
  EXPECT_STREQ(describe(Tok::End), "end of expression");
  EXPECT_STREQ(describe(Tok::Ident), "identifier");
  EXPECT_STREQ(describe(Tok::Int), "number");
  EXPECT_STREQ(describe(Tok::Uint), "number");
  EXPECT_STREQ(describe(Tok::Double), "number");
  EXPECT_STREQ(describe(Tok::String), "string");
  EXPECT_STREQ(describe(Tok::Bytes), "bytes");
  EXPECT_STREQ(describe(Tok::AndAnd), "'&&'");
  EXPECT_STREQ(describe(Tok::In), "'in'");
  for (int k = static_cast<int>(Tok::End); k <= static_cast<int>(Tok::OrOr); ++k)
    EXPECT_STRNE(describe(static_cast<Tok>(k)), "token") << "token kind " << k;
}

}  // namespace
}  // namespace ithaca
