// The experiment statistics against values worked out independently (closed forms of the
// chi-square distribution for 1, 2 and 4 degrees of freedom; z-test and Katz interval by hand).
#include "reports/statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace ithaca::tracker {
namespace {

TEST(Statistics, NormalDistribution) {
  EXPECT_NEAR(normal_cdf(1.96), 0.9750021048517795, 1e-15);
  EXPECT_NEAR(normal_cdf(0), 0.5, 1e-15);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(normal_quantile(0.5), 0, 1e-15);
  EXPECT_NEAR(normal_quantile(0.001), -3.090232306167813, 1e-10);
  for (double p : {0.01, 0.2, 0.7, 0.99}) EXPECT_NEAR(normal_cdf(normal_quantile(p)), p, 1e-14);
}

TEST(Statistics, ChiSquareSurvivalMatchesClosedForms) {
  // df 2: exp(-x/2); df 4: exp(-x/2)(1 + x/2); df 1: erfc(sqrt(x/2)).
  EXPECT_NEAR(chi_square_sf(10, 2), std::exp(-5.0), 1e-14);
  EXPECT_NEAR(chi_square_sf(6, 4), std::exp(-3.0) * 4, 1e-14);
  EXPECT_NEAR(chi_square_sf(3.841458820694124, 1), 0.05, 1e-12);
  EXPECT_NEAR(chi_square_sf(0.5, 1), std::erfc(0.5), 1e-14);
  EXPECT_NEAR(chi_square_sf(0, 3), 1.0, 1e-15);
}

TEST(Statistics, TwoProportionZTest) {
  // 100/1000 vs 130/1000: pooled 0.115, se sqrt(0.115 * 0.885 * 0.002).
  auto t = two_proportion_z_test(1000, 100, 1000, 130);
  ASSERT_TRUE(t);
  EXPECT_NEAR(t->z, 2.102740605622114, 1e-12);
  EXPECT_NEAR(t->p_value, 0.03548845046647473, 1e-12);
  EXPECT_FALSE(two_proportion_z_test(0, 0, 10, 1));
  EXPECT_FALSE(two_proportion_z_test(10, 0, 10, 0));  // no variance at all
  auto same = two_proportion_z_test(50, 5, 50, 5);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->z, 0);
  EXPECT_EQ(same->p_value, 1);
}

TEST(Statistics, RelativeLiftAndItsInterval) {
  EXPECT_NEAR(*relative_lift(1000, 100, 1000, 130), 0.3, 1e-12);
  // ln(1.3) ± 1.96 * sqrt(0.87 / 130 + 0.9 / 100), back-transformed.
  auto ci = lift_interval(1000, 100, 1000, 130, 0.95);
  ASSERT_TRUE(ci);
  EXPECT_NEAR(ci->low, 0.01698427097104549, 1e-9);
  EXPECT_NEAR(ci->high, 0.6617759470226023, 1e-9);
  auto wide = lift_interval(1000, 100, 1000, 130, 0.99);
  EXPECT_LT(wide->low, ci->low);
  EXPECT_GT(wide->high, ci->high);
  EXPECT_FALSE(relative_lift(1000, 0, 1000, 5));
  EXPECT_FALSE(lift_interval(1000, 10, 1000, 0, 0.95));
}

TEST(Statistics, SampleRatioMismatch) {
  // 5000 vs 5200 against 50/50: chi2 = 2 * 100^2 / 5100.
  auto srm = sample_ratio_test({5000, 5200}, {50, 50});
  ASSERT_TRUE(srm);
  EXPECT_NEAR(srm->statistic, 3.9215686274509802, 1e-12);
  EXPECT_EQ(srm->df, 1);
  EXPECT_NEAR(srm->p_value, 0.04767038065616144, 1e-12);
  // Unequal weights: 800/200 is exactly 80/20.
  auto fit = sample_ratio_test({800, 200}, {80, 20});
  EXPECT_NEAR(fit->statistic, 0, 1e-12);
  EXPECT_NEAR(fit->p_value, 1, 1e-12);
  auto bad = sample_ratio_test({1000, 1300, 1000}, {1, 1, 1});
  EXPECT_EQ(bad->df, 2);
  EXPECT_LT(bad->p_value, 0.001);
  EXPECT_FALSE(sample_ratio_test({0, 0}, {1, 1}));
  EXPECT_FALSE(sample_ratio_test({10}, {1}));
}

}  // namespace
}  // namespace ithaca::tracker
