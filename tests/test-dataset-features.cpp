// The datasets' own features (data.h: load_dataset_features, has_dataset_features,
// match_dataset_feature_rows) on synthetic DEAM official and PMEmo layouts: values, times,
// column names, pairing with ratings, the failure paths (every DataError names file, line and
// column) and the "dataset features" line of `dynemo dataset info`.
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dynemo/data.h"
#include "dynemo/error.h"
#include "file-helpers.h"

namespace fs = std::filesystem;
using dynemo::testing::contains;
using dynemo::testing::write;

namespace {

const std::string kWideHeader = "song_id,sample_15000ms,sample_15500ms,sample_16000ms\n";
const std::string kDeamHeader = "frameTime;F0final_sma_amean;pcm_RMSenergy_sma_amean\n";

class DatasetFeatures : public dynemo::testing::TempDirTest {
 protected:
  DatasetFeatures() : TempDirTest("dynemo-dsf") {}

  dynemo::Dataset load(const std::string& name) {
    return dynemo::load_dataset({name, dir_.string(), "", ""});
  }

  fs::path features() const { return dir_ / "features"; }

  // DEAM official layout, no MEMD_audio/: songs 2, 3, 10 rated at 15.0, 15.5, 16.0 s.
  // Features: song 2 at 14.5..16.0 s (16.0 written as 16.0000004), song 10 at 15.0 and 15.5 s
  // (rows out of order, no row at 16.0 s), song 3 without a file.
  void write_deam() {
    const fs::path dyn =
        dir_ / "annotations" / "annotations averaged per song" / "dynamic (per second annotations)";
    write(dyn / "arousal.csv", kWideHeader + "10,0.1,0.2,0.3\n2,-0.1,-0.2,-0.3\n3,0.5,0.6,0.7\n");
    write(dyn / "valence.csv", kWideHeader + "10,0.4,0.5,0.6\n2,-0.4,-0.5,-0.6\n3,0.0,0.1,0.2\n");
    write(features() / "2.csv", kDeamHeader +
                                    "14.5;100;0.01\n"
                                    "15.0;110.5;0.02\n"
                                    "15.5;-120;1e-3\n"
                                    "16.0000004;130;0.04\n");
    write(features() / "10.csv", kDeamHeader +
                                     "15.5;210;0.2\n"
                                     "15.0;200;0.1\n");
  }

  // PMEmo: songs 1 and 4 rated at 15.5 and 16.0 s; features for 4 (both times, out of order),
  // 1 (15.5 s only) and 9 (not annotated).
  void write_pmemo() {
    write(dir_ / "annotations" / "dynamic_annotations.csv",
          "musicId,frameTime,Arousal(mean),Valence(mean)\n"
          "4,15.5,0.1,0.2\n4,16.0,0.3,0.4\n1,15.5,0.5,0.6\n1,16.0,0.7,0.8\n");
    write(pmemo_file(),
          "musicId,frameTime,F0final_sma_amean,audspec_lengthL1norm_sma_amean\n"
          "4,16.0,2.5,3.5\n"
          "9,15.5,0,0\n"
          "4,15.5,1.5,-2\n"
          "1,15.5,7,8\n");
  }

  fs::path pmemo_file() const { return features() / "dynamic_features.csv"; }

  dynemo::testing::CommandRun dataset_info(const std::string& name) {
    return dynemo::testing::run_command(std::string(DYNEMO_CLI) + " dataset info --dataset " +
                                            name + " --root " +
                                            dynemo::testing::shell_quote(dir_.string()),
                                        dir_);
  }

