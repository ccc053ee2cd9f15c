// SipHash-2-4 (Aumasson & Bernstein): a keyed 64-bit hash, so visitor hashes cannot be
// recomputed without the day's salt.
#pragma once

#include <cstdint>
#include <string_view>

namespace ithaca::tracker {

// `key` must hold 16 bytes.
std::uint64_t siphash24(std::string_view key, std::string_view data) noexcept;

}  // namespace ithaca::tracker
