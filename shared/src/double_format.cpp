#include "double_format.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace ithaca {

namespace {

// A positive decimal d[0].d[1]…d[n-1] × 10^exp10 without leading or trailing zeros (n == 0 is
// zero). Every double and every midpoint between two doubles has at most 769 significant
// digits, so 800 hold them exactly; longer input keeps a sticky last digit.
struct Decimal {
  static constexpr int kMaxDigits = 800;
  char d[kMaxDigits];
  int n = 0;
  int exp10 = 0;
};

// Exact decimal of m × 2^e in base-10^9 limbs: m × 2^e for e ≥ 0, m × 5^-e × 10^e for e < 0.
// |e| ≤ 1076 and m < 2^55 here, so 96 limbs (864 digits) suffice.
void exact(std::uint64_t m, int e, Decimal& out) {
  constexpr std::uint32_t kBase = 1000000000;
  std::uint32_t limb[96];
  int n = 0;
  for (; m != 0; m /= kBase) limb[n++] = static_cast<std::uint32_t>(m % kBase);
  auto multiply = [&](std::uint32_t f) {
    std::uint64_t carry = 0;
    for (int i = 0; i < n; ++i) {
      const std::uint64_t x = std::uint64_t{limb[i]} * f + carry;
      limb[i] = static_cast<std::uint32_t>(x % kBase);
      carry = x / kBase;
    }
    for (; carry != 0; carry /= kBase) limb[n++] = static_cast<std::uint32_t>(carry % kBase);
  };
  int scale = 0;
  if (e >= 0) {
    for (; e > 0; e -= 31) multiply(std::uint32_t{1} << (e < 31 ? e : 31));
  } else {
    scale = e;
    for (int k = -e; k > 0; k -= 13) {
      std::uint32_t f = 1;
      for (int j = 0; j < (k < 13 ? k : 13); ++j) f *= 5;
      multiply(f);
    }
  }
  out.n = 0;
  if (n == 0) return;
  char top[10];
  int t = 0;
  for (std::uint32_t v = limb[n - 1]; v != 0; v /= 10) top[t++] = static_cast<char>('0' + v % 10);
  while (t > 0) out.d[out.n++] = top[--t];
  for (int i = n - 2; i >= 0; --i) {
    for (int j = 8; j >= 0; --j) {
      out.d[out.n + j] = static_cast<char>('0' + limb[i] % 10);
      limb[i] /= 10;
    }
    out.n += 9;
  }
  out.exp10 = out.n - 1 + scale;
  while (out.d[out.n - 1] == '0') --out.n;
}

int compare(const Decimal& a, const Decimal& b) {
  if (a.n == 0 || b.n == 0) return (a.n != 0) - (b.n != 0);
  if (a.exp10 != b.exp10) return a.exp10 < b.exp10 ? -1 : 1;
  const int c = std::memcmp(a.d, b.d, static_cast<std::size_t>(a.n < b.n ? a.n : b.n));
  if (c != 0) return c < 0 ? -1 : 1;
  return (a.n > b.n) - (a.n < b.n);
}

// A finite non-negative double as m × 2^e, with the midpoints to its neighbours: a value strictly
// between them reads back as it, and one equal to a midpoint too when m is even (ties to even).
struct Binary {
  std::uint64_t m;
  int e;
  void midpoints(Decimal* low, Decimal& high) const {
    exact(2 * m + 1, e - 1, high);
    // Above a power of two the neighbour below is half as far.
    if (low) m == (std::uint64_t{1} << 52) && e > -1074 ? exact(4 * m - 1, e - 2, *low) : exact(2 * m - 1, e - 1, *low);
  }
};

Binary decompose(std::uint64_t bits) {
  const int biased = static_cast<int>(bits >> 52) & 0x7ff;
  const std::uint64_t fraction = bits & ((std::uint64_t{1} << 52) - 1);
  if (biased == 0) return {fraction, -1074};
  return {fraction | (std::uint64_t{1} << 52), biased - 1075};
}

std::uint64_t bits_of(double d) {
  std::uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}

// `x` correctly rounded (ties to even) to at most p significant digits.
void round_to(const Decimal& x, int p, Decimal& out) {
  out.exp10 = x.exp10;
  out.n = x.n < p ? x.n : p;
  std::memcpy(out.d, x.d, static_cast<std::size_t>(out.n));
  if (x.n <= p) return;
  const char next = x.d[p];
  if (next > '5' || (next == '5' && (x.n > p + 1 || (x.d[p - 1] - '0') % 2 == 1))) {
    int i = p - 1;
    while (i >= 0 && out.d[i] == '9') out.d[i--] = '0';
    if (i >= 0) {
      ++out.d[i];
    } else {
      out.d[0] = '1';
      ++out.exp10;
    }
  }
  while (out.n > 0 && out.d[out.n - 1] == '0') --out.n;
}

// The shortest digits that read back as `d` (d finite, positive): "15" with exponent 0 for 1.5
// (value = d1.d2… × 10^exp). As printf's "%.*e" loop would find them: the fewest significant
// digits whose correct rounding of `d` reads back as `d`.
void shortest(double d, std::string& digits, int& exp) {
  const Binary b = decompose(bits_of(d));
  Decimal x, low, high, c;
  exact(b.m, b.e, x);
  b.midpoints(&low, high);
  const bool ties_back = b.m % 2 == 0;
  for (int p = 1; p <= 17; ++p) {
    round_to(x, p, c);
    const int lo = compare(c, low), hi = compare(c, high);
    if ((lo > 0 || (ties_back && lo == 0)) && (hi < 0 || (ties_back && hi == 0))) break;
  }
  digits.assign(c.d, static_cast<std::size_t>(c.n));
  exp = c.exp10;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != b[i]) return false;
  return true;
}

