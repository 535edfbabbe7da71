// The openSMILE-based feature sets through the public API: column names and order, row grids
// (100 Hz for compare-lld, 1 s windows for mediaeval2015, the 500 ms grid for
// compare-lld-stats), combining sets, and values on a steady sine.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "dynemo/error.h"
#include "dynemo/features.h"

namespace {

constexpr double kRate = 44100.0;
constexpr double kPi = 3.14159265358979323846;
constexpr double kScale = 32768.0 / 32767.0;  // openSMILE reads 16-bit PCM as s / 32767

// 450 Hz: exactly 9 periods per 20 ms frame and 27 per 60 ms frame.
std::vector<float> sine(double seconds, double amplitude = 0.5) {
  std::vector<float> y(static_cast<std::size_t>(seconds * kRate));
  for (std::size_t i = 0; i < y.size(); ++i) {
    y[i] = static_cast<float>(amplitude * std::sin(2 * kPi * 450.0 * i / kRate + 0.3));
  }
  return y;
}

std::size_t column_of(const dynemo::FeatureMatrix& m, const std::string& name) {
  for (std::size_t c = 0; c < m.n_cols(); ++c)
    if (m.columns[c] == name) return c;
  ADD_FAILURE() << "no column " << name;
  return 0;
}

TEST(CompareSets, ColumnNamesFollowOpenSmileOrder) {
  const auto lld = dynemo::feature_columns("compare-lld");
  ASSERT_EQ(lld.size(), 130u);
  EXPECT_EQ(lld[0], "compare-lld.F0final_sma");
  EXPECT_EQ(lld[8], "compare-lld.pcm_RMSenergy_sma");
  EXPECT_EQ(lld[10], "compare-lld.audSpec_Rfilt_sma[0]");
  EXPECT_EQ(lld[38], "compare-lld.pcm_fftMag_spectralRollOff25.0_sma");
  EXPECT_EQ(lld[51], "compare-lld.mfcc_sma[1]");
  EXPECT_EQ(lld[65], "compare-lld.F0final_sma_de");
  EXPECT_EQ(lld[75], "compare-lld.audSpec_Rfilt_sma_de[0]");
  EXPECT_EQ(lld[129], "compare-lld.mfcc_sma_de[14]");
  const auto me = dynemo::feature_columns("mediaeval2015");
  ASSERT_EQ(me.size(), 260u);
  EXPECT_EQ(me[16], "mediaeval2015.pcm_RMSenergy_sma_amean");
  EXPECT_EQ(me[17], "mediaeval2015.pcm_RMSenergy_sma_stddev");
  EXPECT_EQ(me[259], "mediaeval2015.mfcc_sma_de[14]_stddev");
  EXPECT_EQ(dynemo::feature_columns("compare-lld-stats").size(), 260u);
  EXPECT_EQ(dynemo::feature_columns("psychoacoustic").size(), 5u);
  const auto plain = dynemo::opensmile_columns("mediaeval2015");
  EXPECT_EQ(plain[0], "F0final_sma_amean");
  EXPECT_EQ(plain[259], "mfcc_sma_de[14]_stddev");
}

TEST(CompareSets, CompareLldCannotBeCombined) {
  EXPECT_THROW(dynemo::parse_feature_spec("compare-lld+spectral"), dynemo::ConfigError);
  EXPECT_THROW(dynemo::parse_feature_spec("mediaeval2015,compare-lld"), dynemo::ConfigError);
  const std::vector<float> y = sine(1.0);
  EXPECT_THROW(dynemo::extract_features("spectral+compare-lld", y.data(), y.size(), kRate),
               dynemo::ConfigError);
}

TEST(CompareSets, OpenSmileNamesOnlyForOpenSmileSetsAndWithoutDuplicates) {
  EXPECT_THROW(dynemo::opensmile_columns("spectral"), dynemo::ConfigError);
  EXPECT_THROW(dynemo::opensmile_columns("mediaeval2015+compare-lld-stats"), dynemo::ConfigError);
  EXPECT_EQ(dynemo::opensmile_columns("compare-lld")[9], "pcm_zcr_sma");
}

TEST(CompareSets, CompareLldHasOneRowPer10msAndSineValues) {
  const std::vector<float> y = sine(3.0);
  const dynemo::FeatureMatrix m =
      dynemo::extract_features("compare-lld", y.data(), y.size(), kRate);
  // (132300 - 2646) / 441 + 1 = 295 long frames, + 1 row.
  ASSERT_EQ(m.n_rows(), 296u);
  EXPECT_EQ(dynemo::count_rows("compare-lld", y.size(), {}), 296u);
  EXPECT_DOUBLE_EQ(m.time_s[0], 0.0);
  EXPECT_NEAR(m.time_s[150], 1.5, 1e-12);
  const std::size_t rms = column_of(m, "compare-lld.pcm_RMSenergy_sma");
  const std::size_t rms_de = column_of(m, "compare-lld.pcm_RMSenergy_sma_de");
  const std::size_t zcr = column_of(m, "compare-lld.pcm_zcr_sma");
  const std::size_t centroid = column_of(m, "compare-lld.pcm_fftMag_spectralCentroid_sma");
  for (std::size_t t = 5; t < 280; t += 25) {
    EXPECT_NEAR(m.at(t, rms), 0.5 / std::sqrt(2.0) * kScale, 1e-5) << "row " << t;
    EXPECT_NEAR(m.at(t, rms_de), 0.0, 1e-6) << "row " << t;
    EXPECT_NEAR(m.at(t, zcr), 54.0 / 2646.0, 1.01 / 2646.0) << "row " << t;
    // The Hamming main lobe of a pure tone: its power-weighted centroid within a bin of 450 Hz.
    EXPECT_NEAR(m.at(t, centroid), 450.0, kRate / 1024) << "row " << t;
  }
  for (float v : m.values) ASSERT_TRUE(std::isfinite(v));
}

TEST(CompareSets, StatsOnTheWindowGridMatchTheLldRows) {
  const std::vector<float> y = sine(3.0);
  const dynemo::FeatureMatrix lld =
      dynemo::extract_features("compare-lld", y.data(), y.size(), kRate);
  const dynemo::FeatureMatrix st =
      dynemo::extract_features("compare-lld-stats", y.data(), y.size(), kRate);
  ASSERT_EQ(st.n_rows(), 6u);  // the 500 ms grid of 3 s, like the other sets
  const std::size_t src = column_of(lld, "compare-lld.pcm_fftMag_spectralFlux_sma");
  const std::size_t mean = column_of(st, "compare-lld-stats.pcm_fftMag_spectralFlux_sma_amean");
  const std::size_t sd = column_of(st, "compare-lld-stats.pcm_fftMag_spectralFlux_sma_stddev");
  for (std::size_t k = 0; k < st.n_rows(); ++k) {
    // Rows 50k .. 50k + 49, the last window clipped to the 296 rows.
    const std::size_t lo = 50 * k, hi = std::min<std::size_t>(50 * k + 50, lld.n_rows());
    double s = 0, s2 = 0;
    for (std::size_t t = lo; t < hi; ++t) s += lld.at(t, src);
    const double mu = s / (hi - lo);
    for (std::size_t t = lo; t < hi; ++t) s2 += (lld.at(t, src) - mu) * (lld.at(t, src) - mu);
    EXPECT_NEAR(st.at(k, mean), mu, 1e-6 + 1e-5 * std::fabs(mu)) << "window " << k;
    EXPECT_NEAR(st.at(k, sd), std::sqrt(s2 / (hi - lo)), 1e-5) << "window " << k;
  }
}

TEST(CompareSets, MediaEvalKeepsWholeOneSecondWindowsAndCombinesOnTheCommonRows) {
  const std::vector<float> y = sine(3.0);
  // LLD rows end at 2.96 s: windows starting at 0, 0.5, 1.0 and 1.5 s are whole.
  const dynemo::FeatureMatrix me =
      dynemo::extract_features("mediaeval2015", y.data(), y.size(), kRate);
  ASSERT_EQ(me.n_rows(), 4u);
  EXPECT_EQ(dynemo::count_rows("mediaeval2015", y.size(), {}), 4u);
  EXPECT_DOUBLE_EQ(me.time_s[3], 1.5);
  const std::size_t rms = column_of(me, "mediaeval2015.pcm_RMSenergy_sma_amean");
  EXPECT_NEAR(me.at(1, rms), 0.5 / std::sqrt(2.0) * kScale, 1e-4);
  const dynemo::FeatureMatrix spectral =
      dynemo::extract_features("spectral", y.data(), y.size(), kRate);
  const dynemo::FeatureMatrix both =
      dynemo::extract_features("spectral+mediaeval2015", y.data(), y.size(), kRate);
  ASSERT_EQ(spectral.n_rows(), 6u);
  ASSERT_EQ(both.n_rows(), 4u);
  ASSERT_EQ(both.n_cols(), 197u + 260u);
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_DOUBLE_EQ(both.time_s[k], spectral.time_s[k]);
    EXPECT_EQ(both.at(k, 36), spectral.at(k, 36));  // spectral.mfcc_0, same window
    EXPECT_EQ(both.at(k, 197 + rms), me.at(k, rms));
  }
}

