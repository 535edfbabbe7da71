// Predictive sds (dynemo/uncertainty.h): the maximum-likelihood fit of the sd model recovers a
// known one, and the calibration figures are the analytic ones.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "dynemo/error.h"
#include "dynemo/uncertainty.h"

namespace {

TEST(Calibration, CountsAndNllOfAHandExample) {
  const std::vector<double> truth{0, 0, 0, 0};
  const std::vector<double> prediction{0.5, 1.5, 2.5, 0};
  const std::vector<double> sd{1, 1, 1, 1};
  const dynemo::Calibration c = dynemo::calibration(truth.data(), prediction.data(), sd.data(), 4);
  EXPECT_EQ(c.n_frames, 4u);
  EXPECT_DOUBLE_EQ(c.within_1sd, 0.5);   // 0.5 and 0
  EXPECT_DOUBLE_EQ(c.within_2sd, 0.75);  // and 1.5
  // 0.5 log(2 pi) + mean(r^2) / 2 with sd 1.
  EXPECT_NEAR(c.nll, 0.5 * std::log(2 * M_PI) + (0.25 + 2.25 + 6.25) / 8, 1e-12);
  EXPECT_DOUBLE_EQ(c.mean_sd, 1.0);
}

TEST(Calibration, RefusesEmptyAndNonPositiveSds) {
  const std::vector<double> one{0.0}, zero_sd{0.0};
  EXPECT_THROW(dynemo::calibration(one.data(), one.data(), one.data(), 0), dynemo::MetricsError);
  try {
    dynemo::calibration(one.data(), one.data(), zero_sd.data(), 1);
    FAIL() << "no error";
  } catch (const dynemo::MetricsError& e) {
    EXPECT_STREQ(e.what(), "calibration: sd[0] is 0, expected > 0");
  }
}

TEST(FitSpread, OneMemberGivesTheRmsAsAConstantSd) {
  const std::vector<double> residual{0.3, -0.1, 0.2, -0.2}, member_sd(4, 0.0);
  const dynemo::SpreadModel m = dynemo::fit_spread(residual.data(), member_sd.data(), 4);
  EXPECT_DOUBLE_EQ(m.base, std::sqrt((0.09 + 0.01 + 0.04 + 0.04) / 4));
  EXPECT_EQ(m.scale, 0.0);
  EXPECT_DOUBLE_EQ(m.sd(0.5), m.base);
}

TEST(FitSpread, RecoversAKnownSpreadModelAndIsCalibrated) {
  // residual ~ N(0, 0.1^2 + (2 s)^2) with s ~ U(0, 0.1): the fit finds base 0.1 and scale 2, and
  // its sds hold 68.3 % / 95.4 % of the residuals.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> spread(0.0, 0.1);
  std::normal_distribution<double> z(0.0, 1.0);
  const std::size_t n = 200000;
  std::vector<double> residual(n), member_sd(n), zero(n, 0.0), sd(n);
  for (std::size_t k = 0; k < n; ++k) {
    member_sd[k] = spread(rng);
    residual[k] = z(rng) * std::sqrt(0.01 + 4.0 * member_sd[k] * member_sd[k]);
  }
  const dynemo::SpreadModel m = dynemo::fit_spread(residual.data(), member_sd.data(), n);
  EXPECT_NEAR(m.base, 0.1, 0.003);
  EXPECT_NEAR(m.scale, 2.0, 0.05);
  for (std::size_t k = 0; k < n; ++k) sd[k] = m.sd(member_sd[k]);
  const dynemo::Calibration c = dynemo::calibration(residual.data(), zero.data(), sd.data(), n);
  EXPECT_NEAR(c.within_1sd, 0.6827, 0.005);
  EXPECT_NEAR(c.within_2sd, 0.9545, 0.003);
  // The fitted model is more likely than the best constant sd.
  std::vector<double> constant(n, dynemo::fit_spread(residual.data(), zero.data(), n).base);
  EXPECT_LT(c.nll,
            dynemo::calibration(residual.data(), zero.data(), constant.data(), n).nll - 0.01);
}

}  // namespace
