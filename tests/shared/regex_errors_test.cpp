// The regex engine's errors (regex.cpp): every pattern it refuses, with its message and byte
// position.
#include "regex.hpp"

#include <gtest/gtest.h>

#include <string>
#include <ostream>

namespace ithaca {
namespace {

// ---- Errors: each with its message and byte position.

struct ErrorCase {
  const char* pattern;
  const char* message;  // a substring of the message
  int position;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << "'" << c.pattern << "'"; }

class RegexError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(RegexError, Reported) {
  const ErrorCase& c = GetParam();
  auto re = Regex::compile(c.pattern);
  ASSERT_FALSE(re.ok()) << c.pattern << " compiled";
  EXPECT_EQ(re.error().kind, ErrorKind::Parse);
  EXPECT_NE(re.error().message.find(c.message), std::string::npos)
      << c.pattern << ": " << re.error().message;
  EXPECT_EQ(re.error().position, c.position) << c.pattern << ": " << re.error().message;
}

INSTANTIATE_TEST_SUITE_P(Syntax, RegexError, ::testing::Values(
    ErrorCase{"(", "missing closing )", 0},
    ErrorCase{"(a", "missing closing )", 0},
    ErrorCase{"a(b(c)", "missing closing )", 1},
    ErrorCase{"(a(b", "missing closing )", 2},
    ErrorCase{"(?:a", "missing closing )", 0},
    ErrorCase{"(?i:a", "missing closing )", 0},
    ErrorCase{"(?P<n>a", "missing closing )", 0},
    ErrorCase{")", "unexpected )", 0},
    ErrorCase{"a)", "unexpected )", 1},
    ErrorCase{"(a))", "unexpected )", 3},
    ErrorCase{"a|b)", "unexpected )", 3},
    ErrorCase{"[", "missing closing ]", 0},
    ErrorCase{"[a", "missing closing ]", 0},
    ErrorCase{"x[a-", "missing closing ]", 1},
    ErrorCase{"[]", "missing closing ]", 0},
    ErrorCase{"[^]", "missing closing ]", 0},
    ErrorCase{"[\\]", "missing closing ]", 0},
    ErrorCase{"[[:alpha:]", "missing closing ]", 0},
    ErrorCase{"[z-a]", "invalid character class range: z-a", 1},
    ErrorCase{"ab[x-a]", "invalid character class range: x-a", 3},
    ErrorCase{"[a-\\d]", "invalid character class range", 1},
    ErrorCase{"[a-[:alpha:]]", "invalid character class range: a-[", 1},
    ErrorCase{"[\\x{263a}-a]", "invalid character class range", 1},
    ErrorCase{"[[:foo:]]", "invalid POSIX character class: [:foo:]", 1},
    ErrorCase{"[[:ALPHA:]]", "invalid POSIX character class", 1},
    ErrorCase{"[[:d:]]", "invalid POSIX character class", 1},
    ErrorCase{"*", "missing argument to repetition operator: *", 0},
    ErrorCase{"+a", "missing argument to repetition operator: +", 0},
    ErrorCase{"?", "missing argument to repetition operator: ?", 0},
    ErrorCase{"{2}", "missing argument to repetition operator: {2}", 0},
    ErrorCase{"a|*", "missing argument to repetition operator", 2},
    ErrorCase{"(*)", "missing argument to repetition operator", 1},
    ErrorCase{"(?:+)", "missing argument to repetition operator", 3},
    ErrorCase{"(?i)*", "missing argument to repetition operator", 4},
    ErrorCase{"(?)*", "missing argument to repetition operator", 3},
    ErrorCase{"a(?i)*", "missing argument to repetition operator", 5},  // RE2 would repeat the a
    ErrorCase{"a**", "bad repetition operator: *", 2},
    ErrorCase{"a*?*", "bad repetition operator", 3},
    ErrorCase{"a?*", "bad repetition operator", 2},
    ErrorCase{"a{2}{3}", "bad repetition operator: {3}", 4},
    ErrorCase{"a{2}*", "bad repetition operator", 4},
    ErrorCase{"a{1001}", "repetition count above 1000: {1001}", 1},
    ErrorCase{"a{0,1001}", "repetition count above 1000", 1},
    ErrorCase{"a{1001,}", "repetition count above 1000", 1},
    ErrorCase{"a{99999999999999999999}", "repetition count above 1000", 1},
    ErrorCase{"a{3,2}", "invalid repetition range: {3,2}", 1},
    ErrorCase{"\\", "trailing \\", 0},
    ErrorCase{"ab\\", "trailing \\", 2},
    ErrorCase{"\\q", "invalid escape sequence: \\q", 0},
    ErrorCase{"a\\i", "invalid escape sequence: \\i", 1},
    ErrorCase{"\\E", "invalid escape sequence: \\E", 0},
    ErrorCase{"\\e", "invalid escape sequence", 0},
    ErrorCase{"\\G", "invalid escape sequence", 0},
    ErrorCase{"\\X", "invalid escape sequence", 0},
    ErrorCase{"\\R", "invalid escape sequence", 0},
    ErrorCase{"\\K", "invalid escape sequence", 0},
    ErrorCase{"\\h", "invalid escape sequence", 0},
    ErrorCase{"\\N{SPACE}", "invalid escape sequence", 0},
    ErrorCase{"\\\xC3\xA9", "invalid escape sequence: \\\xC3\xA9", 0},
    ErrorCase{"[\\b]", "invalid escape sequence: \\b", 1},
    ErrorCase{"[\\A]", "invalid escape sequence", 1},
    ErrorCase{"[\\z]", "invalid escape sequence", 1},
    ErrorCase{"[\\Qa\\E]", "invalid escape sequence", 1},
    ErrorCase{"\\x", "invalid escape sequence", 0},
    ErrorCase{"\\x4", "invalid escape sequence", 0},
    ErrorCase{"\\xg1", "invalid escape sequence", 0},
    ErrorCase{"\\x{}", "invalid escape sequence", 0},
    ErrorCase{"\\x{41", "invalid escape sequence", 0},
    ErrorCase{"\\x{110000}", "invalid escape sequence", 0},
    ErrorCase{"\\x{FFFFFFFFFFFF}", "invalid escape sequence", 0},
    ErrorCase{"a\xFF", "invalid UTF-8 in pattern", 1},
    ErrorCase{"\xC3", "invalid UTF-8 in pattern", 0},
    ErrorCase{"[\xFF]", "invalid UTF-8 in pattern", 1},
    ErrorCase{"\\Q\xFF", "invalid UTF-8 in pattern", 2},
    ErrorCase{"(?x)", "invalid or unsupported group syntax: (?x", 0},
    ErrorCase{"(?i", "missing closing ) after flags", 0},
    ErrorCase{"(?i-)", "invalid or unsupported group syntax", 0},
    ErrorCase{"(?-)", "invalid or unsupported group syntax", 0},
    ErrorCase{"(?i--s)", "invalid or unsupported group syntax", 0},
    ErrorCase{"(?-:a)", "invalid or unsupported group syntax", 0},
    ErrorCase{"a(?z:b)", "invalid or unsupported group syntax", 1},
    ErrorCase{"(?P", "invalid or unsupported group syntax: (?P", 0},
    ErrorCase{"(?Px)", "invalid or unsupported group syntax", 0},
    ErrorCase{"(?P<>a)", "invalid named capture group name", 0},
    ErrorCase{"(?P<a-b>a)", "invalid named capture group name", 0},
    ErrorCase{"(?P<name", "invalid named capture group: missing >", 0},
    ErrorCase{"(?P<a>x)(?P<a>y)", "duplicate capture group name: a", 8},
    ErrorCase{"(?<n>x)|(?P<n>y)", "duplicate capture group name: n", 8}));

INSTANTIATE_TEST_SUITE_P(Unsupported, RegexError, ::testing::Values(
    ErrorCase{"(a)\\1", "backreferences are not supported: \\1", 3},
    ErrorCase{"\\9", "backreferences are not supported: \\9", 0},
    ErrorCase{"\\1", "backreferences are not supported: \\1", 0},
    ErrorCase{"\\18", "backreferences are not supported: \\1", 0},
    ErrorCase{"(a)(b)\\2", "backreferences are not supported: \\2", 6},
    ErrorCase{"[\\1]", "backreferences are not supported", 1},
    ErrorCase{"(?P<n>a)\\k<n>", "backreferences are not supported: \\k", 8},
    ErrorCase{"\\g1", "backreferences are not supported: \\g", 0},
    ErrorCase{"(?P<n>a)(?P=n)", "named backreference (?P=name)", 8},
    ErrorCase{"a(?=b)", "lookahead (?=...) is not supported", 1},
    ErrorCase{"a(?!b)", "negative lookahead (?!...) is not supported", 1},
    ErrorCase{"(?<=a)b", "lookbehind (?<=...) is not supported", 0},
    ErrorCase{"(?<!a)b", "negative lookbehind (?<!...) is not supported", 0},
    ErrorCase{"(?>a+)", "atomic group", 0},
    ErrorCase{"(?#comment)", "comment group", 0},
    ErrorCase{"(?(1)a|b)", "conditional group", 0},
    ErrorCase{"(?|a)", "branch reset group", 0},
    ErrorCase{"(?R)", "recursion", 0},
    ErrorCase{"(?1)", "recursion", 0},
    ErrorCase{"(?&name)", "recursion", 0},
    ErrorCase{"(?P>name)", "recursion", 0},
    ErrorCase{"a++", "possessive quantifiers are not supported: ++", 1},
    ErrorCase{"a*+", "possessive quantifiers are not supported: *+", 1},
    ErrorCase{"a?+", "possessive quantifiers are not supported: ?+", 1},
    ErrorCase{"a{2}+", "possessive quantifiers are not supported: {2}+", 1},
    ErrorCase{"\\pL", "Unicode character classes are not supported: \\p", 0},
    ErrorCase{"x\\p{Greek}", "Unicode character classes are not supported: \\p", 1},
    ErrorCase{"\\PL", "Unicode character classes are not supported: \\P", 0},
    ErrorCase{"[\\p{L}]", "Unicode character classes are not supported: \\p", 1},
    ErrorCase{"\\C", "\\C (any byte) is not supported", 0},
    ErrorCase{"a\\Z", "\\Z is not supported; use \\z", 1}));

INSTANTIATE_TEST_SUITE_P(Size, RegexError, ::testing::Values(
    ErrorCase{"(a{1000}){1000}", "pattern too large", 9},
    ErrorCase{"((a{1000}){1000}){1000}", "pattern too large", 10},
    ErrorCase{"a{1000}b{1000}", "pattern too large", 8},
    ErrorCase{"(?:a{1,1000}){2}", "pattern too large", 13},
    ErrorCase{"[a-z]{1000}|[0-9]{1000}", "pattern too large", 17},
    ErrorCase{"(((a{100}){100}){100})*", "pattern too large", 10}));

}  // namespace
}  // namespace ithaca
