#include "heap_sort.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace ithaca {
namespace {

TEST(HeapSort, SortsLikeStdSort) {
  std::mt19937 rng(5);
  for (std::size_t n : {0u, 1u, 2u, 3u, 7u, 64u, 1000u}) {
    std::vector<int> v(n);
    for (int& x : v) x = static_cast<int>(rng() % 50);  // with repeats
    std::vector<int> expected = v;
    std::sort(expected.begin(), expected.end());
    heap_sort(v.data(), v.size());
    EXPECT_EQ(v, expected) << n;
  }
  std::vector<std::string> words = {"pear", "apple", "fig", "apple", "kiwi"};
  heap_sort(words.data(), words.size(), [](const std::string& a, const std::string& b) { return a > b; });
  EXPECT_EQ(words, (std::vector<std::string>{"pear", "kiwi", "fig", "apple", "apple"}));
}

}  // namespace
}  // namespace ithaca
