// src/data without the loaders: the time grid that pairs ratings with audio windows, the splits
// and their JSON form, prediction files and evaluation. Songs and datasets are built here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dynemo/data.h"
#include "dynemo/error.h"
#include "dynemo/evaluation.h"
#include "dynemo/features.h"
#include "file-helpers.h"

namespace {

namespace fs = std::filesystem;
using dynemo::AnnotatedSong;
using dynemo::Dataset;
using dynemo::Split;
using dynemo::testing::contains;

// The message of the E that `f` throws, or "<no E>" / "<other: ...>".
template <class E>
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("<other: ") + e.what() + ">";
  }
  return "<no exception>";
}

// Ratings at first_s, first_s + 0.5, ... (n of them); arousal i/100, valence -i/100.
AnnotatedSong make_song(const std::string& id, double first_s, std::size_t n, double offset_s) {
  AnnotatedSong song;
  song.song_id = id;
  song.audio_offset_s = offset_s;
  for (std::size_t i = 0; i < n; ++i) {
    song.time_s.push_back(first_s + 0.5 * static_cast<double>(i));
    song.arousal.push_back(0.01 * static_cast<double>(i));
    song.valence.push_back(-0.02 * static_cast<double>(i) + 0.3);
  }
  return song;
}

// Songs "1".."n" (numeric ids unless given), 4 ratings each from 15 s.
Dataset make_dataset(std::size_t n, const std::string& name = "custom") {
  Dataset dataset;
  dataset.name = name;
  for (std::size_t i = 1; i <= n; ++i) {
    dataset.songs.push_back(make_song(std::to_string(i), 15.0, 4, 0.0));
  }
  return dataset;
}

dynemo::FeatureMatrix rows_at(const std::vector<double>& times) {
  dynemo::FeatureMatrix m;
  m.columns = {"x.a"};
  m.time_s = times;
  m.values.assign(times.size(), 0.0f);
  return m;
}

// --- Time grid ------------------------------------------------------------------------------

// The shared DEAM layout: ratings 15..39.5 s (50), audio = the 10.03 s excerpt from 30 s.
TEST(SongGrid, DeamExcerptKeepsTheTwentyRatingsInsideIt) {
  const AnnotatedSong song = make_song("1024", 15.0, 50, 30.0);
  const dynemo::SongGrid grid = dynemo::song_grid(song, 10.03);
  ASSERT_EQ(grid.rating_index.size(), 20u);
  EXPECT_EQ(grid.n_dropped, 30u);
  EXPECT_DOUBLE_EQ(grid.config.offset_s, 0.0);
  for (std::size_t k = 0; k < 20; ++k) {
    EXPECT_EQ(grid.rating_index[k], 30 + k);
    EXPECT_DOUBLE_EQ(song.time_s[grid.rating_index[k]], 30.0 + 0.5 * k);
  }
  EXPECT_EQ(grid.config.window_s, 0.5);
  EXPECT_EQ(grid.config.sample_rate_hz, 44100.0);
}

// emoMusic 45 s clips: ratings 15..45 s (61); the one at 45 s has no whole window.
TEST(SongGrid, FullClipDropsTheRatingAtTheEnd) {
  const AnnotatedSong song = make_song("2", 15.0, 61, 0.0);
  const dynemo::SongGrid grid = dynemo::song_grid(song, 45.0);
  ASSERT_EQ(grid.rating_index.size(), 60u);
  EXPECT_EQ(grid.n_dropped, 1u);
  EXPECT_DOUBLE_EQ(grid.config.offset_s, 15.0);
  EXPECT_EQ(grid.rating_index.front(), 0u);
  EXPECT_EQ(grid.rating_index.back(), 59u);
}

TEST(SongGrid, ToleratesRoundingAtBothEnds) {
  // Times one part in 1e9 off the grid still count as whole windows.
  AnnotatedSong song = make_song("7", 30.0, 20, 30.0);
  song.time_s.front() -= 1e-9;
  const dynemo::SongGrid grid = dynemo::song_grid(song, 10.0 - 1e-9);
  EXPECT_EQ(grid.rating_index.size(), 20u);
  EXPECT_EQ(grid.config.offset_s, 0.0) << "clamped, never negative";
}

TEST(SongGrid, GapsOnTheGridAreFineOffTheGridIsAnError) {
  AnnotatedSong song = make_song("9", 30.0, 6, 30.0);
  song.time_s = {30.0, 30.5, 31.5, 32.0, 33.5, 34.0};  // gaps, all on the 0.5 s grid
  const dynemo::SongGrid grid = dynemo::song_grid(song, 10.0);
  EXPECT_EQ(grid.rating_index.size(), 6u);

  song.time_s[3] = 32.25;
  const std::string what = error_of<dynemo::DataError>([&] { dynemo::song_grid(song, 10.0); });
  EXPECT_TRUE(contains(what, "song 9")) << what;
  EXPECT_TRUE(contains(what, "32.25 s")) << what;
  EXPECT_TRUE(contains(what, "hop_s=0.5")) << what;
}

