// Cryptographically random bytes from the kernel (getrandom), for salts, keys and tokens.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ithaca::tracker {

std::string random_bytes(std::size_t n);
std::string to_hex(std::string_view bytes);

}  // namespace ithaca::tracker
