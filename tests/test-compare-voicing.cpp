// The voicing group of the ComParE LLDs (src/features/compare/voicing.h) on analytic inputs:
// harmonic tones, noise, silence, a clip shorter than one frame; and the smoothing/delta and
// Viterbi stages on hand-computed cases. Parity with openSMILE: test-compare-voicing-parity.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "dynemo/error.h"
#include "features/compare/voicing-smoothing.h"
#include "features/compare/voicing-viterbi.h"
#include "features/compare/voicing.h"
#include "file-helpers.h"

namespace {

namespace compare = dynemo::features::compare;
using dynemo::features::FrameMatrix;

constexpr double kFs = 44100.0;
constexpr double kPi = 3.14159265358979323846;
enum Column { kF0, kVoicing, kJitterLocal, kJitterDdp, kShimmer, kLogHnr };

// Rows as the caller passes them: complete 60 ms frames (hop 441) + 1.
std::size_t rows_for(std::size_t n) { return (n >= 2646 ? (n - 2646) / 441 + 1 : 0) + 1; }

// f0 and its first 9 overtones, amplitude 0.3 * 0.7^(k-1), plus `noise` times uniform noise
// in [-1, 1) from a fixed-seed LCG.
std::vector<float> harmonic_tone(double f0, double seconds, double noise = 0.0) {
  std::vector<float> x(static_cast<std::size_t>(seconds * kFs));
  std::uint32_t state = 12345u;
  for (std::size_t i = 0; i < x.size(); ++i) {
    double v = 0.0;
    for (int k = 1; k <= 10; ++k) {
      v += 0.3 * std::pow(0.7, k - 1) * std::sin(2 * kPi * k * f0 * i / kFs);
    }
    state = state * 1664525u + 1013904223u;
    v += noise * (static_cast<double>(state >> 8) / 8388608.0 - 1.0);
    x[i] = static_cast<float>(v);
  }
  return x;
}

FrameMatrix llds_of(const std::vector<float>& x,
                    compare::LldVariant variant = compare::LldVariant::compare2016) {
  return compare::voicing_llds(x.data(), x.size(), kFs, variant, rows_for(x.size()));
}

// Mean of column c over rows [5, n_rows - 5), away from the edges.
double interior_mean(const FrameMatrix& m, int c) {
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t t = 5; t + 5 < m.n_frames; ++t) sum += m.at(t, c), ++count;
  return sum / count;
}

TEST(CompareVoicing, HarmonicToneGivesItsF0AndHighVoicing) {
  const FrameMatrix m = llds_of(harmonic_tone(220.0, 2.0));
  ASSERT_EQ(m.n_frames, 196u);
  ASSERT_EQ(m.n_values, 12u);
  std::size_t voiced = 0, interior = 0;
  for (std::size_t t = 5; t + 5 < m.n_frames; ++t, ++interior) {
    const float f0 = m.at(t, kF0);
    if (f0 <= 0) continue;
    ++voiced;
    EXPECT_NEAR(f0, 220.0, 0.02 * 220.0) << "row " << t;
  }
  EXPECT_GE(voiced, interior * 95 / 100);
  EXPECT_GT(interior_mean(m, kVoicing), 0.75);
}

TEST(CompareVoicing, SteadyToneHasLowJitterAndShimmerAndHighHnr) {
  const FrameMatrix m = llds_of(harmonic_tone(220.0, 2.0));
  EXPECT_LT(interior_mean(m, kJitterLocal), 0.005);
  EXPECT_LT(interior_mean(m, kJitterDdp), 0.005);
  EXPECT_LT(interior_mean(m, kShimmer), 0.01);
  EXPECT_GT(interior_mean(m, kLogHnr), 20.0);
}

// 44100 / 300 = 147 samples: every period equals the mean waveform, the noise energy is exactly
// 0, and openSMILE then reports logHNR = 0 dB (spec §7.5), which the smoother keeps at 0.
TEST(CompareVoicing, ExactlyPeriodicToneHasZeroNoiseAndLogHnrZero) {
  const FrameMatrix m = llds_of(harmonic_tone(300.0, 1.0));
  for (std::size_t t = 5; t + 5 < m.n_frames; ++t) {
    ASSERT_GT(m.at(t, kF0), 0.0f) << "row " << t;
    EXPECT_EQ(m.at(t, kLogHnr), 0.0f) << "row " << t;
    EXPECT_EQ(m.at(t, kJitterLocal), 0.0f) << "row " << t;
  }
}

TEST(CompareVoicing, NoiseLowersHnrAndRaisesShimmer) {
  const FrameMatrix clean = llds_of(harmonic_tone(150.0, 2.0));
  const FrameMatrix noisy = llds_of(harmonic_tone(150.0, 2.0, 0.05));
  EXPECT_LT(interior_mean(noisy, kLogHnr), interior_mean(clean, kLogHnr) - 6.0);
  EXPECT_GT(interior_mean(noisy, kShimmer), interior_mean(clean, kShimmer));
  EXPECT_NEAR(interior_mean(noisy, kF0), 150.0, 3.0);
}

TEST(CompareVoicing, Is13VariantFindsTheSameF0) {
  const FrameMatrix a = llds_of(harmonic_tone(300.0, 1.0));
  const FrameMatrix b = llds_of(harmonic_tone(300.0, 1.0), compare::LldVariant::is13);
  ASSERT_EQ(a.n_frames, b.n_frames);
  EXPECT_NEAR(interior_mean(a, kF0), 300.0, 6.0);
  for (std::size_t t = 0; t < a.n_frames; ++t) EXPECT_NEAR(a.at(t, kF0), b.at(t, kF0), 0.5);
}

