#include "equal_groups.hpp"

#include "heap_sort.hpp"

namespace ithaca {

void first_equal(std::size_t n, CompareElements compare, const void* elements, std::vector<std::size_t>& first) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  // By (element, index): each run of equal elements starts with its first occurrence.
  heap_sort(order.data(), n, [&](std::size_t a, std::size_t b) {
    const int c = compare(elements, a, b);
    return c < 0 || (c == 0 && a < b);
  });
  first.resize(n);
  for (std::size_t k = 0; k < n; ++k)
    first[order[k]] = k > 0 && compare(elements, order[k - 1], order[k]) == 0 ? first[order[k - 1]] : order[k];
}

}  // namespace ithaca
