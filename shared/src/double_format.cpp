#include "double_format.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ithaca {

namespace {

// The shortest digits that read back as `d` (d finite, non-negative): "15" with exponent -1
// for 1.5 (value = 0.d1d2… × 10^(exp+1), i.e. d1.d2… × 10^exp).
void shortest(double d, std::string& digits, int& exp) {
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, d);
    if (precision == 17 || std::strtod(buf, nullptr) == d) break;
  }
  // buf is "d.ddde±XX" or "de±XX".
  digits.clear();
  const char* p = buf;
  for (; *p && *p != 'e'; ++p)
    if (*p != '.') digits += *p;
  exp = std::atoi(p + 1);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
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

}  // namespace ithaca
