// The linear-time regex engine (regex.cpp): what matches, table by table. Its errors, properties
// and pathological patterns are in regex_errors_test.cpp and regex_properties_test.cpp, a
// differential test against std::regex in regex_differential_test.cpp.
#include "regex.hpp"

#include <gtest/gtest.h>

#include <string>
#include <ostream>

namespace ithaca {
namespace {

struct MatchCase {
  const char* pattern;
  std::string text;
  bool expected;
};

void PrintTo(const MatchCase& c, std::ostream* os) {
  *os << "'" << c.text << "'.matches('" << c.pattern << "') == " << (c.expected ? "true" : "false");
}

class RegexMatch : public ::testing::TestWithParam<MatchCase> {};

TEST_P(RegexMatch, Search) {
  const MatchCase& c = GetParam();
  auto re = Regex::compile(c.pattern);
  ASSERT_TRUE(re.ok()) << c.pattern << ": " << re.error().message << " at " << re.error().position;
  EXPECT_EQ(re.value().search(c.text), c.expected) << "pattern " << c.pattern << " text '" << c.text << "'";
  // Its program read back, as a compiled rule set carries it (regex_program_test.cpp), too.
  auto back = Regex::from_program(re.value().program(), re.value().ranges());
  ASSERT_TRUE(back.ok()) << c.pattern << ": " << back.error().message;
  EXPECT_EQ(back.value().search(c.text), c.expected) << "read back: pattern " << c.pattern << " text '" << c.text << "'";
}

INSTANTIATE_TEST_SUITE_P(Cel, RegexMatch, ::testing::Values(
    // The CEL conformance suite's string tests and the spec's examples.
    MatchCase{"ubb", "hubba", true},
    MatchCase{"ubba", "hubba", true},
    MatchCase{"^fo*b", "foobar", true},
    MatchCase{"^fo*b", "fobar", true},
    MatchCase{"^fo*b", "fbar", true},
    MatchCase{"^fo*b", "xfoobar", false},
    MatchCase{"^fo+b", "fbar", false},
    MatchCase{"^(fo|ba)+$", "foobar", false},
    MatchCase{"^(fo|ba)+$", "foba", true},
    MatchCase{"", "", true},
    MatchCase{"", "anything", true},
    MatchCase{"^$", "", true},
    MatchCase{"^$", "x", false},
    MatchCase{"e", "", false},
    MatchCase{"^.*$", "", true},
    MatchCase{"z", "hubba", false},
    MatchCase{"^hubba$", "hubba", true},
    MatchCase{"^ubba$", "hubba", false},
    MatchCase{"^[a-z]+@[a-z]+\\.com$", "bob@example.com", true},
    MatchCase{"^[a-z]+@[a-z]+\\.com$", "bob@example.org", false},
    MatchCase{"^(mobile|tablet)$", "tablet", true},
    MatchCase{"^(mobile|tablet)$", "desktop", false},
    MatchCase{"^/products/[0-9]+$", "/products/123", true},
    MatchCase{"^/products/[0-9]+$", "/products/12a", false},
    MatchCase{"(?i)google\\.", "www.Google.com", true},
    MatchCase{"^utm_", "utm_source", true},
    MatchCase{"(^|\\.)example\\.com$", "shop.example.com", true},
    MatchCase{"(^|\\.)example\\.com$", "badexample.com", false},
    MatchCase{"(^|\\.)example\\.com$", "example.com", true},
    MatchCase{"^[A-Z]{2}$", "DE", true},
    MatchCase{"^[A-Z]{2}$", "DEU", false},
    MatchCase{"Mozilla/5\\.0 \\(iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)", true},
    MatchCase{"Chrome/(\\d+)\\.", "Mozilla/5.0 Chrome/120.0.0.0 Safari", true},
    MatchCase{"Chrome/(\\d+)\\.", "Mozilla/5.0 Firefox/120.0", false}));

INSTANTIATE_TEST_SUITE_P(Literals, RegexMatch, ::testing::Values(
    MatchCase{"a", "a", true},
    MatchCase{"a", "b", false},
    MatchCase{"abc", "xxabcxx", true},
    MatchCase{"abc", "ab", false},
    MatchCase{"abc", "acb", false},
    MatchCase{"aab", "aaab", true},
    MatchCase{"abab", "abaabab", true},
    MatchCase{"needle", std::string(1000, 'x') + "needle", true},
    MatchCase{"needle", std::string(1000, 'x') + "needl", false},
    MatchCase{"}", "}", true},
    MatchCase{"]", "]", true},
    MatchCase{"a]", "a]", true},
    MatchCase{"{", "{", true},
    MatchCase{"a{", "a{", true},
    MatchCase{"a{,2}", "a{,2}", true},
    MatchCase{"a{,2}", "aa", false},
    MatchCase{"a{x}", "a{x}", true},
    MatchCase{"a{1", "a{1", true},
    MatchCase{"a{1,2", "a{1,2", true},
    MatchCase{"x{}", "x{}", true},
    MatchCase{" ", "a b", true},
    MatchCase{"-", "a-b", true},
    MatchCase{",", "a,b", true},
    MatchCase{"#", "#", true},
    MatchCase{"'", "it's", true},
    MatchCase{"\"", "say \"hi\"", true},
    MatchCase{"/", "a/b", true}));

INSTANTIATE_TEST_SUITE_P(Escapes, RegexMatch, ::testing::Values(
    MatchCase{"\\.", ".", true},
    MatchCase{"\\.", "a", false},
    MatchCase{"a\\.b", "a.b", true},
    MatchCase{"a\\.b", "axb", false},
    MatchCase{"\\\\", "a\\b", true},
    MatchCase{"\\\\", "ab", false},
    MatchCase{"\\t", "a\tb", true},
    MatchCase{"\\t", "a b", false},
    MatchCase{"\\n", "a\nb", true},
    MatchCase{"\\r", "a\rb", true},
    MatchCase{"\\f", "a\fb", true},
    MatchCase{"\\v", "a\vb", true},
    MatchCase{"\\a", "a\ab", true},
    MatchCase{"\\x41", "A", true},
    MatchCase{"\\x41", "a", false},
    MatchCase{"\\x7e", "~", true},
    MatchCase{"\\x7E", "~", true},
    MatchCase{"\\x{41}", "A", true},
    MatchCase{"\\x{263a}", "smile \xE2\x98\xBA", true},
    MatchCase{"\\x{263A}", "\xE2\x98\xBB", false},
    MatchCase{"\\x{1F600}", "\xF0\x9F\x98\x80", true},
    MatchCase{"\\x{10FFFF}", "\xF4\x8F\xBF\xBF", true},
    MatchCase{"\\x{0000041}", "A", true},
    MatchCase{"\\xe9", "caf\xC3\xA9", true},
    MatchCase{"\\0", std::string("a\0b", 3), true},
    MatchCase{"\\0", "a0b", false},
    MatchCase{"\\012", "a\nb", true},
    MatchCase{"\\07", "\a", true},
    MatchCase{"\\141", "a", true},     // octal as in RE2: a digit then octal digits
    MatchCase{"\\101\\102", "AB", true},
    MatchCase{"\\12", "\n", true},
    MatchCase{"\\1234", "S4", true},   // three octal digits at most
    MatchCase{"\\777", "\xC7\xBF", true},
    MatchCase{"[\\141-\\143]", "b", true},
    MatchCase{"\\*", "a*", true},
    MatchCase{"\\*", "a", false},
    MatchCase{"\\+", "+", true},
    MatchCase{"\\?", "?", true},
    MatchCase{"\\(", "(", true},
    MatchCase{"\\)", ")", true},
    MatchCase{"\\[", "[", true},
    MatchCase{"\\]", "]", true},
    MatchCase{"\\{", "{", true},
    MatchCase{"\\}", "}", true},
    MatchCase{"\\|", "|", true},
    MatchCase{"\\|", "a", false},
    MatchCase{"\\^", "a^b", true},
    MatchCase{"\\$", "a$b", true},
    MatchCase{"\\-", "-", true},
    MatchCase{"\\/", "/", true},
    MatchCase{"\\_", "_", true},
    MatchCase{"\\ ", " ", true},
    MatchCase{"\\#", "#", true},
    MatchCase{"\\&", "&", true},
    MatchCase{"\\~", "~", true},
    MatchCase{"\\Qa.b\\E", "a.b", true},
    MatchCase{"\\Qa.b\\E", "axb", false},
    MatchCase{"\\Q*+?\\E", "*+?", true},
    MatchCase{"\\Q(a|b)", "(a|b)", true},
    MatchCase{"\\Q(a|b)", "a", false},
    MatchCase{"x\\Qab\\E+", "xabbb", true},
    MatchCase{"x\\Qab\\E+", "xaab", false},
    MatchCase{"\\Q\\E", "", true}));

INSTANTIATE_TEST_SUITE_P(Dot, RegexMatch, ::testing::Values(
    MatchCase{".", "a", true},
    MatchCase{".", "", false},
    MatchCase{".", "\n", false},
    MatchCase{"a.c", "abc", true},
    MatchCase{"a.c", "a\nc", false},
    MatchCase{"a.c", "ac", false},
    MatchCase{"^.$", "\xC3\xA9", true},           // one code point, two bytes
    MatchCase{"^..$", "\xC3\xA9", false},
    MatchCase{"^.$", "\xE2\x98\xBA", true},
    MatchCase{"^.$", "\xF0\x9F\x98\x80", true},
    MatchCase{"^...$", "a\xF0\x9F\x98\x80z", true},
    MatchCase{"^.{3}$", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", true},
    MatchCase{"^.{2}$", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", false},
    MatchCase{"(?s)a.c", "a\nc", true},
    MatchCase{"(?s:.)", "\n", true},
    MatchCase{"(?s).", "\n", true},
    MatchCase{".*", "", true},
    MatchCase{"^.*$", "line1\nline2", false},
    MatchCase{"(?s)^.*$", "line1\nline2", true},
    MatchCase{"a.*z", "a-----z", true},
    MatchCase{"a.*z", "a-----", false}));

INSTANTIATE_TEST_SUITE_P(Classes, RegexMatch, ::testing::Values(
    MatchCase{"[abc]", "b", true},
    MatchCase{"[abc]", "d", false},
    MatchCase{"^[abc]+$", "abccba", true},
    MatchCase{"^[abc]+$", "abcd", false},
    MatchCase{"[a-z]", "m", true},
    MatchCase{"[a-z]", "M", false},
    MatchCase{"[a-z]", "", false},
    MatchCase{"[a-cx-z]", "y", true},
    MatchCase{"[a-cx-z]", "m", false},
    MatchCase{"[^a-z]", "m", false},
    MatchCase{"[^a-z]", "M", true},
    MatchCase{"[^a-z]", "\n", true},
    MatchCase{"^[^a]$", "\xC3\xA9", true},
    MatchCase{"[^abc]", "abc", false},
    MatchCase{"[^abc]", "abcd", true},
    MatchCase{"[-a]", "-", true},
    MatchCase{"[-a]", "a", true},
    MatchCase{"[-a]", "b", false},
    MatchCase{"[a-]", "-", true},
    MatchCase{"[a-]", "b", false},
    MatchCase{"[^-a]", "-", false},
    MatchCase{"[^-a]", "b", true},
    MatchCase{"[]a]", "]", true},
    MatchCase{"[]a]", "a", true},
    MatchCase{"[]a]", "b", false},
    MatchCase{"[^]a]", "]", false},
    MatchCase{"[^]a]", "b", true},
    MatchCase{"[a-b-c]", "-", true},
    MatchCase{"[a-b-c]", "c", true},
    MatchCase{"[a-b-c]", "d", false},
    MatchCase{"[--/]", ".", true},
    MatchCase{"[K-[:lower:]]", "Z]", true},   // [K-[ and :lower: then a literal ]: a range
    MatchCase{"[K-[:lower:]]", "l]", true},   // ends at '[', never at a POSIX class
    MatchCase{"[K-[:lower:]]", "Z", false},
    MatchCase{"[K-[:lower:]]", "x]", false},
    MatchCase{"^[--[:alpha:]]+$", ":]", true},
    MatchCase{"^[--[:alpha:]]+$", "-./", false},
    MatchCase{"[[]", "[", true},
    MatchCase{"[a[]", "[", true},
    MatchCase{"[.]", ".", true},
    MatchCase{"[.]", "a", false},
    MatchCase{"[*+?(){}|^$]", "$", true},
    MatchCase{"[*+?(){}|^$]", "a", false},
    MatchCase{"[a^]", "^", true},
    MatchCase{"[\\]]", "]", true},
    MatchCase{"[\\[]", "[", true},
    MatchCase{"[\\\\]", "\\", true},
    MatchCase{"[\\-]", "-", true},
    MatchCase{"[a\\-z]", "m", false},
    MatchCase{"[a\\-z]", "-", true},
    MatchCase{"[\\^]", "^", true},
    MatchCase{"[\\n]", "\n", true},
    MatchCase{"[\\t ]", "\t", true},
    MatchCase{"[\\x41-\\x43]", "B", true},
    MatchCase{"[\\x41-\\x43]", "D", false},
    MatchCase{"[\\x{263a}]", "\xE2\x98\xBA", true},
    MatchCase{"[\\x00-\\x{10FFFF}]", "\xF4\x8F\xBF\xBF", true},
    MatchCase{"[^\\x00-\\x{10FFFF}]", "abc", false},
    MatchCase{"[\xC3\xA0-\xC3\xBF]", "\xC3\xA9", true},            // [à-ÿ] matches é
    MatchCase{"[\xC3\xA0-\xC3\xBF]", "e", false},
    MatchCase{"^[\xCE\xB1-\xCF\x89]+$", "\xCE\xBB\xCE\xBF\xCE\xB3\xCE\xBF\xCF\x82", true},  // λογος
    MatchCase{"^[\xCE\xB1-\xCF\x89]+$", "\xCE\xBB\xCF\x8C\xCE\xB3\xCE\xBF\xCF\x82", false},  // ό is outside α-ω
    MatchCase{"[\xE4\xB8\x80-\xE9\xBE\xA5]", "kanji \xE6\x97\xA5", true},
    MatchCase{"[\xE4\xB8\x80-\xE9\xBE\xA5]", "kana \xE3\x81\x82", false},
    MatchCase{"[\xF0\x9F\x98\x80-\xF0\x9F\x98\x8F]", "\xF0\x9F\x98\x85", true},
    MatchCase{"[^\xE2\x98\xBA]", "\xE2\x98\xBA", false},
    MatchCase{"[^\xE2\x98\xBA]", "\xE2\x98\xBA!", true},
    MatchCase{"[\\d]", "5", true},
    MatchCase{"[\\d]", "x", false},
    MatchCase{"[\\da-f]", "c", true},
    MatchCase{"[\\da-f]", "g", false},
    MatchCase{"[\\d-z]", "-", true},
    MatchCase{"[\\d-z]", "y", false},
    MatchCase{"[\\D]", "5", false},
    MatchCase{"[\\D]", "x", true},
    MatchCase{"[^\\D]", "5", true},
    MatchCase{"[^\\D]", "x", false},
    MatchCase{"[\\s]", " ", true},
    MatchCase{"[\\S]", " ", false},
    MatchCase{"[\\w]", "_", true},
    MatchCase{"[\\W]", "_", false},
    MatchCase{"[\\W]", "!", true},
    MatchCase{"[\\w\\s]", " ", true},
    MatchCase{"[^\\w\\s]", " ", false},
    MatchCase{"[^\\w\\s]", "!", true},
    MatchCase{"[\\D\\d]", "x", true},
    MatchCase{"[^\\D\\d]", "x", false}));

INSTANTIATE_TEST_SUITE_P(PerlClasses, RegexMatch, ::testing::Values(
    MatchCase{"\\d", "a1", true},
    MatchCase{"\\d", "abc", false},
    MatchCase{"^\\d+$", "0123456789", true},
    MatchCase{"^\\d+$", "01234x", false},
    MatchCase{"\\d", "\xD9\xA3", false},  // Arabic-Indic three: \d is ASCII, as in RE2
    MatchCase{"\\D", "123", false},
    MatchCase{"\\D", "12a", true},
    MatchCase{"\\D", "\xC3\xA9", true},
    MatchCase{"\\s", "a b", true},
    MatchCase{"\\s", "a\tb", true},
    MatchCase{"\\s", "a\nb", true},
    MatchCase{"\\s", "a\rb", true},
    MatchCase{"\\s", "a\fb", true},
    MatchCase{"\\s", "a\vb", false},  // RE2's \s has no \v
    MatchCase{"\\s", "ab", false},
    MatchCase{"\\S", "  ", false},
    MatchCase{"\\S", " x ", true},
    MatchCase{"\\w", "_", true},
    MatchCase{"\\w", "Z", true},
    MatchCase{"\\w", "9", true},
    MatchCase{"\\w", "!?", false},
    MatchCase{"\\w", "\xC3\xA9", false},
    MatchCase{"\\W", "abc_123", false},
    MatchCase{"\\W", "abc-123", true},
    MatchCase{"^\\w+@\\w+\\.\\w+$", "jo_e@mail.com", true},
    MatchCase{"^\\d{4}-\\d{2}-\\d{2}$", "2024-02-29", true},
    MatchCase{"^\\d{4}-\\d{2}-\\d{2}$", "2024-2-29", false}));

INSTANTIATE_TEST_SUITE_P(PosixClasses, RegexMatch, ::testing::Values(
    MatchCase{"[[:alpha:]]", "x", true},
    MatchCase{"[[:alpha:]]", "1", false},
    MatchCase{"[[:digit:]]", "1", true},
    MatchCase{"[[:digit:]]", "x", false},
    MatchCase{"[[:alnum:]]", "Z", true},
    MatchCase{"[[:alnum:]]", "_", false},
    MatchCase{"[[:upper:]]", "Q", true},
    MatchCase{"[[:upper:]]", "q", false},
    MatchCase{"[[:lower:]]", "q", true},
    MatchCase{"[[:lower:]]", "Q", false},
    MatchCase{"[[:space:]]", "\v", true},
    MatchCase{"[[:space:]]", "x", false},
    MatchCase{"[[:blank:]]", "\t", true},
    MatchCase{"[[:blank:]]", "\n", false},
    MatchCase{"[[:punct:]]", "!", true},
    MatchCase{"[[:punct:]]", "`", true},
    MatchCase{"[[:punct:]]", "~", true},
    MatchCase{"[[:punct:]]", "a", false},
    MatchCase{"[[:xdigit:]]", "F", true},
    MatchCase{"[[:xdigit:]]", "g", false},
    MatchCase{"[[:word:]]", "_", true},
    MatchCase{"[[:cntrl:]]", "\x7f", true},
    MatchCase{"[[:cntrl:]]", std::string("\0", 1), true},
    MatchCase{"[[:cntrl:]]", " ", false},
    MatchCase{"[[:print:]]", " ", true},
    MatchCase{"[[:print:]]", "\t", false},
    MatchCase{"[[:graph:]]", " ", false},
    MatchCase{"[[:graph:]]", "~", true},
    MatchCase{"[[:ascii:]]", "\x7f", true},
    MatchCase{"[[:ascii:]]", "\xC3\xA9", false},
    MatchCase{"[[:^alpha:]]", "x", false},
    MatchCase{"[[:^alpha:]]", "1", true},
    MatchCase{"[^[:alpha:]]", "x", false},
    MatchCase{"[^[:alpha:]]", "1", true},
    MatchCase{"[[:alpha:][:digit:]]", "7", true},
    MatchCase{"[[:alpha:]_]", "_", true},
    MatchCase{"^[[:upper:]][[:lower:]]+$", "Paris", true},
    MatchCase{"^[[:upper:]][[:lower:]]+$", "paris", false}));

INSTANTIATE_TEST_SUITE_P(Anchors, RegexMatch, ::testing::Values(
    MatchCase{"^a", "ab", true},
    MatchCase{"^a", "ba", false},
    MatchCase{"a$", "ba", true},
    MatchCase{"a$", "ab", false},
    MatchCase{"a$", "a\n", false},  // RE2: $ without (?m) is only the end of text
    MatchCase{"^a$", "a", true},
    MatchCase{"^a$", "a\na", false},
    MatchCase{"^b", "a\nb", false},
    MatchCase{"(?m)^b", "a\nb", true},
    MatchCase{"(?m)a$", "a\nb", true},
    MatchCase{"(?m)^a$", "x\na\ny", true},
    MatchCase{"(?m)^a$", "x\nab\ny", false},
    MatchCase{"(?m)^$", "a\n\nb", true},
    MatchCase{"(?m)^$", "ab", false},
    MatchCase{"(?m)^", "", true},
    MatchCase{"(?m)\\Ab", "a\nb", false},
    MatchCase{"(?m)a\\z", "a\nb", false},
    MatchCase{"(?m)b\\z", "a\nb", true},
    MatchCase{"\\Aa", "ab", true},
    MatchCase{"\\Aa", "ba", false},
    MatchCase{"a\\z", "ba", true},
    MatchCase{"a\\z", "ab", false},
    MatchCase{"\\A\\z", "", true},
    MatchCase{"\\A\\z", "x", false},
    MatchCase{"a^b", "a^b", false},
    MatchCase{"a$b", "ab", false},
    MatchCase{"^^a$$", "a", true},
    MatchCase{"^*a", "ba", true},
    MatchCase{"(^a|b)", "cb", true},
    MatchCase{"(^a|b)", "ca", false},
    MatchCase{"x*^", "abc", true},
    MatchCase{"x+^", "xabc", false},
    MatchCase{"^(a|b)*$", "abba", true},
    MatchCase{"^(a|b)*$", "abca", false},
    MatchCase{"(a|^)b", "b", true},
    MatchCase{"(a|^)b", "cb", false},
    MatchCase{"(a|^)b", "cab", true},
    MatchCase{"b(a|$)", "b", true},
    MatchCase{"b(a|$)", "bc", false}));

INSTANTIATE_TEST_SUITE_P(WordBoundaries, RegexMatch, ::testing::Values(
    MatchCase{"\\bcat\\b", "a cat sat", true},
    MatchCase{"\\bcat\\b", "concatenate", false},
    MatchCase{"\\bcat\\b", "cat", true},
    MatchCase{"\\bcat\\b", "cats", false},
    MatchCase{"\\bcat\\b", "(cat)", true},
    MatchCase{"\\bcat\\b", "_cat", false},
    MatchCase{"\\Bcat\\B", "concatenate", true},
    MatchCase{"\\Bcat\\B", "a cat", false},
    MatchCase{"\\b", "", false},
    MatchCase{"\\B", "", true},
    MatchCase{"\\b", "a", true},
    MatchCase{"\\b", "!", false},
    MatchCase{"\\B", "!", true},
    MatchCase{"^\\b", "a", true},
    MatchCase{"^\\b", " a", false},
    MatchCase{"\\b$", "a", true},
    MatchCase{"\\b$", "a ", false},
    MatchCase{"a\\b", "a\xC3\xA9", true},  // \b is ASCII, as in RE2
    MatchCase{"\\bfoo", "x.foo", true},
    MatchCase{"\\d\\b", "12 34", true},
    MatchCase{"\\d\\b", "12a34a", false}));

INSTANTIATE_TEST_SUITE_P(Groups, RegexMatch, ::testing::Values(
    MatchCase{"(a)", "a", true},
    MatchCase{"(ab)c", "abc", true},
    MatchCase{"(ab)c", "acb", false},
    MatchCase{"(?:ab)c", "abc", true},
    MatchCase{"(?:ab)+", "ababab", true},
    MatchCase{"^(?:ab)+$", "ababa", false},
    MatchCase{"(?P<year>\\d{4})-(?P<month>\\d{2})", "on 2024-05", true},
    MatchCase{"(?P<year>\\d{4})-(?P<month>\\d{2})", "on 24-05", false},
    MatchCase{"(?<word>\\w+)!", "hey!", true},
    MatchCase{"(?P<x>a)(?P<y>b)", "ab", true},
    MatchCase{"()", "", true},
    MatchCase{"()", "x", true},
    MatchCase{"(())", "x", true},
    MatchCase{"a()b", "ab", true},
    MatchCase{"a(?:)b", "ab", true},
    MatchCase{"((((((((((a))))))))))", "a", true},
    MatchCase{"((((((((((a))))))))))", "b", false},
    MatchCase{"(a(b(c)))", "abc", true},
    MatchCase{"(a(b(c)))", "abd", false},
    MatchCase{"((a)|b)+c", "abac", true},
    MatchCase{"x(a|b)y", "xby", true},
    MatchCase{"x(a|b)y", "xcy", false}));

INSTANTIATE_TEST_SUITE_P(Alternation, RegexMatch, ::testing::Values(
    MatchCase{"a|b", "a", true},
    MatchCase{"a|b", "b", true},
    MatchCase{"a|b", "c", false},
    MatchCase{"cat|dog", "hotdog", true},
    MatchCase{"cat|dog", "cow", false},
    MatchCase{"a|b|c|d|e", "e", true},
    MatchCase{"a|b|c|d|e", "f", false},
    MatchCase{"^(a|ab)$", "ab", true},
    MatchCase{"^(ab|a)$", "ab", true},
    MatchCase{"^(a|ab)c$", "abc", true},
    MatchCase{"a|", "x", true},
    MatchCase{"|a", "x", true},
    MatchCase{"^(|a)$", "", true},
    MatchCase{"^(|a)$", "a", true},
    MatchCase{"^(|a)$", "b", false},
    MatchCase{"^(a|)b$", "b", true},
    MatchCase{"^(a||b)$", "", true},
    MatchCase{"|", "", true},
    MatchCase{"^(foo|bar|baz)+$", "foobazbar", true},
    MatchCase{"^(foo|bar|baz)+$", "foobax", false},
    MatchCase{"^a|b$", "ax", true},
    MatchCase{"^a|b$", "xb", true},
    MatchCase{"^a|b$", "xa", false},
    MatchCase{"^(a|b$)", "xb", false},
    MatchCase{"x(?:a|b|)y", "xy", true},
    MatchCase{"(a|b)(c|d)(e|f)", "bdf", true},
    MatchCase{"(a|b)(c|d)(e|f)", "bdg", false}));

INSTANTIATE_TEST_SUITE_P(Quantifiers, RegexMatch, ::testing::Values(
    MatchCase{"ab*c", "ac", true},
    MatchCase{"ab*c", "abbbbc", true},
    MatchCase{"ab*c", "abxc", false},
    MatchCase{"ab+c", "ac", false},
    MatchCase{"ab+c", "abc", true},
    MatchCase{"ab+c", "abbbc", true},
    MatchCase{"ab?c", "ac", true},
    MatchCase{"ab?c", "abc", true},
    MatchCase{"ab?c", "abbc", false},
    MatchCase{"ab*?c", "abbc", true},
    MatchCase{"ab+?c", "abbc", true},
    MatchCase{"ab??c", "ac", true},
    MatchCase{"^a*$", "", true},
    MatchCase{"^a*$", "aaaa", true},
    MatchCase{"^a*$", "aaba", false},
    MatchCase{"^a+$", "", false},
    MatchCase{"^a?$", "aa", false},
    MatchCase{"^(ab)*$", "ababab", true},
    MatchCase{"^(ab)*$", "abba", false},
    MatchCase{"^(a*)*$", "aaa", true},
    MatchCase{"^(a*)*$", "aab", false},
    MatchCase{"^(a*)+$", "", true},
    MatchCase{"^(a?)*$", "aa", true},
    MatchCase{"^(a|b)*c$", "ababc", true},
    MatchCase{"^()*$", "", true},
    MatchCase{"^()+$", "", true},
    MatchCase{"^(?:)*a$", "a", true},
    MatchCase{"^(a*|b)*$", "abba", true},
    MatchCase{"^(a*|b)*$", "abca", false},
    MatchCase{"^(?:a+)+$", "aaaa", true},
    MatchCase{"^.*a.*b.*$", "xxaxxbxx", true},
    MatchCase{"^.*a.*b.*$", "xxbxxaxx", false},
    MatchCase{"(?U)ab*", "abb", true},
    MatchCase{"(?U)^ab*?$", "abb", true}));

INSTANTIATE_TEST_SUITE_P(Repetition, RegexMatch, ::testing::Values(
    MatchCase{"^a{3}$", "aaa", true},
    MatchCase{"^a{3}$", "aa", false},
    MatchCase{"^a{3}$", "aaaa", false},
    MatchCase{"^a{2,}$", "a", false},
    MatchCase{"^a{2,}$", "aa", true},
    MatchCase{"^a{2,}$", "aaaaaaa", true},
    MatchCase{"^a{2,4}$", "a", false},
    MatchCase{"^a{2,4}$", "aa", true},
    MatchCase{"^a{2,4}$", "aaa", true},
    MatchCase{"^a{2,4}$", "aaaa", true},
    MatchCase{"^a{2,4}$", "aaaaa", false},
    MatchCase{"^a{0}$", "", true},
    MatchCase{"^a{0}$", "a", false},
    MatchCase{"^a{0}b$", "b", true},
    MatchCase{"^a{0,0}b$", "ab", false},
    MatchCase{"^a{0,}$", "aaa", true},
    MatchCase{"^a{0,1}$", "a", true},
    MatchCase{"^a{0,1}$", "aa", false},
    MatchCase{"^a{0,2}$", "", true},
    MatchCase{"^a{0,2}$", "aa", true},
    MatchCase{"^a{0,2}$", "aaa", false},
    MatchCase{"^a{1}$", "a", true},
    MatchCase{"^a{1,1}$", "aa", false},
    MatchCase{"^a{1,}$", "aaa", true},
    MatchCase{"^a{1,}$", "", false},
    MatchCase{"^(ab){2}$", "abab", true},
    MatchCase{"^(ab){2}$", "ab", false},
    MatchCase{"^(ab){1,2}c$", "ababc", true},
    MatchCase{"^(ab){1,2}c$", "abababc", false},
    MatchCase{"^(a|bc){2,3}$", "abc", true},
    MatchCase{"^(a|bc){2,3}$", "bcbcbc", true},
    MatchCase{"^(a|bc){2,3}$", "bcbcbca", false},
    MatchCase{"^[0-9]{3}-[0-9]{4}$", "555-1234", true},
    MatchCase{"^[0-9]{3}-[0-9]{4}$", "555-123", false},
    MatchCase{"^a{2}?$", "aa", true},   // lazy {2}
    MatchCase{"^a{2,3}?$", "aaa", true},
    MatchCase{"^(?:a{2}){3}$", "aaaaaa", true},
    MatchCase{"^(?:a{2}){3}$", "aaaaa", false},
    MatchCase{"^\\d{1,3}(\\.\\d{1,3}){3}$", "192.168.0.1", true},
    MatchCase{"^\\d{1,3}(\\.\\d{1,3}){3}$", "192.168.0", false},
    MatchCase{"^\\d{1,3}(\\.\\d{1,3}){3}$", "1922.168.0.1", false},
    MatchCase{"^a{1000}$", std::string(1000, 'a'), true},
    MatchCase{"^a{1000}$", std::string(999, 'a'), false},
    MatchCase{"^a{2,900}$", std::string(500, 'a'), true},
    MatchCase{"^a{0,990}b", std::string(990, 'a') + "b", true},
    MatchCase{"^a{0,990}b", std::string(991, 'a') + "b", false}));

INSTANTIATE_TEST_SUITE_P(Flags, RegexMatch, ::testing::Values(
    MatchCase{"(?i)abc", "ABC", true},
    MatchCase{"(?i)abc", "aBc", true},
    MatchCase{"(?i)abc", "abd", false},
    MatchCase{"abc", "ABC", false},
    MatchCase{"(?i:a)b", "Ab", true},
    MatchCase{"(?i:a)b", "AB", false},
    MatchCase{"a(?i)b", "aB", true},
    MatchCase{"a(?i)b", "AB", false},
    MatchCase{"(a(?i)b)c", "aBc", true},
    MatchCase{"(a(?i)b)c", "aBC", false},  // flags end with their group
    MatchCase{"(?i)a(?-i)b", "Ab", true},
    MatchCase{"(?i)a(?-i)b", "AB", false},
    MatchCase{"(?i)a(?-i:b)c", "AbC", true},
    MatchCase{"(?i)a(?-i:b)c", "ABC", false},
    MatchCase{"(?i)a|b", "B", true},       // flags carry across |
    MatchCase{"(?is)a.b", "A\nB", true},
    MatchCase{"(?si)a.b", "A\nB", true},
    MatchCase{"(?i-s)a.b", "A\nB", false},
    MatchCase{"(?s-i)a.b", "A\nB", false},
    MatchCase{"(?ms)^b.c$", "a\nb\nc", true},
    MatchCase{"(?m:^b)", "a\nb", true},
    MatchCase{"(?m:^b)|^c", "a\nc", false},
    MatchCase{"(?U)a+", "aaa", true},
    MatchCase{"(?imsU)^A.$", "x\na\n", true},
    MatchCase{"(?i)[a-c]+", "ABCabc", true},
    MatchCase{"(?i)^[a-c]+$", "ABCD", false},
    MatchCase{"(?i)[^a]", "A", false},
    MatchCase{"(?i)[^a]", "b", true},
    MatchCase{"(?i)[[:upper:]]", "q", true},
    MatchCase{"(?i)[[:lower:]]", "Q", true},
    MatchCase{"(?i)\\x41", "a", true},
    MatchCase{"(?i)\\Qab\\E", "AB", true},
    MatchCase{"(?i)\\d", "5", true},
    MatchCase{"(?i)1", "1", true},
    MatchCase{"a(?)b", "ab", true}));  // an empty flag set, as in RE2

INSTANTIATE_TEST_SUITE_P(CaseFolding, RegexMatch, ::testing::Values(
    MatchCase{"(?i)caf\xC3\xA9", "CAF\xC3\x89", true},               // é / É
    MatchCase{"(?i)\xC3\xA0", "\xC3\x80", true},                     // à / À
    MatchCase{"(?i)\xC3\xBE", "\xC3\x9E", true},                     // þ / Þ
    MatchCase{"(?i)\xC3\xB7", "\xC3\x97", false},                    // ÷ is not × folded
    MatchCase{"(?i)\xC3\xBF", "\xC5\xB8", true},                     // ÿ / Ÿ
    MatchCase{"(?i)\xC3\x9F", "\xE1\xBA\x9E", true},                 // ß / ẞ
    MatchCase{"(?i)k", "\xE2\x84\xAA", true},                        // k / Kelvin sign
    MatchCase{"(?i)\xE2\x84\xAA", "K", true},
    MatchCase{"(?i)s", "\xC5\xBF", true},                            // s / long s
    MatchCase{"(?i)\xC3\xA5", "\xE2\x84\xAB", true},                 // å / Angstrom sign
    MatchCase{"(?i)\xC2\xB5", "\xCE\xBC", true},                     // micro / mu
    MatchCase{"(?i)\xC2\xB5", "\xCE\x9C", true},
    MatchCase{"(?i)\xC4\x81", "\xC4\x80", true},                     // ā / Ā
    MatchCase{"(?i)\xC5\x82", "\xC5\x81", true},                     // ł / Ł
    MatchCase{"(?i)\xC5\xBE", "\xC5\xBD", true},                     // ž / Ž
    MatchCase{"(?i)\xCE\xB1\xCE\xB2", "\xCE\x91\xCE\x92", true},     // αβ / ΑΒ
    MatchCase{"(?i)\xCF\x83", "\xCF\x82", true},                     // σ / ς
    MatchCase{"(?i)\xCF\x82", "\xCE\xA3", true},                     // ς / Σ
    MatchCase{"(?i)\xCE\xAC", "\xCE\x86", true},                     // ά / Ά
    MatchCase{"(?i)\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",
              "\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90", true},  // москва / МОСКВА
    MatchCase{"(?i)\xD1\x91", "\xD0\x81", true},                     // ё / Ё
    MatchCase{"(?i)\xD5\xA1", "\xD4\xB1", true},                     // Armenian ա / Ա
    MatchCase{"(?i)\xE1\xBB\x87", "\xE1\xBB\x86", true},             // ệ / Ệ
    MatchCase{"(?i)\xEF\xBD\x81", "\xEF\xBC\xA1", true},             // fullwidth a / A
    MatchCase{"(?i)i", "\xC4\xB0", false},                           // no Turkish dotted I
    MatchCase{"\xC3\xA9", "\xC3\x89", false},
    MatchCase{"(?i)[\xC3\xA0-\xC3\xBE]", "\xC3\x89", true},          // folded class range
    MatchCase{"(?i)[\xD0\xB0-\xD1\x8F]+", "\xD0\x9F\xD0\xA0\xD0\x98", true},
    MatchCase{"(?i)[k]", "\xE2\x84\xAA", true},
    MatchCase{"(?i)[^k]", "\xE2\x84\xAA", false},
    MatchCase{"(?i)[^\xC3\xA9]", "\xC3\x89", false},
    MatchCase{"(?i)[\\x{212A}]", "xk", true},                    // non-ASCII class, ASCII fold
    MatchCase{"(?i)[\\x{17F}]+", "xSs", true},
    MatchCase{"(?i)\\x{212A}", "xK", true},
    MatchCase{"(?i)\\w", "\xE2\x84\xAA", true},                   // \w folds like RE2's
    MatchCase{"\\w", "\xE2\x84\xAA", false},
    MatchCase{"(?i)\\W", "\xE2\x84\xAA", false},                  // ...and \W is its complement
    MatchCase{"\\W", "\xE2\x84\xAA", true},
    MatchCase{"(?i)\\W", "!", true},
    MatchCase{"(?i)[^\\W]", "k", true},
    MatchCase{"(?i)[^\\W]+", "\xC5\xBF", true},
    MatchCase{"(?i)[^\\W]", "!", false},
    MatchCase{"(?i)[\\Wa]", "A", true},
    MatchCase{"(?i)[[:^lower:]]", "A", false},
    MatchCase{"(?i)[[:^lower:]]", "1", true},
    MatchCase{"(?i)\\S", "k", true},
    MatchCase{"(?i)\\D", "k", true},
    MatchCase{"(?i)\xCD\x85", "\xCE\xB9", true},                  // ypogegrammeni / iota
    MatchCase{"(?i)\xCE\xB8", "\xCF\x91", true},                  // θ / ϑ
    MatchCase{"(?i)\xCE\xB8", "\xCF\xB4", true},                  // θ / ϴ
    MatchCase{"(?i)\xCF\x89", "\xE2\x84\xA6", true},              // ω / Ohm sign
    MatchCase{"(?i)\xC7\x85", "\xC7\x86", true},                  // ǅ / ǆ
    MatchCase{"(?i)\xC7\x84", "\xC7\x85", true},                  // Ǆ / ǅ
    MatchCase{"(?i)\xC8\x9B", "\xC8\x9A", true},                  // ț / Ț
    MatchCase{"(?i)\xE2\x85\xA0", "\xE2\x85\xB0", true},         // Roman numeral one
    MatchCase{"(?i)\xF0\x90\x90\x80", "\xF0\x90\x90\xA8", true}));  // Deseret

INSTANTIATE_TEST_SUITE_P(Utf8Text, RegexMatch, ::testing::Values(
    MatchCase{"\xE6\x97\xA5\xE6\x9C\xAC", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", true},
    MatchCase{"^\xE6\x97\xA5.\xE8\xAA\x9E$", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", true},
    MatchCase{"\xF0\x9F\x98\x80+", "hi \xF0\x9F\x98\x80\xF0\x9F\x98\x80", true},
    MatchCase{"^(\xF0\x9F\x98\x80|x)+$", "x\xF0\x9F\x98\x80x", true},
    MatchCase{"\xC3\xA9", "e\xCC\x81", false},  // no normalisation
    MatchCase{"a.b", "a\xFF" "b", true},        // a bad byte is one code point
    MatchCase{"a..b", "a\xFF" "b", false},
    MatchCase{"^.$", "\xFF", true},
    MatchCase{"^.$", "\xC3", true},              // truncated sequence: one bad byte
    MatchCase{"^..$", "\xE2\x98", true},         // two bad bytes
    MatchCase{"^.$", "\xED\xA0\x80", false},     // a surrogate is three bad bytes
    MatchCase{"^...$", "\xED\xA0\x80", true},
    MatchCase{"^.$", "\xC0\xAF", false},         // overlong '/'
    MatchCase{"^[^a]b$", "\x80" "b", true},
    MatchCase{"\\x{FFFD}", "\xFE", true},        // bad bytes read as U+FFFD
    MatchCase{"x\\by", "x\xFFy", false},
    MatchCase{"abc", "\xFF\xFE" "abc\xFF", true},
    MatchCase{"^abc$", "abc\xFF", false},
    MatchCase{"^a\\z", std::string("a\0", 2), false},
    MatchCase{"a\\x00b", std::string("a\0b", 3), true}));

}  // namespace
}  // namespace ithaca
