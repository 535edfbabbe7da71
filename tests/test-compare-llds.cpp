// Analytic checks of the ComParE LLD building blocks (spec ../shared/docs/compare-lld-spec.md
// §1-§9): framing, RMS energy and zero-crossing rate of sines, spectral LLDs of hand-made
// spectra, the mel bank, RASTA and MFCC on constant and step inputs, smoothing and deltas on a
// ramp, and the window statistics.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "features/compare/auditory.h"
#include "features/compare/energy.h"
#include "features/compare/framing.h"
#include "features/compare/llds.h"
#include "features/compare/mfcc.h"
#include "features/compare/smoothing.h"
#include "features/compare/spectral.h"
#include "features/compare/window-stats.h"

namespace {

using namespace dynemo::features;
using namespace dynemo::features::compare;

constexpr double kFs = 44100.0;
constexpr double kPi = 3.14159265358979323846;
constexpr double kDf = kFs / 1024.0;  // bin spacing of the 20 ms spectra

std::vector<float> sine(double hz, double amplitude, std::size_t n, double phase = 0.3) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = static_cast<float>(amplitude * std::sin(2 * kPi * hz * i / kFs + phase));
  }
  return x;
}

TEST(CompareFraming, GeometryAndRowCountAt44k) {
  const FrameGeometry g = frame_geometry(kFs);
  EXPECT_EQ(g.hop, 441u);
  EXPECT_EQ(g.short_len, 882u);
  EXPECT_EQ(g.long_len, 2646u);
  EXPECT_EQ(g.short_nfft, 1024);
  EXPECT_EQ(count_complete_frames(1984500, 882, 441), 4499u);  // 45 s
  EXPECT_EQ(lld_row_count(1984500, kFs), 4496u);               // 4495 long frames + 1
  EXPECT_EQ(count_complete_frames(100, 882, 441), 0u);
}

TEST(CompareEnergy, RmsOfSineIsAmplitudeOverRootTwo) {
  // 1 kHz: exactly 20 periods per 882-sample frame.
  const std::vector<float> x = sine(1000.0, 0.5, 44100);
  const std::vector<float> rms = rms_energy(x.data(), 10, 882, 441);
  for (float v : rms) EXPECT_NEAR(v, 0.5 / std::sqrt(2.0), 1e-6);
}

TEST(CompareEnergy, ZeroCrossingRateOfSineIsTwiceItsFrequencyPerSample) {
  // 1 kHz: 60 periods, so 120 sign changes, in a 2646-sample frame; the last pair is not tested.
  const std::vector<float> x = sine(1000.0, 0.5, 44100);
  const std::vector<float> zcr = zero_crossing_rate(x.data(), 5, 2646, 441);
  for (float v : zcr) EXPECT_NEAR(v, 120.0 / 2646.0, 1.01 / 2646.0);
}

// Each frame's count is the definition's, sample by sample, for overlapping and gapped frames,
// on noise with exact zeros (single ones and runs, where the x[i] == 0 rule decides).
TEST(CompareEnergy, ZeroCrossingRateCountsEveryFrameAsTheDefinition) {
  std::vector<float> x(5000);
  std::uint32_t state = 12345;
  for (float& v : x) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(static_cast<int>(state >> 24) - 128) / 128.0f;  // ~1 in 256 is 0
  }
  for (std::size_t i = 100; i < 104; ++i) x[i] = 0.0f;
  x[700] = 0.0f;
  const auto direct = [&x](std::size_t first, std::size_t len) {
    std::size_t count = 0;
    for (std::size_t i = first + 1; i + 1 < first + len; ++i) {
      if (x[i - 1] * x[i] < 0.0f || (x[i] == 0.0f && x[i - 1] * x[i + 1] <= 0.0f)) ++count;
    }
    return static_cast<float>(static_cast<double>(count) / static_cast<double>(len));
  };
  for (const auto& [len, hop] : {std::pair<std::size_t, std::size_t>{960, 160}, {3, 1}, {50, 70}}) {
    const std::size_t n = (x.size() - len) / hop + 1;
    const std::vector<float> zcr = zero_crossing_rate(x.data(), n, len, hop);
    ASSERT_EQ(zcr.size(), n);
    for (std::size_t t = 0; t < n; ++t) ASSERT_EQ(zcr[t], direct(t * hop, len)) << len << " " << t;
  }
}