TEST(SongGrid, NoWholeWindowKeepsNothing) {
  const AnnotatedSong song = make_song("3", 15.0, 10, 30.0);  // 15..19.5 s, audio starts at 30 s
  const dynemo::SongGrid grid = dynemo::song_grid(song, 10.03);
  EXPECT_TRUE(grid.rating_index.empty());
  EXPECT_EQ(grid.n_dropped, 10u);
}

TEST(SongGrid, RejectsBadInput) {
  AnnotatedSong song = make_song("4", 15.0, 3, 0.0);
  EXPECT_TRUE(contains(error_of<dynemo::ConfigError>([&] { dynemo::song_grid(song, -1.0); }),
                       "song 4: audio duration -1 s"));
  song.valence.pop_back();
  EXPECT_TRUE(contains(error_of<dynemo::DataError>([&] { dynemo::song_grid(song, 45.0); }),
                       "3 times, 3 arousal and 2 valence values"));
  song = make_song("4", 15.0, 3, 0.0);
  std::swap(song.time_s[0], song.time_s[1]);
  EXPECT_TRUE(contains(error_of<dynemo::DataError>([&] { dynemo::song_grid(song, 45.0); }),
                       "expected finite ascending times"));
}

TEST(MatchRows, PairsEachKeptRatingWithItsRow) {
  const AnnotatedSong song = make_song("1024", 15.0, 50, 30.0);
  const dynemo::SongGrid grid = dynemo::song_grid(song, 10.03);
  std::vector<double> times;
  for (int k = 0; k < 20; ++k) times.push_back(0.5 * k + 1e-9);
  const std::vector<std::size_t> rows = dynemo::match_rows(song, grid, rows_at(times));
  ASSERT_EQ(rows.size(), 20u);
  for (std::size_t k = 0; k < 20; ++k) EXPECT_EQ(rows[k], k);
}

TEST(MatchRows, SkipsRowsWithoutARating) {
  AnnotatedSong song = make_song("5", 30.0, 3, 30.0);
  song.time_s = {30.5, 31.5, 32.0};
  const dynemo::SongGrid grid = dynemo::song_grid(song, 10.0);
  EXPECT_DOUBLE_EQ(grid.config.offset_s, 0.5);
  const std::vector<std::size_t> rows =
      dynemo::match_rows(song, grid, rows_at({0.5, 1.0, 1.5, 2.0, 2.5}));
  EXPECT_EQ(rows, (std::vector<std::size_t>{0, 2, 3}));
}

TEST(MatchRows, MissingWindowIsANumberedError) {
  const AnnotatedSong song = make_song("1024", 15.0, 61, 0.0);
  const dynemo::SongGrid grid = dynemo::song_grid(song, 45.0);  // 60 ratings kept
  std::vector<double> times;
  for (int k = 0; k < 58; ++k) times.push_back(15.0 + 0.5 * k);  // up to 43.5 s
  const std::string what =
      error_of<dynemo::DataError>([&] { dynemo::match_rows(song, grid, rows_at(times)); });
  EXPECT_TRUE(contains(what, "song 1024: 60 ratings, 58 windows: no window at 44 s")) << what;
}

// The real extractor on the grid's config gives exactly the rows match_rows needs.
TEST(MatchRows, AgreesWithExtractFeaturesOnAnExcerpt) {
  const AnnotatedSong song = make_song("10", 15.0, 50, 30.0);
  const double rate_hz = 22050.0;
  std::vector<float> samples(static_cast<std::size_t>(10.03 * rate_hz));
  for (std::size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<float>(0.3 * std::sin(2.0 * 3.14159265358979 * 440.0 * i / rate_hz));
  }
  dynemo::FeatureConfig base;
  base.sample_rate_hz = rate_hz;
  const dynemo::SongGrid grid =
      dynemo::song_grid(song, static_cast<double>(samples.size()) / rate_hz, base);
  const dynemo::FeatureMatrix features =
      dynemo::extract_features("spectral", samples.data(), samples.size(), rate_hz, grid.config);
  ASSERT_EQ(features.n_rows(), 20u);
  const std::vector<std::size_t> rows = dynemo::match_rows(song, grid, features);
  ASSERT_EQ(rows.size(), 20u);
  EXPECT_EQ(rows.back(), 19u);
}

// --- Splits ---------------------------------------------------------------------------------

