// The listener set (src/features/listener.cpp): what a listener hears and nothing of the
// encoding. Analytic cases: content above 8 kHz and 16-bit quantisation change nothing, silence
// reads as the floor, a sine's chroma is on its pitch class, a click track has a clear pulse at
// its rate, and 16 kHz input gives what 44.1 kHz input gives.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audio-fixtures.h"
#include "dynemo/audio.h"
#include "dynemo/features.h"

namespace {

constexpr double kRate = 44100.0;
constexpr std::size_t kSeconds = 6;

dynemo::FeatureMatrix extract(const std::string& set, const std::vector<float>& x,
                              double rate = kRate) {
  dynemo::FeatureConfig config;
  config.sample_rate_hz = rate;
  return dynemo::extract_features(set, x.data(), x.size(), rate, config);
}

dynemo::FeatureMatrix listener(const std::vector<float>& x, double rate = kRate) {
  return extract("listener", x, rate);
}

std::size_t column(const dynemo::FeatureMatrix& m, const std::string& name) {
  const auto it = std::find(m.columns.begin(), m.columns.end(), "listener." + name);
  EXPECT_NE(it, m.columns.end()) << name;
  return static_cast<std::size_t>(it - m.columns.begin());
}

// Music-like test signal: two tones, a decaying note every 0.5 s and a little noise.
std::vector<float> music(double rate) {
  const auto n = static_cast<std::size_t>(kSeconds * rate);
  std::vector<float> x = dynemo::test::sine(n, rate, 220.0, 0.2);
  const std::vector<float> fifth = dynemo::test::sine(n, rate, 330.0, 0.1);
  const std::vector<float> hiss = dynemo::test::noise(n, 0.01, 7);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double note = std::exp(-20.0 * std::fmod(t, 0.5)) * std::sin(2 * M_PI * 880.0 * t);
    x[i] += fifth[i] + hiss[i] + static_cast<float>(0.2 * note);
  }
  return x;
}

// |a - b| of column c relative to its spread over the two tables (+1e-3), largest over the rows.
double column_change(const dynemo::FeatureMatrix& a, const dynemo::FeatureMatrix& b,
                     std::size_t c) {
  float lo = a.at(0, c), hi = a.at(0, c);
  for (std::size_t r = 0; r < a.n_rows(); ++r) {
    lo = std::min({lo, a.at(r, c), b.at(r, c)});
    hi = std::max({hi, a.at(r, c), b.at(r, c)});
  }
  double worst = 0.0;
  for (std::size_t r = 0; r < a.n_rows(); ++r) {
    const double d = std::fabs(a.at(r, c) - b.at(r, c)) / (hi - lo + 1e-3 * (1 + std::fabs(hi)));
    worst = std::max(worst, d);
  }
  return worst;
}

// The share of columns whose column_change exceeds `tolerance`; *worst names the largest.
double share_moved(const dynemo::FeatureMatrix& a, const dynemo::FeatureMatrix& b, double tolerance,
                   std::string* worst) {
  std::size_t moved = 0;
  double largest = -1.0;
  for (std::size_t c = 0; c < a.n_cols(); ++c) {
    const double d = column_change(a, b, c);
    if (d > tolerance) ++moved;
    if (d > largest) {
      largest = d;
      *worst = a.columns[c] + " by " + std::to_string(d);
    }
  }
  return static_cast<double>(moved) / static_cast<double>(a.n_cols());
}

TEST(Listener, HasItsColumnsAndFiniteValues) {
  const dynemo::FeatureMatrix m = listener(music(kRate));
  EXPECT_EQ(m.n_cols(), 348u);
  EXPECT_EQ(m.n_rows(), 2 * kSeconds);
  for (float v : m.values) ASSERT_TRUE(std::isfinite(v));
}

