// Analytic checks of the feature extractors: values that follow from the definitions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "dynemo/error.h"
#include "dynemo/features.h"
#include "features/frame-matrix.h"
#include "features/spectral-shape.h"
#include "features/stft.h"
#include "features/tuning.h"

namespace {

constexpr double kRate = 44100.0;

std::vector<float> sine(double hz, double seconds, double amplitude = 0.5) {
  std::vector<float> y(static_cast<std::size_t>(seconds * kRate));
  for (std::size_t i = 0; i < y.size(); ++i) {
    y[i] = static_cast<float>(amplitude * std::sin(2.0 * M_PI * hz * i / kRate));
  }
  return y;
}

std::size_t col(const dynemo::FeatureMatrix& m, const std::string& name) {
  const auto it = std::find(m.columns.begin(), m.columns.end(), name);
  if (it == m.columns.end()) throw std::runtime_error("no column " + name);
  return static_cast<std::size_t>(it - m.columns.begin());
}

// Mean of a column over the windows away from the clip edges.
double inner_mean(const dynemo::FeatureMatrix& m, const std::string& name) {
  const std::size_t c = col(m, name);
  double sum = 0.0;
  std::size_t n = 0;
  for (std::size_t r = 1; r + 1 < m.n_rows(); ++r, ++n) sum += m.at(r, c);
  return sum / static_cast<double>(n);
}

std::size_t argmax_prefix(const dynemo::FeatureMatrix& m, const std::string& prefix, int n) {
  std::size_t best = 0;
  double best_value = -1.0;
  for (int i = 0; i < n; ++i) {
    const double v = inner_mean(m, prefix + std::to_string(i));
    if (v > best_value) best_value = v, best = static_cast<std::size_t>(i);
  }
  return best;
}

TEST(FeatureRegistry, SetsHaveTheDocumentedWidths) {
  EXPECT_EQ(dynemo::feature_columns("spectral").size(), 197u);
  EXPECT_EQ(dynemo::feature_columns("cqt").size(), 252u);
  EXPECT_EQ(dynemo::feature_columns("chroma").size(), 24u);
  EXPECT_EQ(dynemo::feature_columns("chroma+cqt").size(), 276u);
  EXPECT_EQ(dynemo::feature_columns("spectral,cqt").size(), 449u);
  EXPECT_EQ(dynemo::feature_columns("spectral")[36], "spectral.mfcc_0");
  EXPECT_EQ(dynemo::feature_columns("cqt").back(), "cqt.cqt_251");
}

TEST(FeatureRegistry, UnknownSetIsAConfigErrorListingKnownSets) {
  try {
    dynemo::parse_feature_spec("spectral+mfcc");
    FAIL() << "expected ConfigError";
  } catch (const dynemo::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown feature set 'mfcc'"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("spectral, cqt, chroma"), std::string::npos) << e.what();
  }
  EXPECT_THROW(dynemo::parse_feature_spec("spectral++cqt"), dynemo::ConfigError);
  EXPECT_THROW(dynemo::parse_feature_spec(""), dynemo::ConfigError);
  // A set named twice would write 197 columns twice under the same names.
  try {
    dynemo::parse_feature_spec("spectral,cqt+spectral");
    FAIL() << "expected ConfigError";
  } catch (const dynemo::ConfigError& e) {
    EXPECT_NE(
        std::string(e.what()).find("spec 'spectral,cqt+spectral' names the set 'spectral' twice"),
        std::string::npos)
        << e.what();
  }
}

TEST(FeatureGrid, WindowsAreWholeAndOffset) {
  dynemo::FeatureConfig c;
  EXPECT_EQ(dynemo::count_windows(static_cast<std::size_t>(45 * kRate), c), 90u);
  EXPECT_EQ(dynemo::count_windows(static_cast<std::size_t>(1.49 * kRate), c), 2u);
  c.offset_s = 0.25;
  EXPECT_EQ(dynemo::count_windows(static_cast<std::size_t>(1.0 * kRate), c), 1u);
  c.offset_s = 0.0;
  c.window_s = 1.0;
  c.hop_s = 0.5;
  EXPECT_EQ(dynemo::count_windows(static_cast<std::size_t>(3.0 * kRate), c), 5u);
}

TEST(SpectralFeatures, SineAt440HzPutsChromaOnAAndCentroidAt440) {
  const std::vector<float> y = sine(440.0, 3.0);
  const dynemo::FeatureMatrix m = dynemo::extract_features("spectral", y.data(), y.size(), kRate);
  ASSERT_EQ(m.n_rows(), 6u);
  EXPECT_EQ(argmax_prefix(m, "spectral.chroma_stft_", 12), 9u);  // C=0 ... A=9
  EXPECT_EQ(argmax_prefix(m, "spectral.chroma_cqt_", 12), 9u);
  EXPECT_EQ(argmax_prefix(m, "spectral.chroma_cens_", 12), 9u);
  EXPECT_NEAR(inner_mean(m, "spectral.chroma_stft_9"), 1.0, 1e-6);
  EXPECT_NEAR(inner_mean(m, "spectral.spectral_centroid"), 440.0, 4.0);
  EXPECT_LT(inner_mean(m, "spectral.spectral_bandwidth"), 60.0);
  EXPECT_LT(inner_mean(m, "spectral.spectral_flatness"), 1e-3);
  // RMS of a sine of amplitude a is a / sqrt(2).
  EXPECT_NEAR(inner_mean(m, "spectral.rms"), 0.5 / std::sqrt(2.0), 1e-3);
  // Two zero crossings per period: 880 per second, over a 2048-sample frame.
  EXPECT_NEAR(inner_mean(m, "spectral.zcr"), 880.0 / kRate, 2.0 / 2048);
}

TEST(SpectralFeatures, CqtPeaksAtTheSineBin) {
  // A4 = 440 Hz (MIDI 69) is 45 semitones above C1 (MIDI 24): bin 3 * 45 = 135 at 36 per octave.
  const std::vector<float> y = sine(440.0, 3.0);
  const dynemo::FeatureMatrix m = dynemo::extract_features("cqt", y.data(), y.size(), kRate);
  EXPECT_EQ(argmax_prefix(m, "cqt.cqt_", 252), 135u);
}

// Other rates and hops take other CQT paths (no early decimation at 22.05 or 16 kHz; an odd hop
// stops the per-octave decimation): the sine must still land on A and on its CQT bin.
struct RateHop {
  double rate_hz;
  int hop_length;
};

class OtherConfigs : public ::testing::TestWithParam<RateHop> {};

TEST_P(OtherConfigs, SineStaysOnAAndItsCqtBin) {
  const RateHop p = GetParam();
  dynemo::FeatureConfig config;
  config.sample_rate_hz = p.rate_hz;
  config.hop_length = p.hop_length;
  std::vector<float> y(static_cast<std::size_t>(3.0 * p.rate_hz));
  for (std::size_t i = 0; i < y.size(); ++i) {
    y[i] = static_cast<float>(0.5 * std::sin(2.0 * M_PI * 440.0 * i / p.rate_hz));
  }
  const auto m = dynemo::extract_features("chroma+cqt", y.data(), y.size(), p.rate_hz, config);
  ASSERT_EQ(m.n_rows(), 6u);
  for (float v : m.values) ASSERT_TRUE(std::isfinite(v));
  EXPECT_EQ(argmax_prefix(m, "chroma.chroma_stft_", 12), 9u);
  EXPECT_EQ(argmax_prefix(m, "chroma.chroma_cqt_", 12), 9u);
  EXPECT_EQ(argmax_prefix(m, "cqt.cqt_", 252), 135u);
}

INSTANTIATE_TEST_SUITE_P(RatesAndHops, OtherConfigs,
                         ::testing::Values(RateHop{22050.0, 512}, RateHop{16000.0, 512},
                                           RateHop{48000.0, 512}, RateHop{44100.0, 441},
                                           RateHop{44100.0, 256}));

TEST(SpectralFeatures, TwiceAsLoudDoublesRms) {
  const std::vector<float> quiet = sine(1000.0, 2.0, 0.2);
  const std::vector<float> loud = sine(1000.0, 2.0, 0.4);
  const auto a = dynemo::extract_features("spectral", quiet.data(), quiet.size(), kRate);
  const auto b = dynemo::extract_features("spectral", loud.data(), loud.size(), kRate);
  const std::size_t c = col(a, "spectral.rms");
  for (std::size_t r = 0; r < a.n_rows(); ++r) EXPECT_NEAR(b.at(r, c), 2.0 * a.at(r, c), 1e-5);
  // Scale-invariant features do not change.
  const std::size_t centroid = col(a, "spectral.spectral_centroid");
  EXPECT_NEAR(b.at(1, centroid), a.at(1, centroid), 1e-2);
}

TEST(SpectralFeatures, WhiteNoiseFlatness) {
  // Per frame, |X|^2 of white noise is exponentially distributed, so geometric / arithmetic
  // mean tends to exp(-Euler gamma) = 0.5615 (librosa's per-frame definition); a spectrum that
  // is exactly flat (a centred impulse) gives 1.
  std::mt19937 rng(42);
  std::normal_distribution<float> normal(0.0f, 0.1f);
  std::vector<float> noise(static_cast<std::size_t>(2.0 * kRate));
  for (float& v : noise) v = normal(rng);
  const auto m = dynemo::extract_features("spectral", noise.data(), noise.size(), kRate);
  EXPECT_NEAR(inner_mean(m, "spectral.spectral_flatness"), std::exp(-0.5772156649), 0.02);

  std::vector<float> impulse(4096, 0.0f);
  impulse[2048] = 1.0f;
  const auto mag = dynemo::features::stft_magnitude(impulse.data(), impulse.size(), 2048, 512);
  const auto shape = dynemo::features::spectral_shape(mag, {kRate, 2048});
  EXPECT_NEAR(shape.at(4, 2), 1.0, 1e-5);  // frame 4 is centred on sample 2048
}

TEST(SpectralFeatures, SilenceGivesFiniteValues) {
  const std::vector<float> silence(static_cast<std::size_t>(1.5 * kRate), 0.0f);
  const auto m =
      dynemo::extract_features("spectral+cqt+chroma", silence.data(), silence.size(), kRate);
  ASSERT_EQ(m.n_rows(), 3u);
  for (float v : m.values) ASSERT_TRUE(std::isfinite(v));
  EXPECT_EQ(m.at(1, col(m, "spectral.rms")), 0.0f);
  EXPECT_EQ(m.at(1, col(m, "spectral.spectral_centroid")), 0.0f);
  EXPECT_NEAR(m.at(1, col(m, "spectral.mfcc_0")), -100.0 * std::sqrt(128.0), 1e-2);
}

TEST(SpectralFeatures, TooShortAndNonFiniteInputNameTheSource) {
  const std::vector<float> short_clip(static_cast<std::size_t>(0.3 * kRate), 0.1f);
  try {
    dynemo::extract_features("spectral", short_clip.data(), short_clip.size(), kRate, {},
                             "clip.wav");
    FAIL() << "expected AudioError";
  } catch (const dynemo::AudioError& e) {
    EXPECT_EQ(e.kind(), dynemo::AudioErrorKind::too_short);
    EXPECT_EQ(std::string(e.what()),
              "clip.wav: too short: 0.300 s of audio, but one window needs 0.500 s (offset_s 0.000 "
              "+ window_s 0.500)");
  }
  std::vector<float> bad = sine(440.0, 1.0);
  bad[1000] = std::nanf("");
  try {
    dynemo::extract_features("spectral", bad.data(), bad.size(), kRate, {}, "nan.wav");
    FAIL() << "expected AudioError";
  } catch (const dynemo::AudioError& e) {
    EXPECT_EQ(e.kind(), dynemo::AudioErrorKind::non_finite);
    EXPECT_NE(std::string(e.what()).find("nan.wav"), std::string::npos) << e.what();
  }
}

TEST(SpectralFeatures, RateMismatchAndBadConfigAreConfigErrors) {
  const std::vector<float> y = sine(440.0, 1.0);
  EXPECT_THROW(dynemo::extract_features("spectral", y.data(), y.size(), 22050.0),
               dynemo::ConfigError);
  dynemo::FeatureConfig c;
  c.n_fft = 1000;
  EXPECT_THROW(dynemo::validate(c), dynemo::ConfigError);
  c = {};
  c.window_s = 0.001;
  EXPECT_THROW(dynemo::validate(c), dynemo::ConfigError);
}

// Options that would exhaust memory or time are refused before any work, with the range.
TEST(SpectralFeatures, AbsurdConfigurationsAreRefusedWithTheirRange) {
  const auto message = [](const dynemo::FeatureConfig& c) {
    try {
      dynemo::validate(c);
    } catch (const dynemo::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  dynemo::FeatureConfig c;
  c.hop_s = 1e-9;  // 45 s would be 45 G rows
  EXPECT_EQ(message(c), "features: hop_s=1e-09 is invalid: expected 0.01..60 s");
  c = {};
  c.hop_length = 1;  // 2 M STFT frames for 45 s
  EXPECT_NE(message(c).find("hop_length=1 is invalid: expected 128..n_fft (2048)"),
            std::string::npos)
      << message(c);
  c.hop_length = 128;
  EXPECT_EQ(message(c), "accepted");
  c = {};
  c.n_fft = 1 << 20;
  EXPECT_NE(message(c).find("16..65536"), std::string::npos) << message(c);
  c = {};
  c.window_s = 1e6;
  EXPECT_NE(message(c).find("0.01..60 s"), std::string::npos) << message(c);
  c = {};
  c.offset_s = 1e300;  // the value as a number, not 301 digits
  EXPECT_EQ(message(c), "features: offset_s=1e+300 is invalid: expected 0..86400 s");
}

TEST(FeatureConfigJson, RoundTripsAndHashesDiffer) {
  dynemo::FeatureConfig c;
  c.window_s = 1.0;
  c.offset_s = 0.25;
  const dynemo::FeatureConfig back =
      dynemo::feature_config_from_json(dynemo::feature_config_to_json(c));
  EXPECT_EQ(back.window_s, 1.0);
  EXPECT_EQ(back.offset_s, 0.25);
  EXPECT_EQ(back.n_fft, 2048);
  EXPECT_NE(dynemo::feature_hash("spectral", c), dynemo::feature_hash("spectral", {}));
  EXPECT_EQ(dynemo::feature_hash("spectral+cqt", {}), dynemo::feature_hash("spectral,cqt", {}));
}

// Whole-number fields out of int's range or with a fraction are refused by name, not converted
// (a model sidecar with "n_fft": 1e12 was read as INT_MIN, undefined behaviour that the
// sanitized build, scripts/test-sanitized.sh, reports).
TEST(FeatureConfigJson, RejectsNumbersThatAreNotInts) {
  const auto message = [](const std::string& json) {
    try {
      dynemo::feature_config_from_json(json);
    } catch (const dynemo::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no ConfigError");
  };
  EXPECT_EQ(message(R"({"n_fft": 1e12})"),
            "feature config: n_fft=1000000000000.0 is invalid: expected a whole number");
  EXPECT_EQ(message(R"({"hop_length": 512.5})"),
            "feature config: hop_length=512.5 is invalid: expected a whole number");
  EXPECT_EQ(message(R"({"n_fft": -1e300})"),
            "feature config: n_fft=-1e+300 is invalid: expected a whole number");
  EXPECT_EQ(message(R"({"n_fft": "2048"})"),
            "feature config: n_fft=(string) is invalid: expected a whole number");
  EXPECT_EQ(message("[1, 2]"), "feature config: expected a JSON object, got array");
  EXPECT_EQ(dynemo::feature_config_from_json(R"({"n_fft": 4096.0, "hop_length": 1024})").n_fft,
            4096);
}

TEST(Tuning, PitchTuningFindsTheDeviation) {
  // 440 Hz raised by 0.2 semitones: 0.2 of a bin at 12 bins per octave.
  const double f = 440.0 * std::pow(2.0, 0.2 / 12.0);
  EXPECT_NEAR(dynemo::features::pitch_tuning({f, f, 2 * f, 440.0}, 12), 0.2, 0.011);
  EXPECT_EQ(dynemo::features::pitch_tuning({}, 12), 0.0);
}

}  // namespace
