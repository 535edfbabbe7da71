// The ComParE 2016 functionals (src/features/compare/functionals.h, functional-set.h) on inputs
// whose values follow from the definitions in docs/compare-functionals.md: a ramp, a square wave,
// a sine, voiced runs, and the set's column layout and non-zero handling.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "features/compare/functional-set.h"
#include "features/compare/functionals.h"
#include "features/compare/names.h"

namespace {

namespace c = dynemo::features::compare;

std::vector<float> ramp(std::size_t n) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(i);
  return x;
}

TEST(CompareFunctionals, RampGivesTheTextbookStatistics) {
  const std::vector<float> x = ramp(20);  // 0 .. 19
  const c::FunctionalInput in = c::functional_input(x.data(), x.size());
  float e[3], p[9], m[3], t[6], r[8];
  c::extremes(in, e);
  EXPECT_FLOAT_EQ(e[0], 19.0f);
  EXPECT_FLOAT_EQ(e[1], 0.95f);  // first maximum at 19 of 20
  EXPECT_FLOAT_EQ(e[2], 0.0f);
  c::percentiles(in, p);  // ranks p * 19, interpolated
  const float expected_p[9] = {4.75f, 9.5f, 14.25f, 4.75f, 4.75f, 9.5f, 0.19f, 18.81f, 18.62f};
  for (int k = 0; k < 9; ++k) EXPECT_NEAR(p[k], expected_p[k], 1e-5) << k;
  c::moments(in, m);
  EXPECT_NEAR(m[0], std::sqrt(399.0 / 12.0), 1e-5);  // discrete uniform: (n^2 - 1) / 12
  EXPECT_NEAR(m[1], 0.0, 1e-6);
  EXPECT_NEAR(m[2], 3.0 - 6.0 * 401.0 / (5.0 * 399.0), 1e-5);  // 3 + its excess kurtosis
  const c::MeanValues mv = c::means(in);
  EXPECT_FLOAT_EQ(mv.amean, 9.5f);
  EXPECT_NEAR(mv.flatness, std::exp(std::lgamma(20.0) / 19.0) / 9.5, 1e-5);  // (19!)^(1/19)
  EXPECT_FLOAT_EQ(mv.posamean, 10.0f);
  EXPECT_NEAR(mv.rqmean, std::sqrt(2470.0 / 20.0), 1e-5);
  c::times(in, t);  // above 4.75, 9.5, 14.25, 17.1: 15, 10, 5, 2 of 20 frames
  const float expected_t[6] = {0.75f, 0.5f, 0.25f, 0.1f, 1.0f, 0.0f};
  for (int k = 0; k < 6; ++k) EXPECT_FLOAT_EQ(t[k], expected_t[k]) << k;
  c::regression(in, 0, r);  // slope 1 per frame, offset 0, exact fit; centroid 2470/190/20
  const float expected_r[8] = {1.0f / 19, 0, 0, 0, 1.0f / 19, 0, 0, 0.65f};
  for (int k = 0; k < 8; ++k) EXPECT_NEAR(r[k], expected_r[k], 1e-6) << k;
  c::regression(in, 2, r);  // per second: x 100
  EXPECT_NEAR(r[0], 100.0f / 19, 1e-4);
  EXPECT_NEAR(r[4], 100.0f / 19, 1e-4);
}

TEST(CompareFunctionals, ShortRampSlopesAreSoftLimited) {
  // 10 frames: the slope 1 exceeds range / 10 = 0.9 and is limited towards 0.9 + 0.91.
  const std::vector<float> x = ramp(10);
  float r[8];
  c::regression(c::functional_input(x.data(), x.size()), 0, r);
  const double limited = std::tanh((std::sqrt(1.1) - 1.0) / 0.455) * 0.91 + 0.9;
  EXPECT_NEAR(r[0], limited / 9.0, 1e-6);
}