void append_exponent(int exp, int min_digits, std::string& out) {
  out += exp < 0 ? "e-" : "e+";
  std::string e = std::to_string(exp < 0 ? -exp : exp);
  for (int i = static_cast<int>(e.size()); i < min_digits; ++i) out += '0';
  out += e;
}

// Positional or exponent form of digits × 10^exp.
void append_form(const std::string& digits, int exp, bool positional, int min_exp_digits, std::string& out) {
  if (!positional) {
    out += digits[0];
    if (digits.size() > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    append_exponent(exp, min_exp_digits, out);
  } else if (exp < 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-exp - 1), '0');
    out += digits;
  } else if (static_cast<std::size_t>(exp) + 1 >= digits.size()) {
    out += digits;
    out.append(static_cast<std::size_t>(exp) + 1 - digits.size(), '0');
  } else {
    out.append(digits, 0, static_cast<std::size_t>(exp) + 1);
    out += '.';
    out.append(digits, static_cast<std::size_t>(exp) + 1, std::string::npos);
  }
}

}  // namespace

void append_double_json(double d, std::string& out) {
  if (d == 0) {
    out += std::signbit(d) ? "-0.0" : "0.0";
    return;
  }
  if (d < 0) out += '-';
  std::string digits;
  int exp;
  shortest(std::fabs(d), digits, exp);
  const bool positional = exp >= -6 && exp < 21;  // JavaScript's Number#toString rule
  const std::size_t start = out.size();
  append_form(digits, exp, positional, 1, out);
  if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
}

std::string format_double_cel(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  std::string out = d < 0 ? "-" : "";
  std::string digits;
  int exp;
  shortest(std::fabs(d), digits, exp);
  // Go's 'g' with the shortest precision decides with precision 6: exponent form below 1e-4
  // and from 1e6.
  append_form(digits, exp, exp >= -4 && exp < 6, 2, out);
  return out;
}

bool parse_double(std::string_view s, double& out) {
  std::size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) ++i;
  const double sign = negative ? -1.0 : 1.0;
  const std::string_view word = s.substr(i);
  if (iequals(word, "inf") || iequals(word, "infinity")) {
    out = sign * std::numeric_limits<double>::infinity();
    return true;
  }
  if (iequals(word, "nan")) {
    out = std::copysign(std::numeric_limits<double>::quiet_NaN(), sign);
    return true;
  }

  // Significant digits into x; `lead` is the position of the first one among all digits.
  Decimal x;
  long position = 0, lead = -1, int_digits = 0;
  bool sticky = false;
  auto digit_run = [&] {
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++position) {
      if (lead < 0 && s[i] == '0') continue;
      if (lead < 0) lead = position;
      if (x.n < Decimal::kMaxDigits - 1) x.d[x.n++] = s[i];
      else sticky = sticky || s[i] != '0';
    }
  };
  digit_run();
  int_digits = position;
  if (i < s.size() && s[i] == '.') {
    ++i;
    digit_run();
  }
  if (position == 0) return false;
  long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    const bool minus = i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (i == s.size()) return false;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i)
      if (exponent < 100000) exponent = exponent * 10 + (s[i] - '0');
    if (minus) exponent = -exponent;
  }
  if (i != s.size()) return false;
  if (lead < 0) {
    out = sign * 0.0;
    return true;
  }
  if (sticky) x.d[x.n++] = '1';
  while (x.d[x.n - 1] == '0') --x.n;
  x.exp10 = static_cast<int>(int_digits - 1 - lead + exponent);
  if (x.exp10 > 309) {
    out = sign * std::numeric_limits<double>::infinity();
    return true;
  }
  if (x.exp10 < -325) {
    out = sign * 0.0;
    return true;
  }

  // A first guess from up to 19 digits; exact when both the digits and the power of ten are
  // exact doubles (Clinger's fast path), else a few units in the last place off.
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const int used = x.n < 19 ? x.n : 19;
  std::uint64_t mantissa = 0;
  for (int k = 0; k < used; ++k) mantissa = mantissa * 10 + static_cast<std::uint64_t>(x.d[k] - '0');
  int scale = x.exp10 - (used - 1);
  double guess = static_cast<double>(mantissa);
  if (x.n <= 15 && scale >= -22 && scale <= 22) {
    out = sign * (scale >= 0 ? guess * kPow10[scale] : guess / kPow10[-scale]);
    return true;
  }
  for (; scale > 22; scale -= 22) guess *= 1e22;
  for (; scale < -22; scale += 22) guess /= 1e22;
  guess = scale >= 0 ? guess * kPow10[scale] : guess / kPow10[-scale];

  // Then step to the double whose rounding interval holds x, comparing exactly.
  constexpr std::uint64_t kInfinity = std::uint64_t{0x7ff} << 52;
  std::uint64_t bits = guess < std::numeric_limits<double>::max() ? bits_of(guess) : kInfinity - 1;
  Decimal low, high;
  for (int step = 0; step < 4096; ++step) {
    const Binary b = decompose(bits);
    b.midpoints(bits != 0 ? &low : nullptr, high);
    const bool ties_here = b.m % 2 == 0;
    const int hi = compare(x, high);
    if (hi > 0 || (hi == 0 && !ties_here)) {
      if (++bits == kInfinity) break;
      continue;
    }
    if (bits != 0) {
      const int lo = compare(x, low);
      if (lo < 0 || (lo == 0 && !ties_here)) {
        --bits;
        continue;
      }
    }
    break;
  }
  double v;
  std::memcpy(&v, &bits, sizeof v);
  out = sign * v;
  return true;
}

}  // namespace ithaca
