// The shipped model hears the music, not the encoding: the same DEAM excerpts re-encoded with
// ffmpeg (WAV 16/24-bit/float of the decoded MP3, FLAC at 48 kHz, OGG Vorbis q4, MP3 64 kbps at
// 22.05 kHz) must move each song's mean prediction by <= 0.02 on average and <= 0.08 at most
// (MP3 64 kbps: 0.03 / 0.12), in both dimensions. Needs ../shared/data and ffmpeg (label data).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dynemo/predict.h"
#include "file-helpers.h"

namespace {

namespace fs = std::filesystem;
using dynemo::testing::run_command;
using dynemo::testing::shell_quote;

constexpr std::size_t kSongs = 12;

struct Encoding {
  const char* name;
  const char* ffmpeg_args;  // output options
  const char* extension;
  double mean_limit, max_limit;
};

const Encoding kEncodings[] = {
    {"wav-s16", "-c:a pcm_s16le", "wav", 0.02, 0.08},
    {"wav-s24", "-c:a pcm_s24le", "wav", 0.02, 0.08},
    {"wav-f32", "-c:a pcm_f32le", "wav", 0.02, 0.08},
    {"flac-48k", "-ar 48000 -c:a flac", "flac", 0.02, 0.08},
    {"ogg-q4", "-c:a libvorbis -q:a 4", "ogg", 0.02, 0.08},
    {"mp3-64k-22k", "-ar 22050 -c:a libmp3lame -b:a 64k", "mp3", 0.03, 0.12},
};

std::pair<double, double> song_means(const dynemo::TrackPrediction& p) {
  const double n = static_cast<double>(p.n_windows());
  return {std::accumulate(p.arousal.begin(), p.arousal.end(), 0.0) / n,
          std::accumulate(p.valence.begin(), p.valence.end(), 0.0) / n};
}

class ModelInvariance : public dynemo::testing::TempDirTest {
 protected:
  ModelInvariance() : TempDirTest("dynemo-test-invariance") {}
};

TEST_F(ModelInvariance, SameMusicInOtherEncodingsGivesTheSamePrediction) {
  const fs::path audio = fs::path(DYNEMO_SHARED_DIR) / "data/deam/audio_30s_40s";
  if (!fs::is_directory(audio)) GTEST_SKIP() << "no shared DEAM audio at " << audio;
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) GTEST_SKIP() << "ffmpeg not installed";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(audio)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), kSongs);
  dynemo::Predictor predictor(dynemo::default_model_path());

  std::map<std::string, std::vector<double>> shifts;  // "<encoding> A|V" -> |shift| per song
  for (std::size_t i = 0; i < kSongs; ++i) {
    const fs::path original = files[i * (files.size() / kSongs)];
    const auto [a0, v0] = song_means(predictor.predict_file(original.string()));
    for (const Encoding& enc : kEncodings) {
      const fs::path out = dir_ / (original.stem().string() + "." + enc.name + "." + enc.extension);
      const auto run = run_command("ffmpeg -nostdin -v error -i " + shell_quote(original.string()) +
                                       " " + enc.ffmpeg_args + " " + shell_quote(out.string()),
                                   dir_);
      ASSERT_EQ(run.exit_code, 0) << run.err;
      const auto [a, v] = song_means(predictor.predict_file(out.string()));
      shifts[std::string(enc.name) + " A"].push_back(std::fabs(a - a0));
      shifts[std::string(enc.name) + " V"].push_back(std::fabs(v - v0));
    }
  }
  for (const Encoding& enc : kEncodings) {
    for (const char* dim : {" A", " V"}) {
      const std::vector<double>& s = shifts[std::string(enc.name) + dim];
      const double mean = std::accumulate(s.begin(), s.end(), 0.0) / static_cast<double>(s.size());
      const double max = *std::max_element(s.begin(), s.end());
      std::printf("%-12s %s  mean |shift| %.4f  max %.4f\n", enc.name, dim, mean, max);
      EXPECT_LE(mean, enc.mean_limit) << enc.name << dim;
      EXPECT_LE(max, enc.max_limit) << enc.name << dim;
    }
  }
}

}  // namespace
