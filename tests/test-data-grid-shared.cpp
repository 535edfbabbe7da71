// The time grid on the real DEAM excerpts of ../shared/data (skipped when absent): every song's
// 60 ratings (15.0-44.5 s) meet a 10.03 s audio file that starts 30 s into the clip, so exactly
// the 20 ratings at 30.0-39.5 s have a whole window; extracting features with the grid's
// configuration gives 20 rows that pair one to one with them.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "dynemo/audio.h"
#include "dynemo/data.h"
#include "dynemo/features.h"

namespace fs = std::filesystem;

namespace {

const fs::path kDeam = fs::path(DYNEMO_SHARED_DIR) / "data" / "deam";

TEST(DataGridShared, EveryDeamExcerptPairsTwentyRatingsWithTwentyWindows) {
  if (!fs::is_directory(kDeam)) GTEST_SKIP() << kDeam.string() << " not found: shared data absent";
  const dynemo::Dataset deam = dynemo::load_dataset({"deam", kDeam.string(), "", ""});
  ASSERT_EQ(deam.songs.size(), 1144u);
  for (const dynemo::AnnotatedSong& song : deam.songs) {
    ASSERT_FALSE(song.audio_path.empty()) << song.song_id;
    const dynemo::AudioInfo info = dynemo::probe_audio(song.audio_path);
    const dynemo::SongGrid grid = dynemo::song_grid(song, info.duration_s());
    ASSERT_EQ(grid.rating_index.size(), 20u)
        << "song " << song.song_id << ", audio " << info.duration_s() << " s";
    EXPECT_EQ(grid.n_dropped, 40u) << song.song_id;
    EXPECT_DOUBLE_EQ(song.time_s[grid.rating_index.front()], 30.0) << song.song_id;
    EXPECT_DOUBLE_EQ(song.time_s[grid.rating_index.back()], 39.5) << song.song_id;
    EXPECT_NEAR(grid.config.offset_s, 0.0, 1e-9) << song.song_id;
  }
}

TEST(DataGridShared, ExtractedRowsMatchTheRatingsOfRealSongs) {
  if (!fs::is_directory(kDeam)) GTEST_SKIP() << kDeam.string() << " not found: shared data absent";
  const dynemo::Dataset deam = dynemo::load_dataset({"deam", kDeam.string(), "", ""});
  // A few songs, including ones whose excerpts are not 44.1 kHz stereo.
  for (std::size_t i = 0; i < deam.songs.size(); i += 229) {
    const dynemo::AnnotatedSong& song = deam.songs[i];
    const dynemo::Audio audio = dynemo::load_audio(song.audio_path);
    const dynemo::SongGrid grid = dynemo::song_grid(song, audio.duration_s());
    const dynemo::FeatureMatrix features =
        dynemo::extract_features("chroma", audio.samples.data(), audio.samples.size(),
                                 audio.sample_rate_hz, grid.config, song.audio_path);
    ASSERT_EQ(features.n_rows(), 20u) << song.song_id;
    const std::vector<std::size_t> rows = dynemo::match_rows(song, grid, features);
    ASSERT_EQ(rows.size(), 20u) << song.song_id;
    for (std::size_t k = 0; k < rows.size(); ++k) EXPECT_EQ(rows[k], k) << song.song_id;
  }
}

}  // namespace
