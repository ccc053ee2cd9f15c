#include "equal_groups.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ithaca {
namespace {

std::vector<std::size_t> first_equal_of(const std::vector<std::string>& strings) {
  std::vector<std::size_t> first;
  first_equal(
      strings.size(),
      [](const void* elements, std::size_t a, std::size_t b) {
        const auto* s = static_cast<const std::string*>(elements);
        return s[a].compare(s[b]);
      },
      strings.data(), first);
  return first;
}

TEST(FirstEqual, PointsEachElementAtItsFirstOccurrence) {
  EXPECT_EQ(first_equal_of({}), (std::vector<std::size_t>{}));
  EXPECT_EQ(first_equal_of({"a"}), (std::vector<std::size_t>{0}));
  EXPECT_EQ(first_equal_of({"b", "a", "b", "c", "a", "b", "", "ab", ""}),
            (std::vector<std::size_t>{0, 1, 0, 3, 1, 0, 6, 7, 6}));
  for (std::size_t f : first_equal_of(std::vector<std::string>(50, "x"))) EXPECT_EQ(f, 0u);
}

// The JSON reader runs this on the large objects of untrusted requests (comparing each key with
// all before it took 27 s for 100,000 keys); a rule set's loader on its paths.
TEST(FirstEqual, ManyStrings) {
  const std::size_t n = 200'000;
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < n; ++i) keys.push_back("k" + std::to_string(i));
  keys.push_back("k77777");
  keys.push_back("k199999");
  const auto first = first_equal_of(keys);
  ASSERT_EQ(first.size(), n + 2);
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(first[i], i);
  EXPECT_EQ(first[n], 77777u);
  EXPECT_EQ(first[n + 1], n - 1);
}

}  // namespace
}  // namespace ithaca
