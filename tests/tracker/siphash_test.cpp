#include "siphash.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ithaca::tracker {
namespace {

std::string sequence(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>(i));
  return s;
}

// Test vectors from the SipHash paper's reference implementation (vectors.h): key 00..0f,
// message 00..(n-1).
TEST(SipHash, MatchesReferenceVectors) {
  const std::string key = sequence(16);
  EXPECT_EQ(siphash24(key, sequence(0)), 0x726fdb47dd0e0e31ULL);
  EXPECT_EQ(siphash24(key, sequence(1)), 0x74f839c593dc67fdULL);
  EXPECT_EQ(siphash24(key, sequence(7)), 0xab0200f58b01d137ULL);
  EXPECT_EQ(siphash24(key, sequence(8)), 0x93f5f5799a932462ULL);
  EXPECT_EQ(siphash24(key, sequence(15)), 0xa129ca6149be45e5ULL);
  EXPECT_EQ(siphash24(key, sequence(63)), 0x958a324ceb064572ULL);
}

TEST(SipHash, DependsOnTheKey) {
  std::string other = sequence(16);
  other[0] = 1;
  EXPECT_NE(siphash24(sequence(16), "visitor"), siphash24(other, "visitor"));
}

}  // namespace
}  // namespace ithaca::tracker
