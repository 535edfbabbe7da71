// The real 45 s clips in ../shared/reference (44.1 kHz mono FLAC); skipped when absent.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dynemo/audio.h"

namespace dynemo {
namespace {

constexpr long long kClipFrames = 1984500;  // 45 s at 44.1 kHz

std::string clip(const std::string& name) {
  return std::string(DYNEMO_SHARED_DIR) + "/reference/" + name;
}

#define CLIP_OR_SKIP(path)                                                                    \
  do {                                                                                        \
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "reference clip not found: " << path; \
  } while (0)

class AudioDataClip : public ::testing::TestWithParam<const char*> {};

TEST_P(AudioDataClip, ProbesAs45sOfMonoFlac) {
  const std::string path = clip(GetParam());
  CLIP_OR_SKIP(path);
  const AudioInfo info = probe_audio(path);
  EXPECT_EQ(info.format, "FLAC");
  EXPECT_EQ(info.channels, 1);
  EXPECT_EQ(info.sample_rate_hz, 44100);
  EXPECT_EQ(info.n_frames, kClipFrames);
  EXPECT_DOUBLE_EQ(info.duration_s(), 45.0);
}

TEST_P(AudioDataClip, DecodesEveryFrameAsMusic) {
  const std::string path = clip(GetParam());
  CLIP_OR_SKIP(path);
  const Audio audio = load_audio(path);
  ASSERT_EQ(static_cast<long long>(audio.samples.size()), kClipFrames);
  EXPECT_EQ(audio.sample_rate_hz, 44100);
  double sum_squares = 0.0;
  float peak = 0.0f;
  for (float v : audio.samples) {
    sum_squares += double(v) * v;
    peak = std::max(peak, std::fabs(v));
  }
  const double rms = std::sqrt(sum_squares / audio.samples.size());
  EXPECT_GT(rms, 0.01) << "a music clip, not silence";
  EXPECT_LT(rms, 0.5);
  EXPECT_LE(peak, 1.0f);  // 16-bit PCM decodes into [-1, 1)
}

TEST_P(AudioDataClip, RangeEqualsTheSliceOfTheFullDecode) {
  const std::string path = clip(GetParam());
  CLIP_OR_SKIP(path);
  const std::vector<float> full = load_audio(path).samples;
  AudioLoadOptions options;
  options.offset_s = 10.0;
  options.duration_s = 0.5;
  const std::vector<float> part = load_audio(path, options).samples;
  ASSERT_EQ(part.size(), 22050u);
  EXPECT_TRUE(std::equal(part.begin(), part.end(), full.begin() + 441000));
}

TEST_P(AudioDataClip, ResamplesTo22050Hz) {
  const std::string path = clip(GetParam());
  CLIP_OR_SKIP(path);
  AudioLoadOptions options;
  options.target_sample_rate_hz = 22050;
  const Audio audio = load_audio(path, options);
  EXPECT_EQ(audio.sample_rate_hz, 22050);
  EXPECT_EQ(static_cast<long long>(audio.samples.size()), kClipFrames / 2);
}

INSTANTIATE_TEST_SUITE_P(Reference, AudioDataClip,
                         ::testing::Values("wesnoth_battle_epic_45s.flac",
                                           "singularity_awakening_45s.flac"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param).substr(0, info.param[0] == 'w' ? 7 : 11);
                         });

}  // namespace
}  // namespace dynemo