TEST(CompareVoicing, SilenceIsUnvoicedWithHnrAtItsFloor) {
  const std::vector<float> x(static_cast<std::size_t>(kFs), 0.0f);
  const FrameMatrix m = llds_of(x);
  ASSERT_EQ(m.n_frames, 96u);
  for (std::size_t t = 0; t < m.n_frames; ++t) {
    for (int c = 0; c < 12; ++c) {
      const float v = m.at(t, c);
      ASSERT_TRUE(std::isfinite(v)) << "row " << t << " column " << c;
      EXPECT_EQ(v, c == kLogHnr ? -100.0f : 0.0f) << "row " << t << " column " << c;
    }
  }
}

TEST(CompareVoicing, ClipShorterThanOneFrameGivesUnvoicedRows) {
  const std::vector<float> x = harmonic_tone(220.0, 0.05);  // 2205 samples < 2646
  const FrameMatrix m =
      compare::voicing_llds(x.data(), x.size(), kFs, compare::LldVariant::compare2016, 3);
  ASSERT_EQ(m.n_frames, 3u);
  for (std::size_t t = 0; t < 3; ++t) {
    EXPECT_EQ(m.at(t, kF0), 0.0f);
    EXPECT_EQ(m.at(t, kLogHnr), -100.0f);
    for (int c = 0; c < 12; ++c) EXPECT_TRUE(std::isfinite(m.at(t, c)));
  }
  EXPECT_EQ(compare::voicing_llds(nullptr, 0, kFs, compare::LldVariant::is13, 1).n_frames, 1u);
}

TEST(CompareVoicing, RejectsABadSampleRate) {
  const std::vector<float> x(1000, 0.0f);
  EXPECT_THROW_MSG(
      compare::voicing_llds(x.data(), x.size(), 0.0, compare::LldVariant::compare2016, 1),
      dynemo::ConfigError, "sample rate must be at least");
}

// Hand-computed (spec §8, §9): zeros are left out of the 3-point mean and of the delta pairs.
TEST(CompareVoicingSmoothing, ZeroExcludingMeanAndRunningNormaliser) {
  FrameMatrix llds(4, 6);
  const float f0[4] = {100, 0, 200, 300};
  for (std::size_t t = 0; t < 4; ++t) llds.at(t, 0) = f0[t];
  const FrameMatrix m = compare::voicing_smooth_and_delta(llds, 5);
  const double sma[5] = {100, 0, 250, 800.0 / 3, 300};
  // Z: 10 + 4 = 14; + 1 + 4 = 19; + 4 = 23; + 1 = 24; + 1 + 4 = 29.
  const double de[5] = {300.0 / 14, (150 + 2 * 500.0 / 3) / 19, 400.0 / 23, 50.0 / 24,
                        (100.0 / 3 + 100) / 29};
  for (std::size_t t = 0; t < 5; ++t) {
    EXPECT_NEAR(m.at(t, 0), sma[t], 1e-4) << "row " << t;
    EXPECT_NEAR(m.at(t, 6), de[t], 1e-5) << "row " << t;
    for (int c = 1; c < 6; ++c) EXPECT_EQ(m.at(t, c), 0.0f);
  }
}

TEST(CompareVoicingSmoothing, NormaliserIsSharedAcrossFields) {
  FrameMatrix llds(4, 6);
  for (std::size_t t = 0; t < 4; ++t) {
    llds.at(t, 0) = 100.0f;
    llds.at(t, 1) = 0.1f * static_cast<float>(t + 1);
  }
  const FrameMatrix m = compare::voicing_smooth_and_delta(llds, 5);
  EXPECT_NEAR(m.at(0, 1), 0.4 / 3, 1e-6);
  EXPECT_NEAR(m.at(3, 1), 1.1 / 3, 1e-6);
  // Frame 0: F0 uses both pairs (Z = 15), voicing adds 1 and 4 (Z = 20): (0.2 - 0.4/3) +
  // 2 (0.3 - 0.4/3) = 0.4. Frame 1: Z = 25, then 30: (0.3 - 0.4/3) + 2 (1.1/3 - 0.4/3).
  EXPECT_NEAR(m.at(0, 7), 0.4 / 20, 1e-6);
  EXPECT_NEAR(m.at(1, 7), (0.5 / 3 + 1.4 / 3) / 30, 1e-6);
  EXPECT_EQ(m.at(2, 6), 0.0f);
}

TEST(CompareVoicingViterbi, FollowsAStrongCandidateThenGoesUnvoiced) {
  std::vector<compare::PitchCandidates> frames(60);
  for (std::size_t t = 0; t < 30; ++t) {
    frames[t].f_hz[0] = 200.0f;
    frames[t].voicing[0] = 0.9f;
    frames[t].f_hz[1] = 400.0f;
    frames[t].voicing[1] = 0.5f;
  }
  const compare::SmoothedPitch p = compare::smooth_pitch_viterbi(frames);
  ASSERT_EQ(p.f0_hz.size(), 60u);
  for (std::size_t t = 0; t < 30; ++t) {
    EXPECT_EQ(p.f0_hz[t], 200.0f) << "frame " << t;
    EXPECT_EQ(p.voicing[t], 0.9f) << "frame " << t;
  }
  for (std::size_t t = 30; t < 60; ++t) {
    EXPECT_EQ(p.f0_hz[t], 0.0f) << "frame " << t;
    EXPECT_EQ(p.voicing[t], 0.0f) << "frame " << t;
  }
}

}  // namespace