TEST(CompareFunctionals, SegmentsAreTheRunsBetweenThresholdCrossings) {
  // 10 zeros, 10 ones, 10 zeros, 10 ones: the 3-frame running mean crosses 0.25 at 10, 20 and
  // 30 (the 0.75 crossings two frames later are too close): segments of 11, 10 and 10 frames.
  std::vector<float> x(40, 0.0f);
  std::fill(x.begin() + 10, x.begin() + 20, 1.0f);
  std::fill(x.begin() + 30, x.end(), 1.0f);
  float s[4];
  c::segments(c::functional_input(x.data(), x.size()), s);
  EXPECT_NEAR(s[0], 0.31 / 3, 1e-6);
  EXPECT_NEAR(s[1], 0.11, 1e-6);
  EXPECT_NEAR(s[2], 0.10, 1e-6);
  EXPECT_NEAR(s[3], 0.01 * std::sqrt((4.0 / 9 + 1.0 / 9 + 1.0 / 9) / 3), 1e-6);
  const std::vector<float> flat(40, 5.0f);
  c::segments(c::functional_input(flat.data(), flat.size()), s);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(s[k], 0.0f) << k;
}

TEST(CompareFunctionals, F0SegmentsAreVoicedRunsOfThreeOrMore) {
  // Voiced 1-4 (closed by two zeros: length 4 - 1 = 3 frames), 7-8 too short at the end.
  const std::vector<float> x = {0, 5, 5, 5, 5, 0, 0, 5, 5, 0};
  float f[5];
  c::f0_segments(c::functional_input(x.data(), x.size()), f);
  const float expected[5] = {0.6f, 0.03f, 0.03f, 0.03f, 0.0f};
  for (int k = 0; k < 5; ++k) EXPECT_NEAR(f[k], expected[k], 1e-7) << k;
  // Fully voiced, a single zero bridged: one segment from the first to the last frame.
  std::vector<float> voiced(100, 120.0f);
  voiced[50] = 0.0f;
  c::f0_segments(c::functional_input(voiced.data(), voiced.size()), f);
  EXPECT_NEAR(f[0], 0.99, 1e-6);
  EXPECT_NEAR(f[1], 0.99, 1e-6);
}

TEST(CompareFunctionals, PeaksOfASineAreItsCrests) {
  // sin(2 pi i / 20) over 100 frames: crests at 5, 25, ..., 85, troughs at 15, ..., 95.
  std::vector<float> x(100);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = static_cast<float>(std::sin(2.0 * M_PI * static_cast<double>(i) / 20.0));
  }
  float p[12];
  c::peaks(c::functional_input(x.data(), x.size()), p);
  EXPECT_NEAR(p[0], 0.20, 1e-6);  // 20 frames between crests
  // Each crest measured from the trough before it (10 frames) against the mean 20, as openSMILE
  // does: sqrt(4 * 10^2 / 4) frames.
  EXPECT_NEAR(p[1], 0.10, 1e-6);
  EXPECT_NEAR(p[2], 0.0, 1e-6);  // crest heights equal
  EXPECT_NEAR(p[4], 1.0, 1e-6);  // crest mean
  EXPECT_NEAR(p[7], 0.0, 1e-6);  // trough heights equal
  // Rising: 0 -> 1 in 5 frames, then four -1 -> 1 in 10, and the end from the last trough.
  const double end = (static_cast<double>(x[99]) + 1.0) / 0.04;
  const double mean_rising = (5 * 20.0 + end) / 6.0;
  EXPECT_NEAR(p[8], mean_rising, 1e-3);
  EXPECT_NEAR(p[9], std::sqrt(5 * (20.0 - mean_rising) * (20.0 - mean_rising) / 6.0), 1e-3);
  EXPECT_NEAR(p[10], 20.0, 1e-3);  // five falls of 2 in 10 frames
  EXPECT_NEAR(p[11], 0.0, 1e-3);
}