TEST(CompareSpectral, SingleBinSpectrum) {
  const SpectralLlds spectral(kFs, 882, 1024);
  std::vector<float> m(513, 0.0f), previous(513, 0.0f), out(kSpectralLlds);
  m[40] = 1.0f;  // 1722.7 Hz, inside 1000-4000 Hz
  spectral.compute(m.data(), previous.data(), out.data());
  const double f = 40 * kDf;
  EXPECT_FLOAT_EQ(out[0], 0.0f);                             // fband250-650
  EXPECT_FLOAT_EQ(out[1], 1.0f / 512);                       // fband1000-4000: divided by 512 bins
  for (int r = 2; r < 6; ++r) EXPECT_NEAR(out[r], f, 1e-3);  // every roll-off at the bin
  EXPECT_NEAR(out[6], std::sqrt(1.0 / 512), 1e-7);           // flux against a silent frame
  EXPECT_NEAR(out[7], f, 1e-3);                              // centroid
  // Entropy: one p = 1, 511 floors of 1e-7 (not renormalised).
  EXPECT_NEAR(out[8], -511 * 1e-7 * std::log2(1e-7), 1e-7);
  EXPECT_NEAR(out[9], 0.0, 1e-6);  // variance
  EXPECT_FLOAT_EQ(out[10], 0.0f);  // skewness 0 when the variance is 0
  EXPECT_FLOAT_EQ(out[14], 0.0f);  // harmonicity: a single extremum
  spectral.compute(m.data(), nullptr, out.data());
  EXPECT_FLOAT_EQ(out[6], 0.0f);  // flux of the first frame
}

TEST(CompareSpectral, TwoPeaksGiveMomentsAndHarmonicity) {
  const SpectralLlds spectral(kFs, 882, 1024);
  std::vector<float> m(513, 0.0f), out(kSpectralLlds);
  m[20] = 1.0f;
  m[60] = 1.0f;
  spectral.compute(m.data(), nullptr, out.data());
  EXPECT_NEAR(out[7], 40 * kDf, 1e-3);                // centroid halfway
  EXPECT_NEAR(out[9], (20 * kDf) * (20 * kDf), 1.0);  // variance (float: 7.4e5)
  EXPECT_NEAR(out[10], 0.0, 1e-6);                    // symmetric: no skew
  EXPECT_NEAR(out[11], 1.0, 1e-6);                    // kurtosis of two points
  EXPECT_NEAR(out[3], 20 * kDf, 1e-3);                // 50 % reached at the first peak
  EXPECT_NEAR(out[5], 60 * kDf, 1e-3);                // 90 % at the second
  m[60] = 2.0f;  // P = 1 and 4: excursion 3, halved, over 512 bins
  spectral.compute(m.data(), nullptr, out.data());
  EXPECT_NEAR(out[14], 3.0 / 2.0 / 512.0, 1e-9);
}

TEST(CompareAuditory, MelBankCentresAndPartitionOfUnity) {
  const MelBank bank(kFs, 882, 1024);
  EXPECT_NEAR(bank.centre_hz(0), 89.6, 0.05);
  EXPECT_NEAR(bank.centre_hz(25), 7233.0, 0.05);
  // An interior bin falls on two slopes that sum to 1.
  std::vector<float> m(513, 0.0f), mel(kMelBands);
  m[50] = 2.0f;
  bank.apply(m.data(), mel.data());
  double sum = 0.0;
  for (float v : mel) sum += v;
  EXPECT_NEAR(sum, 4.0, 1e-5);
  // Bins above 8000 Hz (k >= round(8000 / df) = 186) are ignored.
  std::fill(m.begin(), m.end(), 0.0f);
  m[200] = 1.0f;
  bank.apply(m.data(), mel.data());
  for (float v : mel) EXPECT_EQ(v, 0.0f);
}

