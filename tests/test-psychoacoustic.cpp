// Analytic checks of the psychoacoustic features (src/features/psychoacoustic*.h): tempo and
// event density of click tracks, the Sethares / Vassilakis values of sine pairs, silence.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "dynemo/error.h"
#include "dynemo/features.h"
#include "features/psychoacoustic-dissonance.h"
#include "features/psychoacoustic-peaks.h"
#include "features/psychoacoustic-tempo.h"
#include "features/psychoacoustic.h"
#include "features/summary.h"

namespace {

using dynemo::features::FrameMatrix;

constexpr double kRate = 44100.0;
constexpr std::size_t kDissonance = 0, kRoughness = 1, kTempo = 2, kDensity = 3;

// Sum of equal-amplitude sines.
std::vector<float> sines(const std::vector<double>& hz, double seconds, double amplitude) {
  std::vector<float> y(static_cast<std::size_t>(seconds * kRate), 0.0f);
  for (std::size_t i = 0; i < y.size(); ++i) {
    double v = 0.0;
    for (const double f : hz) v += amplitude * std::sin(2.0 * M_PI * f * i / kRate);
    y[i] = static_cast<float>(v);
  }
  return y;
}

// A click every 60 / bpm s from t = first_s: 20 ms noise bursts decaying with a 5 ms time
// constant, or (noise = false) 10 ms Hann-shaped 1 kHz blips.
std::vector<float> click_track(double bpm, double seconds, bool noise, double first_s = 0.0) {
  std::vector<float> y(static_cast<std::size_t>(seconds * kRate), 0.0f);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  const double period_s = 60.0 / bpm;
  for (double t0 = first_s; t0 < seconds; t0 += period_s) {
    const std::size_t first = static_cast<std::size_t>(std::lround(t0 * kRate));
    const std::size_t len = static_cast<std::size_t>((noise ? 0.020 : 0.010) * kRate);
    for (std::size_t i = 0; i < len && first + i < y.size(); ++i) {
      const double t = i / kRate;
      const double v = noise ? 0.5 * uniform(rng) * std::exp(-t / 0.005)
                             : 0.5 * std::sin(M_PI * i / len) * std::sin(2.0 * M_PI * 1000.0 * t);
      y[first + i] = static_cast<float>(v);
    }
  }
  return y;
}

FrameMatrix compute(const std::vector<float>& y) {
  const dynemo::FeatureConfig config;
  const std::vector<double> starts = dynemo::features::window_starts(y.size(), config);
  return dynemo::features::psychoacoustic_windows(y.data(), y.size(), kRate, config, starts);
}

// Rows whose 6 s context lies wholly inside the clip (not clipped at an edge).
std::vector<std::size_t> interior_rows(const FrameMatrix& m) {
  std::vector<std::size_t> rows;
  const double duration_s = 0.5 * static_cast<double>(m.n_frames);
  for (std::size_t r = 0; r < m.n_frames; ++r) {
    const double centre = 0.5 * static_cast<double>(r) + 0.25;
    if (centre - 3.0 >= 0.0 && centre + 3.0 <= duration_s) rows.push_back(r);
  }
  return rows;
}

double interior_mean(const FrameMatrix& m, std::size_t column) {
  double sum = 0.0;
  const std::vector<std::size_t> rows = interior_rows(m);
  for (const std::size_t r : rows) sum += m.at(r, column);
  return sum / static_cast<double>(rows.size());
}

void expect_tempo_and_density(const FrameMatrix& m, double bpm) {
  const std::vector<std::size_t> rows = interior_rows(m);
  ASSERT_GE(rows.size(), 20u);
  for (const std::size_t r : rows) {
    EXPECT_NEAR(m.at(r, kTempo), bpm, 2.0) << "row " << r;
    EXPECT_NEAR(m.at(r, kDensity), bpm / 60.0, 0.2) << "row " << r;
  }
  std::printf("%.0f BPM clicks: tempo %.3f BPM, event density %.4f /s (interior mean)\n", bpm,
              interior_mean(m, kTempo), interior_mean(m, kDensity));
}

TEST(Psychoacoustic, ShapeAndColumns) {
  const std::vector<float> y = sines({440.0}, 2.3, 0.5);
  const FrameMatrix m = compute(y);
  EXPECT_EQ(m.n_frames, 4u);  // whole 0.5 s windows of 2.3 s
  EXPECT_EQ(m.n_values, 5u);
  const std::vector<std::string> expected = {"dissonance", "roughness", "tempo_bpm",
                                             "event_density", "tempo_confidence"};
  EXPECT_EQ(dynemo::features::psychoacoustic_columns(), expected);
}

TEST(Psychoacoustic, ClickTrackAt120Bpm) {
  expect_tempo_and_density(compute(click_track(120.0, 20.0, true)), 120.0);
}

TEST(Psychoacoustic, ClickTrackAt90BpmHasNoOctaveError) {
  expect_tempo_and_density(compute(click_track(90.0, 20.0, false)), 90.0);
}

TEST(Psychoacoustic, EdgeWindowsDivideByTheClippedContext) {
  // Clicks at 0.1, 0.6, ..., 19.6 s. Window 0's context is [0, 3.25) s, holding the 7 clicks
  // 0.1 .. 3.1 s; the last window's is [16.75, 20) s, holding the 6 clicks 17.1 .. 19.6 s.
  const FrameMatrix m = compute(click_track(120.0, 20.0, true, 0.1));
  EXPECT_NEAR(m.at(0, kDensity), 7.0 / 3.25, 1e-4);
  EXPECT_NEAR(m.at(m.n_frames - 1, kDensity), 6.0 / 3.25, 1e-4);
  EXPECT_NEAR(m.at(0, kTempo), 120.0, 2.0);
}

// Sethares' curve for two sines of amplitude 0.5 a ratio apart (the lower at 440 Hz):
// dissonance = 0.25 Z, roughness = 0.25^0.1 * 0.5 * Z (Y = 1 for equal amplitudes). Z from
// compare-lld-spec.md §16.1 evaluated by hand: tritone 4.0831e-3, fifth 1.3365e-3,
// octave 1.840e-6.
TEST(Psychoacoustic, TritoneIsRougherThanFifthIsRougherThanOctave) {
  const double tritone_hz = 440.0 * std::pow(2.0, 6.0 / 12.0);
  const FrameMatrix tritone = compute(sines({440.0, tritone_hz}, 8.0, 0.5));
  const FrameMatrix fifth = compute(sines({440.0, 660.0}, 8.0, 0.5));
  const FrameMatrix octave = compute(sines({440.0, 880.0}, 8.0, 0.5));
  for (const std::size_t c : {kDissonance, kRoughness}) {
    const double t = interior_mean(tritone, c), f = interior_mean(fifth, c),
                 o = interior_mean(octave, c);
    std::printf("column %zu: tritone %.6g, fifth %.6g, octave %.6g\n", c, t, f, o);
    EXPECT_GT(t, f);
    EXPECT_GT(f, o);
    EXPECT_GT(o, 0.0);
  }
  const double roughness_scale = std::pow(0.25, 0.1) * 0.5;
  EXPECT_NEAR(interior_mean(tritone, kDissonance), 0.25 * 4.0831e-3, 0.25 * 4.0831e-3 * 0.03);
  EXPECT_NEAR(interior_mean(fifth, kDissonance), 0.25 * 1.3365e-3, 0.25 * 1.3365e-3 * 0.03);
  EXPECT_NEAR(interior_mean(octave, kDissonance), 0.25 * 1.840e-6, 0.25 * 1.840e-6 * 0.05);
  EXPECT_NEAR(interior_mean(tritone, kRoughness), roughness_scale * 4.0831e-3,
              roughness_scale * 4.0831e-3 * 0.03);
  EXPECT_NEAR(interior_mean(fifth, kRoughness), roughness_scale * 1.3365e-3,
              roughness_scale * 1.3365e-3 * 0.03);
}

TEST(Psychoacoustic, SingleSineHasNoPairsAndNoEvents) {
  const FrameMatrix m = compute(sines({440.0}, 8.0, 0.5));
  for (std::size_t r = 0; r < m.n_frames; ++r) {
    EXPECT_LT(std::fabs(m.at(r, kDissonance)), 1e-7) << "row " << r;
    EXPECT_LT(std::fabs(m.at(r, kRoughness)), 1e-6) << "row " << r;
  }
  // A steady tone has no events: its rise at 0 s is not one either, as the curve does not dip
  // before it (the start of an excerpt cut from a song is not an event). No periodicity.
  for (std::size_t r = 0; r < m.n_frames; ++r) {
    EXPECT_EQ(m.at(r, kDensity), 0.0f) << "row " << r;
    EXPECT_EQ(m.at(r, kTempo), 0.0f) << "row " << r;
  }
}

TEST(Psychoacoustic, SilenceIsFiniteAndZero) {
  const std::vector<float> y(static_cast<std::size_t>(5.0 * kRate), 0.0f);
  const FrameMatrix m = compute(y);
  ASSERT_EQ(m.n_frames, 10u);
  for (const float v : m.data) EXPECT_EQ(v, 0.0f);
}

TEST(Psychoacoustic, BadRateIsAConfigError) {
  const std::vector<float> y(44100, 0.0f);
  const dynemo::FeatureConfig config;
  EXPECT_THROW(dynemo::features::psychoacoustic_windows(y.data(), y.size(), 0.0, config, {0.0}),
               dynemo::ConfigError);
}

// Two partials at the distance of maximal dissonance from 440 Hz (s |df| = ln(b2/b1)/(b2 - b1),
// df = 25.770 Hz, Z = 0.179756), amplitudes 1 and 0.5: D = 0.5 Z = 0.0898782,
// R = 0.5^0.1 * 0.5 * (2 * 0.5 / 1.5)^3.11 * Z = 0.0237634 (A_min in Y, MIRtoolbox 1.7/1.8).
TEST(PsychoacousticPairs, MaximalPairMatchesTheFormulas) {
  std::vector<dynemo::features::SpectralPeak> peaks = {{465.769923, 0.5}, {440.0, 1.0}};
  const dynemo::features::PairSums s = dynemo::features::dissonance_pair_sums(peaks);
  EXPECT_NEAR(s.dissonance, 0.0898782, 1e-6);
  EXPECT_NEAR(s.roughness, 0.0237634, 1e-6);
  // Far apart (10 kHz): Z vanishes.
  std::vector<dynemo::features::SpectralPeak> far = {{100.0, 1.0}, {10100.0, 1.0}};
  EXPECT_LT(dynemo::features::dissonance_pair_sums(far).dissonance, 1e-12);
}

// A 6 s onset curve at 200 Hz with a one-sample pulse every 62 samples (0.31 s, 193.5 BPM): its
// autocorrelation peaks at 0.31 s and at 0.62 s (96.8 BPM), nearly equally; the prior (log-normal
// around 120 BPM, one octave) prefers 96.8, as a beat tracker would. Its confidence is the
// normalised autocorrelation there (the Hann window lowers it below 1). Folding onto another
// tempo's octave moves it by factors of 2 only; a flat curve has no tempo and no confidence.
TEST(PsychoacousticTempo, PriorPicksTheOctaveNearestTheUsualTempoAndFoldingKeepsIt) {
  const double rate_hz = 200.0;
  std::vector<float> y(static_cast<std::size_t>(6.0 * rate_hz), 0.0f);
  for (std::size_t i = 10; i < y.size(); i += 62) y[i] = 1.0f;
  const dynemo::features::TempoEstimate t =
      dynemo::features::estimate_tempo(y.data(), y.size(), rate_hz);
  EXPECT_NEAR(t.bpm, 60.0 * 200.0 / 124.0, 0.5);
  EXPECT_GT(t.confidence, 0.5);
  EXPECT_LE(t.confidence, 1.0);
  EXPECT_NEAR(dynemo::features::fold_to_octave_of(t.bpm, 180.0), 2 * t.bpm, 1e-9);
  EXPECT_NEAR(dynemo::features::fold_to_octave_of(200.0, 90.0), 100.0, 1e-9);
  EXPECT_NEAR(dynemo::features::fold_to_octave_of(60.0, 100.0), 120.0, 1e-9);
  EXPECT_EQ(dynemo::features::fold_to_octave_of(0.0, 100.0), 0.0);
  const std::vector<float> flat(y.size(), 0.25f);
  const dynemo::features::TempoEstimate none =
      dynemo::features::estimate_tempo(flat.data(), flat.size(), rate_hz);
  EXPECT_GT(none.bpm, 0.0);  // a flat curve is "periodic" at every lag: a tempo, no confidence gap
  const std::vector<float> zeros(y.size(), 0.0f);
  EXPECT_EQ(dynemo::features::estimate_tempo(zeros.data(), zeros.size(), rate_hz).bpm, 0.0);
  EXPECT_EQ(dynemo::features::estimate_tempo(zeros.data(), zeros.size(), rate_hz).confidence, 0.0);
}

TEST(PsychoacousticPeaks, ProminenceIgnoresRipplesOnAFlank) {
  // A peak of 10 at 2 with a ripple (7 -> 6.5 -> 6.8) on its right flank, and a separate peak
  // of 3 at 9 whose valleys are 0 and 1.
  const std::vector<float> y = {0, 5, 10, 7, 6.5f, 6.8f, 2, 1, 2, 3, 1, 0};
  std::vector<std::size_t> peaks;
  dynemo::features::find_prominent_peaks(y.data(), y.size(), 1.0f, peaks);
  EXPECT_EQ(peaks, (std::vector<std::size_t>{2, 9}));
  dynemo::features::find_prominent_peaks(y.data(), y.size(), 2.5f, peaks);
  EXPECT_EQ(peaks, (std::vector<std::size_t>{2}));
  dynemo::features::find_prominent_peaks(y.data(), y.size(), 0.2f, peaks);
  EXPECT_EQ(peaks, (std::vector<std::size_t>{2, 5, 9}));
  const dynemo::features::ParabolicPeak p = dynemo::features::parabolic_peak(1.0, 2.0, 1.0);
  EXPECT_DOUBLE_EQ(p.offset, 0.0);
  EXPECT_DOUBLE_EQ(p.height, 2.0);
  // y = 4 - (x - 0.25)^2 sampled at -1, 0, 1: vertex at 0.25, height 4.
  const dynemo::features::ParabolicPeak q =
      dynemo::features::parabolic_peak(2.4375, 3.9375, 3.4375);
  EXPECT_NEAR(q.offset, 0.25, 1e-12);
  EXPECT_NEAR(q.height, 4.0, 1e-12);
}

}  // namespace
