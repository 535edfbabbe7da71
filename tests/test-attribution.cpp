// Why a prediction: the musical feature groups, and the shipped model's group attributions
// (exact Shapley values) add up to the prediction and name loudness when only loudness changes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "attribution-check.h"
#include "dynemo/audio.h"
#include "dynemo/features.h"
#include "dynemo/predict.h"

namespace {

const std::string kModel =
    std::string(DYNEMO_SOURCE_DIR) + "/models/deam-listener-ctx_mlp_256x2_c6-v3";

std::size_t group(const std::string& column) { return dynemo::feature_group_of(column); }

TEST(FeatureGroups, NameColumnsOfEverySetMusically) {
  const auto& g = dynemo::feature_groups();
  ASSERT_EQ(g.size(), 5u);
  const auto id = [&](const std::string& c) { return g[group(c)].id; };
  EXPECT_EQ(id("listener.pcm_RMSenergy_sma_db_amean"), "loudness");
  EXPECT_EQ(id("listener.logmel_12_amean"), "loudness");  // band levels rise with loudness
  EXPECT_EQ(id("spectral.rms"), "loudness");
  EXPECT_EQ(id("listener.onset_rate_hz"), "rhythm");
  EXPECT_EQ(id("listener.pcm_fftMag_spectralFlux_sma_de_db_stddev"), "rhythm");
  EXPECT_EQ(id("psychoacoustic.tempo_bpm"), "rhythm");
  EXPECT_EQ(id("listener.mfcc_sma[3]_amean"), "timbre");
  EXPECT_EQ(id("spectral.spectral_centroid"), "timbre");
  EXPECT_EQ(id("listener.contrast_2"), "timbre");
  EXPECT_EQ(id("listener.chroma_7"), "harmony");
  EXPECT_EQ(id("listener.key_minor_r"), "harmony");
  EXPECT_EQ(id("cqt.cqt_100"), "harmony");
  EXPECT_EQ(id("psychoacoustic.dissonance"), "harmony");
  EXPECT_EQ(id("compare-lld-stats.F0final_sma_amean"), "voice");
  EXPECT_EQ(id("listener.logHNR_sma_stddev"), "voice");
  // Every listener column has a group, and all five occur.
  std::vector<int> count(5, 0);
  for (const std::string& c : dynemo::feature_columns("listener")) ++count[group(c)];
  for (int n : count) EXPECT_GT(n, 0);
}

TEST(Attribution, AddsUpToThePredictionOnTheExampleClip) {
  dynemo::Predictor predictor(kModel);
  const dynemo::TrackPrediction p = predictor.predict_file(
      std::string(DYNEMO_SOURCE_DIR) + "/examples/wesnoth_battle_epic_45s.flac", false, true);
  ASSERT_EQ(p.n_windows(), 90u);
  dynemo::testing::expect_attribution_adds_up(p);
  // The baseline is the prediction with every feature at the training mean: the same each window
  // for a context model (its context then holds equal frames).
  EXPECT_NEAR(p.attribution.baseline_arousal.front(), p.attribution.baseline_arousal.back(), 1e-6);
}

// 30 s of the same sound (noise and a chord) rising from -40 to -6 dBFS: only loudness changes,
// so loudness/energy must carry the change of arousal, and be the track's largest group.
TEST(Attribution, ALoudnessRampIsAttributedToLoudness) {
  const double rate = 44100;
  std::vector<float> x(static_cast<std::size_t>(30 * rate));
  std::mt19937 rng(3);
  std::normal_distribution<float> noise(0.0f, 0.1f);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    const double gain = std::pow(10.0, (-40.0 + 34.0 * t / 30.0) / 20.0);
    double v = noise(rng);
    for (double f : {220.0, 277.2, 329.6}) v += 0.25 * std::sin(2 * M_PI * f * t);
    x[i] = static_cast<float>(gain * v);
  }
  dynemo::Predictor predictor(kModel);
  const dynemo::FeatureMatrix f = dynemo::extract_features(predictor.card().spec, x.data(),
                                                           x.size(), rate, predictor.card().config);
  dynemo::TrackPrediction p = predictor.predict_features(f);
  p.attribution = predictor.attribute(f);
  dynemo::testing::expect_attribution_adds_up(p);
  const dynemo::GroupAttribution& a = p.attribution;
  const std::size_t n = a.groups.size(), t = p.n_windows(), q = t / 4;
  ASSERT_EQ(a.groups[0], "loudness");
  std::vector<double> change(n, 0.0);
  for (std::size_t g = 0; g < n; ++g) {
    for (std::size_t r = 0; r < q; ++r) {
      change[g] += (a.arousal[(t - 1 - r) * n + g] - a.arousal[r * n + g]) / q;
    }
  }
  EXPECT_GT(change[0], 0.1);  // louder: more aroused, by loudness
  for (std::size_t g = 1; g < n; ++g) EXPECT_LT(std::fabs(change[g]), 0.3 * change[0]) << g;
  const std::vector<double> mean = dynemo::mean_attribution(a, false);
  for (std::size_t g = 1; g < n; ++g) EXPECT_GT(std::fabs(mean[0]), std::fabs(mean[g])) << g;
}

}  // namespace
