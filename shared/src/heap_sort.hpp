// An in-place heap sort for the core's few sorts (regex class ranges, capture names, expression
// references). std::sort's introsort with its insertion-sort and sort3/4/5 helpers costs about
// 1.4 KB of wasm per element type; this is a fifth of that, O(n log n) and not stable either.
#pragma once

#include <cstddef>
#include <utility>

namespace ithaca {

template <class T, class Less>
void heap_sort(T* first, std::size_t n, Less less) {
  // Moves first[i] down a max-heap of `end` elements.
  auto sift_down = [&](std::size_t i, std::size_t end) {
    while (2 * i + 1 < end) {
      std::size_t child = 2 * i + 1;
      if (child + 1 < end && less(first[child], first[child + 1])) ++child;
      if (!less(first[i], first[child])) return;
      std::swap(first[i], first[child]);
      i = child;
    }
  };
  for (std::size_t i = n / 2; i > 0; --i) sift_down(i - 1, n);
  for (std::size_t end = n; end > 1; --end) {
    std::swap(first[0], first[end - 1]);
    sift_down(0, end - 1);
  }
}

template <class T>
void heap_sort(T* first, std::size_t n) {
  heap_sort(first, n, [](const T& a, const T& b) { return a < b; });
}

}  // namespace ithaca