// listener-compare: compare's functionals but those of the spectral slope (100 of 6373), over the
// listener LLDs (names with _db where in dB); every window, the last one included.
TEST(ListenerCompare, HasCompareColumnsOfTheListenerLldsAndFiniteValues) {
  const dynemo::FeatureMatrix m = extract("listener-compare", music(kRate));
  EXPECT_EQ(m.n_cols(), 6273u);
  EXPECT_EQ(m.n_rows(), 2 * kSeconds);
  EXPECT_EQ(m.columns.front(), "listener-compare.audspec_lengthL1norm_sma_db_range");
  EXPECT_EQ(m.columns.back(), "listener-compare.mfcc_sma_de[14]_stddevFallingSlope");
  for (const std::string& c : m.columns) EXPECT_EQ(c.find("spectralSlope"), std::string::npos);
  for (float v : m.values) ASSERT_TRUE(std::isfinite(v));
  // The functionals are compare's: the window's mean of the RMS energy in dB is the listener
  // set's mean, its range the max - min of the same LLD rows.
  const dynemo::FeatureMatrix l = listener(music(kRate));
  const auto at = [](const dynemo::FeatureMatrix& t, const std::string& name) {
    const auto it = std::find(t.columns.begin(), t.columns.end(), name);
    EXPECT_NE(it, t.columns.end()) << name;
    return static_cast<std::size_t>(it - t.columns.begin());
  };
  const std::size_t mean = at(m, "listener-compare.pcm_RMSenergy_sma_db_amean");
  const std::size_t listener_mean = at(l, "listener.pcm_RMSenergy_sma_db_amean");
  for (std::size_t r = 0; r < m.n_rows(); ++r) {
    EXPECT_NEAR(m.at(r, mean), l.at(r, listener_mean), 1e-4) << r;
  }
}

// Together in one extraction listener-compare reads the LLDs the listener set computed (no
// second resampling): both halves equal each set extracted alone, value for value.
TEST(ListenerCompare, BesideListenerEqualsEachSetAlone) {
  const std::vector<float> x = music(kRate);
  const dynemo::FeatureMatrix both = extract("listener+listener-compare", x);
  const dynemo::FeatureMatrix l = extract("listener", x);
  const dynemo::FeatureMatrix c = extract("listener-compare", x);
  ASSERT_EQ(both.n_cols(), l.n_cols() + c.n_cols());
  ASSERT_EQ(both.n_rows(), l.n_rows());
  ASSERT_EQ(both.n_rows(), c.n_rows());
  for (std::size_t r = 0; r < both.n_rows(); ++r) {
    for (std::size_t j = 0; j < l.n_cols(); ++j)
      ASSERT_EQ(both.at(r, j), l.at(r, j)) << r << ' ' << j;
    for (std::size_t j = 0; j < c.n_cols(); ++j) {
      ASSERT_EQ(both.at(r, l.n_cols() + j), c.at(r, j)) << r << ' ' << c.columns[j];
    }
  }
}

// What lies above 8 kHz (a 12 kHz tone, a decoder's noise floor at 1e-6 above 10 kHz) and the
// rounding of 16-bit PCM never reach the features.
// listener: every column within 2 % of its spread (high content) and 5 % (16-bit rounding).
// listener-compare: its functionals of where in a window a value lies (leftctime, risetime,
// segment lengths, peak positions, the flatness of deltas near 0) jump with the slightest
// change of LLDs that are nearly constant over a window, as they are for these steady tones, so
// a share of its columns moves: measured 0.4 % (high content) and 3.4 % (rounding).
struct InvarianceCase {
  const char* set;
  double bright_share, rounded_share;  // largest share of columns allowed to move
};

class ListenerSets : public ::testing::TestWithParam<InvarianceCase> {};

TEST_P(ListenerSets, IgnoreContentAbove8kHzAndSixteenBitRounding) {
  const auto listener = [](const std::vector<float>& x) { return extract(GetParam().set, x); };
  const std::vector<float> clean = music(kRate);
  std::vector<float> bright = clean, rounded = clean;
  // A cymbal-like 12 kHz tone and a comb of faint tones up to 21 kHz (a decoder's floor).
  const std::vector<float> tone = dynemo::test::sine(clean.size(), kRate, 12000.0, 0.05);
  std::vector<std::vector<float>> comb;
  for (double hz = 10000.0; hz < 21500.0; hz += 731.0) {
    comb.push_back(dynemo::test::sine(clean.size(), kRate, hz, 1e-3));
  }
  for (std::size_t i = 0; i < clean.size(); ++i) {
    // Faded in over 100 ms: an abrupt start would be a broadband (audible) click.
    const double fade = std::min(1.0, static_cast<double>(i) / (0.1 * kRate));
    float high = tone[i];
    for (const std::vector<float>& c : comb) high += c[i];
    bright[i] += static_cast<float>(0.5 - 0.5 * std::cos(M_PI * fade)) * high;
    rounded[i] = std::round(clean[i] * 32767.0f) / 32767.0f;
  }
  const dynemo::FeatureMatrix base = listener(clean);
  std::string worst;
  const double bright_share = share_moved(base, listener(bright), 0.02, &worst);
  std::printf("%s: %.4f of the columns moved with high content, most %s\n", GetParam().set,
              bright_share, worst.c_str());
  EXPECT_LE(bright_share, GetParam().bright_share) << worst;
  // Voicing probabilities move most (a few % of their range): SHS peak picking is sensitive.
  const double rounded_share = share_moved(base, listener(rounded), 0.05, &worst);
  std::printf("%s: %.4f of the columns moved with 16-bit rounding, most %s\n", GetParam().set,
              rounded_share, worst.c_str());
  EXPECT_LE(rounded_share, GetParam().rounded_share) << worst;
}

