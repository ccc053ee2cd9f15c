#include "random_bytes.hpp"

#include <sys/random.h>

#include <cerrno>
#include <random>

namespace ithaca::tracker {

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  std::size_t filled = 0;
  while (filled < n) {
    ssize_t got = getrandom(out.data() + filled, n - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      // No getrandom (very old kernel): std::random_device reads /dev/urandom on Linux.
      std::random_device device;
      for (; filled < n; ++filled) out[filled] = static_cast<char>(device() & 0xff);
      break;
    }
    filled += static_cast<std::size_t>(got);
  }
  return out;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 0xf];
  }
  return out;
}

}  // namespace ithaca::tracker
