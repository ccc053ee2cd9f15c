// The statistics of the experiment report (docs/reports.md states each one):
//  - significance: two-sided two-proportion z-test with the pooled proportion;
//  - relative lift (p_t - p_c) / p_c with a confidence interval by the log ratio method (Katz):
//    ln(p_t / p_c) ± z * sqrt((1 - p_t) / x_t + (1 - p_c) / x_c), then exp(…) - 1;
//  - sample-ratio mismatch: Pearson's chi-square goodness of fit of the exposure counts to the
//    configured weights, k - 1 degrees of freedom.
// Pure functions; results are empty optionals where a statistic is undefined (no data, zero
// conversions, a rate of 0 or 1 in both groups).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace ithaca::tracker {

double normal_cdf(double x);
// Inverse of normal_cdf for 0 < p < 1 (Acklam's rational approximation refined by one Halley
// step: accurate to about 1e-15).
double normal_quantile(double p);
// Regularized upper incomplete gamma function Q(a, x) (series or continued fraction).
double gamma_q(double a, double x);
// P(X >= x) for X ~ chi-square(df).
double chi_square_sf(double x, double df);

struct ProportionTest {
  double z = 0;
  double p_value = 1;
};
std::optional<ProportionTest> two_proportion_z_test(std::int64_t n_control, std::int64_t x_control,
                                                    std::int64_t n_treatment, std::int64_t x_treatment);

struct Interval95 {
  double low = 0, high = 0;
};
std::optional<double> relative_lift(std::int64_t n_control, std::int64_t x_control, std::int64_t n_treatment,
                                    std::int64_t x_treatment);
std::optional<Interval95> lift_interval(std::int64_t n_control, std::int64_t x_control, std::int64_t n_treatment,
                                        std::int64_t x_treatment, double confidence);

struct ChiSquare {
  double statistic = 0;
  int df = 0;
  double p_value = 1;
};
// `weights` need not sum to 1; zero weights are not allowed (those variants are left out).
std::optional<ChiSquare> sample_ratio_test(const std::vector<std::int64_t>& observed,
                                           const std::vector<double>& weights);

}  // namespace ithaca::tracker