TEST(CompareAuditory, RastaOfConstantAndStepInput) {
  const MelBank bank(kFs, 882, 1024);
  FrameMatrix mel(30, kMelBands);
  for (std::size_t t = 0; t < 30; ++t)
    for (std::size_t b = 0; b < kMelBands; ++b) mel.at(t, b) = t < 10 ? 1e-3f : 1e-2f;
  const AuditoryLlds a = auditory_llds(mel, bank, 0.01);
  const double e = equal_loudness(bank.centre_hz(3));
  // Frames 0..9: constant log input, the band-pass gives 0: R = E^0.33.
  for (std::size_t t = 0; t < 10; ++t) EXPECT_NEAR(a.rasta.at(t, 3), std::pow(e, 0.33), 1e-6);
  // The step of ln 10 at frame 10 passes the first tap b0 = 0.2002094, then b0 + b1 plus the
  // feedback a y_10 (a = 0.9372094805, b1 = 0.0995801).
  const double y10 = 0.2002094 * std::log(10.0);
  const double y11 = (0.2002094 + 0.0995801) * std::log(10.0) + 0.9372094805 * y10;
  EXPECT_NEAR(a.rasta.at(10, 3), std::exp(0.33 * (y10 + std::log(e))), 1e-5);
  EXPECT_NEAR(a.rasta.at(11, 3), std::exp(0.33 * (y11 + std::log(e))), 1e-5);
  // Loudness: the band mean of (mel E)^0.33.
  double loud = 0.0;
  for (std::size_t b = 0; b < kMelBands; ++b)
    loud += std::pow(1e-3 * equal_loudness(bank.centre_hz(b)), 0.33) / kMelBands;
  EXPECT_NEAR(a.loudness[0], loud, 1e-5 * loud);
}

TEST(CompareMfcc, ConstantBandsGiveZeroAndOneBandGivesItsCosine) {
  const CompareMfcc mfcc;
  std::vector<float> mel(kMelBands, 0.5f), out(kMfccCount);
  mfcc.apply(mel.data(), out.data());
  for (float v : out) EXPECT_NEAR(v, 0.0, 1e-4);
  std::fill(mel.begin(), mel.end(), 0.0f);  // below the floor of 1 in 16-bit units: ln 1 = 0
  mel[0] = 1e-3f;
  mfcc.apply(mel.data(), out.data());
  const double l0 = std::log(32767.0 * 32767.0 * 1e-3);
  for (std::size_t i = 1; i <= kMfccCount; ++i) {
    const double want =
        std::sqrt(2.0 / 26) * (1 + 11 * std::sin(kPi * i / 22)) * l0 * std::cos(kPi * i * 0.5 / 26);
    EXPECT_NEAR(out[i - 1], want, 1e-4 * std::fabs(l0));
  }
}

TEST(CompareSmoothing, SmaAndDeltaOfARamp) {
  FrameMatrix x(10, 1);
  for (std::size_t t = 0; t < 10; ++t) x.at(t, 0) = static_cast<float>(t);
  const FrameMatrix s = smooth_sma(x);
  ASSERT_EQ(s.n_frames, 11u);                // N inputs, N + 1 outputs
  EXPECT_NEAR(s.at(0, 0), 1.0 / 3.0, 1e-6);  // (x0 + x0 + x1) / 3
  for (std::size_t t = 1; t < 9; ++t) EXPECT_NEAR(s.at(t, 0), t, 1e-5);
  EXPECT_NEAR(s.at(9, 0), 26.0 / 3.0, 1e-5);  // (8 + 9 + 9) / 3
  EXPECT_NEAR(s.at(10, 0), 9.0, 1e-6);        // the extra frame: x_{N-1}
  const FrameMatrix d = delta_regression(x);
  EXPECT_NEAR(d.at(0, 0), 0.5, 1e-6);  // (1 (1 - 0) + 2 (2 - 0)) / 10
  for (std::size_t t = 2; t < 8; ++t) EXPECT_NEAR(d.at(t, 0), 1.0, 1e-6);
  EXPECT_NEAR(d.at(9, 0), 0.5, 1e-6);
}

TEST(CompareWindowStats, MeanAndPopulationStddevOfARamp) {
  FrameMatrix x(200, 1);
  for (std::size_t t = 0; t < 200; ++t) x.at(t, 0) = static_cast<float>(t);
  const RowRange r = window_rows(200, 0.01, 0.5, 1.0);
  EXPECT_EQ(r.first, 50u);
  EXPECT_EQ(r.last, 150u);
  const FrameMatrix s = window_mean_stddev(x, 0.01, {0.5, 1.5}, 1.0);
  EXPECT_NEAR(s.at(0, 0), 99.5, 1e-4);
  EXPECT_NEAR(s.at(0, 1), std::sqrt((100.0 * 100.0 - 1.0) / 12.0), 1e-4);  // divisor N
  EXPECT_NEAR(s.at(1, 0), 174.5, 1e-4);  // clipped to rows 150..199
}

}  // namespace
