// `dynemo cache` end to end on a custom dataset written here: three 2 s WAVs and a song whose
// audio file does not exist. Checks the summary line, the progress lines of a non-terminal
// stderr, the exit code with a bad file, the default cache folder, and that what the command
// cached loads bit-identical to extract_features.
#include <sndfile.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audio-fixtures.h"
#include "dynemo/audio.h"
#include "dynemo/cache.h"
#include "dynemo/data.h"
#include "dynemo/features.h"
#include "file-helpers.h"

namespace {

namespace fs = std::filesystem;
using dynemo::testing::contains;
using dynemo::testing::shell_quote;

constexpr int kRate = 44100;

class CacheCliTest : public dynemo::testing::TempDirTest {
 protected:
  CacheCliTest() : TempDirTest("dynemo-test-cache-cli") {}

  void SetUp() override {
    TempDirTest::SetUp();
    std::ofstream manifest(dir_ / "manifest.csv");
    std::ofstream annotations(dir_ / "annotations.csv");
    manifest << "song_id,audio_path\n";
    annotations << "song_id,time_s,arousal,valence\n";
    for (int s = 1; s <= 4; ++s) {
      const std::string wav = std::to_string(s) + ".wav";
      if (s <= 3) {
        ASSERT_EQ(
            dynemo::test::write_sound((dir_ / wav).string(), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1,
                                      kRate, dynemo::test::sine(2 * kRate, kRate, 110.0 * s, 0.3)),
            "");
      }
      manifest << s << "," << wav << "\n";
      for (int k = 0; k < 4; ++k) annotations << s << "," << 0.5 * k << ",0.1,-0.1\n";
    }
  }

  dynemo::testing::CommandRun cache(const std::string& extra, const std::string& env = "") {
    const std::string command = env + std::string(DYNEMO_CLI) +
                                " cache --dataset custom --manifest " +
                                shell_quote((dir_ / "manifest.csv").string()) + " --annotations " +
                                shell_quote((dir_ / "annotations.csv").string()) + " " + extra;
    return dynemo::testing::run_command(command, dir_);
  }

  std::string cache_dir() const { return (dir_ / "cache").string(); }
};

// No room for an entry (the process's file-size limit, 3 KiB, SIGXFSZ ignored; an entry of 4 rows
// of 197 floats is about 3.3 KB): the cache stops at once, says why and how many songs it did
// not attempt, exits 1 and leaves no partial entry.
TEST_F(CacheCliTest, NoRoomForAnEntryStopsTheCache) {
  const auto run = cache("--set spectral --cache-dir " + shell_quote(cache_dir()),
                         "ulimit -f 3; trap '' XFSZ; ");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_TRUE(contains(run.err, "File too large")) << run.err;
  EXPECT_TRUE(contains(run.err, "the cache stopped there, 2 song(s) not attempted")) << run.err;
  const std::string dir = dynemo::cache_folder(cache_dir(), "custom", "spectral");
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) entries += e.path().extension() == ".f32";
  EXPECT_EQ(entries, 0u);
}

TEST_F(CacheCliTest, ExtractsOnceThenIsANoOp) {
  const auto first = cache("--set spectral --jobs 2 --cache-dir " + shell_quote(cache_dir()));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string dir = dynemo::cache_folder(cache_dir(), "custom", "spectral");
  EXPECT_TRUE(contains(first.out,
                       "cache: 3 extracted, 0 up to date, 1 skipped (no audio), "
                       "0 failed in "))
      << first.out;
  EXPECT_TRUE(contains(first.out, "-> " + dir)) << first.out;
  EXPECT_TRUE(contains(first.err, "cache: 4 songs: 0 up to date, 1 without audio, 3 to extract"))
      << first.err;
  EXPECT_TRUE(contains(first.err, "cache: 3/3 (100%)")) << first.err;
  EXPECT_TRUE(contains(first.err, "skipped 1 songs without audio: 4")) << first.err;
  EXPECT_FALSE(contains(first.err, "\r")) << "a bar was drawn on a file";
  EXPECT_LE(dynemo::testing::split(first.err, '\n').size(), 14u) << first.err;

  const auto second = cache("--set spectral --jobs 2 --cache-dir " + shell_quote(cache_dir()));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(contains(second.out,
                       "cache: 0 extracted, 3 up to date, 1 skipped (no audio), "
                       "0 failed in "))
      << second.out;
  EXPECT_FALSE(contains(second.err, "%)")) << second.err;

  // What the command cached is what extract_features gives, bit for bit.
  const dynemo::CachedFeatures cached = dynemo::load_cached(cache_dir(), "custom", "spectral");
  ASSERT_EQ(cached.songs.size(), 3u);
  const dynemo::Audio audio = dynemo::load_audio((dir_ / "2.wav").string());
  const dynemo::FeatureMatrix want = dynemo::extract_features(
      "spectral", audio.samples.data(), audio.samples.size(), audio.sample_rate_hz);
  const dynemo::FeatureMatrix& got = cached.songs.at("2");
  EXPECT_EQ(got.time_s, want.time_s);
  ASSERT_EQ(got.values.size(), want.values.size());
  EXPECT_EQ(std::memcmp(got.values.data(), want.values.data(), got.values.size() * 4), 0);
}

TEST_F(CacheCliTest, BadFileIsListedAndExitsOneAfterTheRest) {
  dynemo::test::write_bytes((dir_ / "2.wav").string(), std::string(3000, 'x'));
  const auto run = cache("--cache-dir " + shell_quote(cache_dir()));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_TRUE(contains(run.out,
                       "cache: 2 extracted, 0 up to date, 1 skipped (no audio), "
                       "1 failed in "))
      << run.out;
  EXPECT_TRUE(contains(run.err, "error: song 2: " + (dir_ / "2.wav").string() + ": ")) << run.err;
  EXPECT_TRUE(contains(run.err, "cache: 3/3 (100%)") && contains(run.err, "1 failed")) << run.err;
}

TEST_F(CacheCliTest, DefaultsToTheUserCacheFolderNotTheDataset) {
  const fs::path xdg = dir_ / "xdg";
  const auto run = cache("", "XDG_CACHE_HOME=" + shell_quote(xdg.string()) + " ");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(
      fs::exists(fs::path(dynemo::cache_folder((xdg / "dynemo").string(), "custom", "spectral")) /
                 "index.json"))
      << run.out;
  EXPECT_FALSE(fs::exists(dir_ / ".dynemo-cache"));
}

TEST_F(CacheCliTest, BadSetIsAnErrorBeforeAnyWork) {
  const auto run = cache("--set nonsense --cache-dir " + shell_quote(cache_dir()));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "error: ")) << run.err;
  EXPECT_TRUE(contains(run.err, "nonsense")) << run.err;
  EXPECT_FALSE(fs::exists(cache_dir()));
}

}  // namespace
