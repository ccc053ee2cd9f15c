#include "double_format.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace ithaca {
namespace {

double from_bits(std::uint64_t b) {
  double d;
  std::memcpy(&d, &b, sizeof d);
  return d;
}

std::uint64_t to_bits(double d) {
  std::uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

double parsed(const std::string& s) {
  double d = -12345;
  EXPECT_TRUE(parse_double(s, d)) << s;
  return d;
}

// The C library's strtod and printf round exactly (glibc natively, musl in wasm): the oracle.
double oracle_parse(const std::string& s) { return std::strtod(s.c_str(), nullptr); }

std::string oracle_json(double d) {
  char buf[40];
  for (int p = 1; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*e", p - 1, d);
    if (p == 17 || std::strtod(buf, nullptr) == d) break;
  }
  return buf;  // d.ddde±XX: compared through its value and digit count below
}

TEST(DoubleFormat, JsonForms) {
  auto json = [](double d) {
    std::string s;
    append_double_json(d, s);
    return s;
  };
  EXPECT_EQ(json(0.1), "0.1");
  EXPECT_EQ(json(100.0), "100.0");
  EXPECT_EQ(json(1.5e-7), "1.5e-7");
  EXPECT_EQ(json(1e21), "1e+21");
  EXPECT_EQ(json(1e20), "100000000000000000000.0");
  EXPECT_EQ(json(-0.0), "-0.0");
  EXPECT_EQ(json(0.30000000000000004), "0.30000000000000004");
  EXPECT_EQ(json(5e-324), "5e-324");
  EXPECT_EQ(json(2.2250738585072014e-308), "2.2250738585072014e-308");
  EXPECT_EQ(json(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(json(9007199254740993.0), "9007199254740992.0");
  EXPECT_EQ(json(123456789012345680.0), "123456789012345680.0");
  EXPECT_EQ(json(2.0 / 3), "0.6666666666666666");
}

TEST(DoubleFormat, CelForms) {
  EXPECT_EQ(format_double_cel(1.0), "1");
  EXPECT_EQ(format_double_cel(123456.0), "123456");
  EXPECT_EQ(format_double_cel(1e6), "1e+06");
  EXPECT_EQ(format_double_cel(123456789.0), "1.23456789e+08");
  EXPECT_EQ(format_double_cel(1.5e-7), "1.5e-07");
  EXPECT_EQ(format_double_cel(5e-324), "5e-324");
  EXPECT_EQ(format_double_cel(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_double_cel(std::nan("")), "NaN");
}

TEST(DoubleFormat, ParseForms) {
  EXPECT_EQ(parsed("0.1"), 0.1);
  EXPECT_EQ(parsed(".5"), 0.5);
  EXPECT_EQ(parsed("5."), 5.0);
  EXPECT_EQ(parsed("+2.5E3"), 2500.0);
  EXPECT_EQ(to_bits(parsed("-0")), to_bits(-0.0));
  EXPECT_EQ(to_bits(parsed("0e999999999999")), to_bits(0.0));
  EXPECT_EQ(parsed("1e400"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(parsed("-1e400"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(parsed("1e-400"), 0.0);
  EXPECT_EQ(parsed("Infinity"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(parsed("-inf"), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(parsed("NaN")));
  EXPECT_EQ(parsed("2.4703282292062328e-324"), 5e-324);  // just above the midpoint to 0
  EXPECT_EQ(parsed("2.4703282292062327e-324"), 0.0);
  EXPECT_EQ(parsed("1.7976931348623158e308"), 1.7976931348623157e308);
  EXPECT_EQ(parsed("1.7976931348623159e308"), std::numeric_limits<double>::infinity());
  // Exactly halfway between 2^53 and 2^53 + 2: ties to even.
  EXPECT_EQ(parsed("9007199254740993"), 9007199254740992.0);
  EXPECT_EQ(parsed("9007199254740993.0000000000000000000000000000001"), 9007199254740994.0);
  double d = 7;
  for (const char* bad : {"", " 1", "1 ", "1,5", "abc", "1e", "1e+", ".", "-", "0x10", "1.2.3", "nan(1)", "++1"}) {
    EXPECT_FALSE(parse_double(bad, d)) << bad;
    EXPECT_EQ(d, 7);
  }
}

// Every double prints as the fewest digits that read back, and reads back exactly.
TEST(DoubleFormat, RoundTripsRandomDoubles) {
  std::mt19937_64 rng(20261122);
  for (int i = 0; i < 20000; ++i) {
    double d = from_bits(rng());
    if (i % 4 == 0) d = from_bits(rng() & 0x000fffffffffffffULL);             // subnormal
    if (i % 4 == 1) d = static_cast<double>(rng() % 100000) / (1 + rng() % 1000);  // everyday
    if (!std::isfinite(d)) continue;
    std::string s;
    append_double_json(d, s);
    ASSERT_EQ(to_bits(parsed(s)), to_bits(d)) << s;
    ASSERT_EQ(to_bits(oracle_parse(s)), to_bits(d)) << s;
    // Same digits as the printf loop the core used before.
    const std::string o = oracle_json(std::fabs(d));
    std::string digits;
    for (char c : o.substr(0, o.find('e')))
      if (c != '.') digits += c;
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    std::string mine;
    for (char c : s.substr(0, s.find('e')))
      if (c >= '0' && c <= '9') mine += c;
    mine.erase(0, mine.find_first_not_of('0'));
    while (mine.size() > 1 && mine.back() == '0') mine.pop_back();
    ASSERT_EQ(mine, digits) << s << " vs " << o;
  }
}

// Decimal text of every kind reads as the C library reads it: long, near midpoints, extreme.
TEST(DoubleFormat, ParsesLikeStrtod) {
  std::mt19937_64 rng(7);
  auto check = [](const std::string& s) { ASSERT_EQ(to_bits(parsed(s)), to_bits(oracle_parse(s))) << s; };
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const int digits = 1 + static_cast<int>(rng() % (i % 10 == 0 ? 60 : 20));
    for (int k = 0; k < digits; ++k) s += static_cast<char>('0' + rng() % 10);
    if (rng() % 2) s.insert(rng() % s.size(), ".");
    s += "e" + std::to_string(static_cast<int>(rng() % 700) - 350);
    check(s);
  }
  for (int i = 0; i < 3000; ++i) {
    // Exact midpoints between neighbouring doubles (long double holds them: 54 bits), and a hair
    // either side of them, written out in full.
    const double d = from_bits(rng() >> (1 + rng() % 12));
    const double next = std::nextafter(d, INFINITY);
    if (!std::isfinite(next) || d == 0 || std::fpclassify(d) != FP_NORMAL) continue;
    const long double mid = (static_cast<long double>(d) + static_cast<long double>(next)) / 2;
    char buf[1200];
    std::snprintf(buf, sizeof buf, "%.800Le", mid);
    std::string exact = buf;
    check(exact);
    std::string above = exact;
    above.insert(above.find('e'), "1");
    check(above);
    std::snprintf(buf, sizeof buf, "%.760Le", mid);
    check(buf);
    std::snprintf(buf, sizeof buf, "%.800e", d);
    check(buf);
  }
  check(std::string(900, '1') + "e-600");
  check("0." + std::string(400, '0') + "1e100");
  check("4.9406564584124654e-324");
  check("2.2250738585072011e-308");
  check("2.2250738585072012e-308");
}

}  // namespace
}  // namespace ithaca
