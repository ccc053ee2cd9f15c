// The regex engine's properties beyond single matches (regex.cpp): error kinds, program size
// limits, and patterns that take backtracking matchers exponential time.
#include "regex.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ithaca {
namespace {

// ---- Properties that are not a single match.

TEST(Regex, ErrorsNeverThrowAndCarryParseKind) {
  auto re = Regex::compile("(?=x)");
  ASSERT_FALSE(re);
  EXPECT_EQ(re.error().kind, ErrorKind::Parse);
  EXPECT_TRUE(re.error().path.empty());
}

TEST(Regex, ProgramSizeIsBoundedByTheLimit) {
  auto ok = Regex::compile("a{1000}", 1001);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value().program_size(), 1001u);  // 1000 literals and the match
  EXPECT_FALSE(Regex::compile("a{1000}", 1000).ok());
  EXPECT_FALSE(Regex::compile("", 0).ok());
  EXPECT_TRUE(Regex::compile("", 1).ok());
  EXPECT_FALSE(Regex::compile("ab", 2).ok());
  EXPECT_TRUE(Regex::compile("ab", 3).ok());
  // Anchored, so one thread walks the million instructions; unanchored it would be
  // text × program steps, which is linear in the text but not a unit-test size.
  auto big = Regex::compile("^(a{1000}){1000}$", 2000000);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big.value().program_size(), 1000003u);
  EXPECT_TRUE(big.value().search(std::string(1000000, 'a')));
  EXPECT_FALSE(big.value().search(std::string(999999, 'a')));
}

TEST(Regex, SmallProgramsFitTheInlineStates) {
  EXPECT_LE(Regex::compile("^[a-z]+@[a-z]+\\.com$").value().program_size(), Regex::kInlineStates);
  EXPECT_LE(Regex::compile("(?i)^(mobile|tablet|desktop)$").value().program_size(), Regex::kInlineStates);
}

TEST(Regex, LargeProgramsUseTheHeapAndStillMatch) {
  auto re = Regex::compile("^(?:[a-z]{1,4}\\.){1,60}[a-z]+$");
  ASSERT_TRUE(re.ok()) << re.error().message;
  EXPECT_GT(re.value().program_size(), Regex::kInlineStates);
  EXPECT_TRUE(re.value().search("www.exam.co.uk"));
  EXPECT_FALSE(re.value().search("www.example.co.uk"));
  EXPECT_FALSE(re.value().search("www..example"));
}

TEST(Regex, CompiledRegexIsCopyableAndMovable) {
  auto re = Regex::compile("b+c");
  ASSERT_TRUE(re.ok());
  Regex copy = re.value();
  Regex moved = std::move(re).value();
  EXPECT_TRUE(copy.search("abbc"));
  EXPECT_TRUE(moved.search("abbc"));
  EXPECT_FALSE(moved.search("ac"));
}

TEST(Regex, SearchIsRepeatable) {
  auto re = Regex::compile("(a|b)*c").value();
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(re.search("ababc"));
    EXPECT_FALSE(re.search("abab"));
  }
}

TEST(Regex, AllBytesAsText) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  EXPECT_TRUE(Regex::compile("\\x00").value().search(all));
  EXPECT_TRUE(Regex::compile("\\x7f").value().search(all));
  EXPECT_FALSE(Regex::compile("\\x{80}").value().search(all));  // a lone 0x80 byte is not U+0080
  EXPECT_TRUE(Regex::compile("^(?s:.){256}$").value().search(all));
  EXPECT_TRUE(Regex::compile("^[\\x00-\\x7f]{128}[^\\x00-\\x7f]{128}$").value().search(all));
}

// Patterns whose backtracking matchers take exponential time: here each must simply finish.
TEST(Regex, PathologicalPatternsRunInLinearTime) {
  const std::string a100k(100000, 'a');
  EXPECT_FALSE(Regex::compile("(a*)*b").value().search(a100k));
  EXPECT_FALSE(Regex::compile("(a|aa)*c").value().search(a100k));
  EXPECT_FALSE(Regex::compile("(a+)+b").value().search(a100k));
  EXPECT_FALSE(Regex::compile("^(a|a?)+$").value().search(a100k + "b"));
  EXPECT_FALSE(Regex::compile("(.*a){20}b").value().search(a100k));
  EXPECT_FALSE(Regex::compile("(x+x+)+y").value().search(std::string(100000, 'x')));
  EXPECT_FALSE(Regex::compile("^(\\w+\\s?)*$").value().search(std::string(50000, 'w') + "!"));
  EXPECT_FALSE(Regex::compile("(?i)(a|A)*b").value().search(a100k));
  EXPECT_TRUE(Regex::compile("(a*)*b").value().search(a100k + "b"));
  EXPECT_TRUE(Regex::compile("(a|aa)*c").value().search(a100k + "c"));
  EXPECT_TRUE(Regex::compile("^(a|aa)*$").value().search(a100k));
  EXPECT_TRUE(Regex::compile("a{1000}$").value().search(a100k));
  EXPECT_FALSE(Regex::compile("a{0,500}b").value().search(a100k));
}

TEST(Regex, LongTextsAtTheEdges) {
  const std::string big(200000, 'x');
  EXPECT_TRUE(Regex::compile("x$").value().search(big));
  EXPECT_FALSE(Regex::compile("^y").value().search(big));
  EXPECT_FALSE(Regex::compile("y").value().search(big));
  EXPECT_TRUE(Regex::compile("y").value().search(big + "y"));
  EXPECT_TRUE(Regex::compile("\\by").value().search(big + " y"));
  EXPECT_TRUE(Regex::compile("(?m)^y$").value().search(big + "\ny\n" + big));
  std::string emoji;
  for (int i = 0; i < 20000; ++i) emoji += "\xF0\x9F\x98\x80";
  EXPECT_TRUE(Regex::compile("^(?:\\x{1F600}{1000}){20}$", 30000).value().search(emoji));
  EXPECT_TRUE(Regex::compile("^(?:.{1000}){20}$", 30000).value().search(emoji));
  EXPECT_FALSE(Regex::compile("^(?:.{1000}){20}$", 30000).value().search(emoji + "x"));
}

TEST(Regex, DeepNestingDoesNotRecurse) {
  std::string pattern(50000, '(');
  pattern += 'a';
  pattern += std::string(50000, ')');
  auto re = Regex::compile(pattern);
  ASSERT_TRUE(re.ok()) << re.error().message;
  EXPECT_TRUE(re.value().search("xa"));
  std::string unbalanced(50000, '(');
  EXPECT_EQ(Regex::compile(unbalanced).error().position, 49999);
  std::string alts;
  for (int i = 0; i < 300; ++i) alts += "(?:x|";
  alts += 'a';
  alts.append(300, ')');
  auto nested = Regex::compile(alts);
  ASSERT_TRUE(nested.ok()) << nested.error().message;
  EXPECT_TRUE(nested.value().search("a"));
  EXPECT_FALSE(nested.value().search("b"));
  std::string stars(2000, '(');
  for (int i = 0; i < 2000; ++i) stars += ")*";
  EXPECT_FALSE(Regex::compile(stars).ok());  // the stars alone exceed the default 2000
  auto empty_loops = Regex::compile(stars, 100000);
  ASSERT_TRUE(empty_loops.ok());
  EXPECT_TRUE(empty_loops.value().search("abc"));
}

}  // namespace
}  // namespace ithaca
