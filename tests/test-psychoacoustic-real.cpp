// Tempo and event density on real music (label data): the two reference clips and the ten
// emoMusic 45 s clips of ../shared, against a beat tracker and an onset detector.
//
// The reference numbers below were computed once with librosa 0.11.0 built from
// ../shared/peers (setup_librosa.sh, Debian 12's python3), on each file loaded at its own rate:
//   y, sr = librosa.load(path, sr=None, mono=True)
//   tempo = librosa.beat.beat_track(y=y, sr=sr)[0]
//   onsets_per_s = len(librosa.onset.onset_detect(y=y, sr=sr)) / (len(y) / sr)
// (At librosa's default 22.05 kHz two clips read a different tempo: singularity_awakening 80.75
// instead of 120.19, emoMusic 4 172.27 instead of 84.72 — a beat tracker's own ambiguity.)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dynemo/audio.h"
#include "dynemo/features.h"

namespace {

namespace fs = std::filesystem;

struct Reference {
  const char* path;  // below ../shared
  double beat_track_bpm;
  double onsets_per_s;
};

const Reference kClips[] = {
    {"reference/singularity_awakening_45s.flac", 120.19, 2.556},
    {"reference/wesnoth_battle_epic_45s.flac", 112.35, 4.400},
    {"data/emomusic/clips_45s/2.mp3", 139.67, 3.064},
    {"data/emomusic/clips_45s/3.mp3", 95.70, 3.177},
    {"data/emomusic/clips_45s/4.mp3", 84.72, 4.688},
    {"data/emomusic/clips_45s/5.mp3", 123.05, 2.866},
    {"data/emomusic/clips_45s/7.mp3", 120.19, 6.950},
    {"data/emomusic/clips_45s/8.mp3", 82.03, 3.575},
    {"data/emomusic/clips_45s/10.mp3", 93.96, 4.019},
    {"data/emomusic/clips_45s/12.mp3", 93.96, 3.930},
    {"data/emomusic/clips_45s/13.mp3", 87.59, 3.264},
    {"data/emomusic/clips_45s/17.mp3", 107.67, 4.707},
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The smallest relative distance of a tempo to the reference at x1/2, x1 or x2.
double octave_error(double bpm, double reference) {
  double best = 1e9;
  for (double f : {0.5, 1.0, 2.0}) best = std::min(best, std::fabs(bpm / (f * reference) - 1.0));
  return best;
}

TEST(PsychoacousticReal, TempoHoldsABeatAndEventDensityFollowsTheOnsets) {
  const fs::path shared(DYNEMO_SHARED_DIR);
  if (!fs::exists(shared / kClips[0].path)) GTEST_SKIP() << "no ../shared clips at " << shared;
  int tempo_agree = 0, clips = 0;
  for (const Reference& clip : kClips) {
    const fs::path path = shared / clip.path;
    if (!fs::exists(path)) GTEST_SKIP() << "missing " << path;
    const dynemo::Audio audio = dynemo::load_audio(path.string());
    const dynemo::FeatureMatrix m = dynemo::extract_features(
        "psychoacoustic", audio.samples.data(), audio.samples.size(), audio.sample_rate_hz);
    std::vector<double> tempo, density, steps;
    std::size_t zero = 0;
    for (std::size_t r = 0; r < m.n_rows(); ++r) {
      tempo.push_back(m.at(r, 2));
      density.push_back(m.at(r, 3));
      if (m.at(r, 2) == 0.0f) ++zero;
      if (r > 0 && m.at(r - 1, 2) > 0) steps.push_back(std::fabs(m.at(r, 2) / m.at(r - 1, 2) - 1));
    }
    const double bpm = median(tempo);
    double mean_density = 0;
    for (double d : density) mean_density += d / static_cast<double>(density.size());
    const double error = octave_error(bpm, clip.beat_track_bpm);
    std::printf(
        "%-44s tempo %6.1f (beat_track %6.1f, off %4.1f %% up to an octave), zero %zu/%zu, "
        "median step %.3f, events %.2f/s (onset_detect %.2f/s)\n",
        clip.path, bpm, clip.beat_track_bpm, 100 * error, zero, m.n_rows(), median(steps),
        mean_density, clip.onsets_per_s);
    ++clips;
    if (error <= 0.08) ++tempo_agree;
    // A beat is audible in all of these: no window reads 0 BPM.
    EXPECT_LE(static_cast<double>(zero), 0.05 * static_cast<double>(m.n_rows())) << clip.path;
    // Stable within the clip: the typical change from one window to the next is small.
    EXPECT_LT(median(steps), 0.02) << clip.path;
    // Events at the rate an onset detector finds them, within a factor of 2.
    EXPECT_GT(mean_density, 0.5 * clip.onsets_per_s) << clip.path;
    EXPECT_LT(mean_density, 2.0 * clip.onsets_per_s) << clip.path;
  }
  // At least 4 of 5 clips agree with the beat tracker up to an octave (10 of 12 measured).
  EXPECT_GE(5 * tempo_agree, 4 * clips) << tempo_agree << " of " << clips;
}

}  // namespace