TEST(CompareFunctionals, LpcFindsTheRecursionOfADecay) {
  // x_t = 0.9^t: x_t = 0.9 x_{t-1}, so A(z) = 1 - 0.9 z^-1 and nothing more; the error left is
  // the first value's energy, 1.
  std::vector<float> x(2000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(std::pow(0.9, i));
  float l[6];
  c::lpc(c::functional_input(x.data(), x.size()), l);
  EXPECT_NEAR(l[1], -0.9, 1e-4);
  for (int k = 2; k < 6; ++k) EXPECT_NEAR(l[k], 0.0, 1e-4) << k;
  EXPECT_NEAR(l[0], 1.0 / 2000, 1e-6);
  // An impulse has nothing to predict: no coefficients, gain = its energy per frame.
  std::vector<float> impulse(50, 0.0f);
  impulse[0] = 2.0f;
  c::lpc(c::functional_input(impulse.data(), impulse.size()), l);
  EXPECT_FLOAT_EQ(l[0], 4.0f / 50);
  for (int k = 1; k < 6; ++k) EXPECT_EQ(l[k], 0.0f);
}

TEST(CompareFunctionalSet, ColumnsFollowOpenSmilesComponents) {
  const std::vector<std::string>& names = c::functional_columns();
  ASSERT_EQ(names.size(), 6373u);
  EXPECT_EQ(names.front(), "audspec_lengthL1norm_sma_range");
  EXPECT_EQ(names[31], "audspecRasta_lengthL1norm_sma_range");    // 31 functionals per column
  EXPECT_EQ(names[4 * 31], "audspec_lengthL1norm_sma_de_range");  // then the deltas
  const auto at = [&](const std::string& n) {
    return std::find(names.begin(), names.end(), n) - names.begin();
  };
  // A (8 columns) and B (110) x 31, then the voicing group (12 x 39), F0's 5, LLD, delta.
  EXPECT_EQ(at("F0final_sma_amean"), 118 * 31);
  EXPECT_EQ(at("F0final_sma_ff0_nnz"), 118 * 31 + 12 * 39);
  EXPECT_EQ(at("audspec_lengthL1norm_sma_amean"), 118 * 31 + 12 * 39 + 5);
  EXPECT_EQ(names.back(), "mfcc_sma_de[14]_stddevFallingSlope");
}

TEST(CompareFunctionalSet, VoicingFunctionalsSeeOnlyVoicedFrames) {
  dynemo::features::FrameMatrix llds(50, c::kColumnCount);
  for (std::size_t t = 0; t < 50; ++t) {
    for (std::size_t v = c::kVoicingCount; v < c::kLldCount; ++v) llds.at(t, v) = 1.0f + t;
  }
  llds.at(48, 0) = 100.0f;  // F0: two voiced frames
  llds.at(49, 0) = 200.0f;
  const dynemo::features::FrameMatrix out = c::compare_functionals(llds, {0.0}, 0.5);
  const std::vector<std::string>& names = c::functional_columns();
  const auto value = [&](const std::string& n) {
    return out.at(
        0, static_cast<std::size_t>(std::find(names.begin(), names.end(), n) - names.begin()));
  };
  EXPECT_FLOAT_EQ(value("F0final_sma_amean"), 150.0f);  // of 100 and 200, not of 50 frames
  EXPECT_FLOAT_EQ(value("F0final_sma_range"), 100.0f);
  EXPECT_FLOAT_EQ(value("F0final_sma_ff0_nnz"), 0.04f);
  EXPECT_FLOAT_EQ(value("jitterLocal_sma_amean"), 0.0f);  // no voiced frame: zeros
  EXPECT_FLOAT_EQ(value("pcm_RMSenergy_sma_amean"), 25.5f);
  EXPECT_NEAR(value("pcm_RMSenergy_sma_linregc1"), 100.0 / 49.0, 1e-4);  // per second / range
}

}  // namespace