INSTANTIATE_TEST_SUITE_P(Sets, ListenerSets,
                         ::testing::Values(InvarianceCase{"listener", 0.0, 0.0},
                                           InvarianceCase{"listener-compare", 0.01, 0.05}),
                         [](const ::testing::TestParamInfo<InvarianceCase>& info) {
                           std::string name = info.param.set;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Silence and near-silence (16-bit dither, about -98 dBFS) both read as the floor.
TEST(Listener, SilenceReadsAsTheFloor) {
  const std::size_t n = kSeconds * static_cast<std::size_t>(kRate);
  const dynemo::FeatureMatrix zero = listener(std::vector<float>(n, 0.0f));
  const dynemo::FeatureMatrix dither = listener(dynemo::test::noise(n, 1.0f / 65536.0f, 5));
  const std::size_t energy = column(zero, "pcm_RMSenergy_sma_db_amean");
  const std::size_t mel = column(zero, "logmel_20_amean");
  for (std::size_t r = 0; r < zero.n_rows(); ++r) {
    EXPECT_EQ(zero.at(r, energy), dither.at(r, energy)) << r;
    EXPECT_EQ(zero.at(r, mel), dither.at(r, mel)) << r;
  }
  // The floors lie far below music at -14 dBFS RMS: RMS energy (an amplitude, so 10 log10 of it
  // is half the level difference of 56 dB) and the loudest mel band.
  const dynemo::FeatureMatrix loud = listener(music(kRate));
  EXPECT_GT(loud.at(3, energy), zero.at(3, energy) + 20.0f);
  float loudest = -1e9f;
  for (int b = 0; b < 64; ++b) {
    loudest = std::max(loudest, loud.at(3, column(loud, "logmel_" + std::to_string(b) + "_amean")));
  }
  EXPECT_GT(loudest, zero.at(3, mel) + 50.0f);
}

TEST(Listener, ChromaOfAToneIsOnItsPitchClassAndAClickTrackHasAPulse) {
  const auto n = static_cast<std::size_t>(kSeconds * kRate);
  const dynemo::FeatureMatrix a440 = listener(dynemo::test::sine(n, kRate, 440.0, 0.3));
  for (int c = 0; c < 12; ++c) {
    if (c == 9) continue;
    EXPECT_LT(a440.at(4, column(a440, "chroma_" + std::to_string(c))),
              a440.at(4, column(a440, "chroma_9")));
  }
  // Clicks every 0.5 s (120 BPM): onsets at 2 per second, autocorrelation peak at 0.5 s.
  std::vector<float> clicks(n, 0.0f);
  for (std::size_t i = 0; i < n; i += static_cast<std::size_t>(kRate / 2)) {
    for (std::size_t k = 0; k < 200 && i + k < n; ++k) clicks[i + k] = (k % 2 ? 0.5f : -0.5f);
  }
  const dynemo::FeatureMatrix m = listener(clicks);
  const std::size_t last = m.n_rows() - 1;  // a full 3 s of history
  EXPECT_GT(m.at(last, column(m, "pulse_clarity")), 0.5f);
  EXPECT_NEAR(m.at(last, column(m, "onset_rate_hz")), 2.0f, 0.5f);
  EXPECT_GT(m.at(last, column(m, "rhythm_ac_mid")), m.at(last, column(m, "rhythm_ac_fast")));
}

// The set analyses 16 kHz audio: 44.1 kHz input is resampled to what 16 kHz input already is.
TEST(Listener, SixteenKilohertzInputGivesWhatFortyFourKilohertzGives) {
  const std::vector<float> at44 = music(kRate);
  const std::vector<float> at16 = dynemo::resample(at44.data(), at44.size(), kRate, 16000.0);
  std::string worst;
  EXPECT_EQ(share_moved(listener(at44), listener(at16, 16000.0), 1e-3, &worst), 0.0) << worst;
}

}  // namespace
