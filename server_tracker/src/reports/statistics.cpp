#include "reports/statistics.hpp"

#include <cmath>
#include <limits>

namespace ithaca::tracker {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) return std::numeric_limits<double>::quiet_NaN();
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01,  -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  constexpr double low = 0.02425;
  double x;
  if (p < low) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step.
  const double e = normal_cdf(x) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

double gamma_q(double a, double x) {
  if (x <= 0) return 1.0;
  const double gln = std::lgamma(a);
  if (x < a + 1) {
    // Series for P(a, x).
    double sum = 1.0 / a, term = sum, ap = a;
    for (int n = 0; n < 1000; ++n) {
      ap += 1;
      term *= x / ap;
      sum += term;
      if (std::fabs(term) < std::fabs(sum) * 1e-16) break;
    }
    return 1.0 - sum * std::exp(-x + a * std::log(x) - gln);
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  constexpr double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 1000; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < 1e-16) break;
  }
  return std::exp(-x + a * std::log(x) - gln) * h;
}

double chi_square_sf(double x, double df) { return gamma_q(df / 2, x / 2); }

std::optional<ProportionTest> two_proportion_z_test(std::int64_t n_c, std::int64_t x_c, std::int64_t n_t,
                                                    std::int64_t x_t) {
  if (n_c <= 0 || n_t <= 0) return std::nullopt;
  const double pc = static_cast<double>(x_c) / n_c, pt = static_cast<double>(x_t) / n_t;
  const double pooled = static_cast<double>(x_c + x_t) / static_cast<double>(n_c + n_t);
  const double se = std::sqrt(pooled * (1 - pooled) * (1.0 / n_c + 1.0 / n_t));
  if (!(se > 0)) return std::nullopt;
  ProportionTest t;
  t.z = (pt - pc) / se;
  t.p_value = std::min(1.0, 2 * normal_cdf(-std::fabs(t.z)));
  return t;
}

std::optional<double> relative_lift(std::int64_t n_c, std::int64_t x_c, std::int64_t n_t, std::int64_t x_t) {
  if (n_c <= 0 || n_t <= 0 || x_c <= 0) return std::nullopt;
  const double pc = static_cast<double>(x_c) / n_c, pt = static_cast<double>(x_t) / n_t;
  return (pt - pc) / pc;
}

std::optional<Interval95> lift_interval(std::int64_t n_c, std::int64_t x_c, std::int64_t n_t, std::int64_t x_t,
                                        double confidence) {
  if (n_c <= 0 || n_t <= 0 || x_c <= 0 || x_t <= 0) return std::nullopt;
  const double pc = static_cast<double>(x_c) / n_c, pt = static_cast<double>(x_t) / n_t;
  const double se = std::sqrt((1 - pt) / x_t + (1 - pc) / x_c);
  const double z = normal_quantile(0.5 + confidence / 2);
  const double center = std::log(pt / pc);
  return Interval95{std::exp(center - z * se) - 1, std::exp(center + z * se) - 1};
}

std::optional<ChiSquare> sample_ratio_test(const std::vector<std::int64_t>& observed, const std::vector<double>& weights) {
  if (observed.size() != weights.size() || observed.size() < 2) return std::nullopt;
  double total_weight = 0;
  std::int64_t total = 0;
  int groups = 0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    if (!(weights[i] > 0)) continue;
    total_weight += weights[i];
    total += observed[i];
    ++groups;
  }
  if (groups < 2 || total <= 0) return std::nullopt;
  ChiSquare out;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    if (!(weights[i] > 0)) continue;
    const double expected = static_cast<double>(total) * weights[i] / total_weight;
    const double diff = static_cast<double>(observed[i]) - expected;
    out.statistic += diff * diff / expected;
  }
  out.df = groups - 1;
  out.p_value = chi_square_sf(out.statistic, out.df);
  return out;
}

}  // namespace ithaca::tracker