std::vector<std::string> sorted(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::string> all_ids(const Dataset& dataset) {
  std::vector<std::string> ids;
  for (const AnnotatedSong& song : dataset.songs) ids.push_back(song.song_id);
  return ids;
}

TEST(KfoldSplit, FoldsAreDisjointBalancedAndCoverEverySong) {
  const Dataset dataset = make_dataset(23);
  const Split split = dynemo::kfold_split(dataset, 5, 7);
  EXPECT_EQ(split.kind, "kfold");
  EXPECT_EQ(split.seed, 7u);
  ASSERT_EQ(split.folds.size(), 5u);
  std::vector<std::string> seen;
  for (const auto& fold : split.folds) {
    EXPECT_GE(fold.size(), 4u);
    EXPECT_LE(fold.size(), 5u);
    seen.insert(seen.end(), fold.begin(), fold.end());
  }
  EXPECT_EQ(sorted(seen), sorted(all_ids(dataset)));
  EXPECT_TRUE(split.train.empty());
  EXPECT_TRUE(split.test.empty());
}

TEST(KfoldSplit, SameSeedSameSplitOtherSeedOtherSplit) {
  const Dataset dataset = make_dataset(40);
  EXPECT_EQ(dynemo::kfold_split(dataset, 4, 1).folds, dynemo::kfold_split(dataset, 4, 1).folds);
  EXPECT_NE(dynemo::kfold_split(dataset, 4, 1).folds, dynemo::kfold_split(dataset, 4, 2).folds);
}

// Pinned: the shuffle is our own Fisher-Yates over mt19937 draws, so this holds with every
// standard library. Checked against an independent Python MT19937 + the same Fisher-Yates
// (mask-and-reject draws, i from n-1 down to 1). A change here changes every published split.
TEST(KfoldSplit, SeedGivesThePinnedSplit) {
  const Split split = dynemo::kfold_split(make_dataset(10), 3, 42);
  const std::vector<std::vector<std::string>> expected = {
      {"1", "7", "9", "10"}, {"2", "5", "8"}, {"3", "4", "6"}};
  EXPECT_EQ(split.folds, expected) << dynemo::split_to_json(split);
}

TEST(KfoldSplit, EverySongReachesEveryFoldAsOften) {
  // Over many seeds the shuffle is uniform: song 1 lands in each of 4 folds about 1/4 of the time.
  const Dataset dataset = make_dataset(8);
  std::vector<int> counts(4, 0);
  for (unsigned seed = 0; seed < 4000; ++seed) {
    const Split split = dynemo::kfold_split(dataset, 4, seed);
    for (std::size_t f = 0; f < 4; ++f) {
      const auto& fold = split.folds[f];
      if (std::find(fold.begin(), fold.end(), "1") != fold.end()) ++counts[f];
    }
  }
  for (int c : counts) EXPECT_NEAR(c, 1000, 100);
}

TEST(KfoldSplit, RejectsKOutOfRange) {
  const Dataset dataset = make_dataset(3);
  EXPECT_TRUE(contains(
      error_of<dynemo::ConfigError>([&] { dynemo::kfold_split(dataset, 4, 1); }),
      "k=4 folds for the 3 songs of dataset 'custom', expected 2 <= k <= the number of songs"));
  EXPECT_TRUE(
      contains(error_of<dynemo::ConfigError>([&] { dynemo::kfold_split(dataset, 1, 1); }), "k=1"));
  EXPECT_EQ(dynemo::kfold_split(dataset, 3, 1).folds.size(), 3u);
}

TEST(KfoldSplit, RejectsRepeatedSongIds) {
  Dataset dataset = make_dataset(3);
  dataset.songs[2].song_id = "1";
  EXPECT_TRUE(contains(error_of<dynemo::DataError>([&] { dynemo::kfold_split(dataset, 2, 1); }),
                       "song id '1' twice"));
}

TEST(OfficialSplit, DevelopmentTrainsEvaluationTests) {
  Dataset dataset = make_dataset(5, "emomusic");
  dataset.official_set = {{"1", "development"},
                          {"2", "evaluation"},
                          {"3", "development"},
                          {"5", "evaluation"},
                          {"99", "evaluation"}};
  const Split split = dynemo::official_split(dataset);
  EXPECT_EQ(split.kind, "official");
  EXPECT_EQ(split.train, (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(split.test, (std::vector<std::string>{"2", "5"}));  // song 4: in no set; 99: no song
  EXPECT_TRUE(split.folds.empty());
}

TEST(OfficialSplit, Errors) {
  Dataset dataset = make_dataset(3, "deam");
  EXPECT_TRUE(contains(error_of<dynemo::ConfigError>([&] { dynemo::official_split(dataset); }),
                       "dataset 'deam' defines no official development/evaluation sets"));
  dataset.official_set = {{"1", "development"}, {"2", "test"}};
  EXPECT_TRUE(contains(error_of<dynemo::DataError>([&] { dynemo::official_split(dataset); }),
                       "song 2 is in set 'test'"));
  dataset.official_set = {{"1", "development"}};
  EXPECT_TRUE(contains(error_of<dynemo::ConfigError>([&] { dynemo::official_split(dataset); }),
                       "1 development and 0 evaluation songs"));
}

TEST(Mediaeval2015Split, IdsUpTo2000TrainThen2001To2058Test) {
  Dataset dataset;
  dataset.name = "deam";
  for (const char* id : {"2", "1000", "2000", "2001", "2058", "2059", "x12"}) {
    dataset.songs.push_back(make_song(id, 15.0, 2, 0.0));
  }
  const Split split = dynemo::mediaeval2015_split(dataset);
  EXPECT_EQ(split.kind, "mediaeval2015");
  EXPECT_EQ(split.train, (std::vector<std::string>{"2", "1000", "2000"}));
  EXPECT_EQ(split.test, (std::vector<std::string>{"2001", "2058"}));

  // The shared DEAM copy holds development songs only.
  EXPECT_TRUE(contains(
      error_of<dynemo::ConfigError>([&] { dynemo::mediaeval2015_split(make_dataset(5, "deam")); }),
      "5 development songs (ids 1..2000) and 0 test songs (ids 2001..2058)"));
}

TEST(HoldoutSplit, SeededFractionWithAtLeastOneSongEachSide) {
  const Dataset dataset = make_dataset(10);
  const Split split = dynemo::holdout_split(dataset, 0.25, 3);
  EXPECT_EQ(split.kind, "holdout");
  EXPECT_EQ(split.test.size(), 3u);  // round(2.5) = 3, away from zero
  EXPECT_EQ(split.train.size(), 7u);
  std::vector<std::string> both = split.train;
  both.insert(both.end(), split.test.begin(), split.test.end());
  EXPECT_EQ(sorted(both), sorted(all_ids(dataset)));
  EXPECT_EQ(dynemo::holdout_split(dataset, 0.25, 3).test, split.test);
  EXPECT_EQ(dynemo::holdout_split(dataset, 0.01, 3).test.size(), 1u);
  EXPECT_EQ(dynemo::holdout_split(dataset, 0.99, 3).train.size(), 1u);
  EXPECT_TRUE(
      contains(error_of<dynemo::ConfigError>([&] { dynemo::holdout_split(dataset, 1.0, 3); }),
               "expected a value in (0, 1)"));
  EXPECT_TRUE(contains(
      error_of<dynemo::ConfigError>([&] { dynemo::holdout_split(make_dataset(1), 0.5, 3); }),
      "has 1 songs, expected at least 2"));
}

TEST(SplitJson, RoundTripsExactly) {
  const Dataset dataset = make_dataset(12);
  for (const Split& split :
       {dynemo::kfold_split(dataset, 5, 4294967295u), dynemo::holdout_split(dataset, 0.3, 9)}) {
    const std::string text = dynemo::split_to_json(split);
    const Split back = dynemo::split_from_json(text);
    EXPECT_EQ(back.kind, split.kind);
    EXPECT_EQ(back.seed, split.seed);
    EXPECT_EQ(back.folds, split.folds);
    EXPECT_EQ(back.train, split.train);
    EXPECT_EQ(back.test, split.test);
    EXPECT_EQ(dynemo::split_to_json(back), text);
  }
}

TEST(SplitJson, Layout) {
  Split split;
  split.kind = "holdout";
  split.seed = 3;
  split.train = {"1", "2"};
  split.test = {"3"};
  const nlohmann::json json = nlohmann::json::parse(dynemo::split_to_json(split));
  EXPECT_EQ(json["kind"], "holdout");
  EXPECT_EQ(json["seed"], 3);
  EXPECT_EQ(json["folds"], nlohmann::json::array());
  EXPECT_EQ(json["train"], nlohmann::json({"1", "2"}));
  EXPECT_EQ(json["test"], nlohmann::json({"3"}));
}

std::string from_json_error(const std::string& text) {
  return error_of<dynemo::DataError>([&] { dynemo::split_from_json(text); });
}

TEST(SplitJson, RejectsMalformedSplits) {
  EXPECT_TRUE(contains(from_json_error("{"), "not valid JSON"));
  // nlohmann reports a number beyond double as out_of_range, not parse_error (found by
  // fuzz/split.cpp): still a DataError.
  EXPECT_TRUE(contains(from_json_error("1e309{"), "not valid JSON"));
  EXPECT_TRUE(contains(from_json_error(R"({"kind":"holdout","seed":-1e400})"), "not valid JSON"));
  EXPECT_TRUE(contains(from_json_error("[]"), "expected an object"));
  EXPECT_TRUE(contains(from_json_error(R"({"seed":1,"folds":[],"train":[],"test":["1"]})"),
                       "missing key \"kind\""));
  EXPECT_TRUE(contains(from_json_error(R"({"kind":"holdout","folds":[],"train":[],"test":["1"]})"),
                       "missing key \"seed\""));
  EXPECT_TRUE(contains(
      from_json_error(R"({"kind":"holdout","seed":-1,"folds":[],"train":[],"test":["1"]})"),
      "seed -1"));
  EXPECT_TRUE(
      contains(from_json_error(R"({"kind":"random","seed":1,"folds":[],"train":[],"test":["1"]})"),
               "kind 'random'"));
  EXPECT_TRUE(contains(
      from_json_error(R"({"kind":"holdout","seed":1,"folds":[],"train":"1","test":["2"]})"),
      "train is not an array"));
  EXPECT_TRUE(contains(
      from_json_error(R"({"kind":"holdout","seed":1,"folds":[],"train":[1],"test":["2"]})"),
      "train[0] is 1, expected a non-empty song id string"));
  EXPECT_TRUE(contains(
      from_json_error(R"({"kind":"holdout","seed":1,"folds":[],"train":["1"],"test":["1"]})"),
      "song '1' is in train and in test"));
  EXPECT_TRUE(contains(
      from_json_error(R"({"kind":"kfold","seed":1,"folds":[["1","2"],["3","2"]],"train":[],)"
                      R"("test":[]})"),
      "song '2' is in folds[0] and in folds[1]"));
  EXPECT_TRUE(contains(
      from_json_error(R"({"kind":"kfold","seed":1,"folds":[["1"],[]],"train":[],"test":[]})"),
      "folds[1] is empty"));
  EXPECT_TRUE(contains(
      from_json_error(R"({"kind":"kfold","seed":1,"folds":[["1"],["2"]],"train":[],"test":[],)"
                      R"("tests":[]})"),
      "unknown key \"tests\""));
}

// --- Predictions and evaluation ------------------------------------------------------------

class PredictionFileTest : public dynemo::testing::TempDirTest {
 protected:
  PredictionFileTest() : TempDirTest("dynemo-test-data-grid") {}
  std::string write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  std::string read_error(const std::string& text) {
    const std::string path = write("p.csv", text);
    return error_of<dynemo::DataError>([&] { dynemo::read_prediction_csv(path); });
  }
};

TEST_F(PredictionFileTest, ReadsRows) {
  const std::string path = write("1.csv", "time_s,arousal,valence\r\n0,0.1,-0.2\r\n0.5,1e-1,3\r\n");
  const dynemo::SongPrediction p = dynemo::read_prediction_csv(path);
  EXPECT_EQ(p.time_s, (std::vector<double>{0.0, 0.5}));
  EXPECT_EQ(p.arousal, (std::vector<double>{0.1, 0.1}));
  EXPECT_EQ(p.valence, (std::vector<double>{-0.2, 3.0}));
  EXPECT_TRUE(dynemo::read_prediction_csv(write("2.csv", "time_s,arousal,valence")).time_s.empty());
}

TEST_F(PredictionFileTest, ReadsAndWritesStandardDeviations) {
  const std::string text =
      "time_s,arousal,valence,arousal_sd,valence_sd\n0.000,0.1,-0.2,0.18,0.19\n"
      "0.500,0.15,-0.25,0.175,0.2\n";
  const dynemo::SongPrediction p = dynemo::read_prediction_csv(write("sd.csv", "# model\n" + text));
  EXPECT_TRUE(p.has_sd());
  EXPECT_EQ(p.arousal_sd, (std::vector<double>{0.18, 0.175}));
  EXPECT_EQ(p.valence_sd, (std::vector<double>{0.19, 0.2}));
  EXPECT_EQ(dynemo::prediction_csv(p), text);  // round trip
  const std::string path = (dir_ / "p.csv").string();
  const std::string header = "time_s,arousal,valence,arousal_sd,valence_sd\n";
  EXPECT_EQ(read_error(header + "0,0.1,0.2,0.1\n"),
            path + ":2:1: 4 fields, expected 5 (time_s,arousal,valence,arousal_sd,valence_sd)");
  EXPECT_EQ(read_error(header + "0,0.1,0.2,0.1,0\n"),
            path + ":2:5: valence_sd 0 is not > 0, expected a standard deviation");
  EXPECT_EQ(read_error(header + "0,0.1,0.2,-1,0.1\n"),
            path + ":2:4: arousal_sd -1 is not > 0, expected a standard deviation");
  EXPECT_EQ(read_error(header + "0,0.1,0.2,inf,0.1\n"),
            path + ":2:4: 'inf' is not a finite number (arousal_sd)");
}

TEST_F(PredictionFileTest, StrictErrorsNameFileLineAndColumn) {
  const std::string p = (dir_ / "p.csv").string();
  EXPECT_EQ(read_error(""), p + ":1:1: empty file, expected the header time_s,arousal,valence");
  EXPECT_EQ(read_error("time,arousal,valence\n"),
            p + ":1:1: header 'time,arousal,valence', expected time_s,arousal,valence or "
                "time_s,arousal,valence,arousal_sd,valence_sd");
  EXPECT_EQ(read_error("time_s,arousal,valence\n0,0.1,0.2\n0.5,abc,0.2\n"),
            p + ":3:2: 'abc' is not a finite number (arousal)");
  EXPECT_EQ(read_error("time_s,arousal,valence\n0,0.1,nan\n"),
            p + ":2:3: 'nan' is not a finite number (valence)");
  EXPECT_EQ(read_error("time_s,arousal,valence\n0,0.1, 0.2\n"),
            p + ":2:3: ' 0.2' is not a finite number (valence)");
  EXPECT_EQ(read_error("time_s,arousal,valence\n0,0.1\n"),
            p + ":2:1: 2 fields, expected 3 (time_s,arousal,valence)");
  EXPECT_EQ(read_error("time_s,arousal,valence\n0,0.1,0.2\n\n"),
            p + ":3:1: 1 fields, expected 3 (time_s,arousal,valence)");
  EXPECT_EQ(read_error("time_s,arousal,valence\n0.5,0.1,0.2\n0.5,0.1,0.2\n"),
            p + ":3:1: time_s 0.5 is not after the previous row's 0.5, expected strictly "
                "ascending times");
  EXPECT_TRUE(contains(
      error_of<dynemo::IoError>([&] { dynemo::read_prediction_csv((dir_ / "none.csv").string()); }),
      "cannot open"));
}

TEST_F(PredictionFileTest, DirectoryReadsTheFilesThatExist) {
  write("1.csv", "time_s,arousal,valence\n0,0,0\n");
  write("3.csv", "time_s,arousal,valence\n");
  const auto predictions = dynemo::read_prediction_dir(dir_.string(), {"1", "2", "3"});
  EXPECT_EQ(predictions.size(), 2u);
  EXPECT_EQ(predictions.count("2"), 0u);
  EXPECT_TRUE(contains(
      error_of<dynemo::IoError>([&] { dynemo::read_prediction_dir((dir_ / "none").string(), {}); }),
      "not a directory"));
}

// Predictions at the window starts t - a of every rating, equal to the truth plus `shift`.
dynemo::SongPrediction predict(const AnnotatedSong& song, double shift) {
  dynemo::SongPrediction p;
  for (std::size_t i = 0; i < song.time_s.size(); ++i) {
    p.time_s.push_back(song.time_s[i] - song.audio_offset_s);
    p.arousal.push_back(song.arousal[i] + shift);
    p.valence.push_back(song.valence[i] + shift);
  }
  return p;
}

Dataset excerpt_dataset() {
  Dataset dataset;
  dataset.name = "deam";
  for (int id = 1; id <= 3; ++id) {
    AnnotatedSong song = make_song(std::to_string(id), 30.0, 20, 30.0);
    for (double& a : song.arousal) a += 0.1 * id;  // distinct levels per song
    dataset.songs.push_back(song);
  }
  return dataset;
}

TEST(Evaluate, PerfectPredictionsScorePerfectly) {
  const Dataset dataset = excerpt_dataset();
  std::map<std::string, dynemo::SongPrediction> predictions;
  for (const AnnotatedSong& song : dataset.songs) predictions[song.song_id] = predict(song, 0.0);
  const dynemo::EvaluationSongs songs = dynemo::evaluation_songs(dataset, nullptr);
  const dynemo::EvaluationReport report =
      dynemo::evaluate_predictions(dataset, songs.song_ids, predictions);
  ASSERT_TRUE(report.has_metrics);
  EXPECT_EQ(report.counts.n_songs_scored, 3u);
  EXPECT_EQ(report.counts.n_frames, 60u);
  EXPECT_EQ(report.counts.n_ratings_unpredicted, 0u);
  EXPECT_EQ(report.counts.n_predictions_unmatched, 0u);
  for (const dynemo::DimensionMetrics* m : {&report.arousal, &report.valence}) {
    EXPECT_DOUBLE_EQ(m->pooled.r2, 1.0);
    EXPECT_DOUBLE_EQ(m->pooled.rmse, 0.0);
    EXPECT_DOUBLE_EQ(m->pooled.mae, 0.0);
    EXPECT_NEAR(m->pooled.pearson, 1.0, 1e-12);
    EXPECT_NEAR(m->pooled.ccc, 1.0, 1e-12);
    EXPECT_NEAR(m->per_song.pearson_mean, 1.0, 1e-12);
    EXPECT_NEAR(m->per_song.kendall_mean, 1.0, 1e-12);
    EXPECT_EQ(m->per_song.n_songs, 3u);
  }
}

TEST(Evaluate, CountsWhatCannotBePaired) {
  const Dataset dataset = excerpt_dataset();
  std::map<std::string, dynemo::SongPrediction> predictions;
  dynemo::SongPrediction p1 = predict(dataset.songs[0], 0.1);
  p1.time_s.erase(p1.time_s.begin() + 5);  // rating at 32.5 s has no row
  p1.arousal.erase(p1.arousal.begin() + 5);
  p1.valence.erase(p1.valence.begin() + 5);
  p1.time_s.push_back(10.0);  // a row on no rating
  p1.arousal.push_back(0.0);
  p1.valence.push_back(0.0);
  predictions["1"] = p1;
  dynemo::SongPrediction p2 = predict(dataset.songs[1], 0.1);
  for (double& t : p2.time_s) t += 30.0;  // annotation times instead of file times: no pair
  predictions["2"] = p2;
  // Song 3: no prediction at all.
  const dynemo::EvaluationReport report =
      dynemo::evaluate_predictions(dataset, {"1", "2", "3"}, predictions);
  ASSERT_TRUE(report.has_metrics);
  const dynemo::EvaluationCounts& c = report.counts;
  EXPECT_EQ(c.n_songs, 3u);
  EXPECT_EQ(c.n_songs_scored, 1u);
  EXPECT_EQ(c.songs_missing, (std::vector<std::string>{"3"}));
  EXPECT_EQ(c.songs_without_pairs, (std::vector<std::string>{"2"}));
  EXPECT_EQ(c.n_ratings, 40u);
  EXPECT_EQ(c.n_frames, 19u);
  EXPECT_EQ(c.n_ratings_unpredicted, 1u + 20u);
  EXPECT_EQ(c.n_predictions_unmatched, 1u + 20u);
  EXPECT_NEAR(report.arousal.pooled.rmse, 0.1, 1e-12);
  EXPECT_NEAR(report.valence.pooled.mae, 0.1, 1e-12);

  const std::string table = dynemo::evaluation_markdown(report);
  EXPECT_TRUE(contains(table, "| RMSE (pooled) | 0.1000 | 0.1000 |")) << table;
  EXPECT_TRUE(contains(table, "1 of 3 songs scored, 19 frames paired")) << table;
  EXPECT_TRUE(contains(table, "1 songs without a prediction file: 3")) << table;
}

// Ratings without a whole audio window could not have been predicted: counted apart.
TEST(Evaluate, RatingsOutsideTheAudioAreNotMissingPredictions) {
  Dataset dataset;
  dataset.name = "deam";
  dataset.songs.push_back(make_song("1", 15.0, 50, 30.0));  // 15..39.5 s, audio from 30 s
  dynemo::SongPrediction p = predict(dataset.songs[0], 0.0);
  p.time_s.erase(p.time_s.begin(), p.time_s.begin() + 30);  // rows for 0..9.5 s only
  p.arousal.erase(p.arousal.begin(), p.arousal.begin() + 30);
  p.valence.erase(p.valence.begin(), p.valence.begin() + 30);
  p.time_s.pop_back();  // and none for 9.5 s
  p.arousal.pop_back();
  p.valence.pop_back();

  // Without the audio length only the 30 ratings before the audio start are known outside.
  dynemo::EvaluationReport report = dynemo::evaluate_predictions(dataset, {"1"}, {{"1", p}});
  EXPECT_EQ(report.counts.n_frames, 19u);
  EXPECT_EQ(report.counts.n_ratings_outside_audio, 30u);
  EXPECT_EQ(report.counts.n_ratings_unpredicted, 1u);
  // With a 9.9 s file, 9.5 s has no whole window either.
  report = dynemo::evaluate_predictions(dataset, {"1"}, {{"1", p}}, {{"1", 9.9}});
  EXPECT_EQ(report.counts.n_ratings_outside_audio, 31u);
  EXPECT_EQ(report.counts.n_ratings_unpredicted, 0u);
  const nlohmann::json json = nlohmann::json::parse(dynemo::evaluation_json(report, {}));
  EXPECT_EQ(json["counts"]["n_ratings_outside_audio"], 31);
}

TEST(Evaluate, ReportsTheCalibrationOfPredictionsWithSds) {
  // Song 1 off by 0.1 with sd 0.2 (within 1 sd), song 2 off by 0.3 with sd 0.2 (within 2 sd),
  // song 3 off by 0.5 (outside): shares 1/3 and 2/3 of the frames.
  const Dataset dataset = excerpt_dataset();
  std::map<std::string, dynemo::SongPrediction> predictions;
  for (int id = 1; id <= 3; ++id) {
    dynemo::SongPrediction p = predict(dataset.songs[id - 1], 0.2 * id - 0.1);
    p.arousal_sd.assign(p.time_s.size(), 0.2);
    p.valence_sd.assign(p.time_s.size(), 0.2);
    predictions[std::to_string(id)] = p;
  }
  const dynemo::EvaluationReport report =
      dynemo::evaluate_predictions(dataset, {"1", "2", "3"}, predictions);
  ASSERT_TRUE(report.arousal.has_calibration);
  EXPECT_NEAR(report.arousal.calibration.within_1sd, 1.0 / 3, 1e-12);
  EXPECT_NEAR(report.valence.calibration.within_2sd, 2.0 / 3, 1e-12);
  // NLL: 0.5 log(2 pi) + log 0.2 + mean(z^2) / 2 with z = 0.5, 1.5, 2.5.
  const double nll = 0.5 * std::log(2 * M_PI) + std::log(0.2) + (0.25 + 2.25 + 6.25) / 6;
  EXPECT_NEAR(report.arousal.calibration.nll, nll, 1e-9);
  const std::string table = dynemo::evaluation_markdown(report);
  EXPECT_TRUE(contains(table, "| within ±1 sd (nominal 0.6827) | 0.3333 | 0.3333 |")) << table;
  const nlohmann::json json = nlohmann::json::parse(dynemo::evaluation_json(report, {}));
  EXPECT_NEAR(json["metrics"]["valence"]["calibration"]["within_2sd"].get<double>(), 2.0 / 3,
              1e-12);
  // One song without sds: no calibration (it would describe a subset).
  predictions["2"].arousal_sd.clear();
  predictions["2"].valence_sd.clear();
  EXPECT_FALSE(
      dynemo::evaluate_predictions(dataset, {"1", "2", "3"}, predictions).arousal.has_calibration);
}

TEST_F(PredictionFileTest, ForeignFilesAndHugeValuesAreReportedReadably) {
  for (const char* name : {"1.csv", "abc.csv", "999999.csv", "1.attention.csv", "notes.txt"}) {
    write(name, "time_s,arousal,valence\n");
  }
  fs::create_directories(dir_ / "sub.csv");
  EXPECT_EQ(dynemo::foreign_prediction_files(dir_.string(), {"1", "2"}),
            (std::vector<std::string>{"999999.csv", "abc.csv"}));
  // A 1e308 prediction: the MAE in 4 significant digits, r and CCC n/a.
  Dataset dataset;
  dataset.name = "deam";
  dataset.songs.push_back(make_song("1", 15.0, 3, 0.0));
  dynemo::SongPrediction p = predict(dataset.songs[0], 0.0);
  p.arousal[0] = 1e308;
  const std::string table =
      dynemo::evaluation_markdown(dynemo::evaluate_predictions(dataset, {"1"}, {{"1", p}}));
  EXPECT_TRUE(contains(table, "| MAE (pooled) | 3.333e+307 | 0.0000 |")) << table;
  EXPECT_TRUE(contains(table, "| Pearson r (pooled) | n/a | 1.0000 |")) << table;
  EXPECT_TRUE(contains(table, "| CCC (pooled) | n/a | 1.0000 |")) << table;
}

TEST(Evaluate, NothingScoredHasNoMetrics) {
  const Dataset dataset = excerpt_dataset();
  const dynemo::EvaluationReport report = dynemo::evaluate_predictions(dataset, {"1", "2"}, {});
  EXPECT_FALSE(report.has_metrics);
  EXPECT_EQ(report.counts.songs_missing.size(), 2u);
  const nlohmann::json json = nlohmann::json::parse(dynemo::evaluation_json(report, {}));
  EXPECT_TRUE(json["metrics"].is_null());
  EXPECT_EQ(json["counts"]["n_songs_missing"], 2);
  EXPECT_TRUE(contains(
      error_of<dynemo::DataError>([&] { dynemo::evaluate_predictions(dataset, {"7"}, {}); }),
      "song 7 is not in dataset 'deam'"));
}

TEST(Evaluate, SongsOfASplit) {
  const Dataset dataset = make_dataset(6);
  Split split;
  split.kind = "holdout";
  split.train = {"1", "2", "3"};
  split.test = {"5", "4", "77"};
  dynemo::EvaluationSongs songs = dynemo::evaluation_songs(dataset, &split);
  EXPECT_EQ(songs.song_ids, (std::vector<std::string>{"4", "5"}));
  EXPECT_EQ(songs.unknown, (std::vector<std::string>{"77"}));
  songs = dynemo::evaluation_songs(dataset, nullptr);
  EXPECT_EQ(songs.song_ids.size(), 6u);
  const Split kfold = dynemo::kfold_split(dataset, 3, 1);
  EXPECT_EQ(dynemo::evaluation_songs(dataset, &kfold).song_ids, all_ids(dataset));
}

}  // namespace
