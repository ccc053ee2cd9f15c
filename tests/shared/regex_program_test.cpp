// Regex::from_program: programs read from untrusted bytes (compiled rule sets carry constant
// patterns compiled). Every table case of regex_test.cpp also searches through its program read
// back; here, what a program must be to be accepted, and that accepted oddities stay safe.
#include "regex.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace ithaca {
namespace {

using regex_internal::Inst;
using regex_internal::Range;

// The instruction set, as regex.cpp numbers it.
enum : std::uint8_t { kChar, kAny, kAnyNotNL, kClass, kAssert, kSplit, kJmp, kMatch };

std::string refusal(std::vector<Inst> program, std::vector<Range> ranges = {}, std::size_t max = 2000) {
  auto re = Regex::from_program(std::move(program), std::move(ranges), max);
  if (re.ok()) return "accepted";
  EXPECT_EQ(re.error().kind, ErrorKind::Load);
  return re.error().message;
}

TEST(RegexProgram, CompiledProgramsReadBackAlike) {
  for (const char* pattern : {"^a+b$", "(?i)straße|ΣΑΣ", "[^\\d\\s]{2,5}x?", "\\bword\\b", "(?m)^x$", "a|b|c|", ".*"}) {
    auto re = Regex::compile(pattern);
    ASSERT_TRUE(re.ok()) << pattern;
    auto back = Regex::from_program(re.value().program(), re.value().ranges());
    ASSERT_TRUE(back.ok()) << pattern << ": " << back.error().message;
    EXPECT_EQ(back.value().program_size(), re.value().program_size());
    for (const char* text : {"", "aab", "STRASSE", "σας", "12 word x", "y\nx\n", "\xff\xfe"})
      EXPECT_EQ(back.value().search(text), re.value().search(text)) << pattern << " on '" << text << "'";
  }
}

TEST(RegexProgram, RefusesWhatSearchCouldNotRunSafely) {
  EXPECT_EQ(refusal({}), "a pattern's program is empty");
  EXPECT_EQ(refusal({{kMatch, 0, 0, 0}, {kMatch, 0, 0, 0}}, {}, 1), "a pattern's program has 2 instructions, more than 1");
  EXPECT_EQ(refusal({{9, 0, 0, 0}, {kMatch, 0, 0, 0}}), "a pattern's program has an unknown instruction at instruction 0");
  EXPECT_EQ(refusal({{kChar, 1, 'a', 0}, {kMatch, 0, 0, 0}}), "a pattern's program has unknown flags at instruction 0");
  EXPECT_EQ(refusal({{kClass, 4, 0, 0}, {kMatch, 0, 0, 0}}), "a pattern's program has unknown flags at instruction 0");
  for (std::uint8_t op : {kChar, kAny, kAnyNotNL, kClass, kAssert})
    EXPECT_EQ(refusal({{op, 0, 0, 0}}), "a pattern's program ends without a match at instruction 0") << int(op);
  EXPECT_EQ(refusal({{kChar, 0, 0x110000, 0}, {kMatch, 0, 0, 0}}), "a pattern's program has a character that is no code point at instruction 0");
  EXPECT_EQ(refusal({{kChar, 0, -1, 0}, {kMatch, 0, 0, 0}}), "a pattern's program has a character that is no code point at instruction 0");
  EXPECT_EQ(refusal({{kClass, 0, 0, 2}, {kMatch, 0, 0, 0}}, {{'a', 'b'}}), "a pattern's program has a class outside its ranges at instruction 0");
  EXPECT_EQ(refusal({{kClass, 0, 1, 0}, {kMatch, 0, 0, 0}}, {}), "a pattern's program has a class outside its ranges at instruction 0");
  EXPECT_EQ(refusal({{kClass, 0, -1, 1}, {kMatch, 0, 0, 0}}, {{'a', 'b'}}), "a pattern's program has a class outside its ranges at instruction 0");
  EXPECT_EQ(refusal({{kClass, 0, 0x7fffffff, 0x7fffffff}, {kMatch, 0, 0, 0}}, {{'a', 'b'}}), "a pattern's program has a class outside its ranges at instruction 0");
  EXPECT_EQ(refusal({{kAssert, 0, 6, 0}, {kMatch, 0, 0, 0}}), "a pattern's program has an unknown assertion at instruction 0");
  EXPECT_EQ(refusal({{kAssert, 0, -1, 0}, {kMatch, 0, 0, 0}}), "a pattern's program has an unknown assertion at instruction 0");
  EXPECT_EQ(refusal({{kSplit, 0, 1, 2}, {kMatch, 0, 0, 0}}), "a pattern's program jumps outside itself at instruction 0");
  EXPECT_EQ(refusal({{kMatch, 0, 0, 0}, {kSplit, 0, -2, 0}}), "a pattern's program jumps outside itself at instruction 1");
  EXPECT_EQ(refusal({{kJmp, 0, 2, 0}, {kMatch, 0, 0, 0}}), "a pattern's program jumps outside itself at instruction 0");
  EXPECT_EQ(refusal({{kJmp, 0, INT32_MIN, 0}, {kMatch, 0, 0, 0}}), "a pattern's program jumps outside itself at instruction 0");
  EXPECT_EQ(refusal({{kClass, 0, 0, 1}, {kMatch, 0, 0, 0}}, {{'b', 'a'}}), "a pattern's program has a class range that is not one of code points");
  EXPECT_EQ(refusal({{kClass, 0, 0, 1}, {kMatch, 0, 0, 0}}, {{0, 0x110000}}), "a pattern's program has a class range that is not one of code points");
}

// Programs no compiler makes — loops that consume nothing, unsorted classes, a match nothing
// reaches — are accepted when they are safe to run, and searching them ends.
TEST(RegexProgram, OddButSafeProgramsSearchAndEnd) {
  auto self_loop = Regex::from_program({{kJmp, 0, 0, 0}, {kMatch, 0, 0, 0}}, {});
  ASSERT_TRUE(self_loop.ok());
  EXPECT_FALSE(self_loop.value().search("abc"));
  auto split_loop = Regex::from_program({{kSplit, 0, 0, 0}, {kMatch, 0, 0, 0}}, {});
  ASSERT_TRUE(split_loop.ok());
  EXPECT_FALSE(split_loop.value().search("abc"));
  auto back_and_forth = Regex::from_program({{kSplit, 0, 1, 2}, {kJmp, 0, -1, 0}, {kChar, 0, 'b', 0}, {kMatch, 0, 0, 0}}, {});
  ASSERT_TRUE(back_and_forth.ok());
  EXPECT_TRUE(back_and_forth.value().search("abc"));
  EXPECT_FALSE(back_and_forth.value().search("xyz"));
  auto unsorted = Regex::from_program({{kClass, 2, 0, 3}, {kMatch, 0, 0, 0}}, {{'x', 'z'}, {'a', 'c'}, {'m', 'm'}});
  ASSERT_TRUE(unsorted.ok());
  for (const char* text : {"", "b", "q", "\xc3\xa9", "\xff"}) (void)unsorted.value().search(text);
}

// Random programs: whatever from_program accepts, search() runs to an end on random text (the
// sanitizer builds and the compiled rule-set fuzz target run the same with more inputs).
TEST(RegexProgram, RandomProgramsAreRefusedOrSearchSafely) {
  std::mt19937 rng(20261124);
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    const int m = 1 + static_cast<int>(rng() % 12);
    std::vector<Inst> program;
    for (int pc = 0; pc < m; ++pc) {
      const auto op = static_cast<std::uint8_t>(rng() % 9);
      program.push_back({op, static_cast<std::uint8_t>(rng() % 8 == 0 ? rng() % 4 : 0), static_cast<std::int32_t>(rng() % 15) - 7,
                         static_cast<std::int32_t>(rng() % 15) - 7});
      if (op == kChar && rng() % 2) program.back().x = static_cast<std::int32_t>('a' + rng() % 3);
    }
    std::vector<Range> ranges;
    for (int k = static_cast<int>(rng() % 4); k > 0; --k) {
      const char32_t lo = static_cast<char32_t>(rng() % 200);
      ranges.push_back({lo, lo + static_cast<char32_t>(rng() % 50)});
    }
    auto re = Regex::from_program(program, ranges);
    if (!re.ok()) continue;
    ++accepted;
    std::string text;
    for (int k = static_cast<int>(rng() % 12); k > 0; --k) text.push_back(static_cast<char>(rng() % 2 ? 'a' + rng() % 3 : rng() % 256));
    (void)re.value().search(text);
  }
  EXPECT_GT(accepted, 100) << "the random programs should reach search() often enough to mean something";
}

}  // namespace
}  // namespace ithaca
