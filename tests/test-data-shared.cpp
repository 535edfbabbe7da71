// The loaders on the real annotation files of ../shared/data (README there); skipped when the
// folder is absent. The expected counts were taken from the files with Python's csv module.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dynemo/data.h"
#include "file-helpers.h"

namespace fs = std::filesystem;

namespace {

const fs::path kData = fs::path(DYNEMO_SHARED_DIR) / "data";

// Loads ../shared/data/<name>, or skips the test when it is not there.
#define LOAD_SHARED_OR_SKIP(dataset, name)                                              \
  if (!fs::is_directory(kData / name)) {                                                \
    GTEST_SKIP() << (kData / name).string() << " not found: the shared data is absent"; \
  }                                                                                     \
  const dynemo::Dataset dataset = dynemo::load_dataset({name, (kData / name).string(), "", ""})

void expect_in_scale(const dynemo::Dataset& d) {
  for (const auto& song : d.songs) {
    ASSERT_EQ(song.arousal.size(), song.time_s.size());
    ASSERT_EQ(song.valence.size(), song.time_s.size());
    ASSERT_TRUE(std::is_sorted(song.time_s.begin(), song.time_s.end()));
    for (std::size_t i = 0; i < song.time_s.size(); ++i) {
      EXPECT_GE(song.arousal[i], d.scale_min);
      EXPECT_LE(song.arousal[i], d.scale_max);
      EXPECT_GE(song.valence[i], d.scale_min);
      EXPECT_LE(song.valence[i], d.scale_max);
    }
  }
}

std::vector<std::string> ids_with_audio(const dynemo::Dataset& d) {
  std::vector<std::string> ids;
  for (const auto& song : d.songs) {
    if (!song.audio_path.empty()) ids.push_back(song.song_id);
  }
  return ids;
}

TEST(DataShared, DeamExcerpts) {
  LOAD_SHARED_OR_SKIP(d, "deam");
  EXPECT_EQ(d.report.n_songs, 1144u);
  EXPECT_EQ(d.songs.size(), 1144u);
  // Every song: 60 ratings, 15.0 .. 44.5 s (DEAM's 2013-2014 clips); the 20 at 30.0 .. 39.5 s
  // fall inside the excerpt.
  EXPECT_EQ(d.report.n_frames, 68640u);
  EXPECT_EQ(d.report.n_songs_without_audio, 0u);
  EXPECT_EQ(d.report.n_songs_dropped, 0u);
  // 40 of the 60 ratings of each song fall outside its 10.03 s excerpt (30.0 .. 39.5 s inside).
  EXPECT_EQ(d.report.n_ratings_outside_audio, 1144u * 40u);
  EXPECT_EQ(d.report.n_songs_unreadable_audio, 0u);
  // 1223 time columns (15 .. 626 s) x 1144 songs x 2 files, minus the 60 x 1144 x 2 rated.
  EXPECT_EQ(d.report.n_empty_cells, 2660944u);
  EXPECT_EQ(d.songs.front().song_id, "2");
  EXPECT_EQ(d.songs.back().song_id, "2000");
  for (const auto& song : d.songs) {
    EXPECT_EQ(song.audio_offset_s, 30.0);
    EXPECT_FALSE(song.audio_path.empty());
    ASSERT_EQ(song.time_s.size(), 60u) << song.song_id;
    EXPECT_EQ(song.time_s.front(), 15.0);
    EXPECT_EQ(song.time_s.back(), 44.5);
    EXPECT_EQ(std::count_if(song.time_s.begin(), song.time_s.end(),
                            [](double t) { return t >= 30.0 && t < 40.0; }),
              20);
    // No std files in the shared copy; every song has a static rating (1..9).
    EXPECT_TRUE(song.arousal_std.empty()) << song.song_id;
    EXPECT_GE(song.static_arousal, 1.0) << song.song_id;
    EXPECT_LE(song.static_arousal, 9.0) << song.song_id;
    EXPECT_GE(song.static_valence, 1.0) << song.song_id;
    EXPECT_LE(song.static_valence, 9.0) << song.song_id;
  }
  // static_annotations_averaged_songs_1_2000.csv: "2,3.1,0.94,3,0.63" (valence first).
  EXPECT_EQ(d.songs.front().static_valence, 3.1);
  EXPECT_EQ(d.songs.front().static_arousal, 3.0);
  expect_in_scale(d);
}

TEST(DataShared, Emomusic) {
  LOAD_SHARED_OR_SKIP(d, "emomusic");
  EXPECT_EQ(d.report.n_songs, 482u);
  EXPECT_EQ(d.report.n_frames, 482u * 61u);
  EXPECT_EQ(d.report.n_empty_cells, 0u);
  EXPECT_EQ(d.report.n_songs_dropped, 0u);
  EXPECT_EQ(d.report.n_songs_without_audio, 472u);
  // The ten clips last about 45 s (less than 45.5 s): the rating at 45.0 s of each has no whole
  // 0.5 s window in its clip.
  EXPECT_EQ(d.report.n_ratings_outside_audio, 10u);
  EXPECT_EQ(d.report.n_songs_unreadable_audio, 0u);
  for (const auto& song : d.songs) {
    ASSERT_EQ(song.time_s.size(), 61u) << song.song_id;
    EXPECT_EQ(song.arousal_std.size(), 61u) << song.song_id;
    EXPECT_EQ(song.valence_std.size(), 61u) << song.song_id;
    EXPECT_FALSE(std::isnan(song.static_arousal)) << song.song_id;
    EXPECT_FALSE(std::isnan(song.static_valence)) << song.song_id;
    EXPECT_EQ(song.time_s.front(), 15.0);
    EXPECT_EQ(song.time_s.back(), 45.0);
    EXPECT_EQ(song.audio_offset_s, 0.0);
  }
  EXPECT_EQ(ids_with_audio(d),
            (std::vector<std::string>{"2", "3", "4", "5", "7", "8", "10", "12", "13", "17"}));
  std::map<std::string, std::size_t> sets;
  for (const auto& [id, set] : d.official_set) ++sets[set];
  EXPECT_EQ(sets, (std::map<std::string, std::size_t>{{"development", 395}, {"evaluation", 87}}));
  EXPECT_EQ(d.official_set.at("2"), "development");
  EXPECT_EQ(d.official_set.at("3"), "evaluation");
  // static_annotations.csv "2,3.1,0.99443,3,0.66667"; *_cont_std.csv at 15.0 s and 45.0 s.
  const auto& song2 = d.songs.front();
  ASSERT_EQ(song2.song_id, "2");
  EXPECT_EQ(song2.static_arousal, 3.1);
  EXPECT_EQ(song2.static_valence, 3.0);
  EXPECT_DOUBLE_EQ(song2.arousal_std.front(), 0.399379384703605);
  EXPECT_DOUBLE_EQ(song2.valence_std.front(), 0.378733996113995);
  EXPECT_DOUBLE_EQ(song2.arousal_std.back(), 0.378156659183159);
  expect_in_scale(d);
}

TEST(DataShared, Pmemo) {
  LOAD_SHARED_OR_SKIP(d, "pmemo");
  EXPECT_EQ(d.scale_min, 0.0);
  EXPECT_EQ(d.scale_max, 1.0);
  EXPECT_EQ(d.report.n_songs, 767u);
  EXPECT_EQ(d.report.n_frames, 36434u);
  EXPECT_EQ(d.report.n_songs_without_audio, 767u);
  EXPECT_TRUE(ids_with_audio(d).empty());
  EXPECT_EQ(d.report.n_ratings_outside_audio, 0u);  // no audio in the shared copy
  std::size_t n_std_frames = 0, n_static = 0;
  for (const auto& song : d.songs) {
    if (!song.arousal_std.empty()) {
      EXPECT_EQ(song.arousal_std.size(), song.time_s.size());
      EXPECT_EQ(song.valence_std.size(), song.time_s.size());
      n_std_frames += song.arousal_std.size();
    }
    if (!std::isnan(song.static_arousal) && !std::isnan(song.static_valence)) ++n_static;
  }
  EXPECT_EQ(n_std_frames, 36434u);  // dynamic_annotations_std.csv covers every rating
  EXPECT_EQ(n_static, 767u);
  // dynamic_annotations_std.csv "1,15.5,0.28788535103253754,0.27573863458662823";
  // static_annotations.csv "1,0.4,0.575".
  EXPECT_DOUBLE_EQ(d.songs.front().arousal_std.front(), 0.28788535103253754);
  EXPECT_DOUBLE_EQ(d.songs.front().valence_std.front(), 0.27573863458662823);
  EXPECT_EQ(d.songs.front().static_arousal, 0.4);
  EXPECT_EQ(d.songs.front().static_valence, 0.575);
  std::size_t min_frames = SIZE_MAX, max_frames = 0;
  for (const auto& song : d.songs) {
    EXPECT_EQ(song.time_s.front(), 15.5) << song.song_id;
    min_frames = std::min(min_frames, song.time_s.size());
    max_frames = std::max(max_frames, song.time_s.size());
  }
  EXPECT_EQ(min_frames, 2u);
  EXPECT_EQ(max_frames, 146u);
  EXPECT_EQ(d.songs.front().song_id, "1");
  expect_in_scale(d);
}

TEST(DataShared, CliDatasetInfoDeam) {
  if (!fs::is_directory(kData / "deam")) GTEST_SKIP() << "shared data absent";
  const fs::path dir =
      fs::temp_directory_path() / ("dynemo-data-shared-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto run = dynemo::testing::run_command(
      std::string(DYNEMO_CLI) + " dataset info --dataset deam --root " +
          dynemo::testing::shell_quote((kData / "deam").string()),
      dir);
  fs::remove_all(dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* line :
       {"songs                1144\n", "frames               68640\n",
        "audio offset         30 s\n", "frames per song      min 60, median 60, max 60\n",
        "songs without audio  0\n", "unreadable audio     0\n",
        "outside audio        45760 ratings without", "songs with std       0 of 1144\n",
        "static ratings       1144 of 1144\n", "notes                none\n"}) {
    EXPECT_TRUE(dynemo::testing::contains(run.out, line)) << "missing: " << line << run.out;
  }
}

}  // namespace