TEST(CompareSets, TooShortForOneSecondWindowsIsTooShort) {
  const std::vector<float> y = sine(0.8);
  try {
    dynemo::extract_features("mediaeval2015", y.data(), y.size(), kRate, {}, "short.wav");
    FAIL() << "expected AudioError";
  } catch (const dynemo::AudioError& e) {
    EXPECT_EQ(e.kind(), dynemo::AudioErrorKind::too_short);
  }
}

TEST(CompareSets, SilenceIsFiniteAndPsychoacousticHasItsFiveColumns) {
  const std::vector<float> silence(static_cast<std::size_t>(2 * kRate), 0.0f);
  for (const char* set : {"compare-lld", "mediaeval2015", "compare-lld-stats"}) {
    const dynemo::FeatureMatrix m =
        dynemo::extract_features(set, silence.data(), silence.size(), kRate);
    for (float v : m.values) ASSERT_TRUE(std::isfinite(v)) << set;
  }
  const std::vector<float> y = sine(3.0);
  const dynemo::FeatureMatrix p =
      dynemo::extract_features("psychoacoustic", y.data(), y.size(), kRate);
  EXPECT_EQ(p.n_rows(), 6u);
  EXPECT_EQ(p.columns[2], "psychoacoustic.tempo_bpm");
  EXPECT_EQ(p.columns[4], "psychoacoustic.tempo_confidence");
}

}  // namespace
