// Finds which of n elements are equal, in O(n log n) comparisons whatever the input (a hash table
// would do it in O(n) on average, but crafted keys could make every probe collide): used where
// untrusted input decides n — a JSON object's keys, a rule set's paths, a condition's operands.
// A function, not a template: one heap sort in the wasm for all of them.
#pragma once

#include <cstddef>
#include <vector>

namespace ithaca {

// Compares elements a and b (indexes) of the collection `elements` points at: <0, 0 or >0.
using CompareElements = int (*)(const void* elements, std::size_t a, std::size_t b);

// Sets first[i] to the lowest index j with element j equal to element i (so first[i] == i for
// an element's first occurrence).
void first_equal(std::size_t n, CompareElements compare, const void* elements, std::vector<std::size_t>& first);

}  // namespace ithaca