  const fs::path& dir() const { return dir_; }
};

TEST(MatchDatasetFeatureRows, ByTimeWithTolerance) {
  dynemo::AnnotatedSong song;
  song.time_s = {0.5000005, 1.0, 2.0, 0.0};
  dynemo::FeatureMatrix m;
  m.columns = {"deam.x"};
  m.time_s = {0.0, 0.5, 1.0, 1.5};
  m.values = {0, 1, 2, 3};
  std::size_t n_missing = 99;
  EXPECT_EQ(dynemo::match_dataset_feature_rows(song, m, &n_missing),
            (std::vector<std::ptrdiff_t>{1, 2, -1, 0}));
  EXPECT_EQ(n_missing, 1u);

  song.time_s = {1.0 + 2e-6};  // outside the 1e-6 s tolerance
  EXPECT_EQ(dynemo::match_dataset_feature_rows(song, m, &n_missing),
            (std::vector<std::ptrdiff_t>{-1}));
  EXPECT_EQ(n_missing, 1u);
  song.time_s = {1.5 - 1e-7};
  EXPECT_EQ(dynemo::match_dataset_feature_rows(song, m, nullptr), (std::vector<std::ptrdiff_t>{3}));

  const dynemo::FeatureMatrix empty;
  song.time_s = {0.0, 0.5};
  EXPECT_EQ(dynemo::match_dataset_feature_rows(song, empty, &n_missing),
            (std::vector<std::ptrdiff_t>{-1, -1}));
  EXPECT_EQ(n_missing, 2u);
}

TEST_F(DatasetFeatures, DeamOfficialLayout) {
  write_deam();
  const dynemo::Dataset d = load("deam");
  ASSERT_EQ(d.songs.size(), 3u);
  EXPECT_TRUE(dynemo::has_dataset_features(d));
  EXPECT_EQ(dynemo::dataset_features_path(d), (dir() / "features").string());

  const auto f = dynemo::load_dataset_features(d);
  ASSERT_EQ(f.size(), 2u);  // song 3 has no file
  ASSERT_EQ(f.count("2"), 1u);
  ASSERT_EQ(f.count("10"), 1u);
  const dynemo::FeatureMatrix& s2 = f.at("2");
  EXPECT_EQ(s2.columns,
            (std::vector<std::string>{"deam.F0final_sma_amean", "deam.pcm_RMSenergy_sma_amean"}));
  EXPECT_EQ(s2.time_s, (std::vector<double>{14.5, 15.0, 15.5, 16.0000004}));
  ASSERT_EQ(s2.values.size(), 8u);
  EXPECT_EQ(s2.at(0, 0), 100.0f);
  EXPECT_EQ(s2.at(1, 0), 110.5f);
  EXPECT_EQ(s2.at(2, 0), -120.0f);
  EXPECT_EQ(s2.at(2, 1), 1e-3f);
  EXPECT_EQ(s2.at(3, 1), 0.04f);
  const dynemo::FeatureMatrix& s10 = f.at("10");
  EXPECT_EQ(s10.columns, s2.columns);
  EXPECT_EQ(s10.time_s, (std::vector<double>{15.0, 15.5}));  // sorted by time
  EXPECT_EQ(s10.at(0, 0), 200.0f);
  EXPECT_EQ(s10.at(1, 0), 210.0f);
  EXPECT_EQ(s10.at(1, 1), 0.2f);

  // Songs are sorted 2, 3, 10; ratings at 15.0, 15.5, 16.0 s.
  ASSERT_EQ(d.songs[0].song_id, "2");
  std::size_t n_missing = 99;
  EXPECT_EQ(dynemo::match_dataset_feature_rows(d.songs[0], s2, &n_missing),
            (std::vector<std::ptrdiff_t>{1, 2, 3}));
  EXPECT_EQ(n_missing, 0u);
  ASSERT_EQ(d.songs[2].song_id, "10");
  EXPECT_EQ(dynemo::match_dataset_feature_rows(d.songs[2], s10, &n_missing),
            (std::vector<std::ptrdiff_t>{0, 1, -1}));
  EXPECT_EQ(n_missing, 1u);
}

TEST_F(DatasetFeatures, DeamMalformedFiles) {
  write_deam();
  const dynemo::Dataset d = load("deam");
  const std::string f2 = (features() / "2.csv").string();
  const std::string f10 = (features() / "10.csv").string();

  write(f2, kDeamHeader + "15.0;1;2\n15.5;abc;2\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   f2 + ":3:2: 'abc' is not a number");
  write(f2, kDeamHeader + "15.0;1;nan\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   f2 + ":2:3: 'nan' is not a finite number");
  write(f2, kDeamHeader + "15.0;1;2\n15.5;1e300;2\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   f2 + ":3:2: '1e300' is outside the float range");
  write(f2, kDeamHeader + "15.0;1;\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   f2 + ":2:3: empty cell, expected a feature value");
  write(f2, kDeamHeader + "x;1;2\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   f2 + ":2:1: 'x' is not a number");
  write(f2, kDeamHeader + "15.0;1;2\n15.0;3;4\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   f2 + ":3:1: song 2 has two rows at 15 s (lines 2 and 3)");
  write(f2, kDeamHeader + "15.0;1;2;3\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   f2 + ":2: 4 cells, the header has 3");
  write(f2, "time;a;b\n15.0;1;2\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   f2 + ":1: no column 'frameTime'");

  // Columns that differ from the first song's (2), by name and by number.
  write(f2, kDeamHeader + "15.0;1;2\n");
  write(f10, "frameTime;F0final_sma_amean;zcr_sma_amean\n15.0;1;2\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   f10 +
                       ":1: song 10 has other columns than song 2: feature column 2 is "
                       "'deam.zcr_sma_amean', song 2 (" +
                       f2 + ") has 'deam.pcm_RMSenergy_sma_amean'");
  write(f10, "frameTime;F0final_sma_amean\n15.0;1\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   f10 + ":1: song 10 has other columns than song 2: 1 feature columns, song 2 (" +
                       f2 + ") has 2");

  // A separator at the end of every line is not a column.
  write(f10, "frameTime;F0final_sma_amean;pcm_RMSenergy_sma_amean;\n15.0;1;2;\n");
  const auto f = dynemo::load_dataset_features(d);
  EXPECT_EQ(f.at("10").n_cols(), 2u);
  EXPECT_EQ(f.at("10").at(0, 1), 2.0f);
}

TEST_F(DatasetFeatures, NoFeatureFiles) {
  write_deam();
  fs::remove_all(features());
  const dynemo::Dataset d = load("deam");
  EXPECT_FALSE(dynemo::has_dataset_features(d));
  const std::string dir_features = (dir() / "features").string();
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::ConfigError,
                   "deam: no dataset features: looked for " + dir_features +
                       "/<song_id>.csv for the 3 songs (e.g. " + dir_features +
                       "/2.csv), none exists");
  write(features() / "77.csv", kDeamHeader + "15.0;1;2\n");  // a song not in the dataset
  EXPECT_FALSE(dynemo::has_dataset_features(d));
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::ConfigError,
                   "deam: no dataset features");

  fs::remove_all(dir() / "annotations");
  write(dir() / "annotations" / "dynamic_annotations.csv",
        "musicId,frameTime,Arousal(mean),Valence(mean)\n1,15.5,0.5,0.6\n");
  const dynemo::Dataset p = load("pmemo");
  EXPECT_FALSE(dynemo::has_dataset_features(p));
  EXPECT_THROW_MSG(dynemo::load_dataset_features(p), dynemo::ConfigError,
                   "pmemo: no dataset features: " + pmemo_file().string() + " does not exist");

  dynemo::Dataset other = p;
  other.name = "emomusic";
  EXPECT_FALSE(dynemo::has_dataset_features(other));
  EXPECT_EQ(dynemo::dataset_features_path(other), "");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(other), dynemo::ConfigError,
                   "dataset 'emomusic' has no feature files of its own");
}

TEST_F(DatasetFeatures, PmemoLongLayout) {
  write_pmemo();
  const dynemo::Dataset d = load("pmemo");
  ASSERT_EQ(d.songs.size(), 2u);
  EXPECT_TRUE(dynemo::has_dataset_features(d));
  EXPECT_EQ(dynemo::dataset_features_path(d), pmemo_file().string());

  const auto f = dynemo::load_dataset_features(d);
  ASSERT_EQ(f.size(), 2u);  // song 9 is not annotated
  const dynemo::FeatureMatrix& s4 = f.at("4");
  EXPECT_EQ(s4.columns, (std::vector<std::string>{"pmemo.F0final_sma_amean",
                                                  "pmemo.audspec_lengthL1norm_sma_amean"}));
  EXPECT_EQ(s4.time_s, (std::vector<double>{15.5, 16.0}));
  EXPECT_EQ(s4.values, (std::vector<float>{1.5f, -2.0f, 2.5f, 3.5f}));
  const dynemo::FeatureMatrix& s1 = f.at("1");
  EXPECT_EQ(s1.columns, s4.columns);
  EXPECT_EQ(s1.time_s, (std::vector<double>{15.5}));
  EXPECT_EQ(s1.values, (std::vector<float>{7.0f, 8.0f}));

  ASSERT_EQ(d.songs[0].song_id, "1");
  std::size_t n_missing = 99;
  EXPECT_EQ(dynemo::match_dataset_feature_rows(d.songs[0], s1, &n_missing),
            (std::vector<std::ptrdiff_t>{0, -1}));
  EXPECT_EQ(n_missing, 1u);
  EXPECT_EQ(dynemo::match_dataset_feature_rows(d.songs[1], s4, &n_missing),
            (std::vector<std::ptrdiff_t>{0, 1}));
  EXPECT_EQ(n_missing, 0u);

  const std::string file = pmemo_file().string();
  const std::string header = "musicId,frameTime,a,b\n";
  write(file, header + "1,15.5,1,2\n4,16.0,1,2\n1,15.5,3,4\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   file + ":4:2: song 1 has two rows at 15.5 s (lines 2 and 4)");
  write(file, header + "1,15.5,1,2\n4,16.0,1,oops\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   file + ":3:4: 'oops' is not a number");
  write(file, header + "1,15.5,1,2\n9,16.0,-inf,0\n");  // checked although 9 is not annotated
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   file + ":3:3: '-inf' is not a finite number");
  write(file, header + ",15.5,1,2\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   file + ":2:1: empty cell, expected a song id");
  write(file, "id,frameTime,a\n1,15.5,1\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   file + ":1: no column 'musicId'");
  write(file, "musicId,frameTime\n1,15.5\n");
  EXPECT_THROW_MSG(dynemo::load_dataset_features(d), dynemo::DataError,
                   file + ":1: no feature columns in the header");
}

TEST_F(DatasetFeatures, CliDatasetInfo) {
  write_deam();
  auto run = dataset_info("deam");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(
      run.out, "dataset features     2 songs, 2 columns (" + (dir() / "features").string() + ")\n"))
      << run.out;
  EXPECT_TRUE(contains(run.out, "songs                3\n")) << run.out;

  fs::remove_all(dir() / "annotations");
  fs::remove_all(features());
  write_pmemo();
  run = dataset_info("pmemo");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out,
                       "dataset features     2 songs, 2 columns (" + pmemo_file().string() + ")\n"))
      << run.out;

  fs::remove(pmemo_file());
  run = dataset_info("pmemo");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "dataset features     none\n")) << run.out;

  write(pmemo_file(), "musicId,frameTime,a\n1,15.5,zz\n");
  run = dataset_info("pmemo");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_TRUE(contains(run.err, "error: " + pmemo_file().string() + ":2:3: 'zz' is not a number"))
      << run.err;
}

}  // namespace
