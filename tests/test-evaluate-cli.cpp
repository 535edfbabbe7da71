// `dynemo split` and `dynemo evaluate` end to end: a tiny custom dataset (manifest, long
// annotations, 5 s WAV excerpts that start 30 s into their songs) and prediction files equal to
// the truth plus 0.1, so every printed number is known in advance.
#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "audio-fixtures.h"
#include "dynemo/version.h"
#include "file-helpers.h"

namespace {

namespace fs = std::filesystem;
using dynemo::testing::contains;
using dynemo::testing::read_file;
using dynemo::testing::shell_quote;

constexpr int kSongs = 4;
constexpr int kRatings = 10;           // 30.0, 30.5, ..., 34.5 s
constexpr double kAudioOffset = 30.0;  // the excerpts start 30 s into their songs

double arousal(int song, int k) { return -0.5 + 0.1 * song + 0.02 * k; }
double valence(int song, int k) { return 0.3 - 0.05 * song + 0.001 * k * k; }

std::string number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

std::string fixed4(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

// Population variance of the truth of one dimension over every rating.
double truth_variance(double (*f)(int, int)) {
  double sum = 0.0, ss = 0.0;
  const int n = kSongs * kRatings;
  for (int s = 1; s <= kSongs; ++s) {
    for (int k = 0; k < kRatings; ++k) sum += f(s, k);
  }
  const double mean = sum / n;
  for (int s = 1; s <= kSongs; ++s) {
    for (int k = 0; k < kRatings; ++k) ss += (f(s, k) - mean) * (f(s, k) - mean);
  }
  return ss / n;
}

class EvaluateCliTest : public dynemo::testing::TempDirTest {
 protected:
  EvaluateCliTest() : TempDirTest("dynemo-test-evaluate-cli") {}

  void SetUp() override {
    TempDirTest::SetUp();
    fs::create_directories(dir_ / "audio");
    fs::create_directories(dir_ / "pred");
    std::ofstream manifest(dir_ / "manifest.csv");
    std::ofstream annotations(dir_ / "annotations.csv");
    manifest << "song_id,audio_path,offset_s\n";
    annotations << "song_id,time_s,arousal,valence\n";
    const std::vector<float> tone = dynemo::test::sine(5 * 22050, 22050.0, 440.0, 0.3);
    for (int s = 1; s <= kSongs; ++s) {
      const std::string wav = "audio/" + std::to_string(s) + ".wav";
      ASSERT_EQ(dynemo::test::write_sound((dir_ / wav).string(), SF_FORMAT_WAV | SF_FORMAT_PCM_16,
                                          1, 22050, tone),
                "");
      manifest << s << "," << wav << "," << kAudioOffset << "\n";
      for (int k = 0; k < kRatings; ++k) {
        annotations << s << "," << number(kAudioOffset + 0.5 * k) << "," << number(arousal(s, k))
                    << "," << number(valence(s, k)) << "\n";
      }
    }
  }

  // Predictions of `song`: window starts 0, 0.5, ... s in the audio file, truth + 0.1.
  void write_prediction(int song, int n_rows = kRatings) {
    std::ofstream out(dir_ / "pred" / (std::to_string(song) + ".csv"));
    out << "time_s,arousal,valence\n";
    for (int k = 0; k < n_rows; ++k) {
      out << number(0.5 * k) << "," << number(arousal(song, k) + 0.1) << ","
          << number(valence(song, k) + 0.1) << "\n";
    }
  }

  std::string dataset_args() const {
    return " --dataset custom --manifest " + shell_quote((dir_ / "manifest.csv").string()) +
           " --annotations " + shell_quote((dir_ / "annotations.csv").string());
  }

  dynemo::testing::CommandRun run_cli(const std::string& args) {
    return dynemo::testing::run_command(shell_quote(DYNEMO_CLI) + " " + args, dir_);
  }

  dynemo::testing::CommandRun evaluate(const std::string& extra = "") {
    return run_cli("evaluate --pred " + shell_quote((dir_ / "pred").string()) + dataset_args() +
                   " --json " + shell_quote((dir_ / "report.json").string()) + extra);
  }
};

TEST_F(EvaluateCliTest, TruthPlusATenthPrintsKnownNumbers) {
  for (int s = 1; s <= kSongs; ++s) write_prediction(s);
  const auto run = evaluate();
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;

  // A constant shift of 0.1: RMSE = MAE = 0.1, r = 1, R2 = 1 - 0.01 / var, CCC = 2v / (2v + 0.01).
  const double va = truth_variance(arousal), vv = truth_variance(valence);
  EXPECT_TRUE(contains(run.out, "| metric | arousal | valence |")) << run.out;
  EXPECT_TRUE(contains(run.out, "| R2 (pooled) | " + fixed4(1.0 - 0.01 / va) + " | " +
                                    fixed4(1.0 - 0.01 / vv) + " |"))
      << run.out;
  EXPECT_TRUE(contains(run.out, "| RMSE (pooled) | 0.1000 | 0.1000 |")) << run.out;
  EXPECT_TRUE(contains(run.out, "| MAE (pooled) | 0.1000 | 0.1000 |")) << run.out;
  EXPECT_TRUE(contains(run.out, "| Pearson r (pooled) | 1.0000 | 1.0000 |")) << run.out;
  EXPECT_TRUE(contains(run.out, "| CCC (pooled) | " + fixed4(2 * va / (2 * va + 0.01)) + " | " +
                                    fixed4(2 * vv / (2 * vv + 0.01)) + " |"))
      << run.out;
  EXPECT_TRUE(contains(run.out,
                       "| Pearson r per song, mean ± std | 1.0000 ± 0.0000 (n 4, 0 "
                       "skipped) | 1.0000 ± 0.0000 (n 4, 0 skipped) |"))
      << run.out;
  EXPECT_TRUE(contains(run.out, "| Kendall tau-b per song, mean ± std | 1.0000 ± 0.0000 (n 4"))
      << run.out;
  EXPECT_TRUE(
      contains(run.out, "| RMSE per song, mean ± std | 0.1000 ± 0.0000 | 0.1000 ± 0.0000 |"))
      << run.out;
  EXPECT_TRUE(contains(run.out,
                       "4 of 4 songs scored, 40 frames paired; 0 ratings without a "
                       "prediction row (0 more outside the audio), 0 prediction rows "
                       "without a rating."))
      << run.out;

  const nlohmann::json json = nlohmann::json::parse(read_file(dir_ / "report.json"));
  EXPECT_EQ(json["dynemo_version"], dynemo::kVersion);
  EXPECT_EQ(json["dataset"], "custom");
  EXPECT_TRUE(json["split"].is_null());
  EXPECT_EQ(json["counts"]["n_songs_scored"], 4);
  EXPECT_EQ(json["counts"]["n_frames"], 40);
  for (const char* dim : {"arousal", "valence"}) {
    const nlohmann::json& m = json["metrics"][dim];
    EXPECT_NEAR(m["pooled"]["rmse"].get<double>(), 0.1, 1e-12) << dim;
    EXPECT_NEAR(m["pooled"]["mae"].get<double>(), 0.1, 1e-12) << dim;
    EXPECT_NEAR(m["pooled"]["pearson"].get<double>(), 1.0, 1e-12) << dim;
    EXPECT_EQ(m["pooled"]["n_frames"], 40) << dim;
    EXPECT_NEAR(m["per_song"]["kendall_mean"].get<double>(), 1.0, 1e-12) << dim;
    EXPECT_NEAR(m["per_song"]["rmse_std"].get<double>(), 0.0, 1e-12) << dim;
    EXPECT_EQ(m["per_song"]["pearson_skipped"], 0) << dim;
  }
  EXPECT_NEAR(json["metrics"]["arousal"]["pooled"]["r2"].get<double>(), 1.0 - 0.01 / va, 1e-9);
  EXPECT_NEAR(json["metrics"]["valence"]["pooled"]["ccc"].get<double>(), 2 * vv / (2 * vv + 0.01),
              1e-9);
}

TEST_F(EvaluateCliTest, CountsMissingSongsAndRows) {
  write_prediction(1);
  write_prediction(2, kRatings - 3);  // the last 3 ratings have no row
  write_prediction(3, kRatings + 2);  // 2 rows after the last rating
  // Song 4: no file.
  const auto run = evaluate();
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_TRUE(contains(run.out, "| RMSE (pooled) | 0.1000 | 0.1000 |")) << run.out;
  EXPECT_TRUE(contains(run.out,
                       "3 of 4 songs scored, 27 frames paired; 3 ratings without a "
                       "prediction row (0 more outside the audio), 2 prediction rows "
                       "without a rating."))
      << run.out;
  EXPECT_TRUE(contains(run.out, "1 songs without a prediction file: 4")) << run.out;
  const nlohmann::json json = nlohmann::json::parse(read_file(dir_ / "report.json"));
  EXPECT_EQ(json["counts"]["songs_missing"], nlohmann::json({"4"}));
  EXPECT_EQ(json["counts"]["n_ratings_unpredicted"], 3);
  EXPECT_EQ(json["counts"]["n_predictions_unmatched"], 2);
}

TEST_F(EvaluateCliTest, SplitThenEvaluateItsTestSongs) {
  const fs::path split = dir_ / "splits" / "holdout.json";
  const auto made = run_cli("split" + dataset_args() + " --kind holdout --test-fraction 0.5 " +
                            "--seed 3 -o " + shell_quote(split.string()));
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_TRUE(contains(made.out, "split: custom, holdout (seed 3): 2 train, 2 test songs"))
      << made.out;
  const nlohmann::json json = nlohmann::json::parse(read_file(split));
  EXPECT_EQ(json["kind"], "holdout");
  EXPECT_EQ(json["seed"], 3);
  ASSERT_EQ(json["test"].size(), 2u);

  // Predictions for the test songs only: all of them are scored, nothing is missing.
  for (const auto& id : json["test"]) write_prediction(std::stoi(id.get<std::string>()));
  const auto run = evaluate(" --split " + shell_quote(split.string()));
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_TRUE(contains(run.out, "2 of 2 songs scored, 20 frames paired")) << run.out;
  const nlohmann::json report = nlohmann::json::parse(read_file(dir_ / "report.json"));
  EXPECT_EQ(report["split"]["kind"], "holdout");
  EXPECT_EQ(report["counts"]["n_songs"], 2);
}

TEST_F(EvaluateCliTest, KfoldSplitSummary) {
  const fs::path split = dir_ / "kfold.json";
  const auto run =
      run_cli("split" + dataset_args() + " --folds 2 --seed 5 -o " + shell_quote(split.string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "kfold (seed 5): 2 folds of 2, 2 songs (4 songs)")) << run.out;
  EXPECT_EQ(nlohmann::json::parse(read_file(split))["folds"].size(), 2u);

  const auto bad =
      run_cli("split" + dataset_args() + " --folds 5 -o " + shell_quote(split.string()));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(contains(bad.err, "error: kfold split: k=5 folds for the 4 songs")) << bad.err;
  const auto official = run_cli("split" + dataset_args() + " --kind official -o x.json");
  EXPECT_EQ(official.exit_code, 1);
  EXPECT_TRUE(contains(official.err, "defines no official")) << official.err;
}

TEST_F(EvaluateCliTest, NothingToScoreExitsOne) {
  const auto run = evaluate();
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err,
                       "error: evaluate: no song could be scored (4 songs asked for, 4 "
                       "without a prediction file"))
      << run.err;
  EXPECT_TRUE(contains(run.out, "4 songs without a prediction file: 1, 2, 3, 4")) << run.out;
}

TEST_F(EvaluateCliTest, MalformedPredictionNamesFileLineAndColumn) {
  write_prediction(1);
  std::ofstream(dir_ / "pred" / "2.csv") << "time_s,arousal,valence\n0,0.1,0.2\n0.5,abc,0.2\n";
  const auto run = evaluate();
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "2.csv:3:2: 'abc' is not a finite number (arousal)")) << run.err;
}

TEST_F(EvaluateCliTest, MalformedSplitIsNamed) {
  std::ofstream(dir_ / "bad.json") << R"({"kind":"holdout"})";
  write_prediction(1);
  const auto run = evaluate(" --split " + shell_quote((dir_ / "bad.json").string()));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "bad.json: split JSON: missing key \"seed\"")) << run.err;
}

}  // namespace
