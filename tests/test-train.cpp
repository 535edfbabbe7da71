// The trainer (dynemo/train.h) on synthetic sequence sets made here with a fixed seed: closed
// forms (RIDGE recovers a linear target, MEAN predicts the training mean), the triangle filter,
// config JSON, a small LSTM learning a temporal target, same seed -> same numbers, and a run
// killed mid-training that resumes to the result of an uninterrupted one.
#include <cmath>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "doc-keys.h"
#include "dynemo/error.h"
#include "dynemo/train.h"
#include "file-helpers.h"
#include "models/ensemble.h"
#include "train/tensors.h"

namespace {

namespace fs = std::filesystem;
using dynemo::testing::read_file;

// n songs of t frames, f features ~ N(0,1). Targets: linear = 0.3 (w . x_t); temporal adds
// 0.3 tanh(x_{t-1,0} + x_{t-2,1}), which only a model with memory can predict.
dynemo::SequenceSet synthetic(std::size_t n, std::size_t t, std::size_t f, bool temporal,
                              unsigned seed = 7) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  dynemo::SequenceSet set;
  set.dataset = "synthetic";
  set.spec = "test";
  set.feature_hash = "0";
  set.feature_config_json = "{}";
  for (std::size_t c = 0; c < f; ++c) set.columns.push_back("x" + std::to_string(c));
  const std::vector<float> w = {0.5f, -0.4f, 0.3f, 0.2f, -0.1f, 0.25f};
  for (std::size_t s = 0; s < n; ++s) {
    dynemo::SongSequence seq;
    seq.song_id = std::to_string(s + 1);
    seq.audio_offset_s = 15.0;
    for (std::size_t k = 0; k < t; ++k) {
      seq.time_s.push_back(15.0 + 0.5 * static_cast<double>(k));
      for (std::size_t c = 0; c < f; ++c) seq.features.push_back(normal(rng));
    }
    for (std::size_t k = 0; k < t; ++k) {
      float lin = 0;
      for (std::size_t c = 0; c < f; ++c) lin += w[c % w.size()] * seq.features[k * f + c];
      float a = 0.3f * lin, v = -0.2f * lin;
      if (temporal && k >= 2) {
        const float m = std::tanh(seq.features[(k - 1) * f] + seq.features[(k - 2) * f + 1]);
        a = 0.3f * m;
        v = -0.3f * m;
      }
      seq.targets.push_back(a);
      seq.targets.push_back(v);
    }
    set.songs.push_back(std::move(seq));
  }
  return set;
}

class TrainTest : public dynemo::testing::TempDirTest {
 protected:
  TrainTest() : TempDirTest("dynemo-test-train") {}

  dynemo::TrainConfig small(const std::string& model) {
    dynemo::TrainConfig c;
    c.model = model;
    c.folds = 3;
    c.max_epochs = 4;
    c.batch_size = 8;
    c.seed = 3;
    c.learning_rate = 1e-2;
    return c;
  }
};

TEST(TriangleSmooth, MatchesTheHandComputedFilter) {
  EXPECT_EQ(dynemo::triangle_smooth({1, 2, 3}, 1), (std::vector<float>{1, 2, 3}));
  // width 5: weights 1 2 3 2 1, renormalised at the edges.
  const std::vector<float> y = dynemo::triangle_smooth({0, 0, 9, 0, 0, 0}, 5);
  EXPECT_NEAR(y[0], 9.0 * 1 / 6, 1e-6);  // weights 3 2 1 over frames 0..2
  EXPECT_NEAR(y[1], 9.0 * 2 / 8, 1e-6);  // 2 3 2 1
  EXPECT_NEAR(y[2], 9.0 * 3 / 9, 1e-6);  // 1 2 3 2 1
  EXPECT_NEAR(y[4], 9.0 * 1 / 8, 1e-6);  // 1 2 3 2 over frames 2..5
  EXPECT_NEAR(y[5], 0.0, 1e-6);
  const std::vector<float> flat = dynemo::triangle_smooth(std::vector<float>(30, 0.25f), 25);
  for (float v : flat) EXPECT_NEAR(v, 0.25f, 1e-6);
}

// Joined sequences are the songs one after the other, padded like any batch.
TEST(JoinedBatch, ConcatenatesSongsInTime) {
  dynemo::train::SongTensors t;
  for (int s = 0; s < 3; ++s) {
    t.x.push_back(torch::full({2 + s, 1}, static_cast<float>(s)));
    t.y.push_back(torch::full({2 + s, 2}, static_cast<float>(10 * s)));
  }
  torch::Tensor target;
  const auto batch = dynemo::train::make_joined_batch(t, {{0, 2}, {1}}, &target);
  ASSERT_EQ(batch.x.sizes(), (std::vector<std::int64_t>{2, 6, 1}));
  EXPECT_EQ(batch.mask[0].sum().item<int>(), 6);
  EXPECT_EQ(batch.mask[1].sum().item<int>(), 3);
  EXPECT_EQ(batch.x[0][1][0].item<float>(), 0.0f);
  EXPECT_EQ(batch.x[0][2][0].item<float>(), 2.0f);
  EXPECT_EQ(target[0][5][1].item<float>(), 20.0f);
  EXPECT_EQ(batch.x[1][2][0].item<float>(), 1.0f);
}

TEST(TrainConfigJson, RoundTripsAndNamesBadFields) {
  dynemo::TrainConfig c;
  c.model = "BAT_64";
  c.learning_rate = 5e-4;
  c.per_dimension = true;
  c.ridge_alphas = {2, 20};
  c.seed = 99;
  c.join_fraction = 0.25;
  const dynemo::TrainConfig back = dynemo::train_config_from_json(dynemo::train_config_to_json(c));
  EXPECT_EQ(dynemo::train_config_to_json(back), dynemo::train_config_to_json(c));
  EXPECT_EQ(back.model, "BAT_64");
  EXPECT_EQ(back.seed, 99u);
  EXPECT_EQ(back.join_fraction, 0.25);
  EXPECT_THROW_MSG(dynemo::train_config_from_json(R"({"epochs": 3})"), dynemo::ConfigError,
                   "unknown field 'epochs'");
  EXPECT_THROW_MSG(dynemo::train_config_from_json(R"({"batch_size": "big"})"), dynemo::ConfigError,
                   "field 'batch_size' has the wrong type");
  EXPECT_THROW_MSG(dynemo::train_config_from_json(R"({"max_epochs": 7e90})"), dynemo::ConfigError,
                   "field 'max_epochs' has the wrong type or range (7e+90)");
  EXPECT_THROW_MSG(dynemo::train_config_from_json(R"({"seed": -1})"), dynemo::ConfigError,
                   "field 'seed' has the wrong type or range (-1)");
  EXPECT_EQ(dynemo::train_config_from_json(R"({"seed": 4294967295})").seed, 4294967295u);
  c.loss = "mae";
  EXPECT_THROW_MSG(dynemo::validate(c), dynemo::ConfigError, "loss=mae is invalid");
  c.loss = "mse";
  c.join_fraction = 1.5;
  EXPECT_THROW_MSG(dynemo::validate(c), dynemo::ConfigError, "join_fraction=1.5");
  c.join_fraction = 0.0;
  c.model = "LSTM_XX_3";
  EXPECT_THROW_MSG(dynemo::validate(c), dynemo::ConfigError, "model 'LSTM_XX_3'");
  // Thread counts beyond the cores are refused (10000 threads effectively hang the machine).
  c.model = "RIDGE";
  c.threads = 10000;
  EXPECT_THROW_MSG(dynemo::validate(c), dynemo::ConfigError, "(the cores of this machine)");
  c.threads = 1;
  c.max_epochs = 1000000000;
  EXPECT_THROW_MSG(dynemo::validate(c), dynemo::ConfigError, "max_epochs=1000000000");
}

TEST_F(TrainTest, RidgeRecoversALinearTargetAndMeanScoresZero) {
  const dynemo::SequenceSet data = synthetic(30, 12, 4, false);
  const dynemo::CvResult ridge =
      dynemo::cross_validate(data, small("RIDGE"), (dir_ / "ridge").string());
  EXPECT_GT(ridge.pooled.arousal_pooled.r2, 0.99);
  EXPECT_GT(ridge.pooled.valence_pooled.r2, 0.99);
  EXPECT_EQ(ridge.pooled.n_songs, 30u);
  const dynemo::CvResult mean =
      dynemo::cross_validate(data, small("MEAN"), (dir_ / "mean").string());
  EXPECT_NEAR(mean.pooled.arousal_pooled.r2, 0.0, 0.15);
  EXPECT_LT(mean.pooled.arousal_pooled.r2, 0.01);
  // Out-of-fold predictions: one file per song, one row per rated frame, window start times.
  const std::string csv = read_file((dir_ / "ridge" / "predictions" / "7.csv").string());
  EXPECT_EQ(csv.rfind("time_s,arousal,valence,arousal_sd,valence_sd\n0.000,", 0), 0u) << csv;
  EXPECT_NE(csv.find("\n5.500,"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir_ / "ridge" / "metrics.md"));
  EXPECT_TRUE(fs::exists(dir_ / "ridge" / "fold-3" / "model.json"));
}

TEST_F(TrainTest, LstmLearnsATemporalTargetRidgeCannot) {
  const dynemo::SequenceSet data = synthetic(60, 16, 3, true);
  dynemo::TrainConfig c = small("LSTM_NAT_16");
  c.max_epochs = 40;
  c.patience = 40;
  const dynemo::CvResult lstm = dynemo::cross_validate(data, c, (dir_ / "lstm").string());
  const dynemo::CvResult ridge =
      dynemo::cross_validate(data, small("RIDGE"), (dir_ / "ridge").string());
  EXPECT_GT(lstm.pooled.arousal_pooled.r2, 0.6);
  EXPECT_LT(ridge.pooled.arousal_pooled.r2, 0.2);
}

TEST_F(TrainTest, SameSeedSameNumbersOtherSeedOtherNumbers) {
  const dynemo::SequenceSet data = synthetic(24, 10, 3, true);
  const dynemo::TrainConfig c = small("LSTM_NAT_8");
  dynemo::cross_validate(data, c, (dir_ / "a").string());
  dynemo::cross_validate(data, c, (dir_ / "b").string());
  dynemo::TrainConfig other = c;
  other.seed = 4;
  dynemo::cross_validate(data, other, (dir_ / "c").string());
  for (const char* song : {"1", "12", "24"}) {
    const std::string file = std::string("predictions/") + song + ".csv";
    EXPECT_EQ(read_file((dir_ / "a" / file).string()), read_file((dir_ / "b" / file).string()));
    EXPECT_NE(read_file((dir_ / "a" / file).string()), read_file((dir_ / "c" / file).string()));
  }
}

TEST_F(TrainTest, GivenFoldsReplaceTheSeededDraw) {
  const dynemo::SequenceSet data = synthetic(24, 10, 3, true);
  const dynemo::TrainConfig c = small("RIDGE");
  dynemo::cross_validate(data, c, (dir_ / "a").string());
  const std::string drawn_json = read_file((dir_ / "a" / "split.json").string());
  const dynemo::Split drawn = dynemo::split_from_json(drawn_json);
  ASSERT_EQ(drawn.folds.size(), 3u);
  // Another seed on run a's folds: the same split, the same held-out songs per fold.
  dynemo::TrainConfig other = c;
  other.seed = 9;
  dynemo::cross_validate(data, other, (dir_ / "b").string(), {}, &drawn);
  EXPECT_EQ(read_file((dir_ / "b" / "split.json").string()), drawn_json);
  // Seed 9 alone draws other folds.
  dynemo::cross_validate(data, other, (dir_ / "c").string());
  EXPECT_NE(read_file((dir_ / "c" / "split.json").string()), drawn_json);
  // Songs of the split that the data lacks are left out.
  dynemo::Split extra = drawn;
  extra.folds[0].push_back("999");
  dynemo::cross_validate(data, c, (dir_ / "d").string(), {}, &extra);
  EXPECT_EQ(read_file((dir_ / "d" / "split.json").string()), drawn_json);
  EXPECT_EQ(read_file((dir_ / "d" / "predictions" / "5.csv").string()),
            read_file((dir_ / "a" / "predictions" / "5.csv").string()));
  // Splits that do not cover the data once, or are not k folds, are refused.
  dynemo::Split missing = drawn;
  const std::string last = missing.folds[1].back();
  missing.folds[1].pop_back();
  EXPECT_THROW_MSG(dynemo::cross_validate(data, c, (dir_ / "e").string(), {}, &missing),
                   dynemo::ConfigError, "cv: song " + last + " is in no fold of the split");
  dynemo::Split twice = drawn;
  twice.folds[2].push_back(drawn.folds[0][0]);
  EXPECT_THROW_MSG(dynemo::cross_validate(data, c, (dir_ / "e").string(), {}, &twice),
                   dynemo::ConfigError, "is in two folds of the split");
  dynemo::Split holdout = drawn;
  holdout.kind = "holdout";
  EXPECT_THROW_MSG(dynemo::cross_validate(data, c, (dir_ / "e").string(), {}, &holdout),
                   dynemo::ConfigError, "not 'kfold'");
  dynemo::TrainConfig four = c;
  four.folds = 4;
  EXPECT_THROW_MSG(dynemo::cross_validate(data, four, (dir_ / "e").string(), {}, &drawn),
                   dynemo::ConfigError, "the split has 3 folds, the config 4");
}

TEST_F(TrainTest, AKilledRunResumesToTheUninterruptedResult) {
  const dynemo::SequenceSet data = synthetic(24, 10, 3, true);
  dynemo::TrainConfig c = small("LSTM_NAT_8");
  c.seeds = 2;  // the kill lands in fold 2 while its second member trains
  const dynemo::CvResult whole = dynemo::cross_validate(data, c, (dir_ / "whole").string());

  int epochs_seen = 0;
  const auto kill = [&](const dynemo::TrainProgress& p) {
    if (p.stage == "train" && ++epochs_seen == 2 * 4 + 4 + 2) throw std::runtime_error("killed");
  };
  EXPECT_THROW(dynemo::cross_validate(data, c, (dir_ / "resumed").string(), kill),
               std::runtime_error);
  EXPECT_TRUE(fs::exists(dir_ / "resumed" / "fold-1" / "model.pt"));
  EXPECT_FALSE(fs::exists(dir_ / "resumed" / "fold-2" / "model.pt"));
  EXPECT_TRUE(fs::exists(dir_ / "resumed" / "fold-2" / "checkpoint-m1.pt"));

  std::vector<std::string> stages;
  const dynemo::CvResult resumed =
      dynemo::cross_validate(data, c, (dir_ / "resumed").string(),
                             [&](const dynemo::TrainProgress& p) { stages.push_back(p.stage); });
  EXPECT_EQ(stages.front(), "resume");
  for (const char* song : {"2", "13", "23"}) {
    const std::string file = std::string("predictions/") + song + ".csv";
    EXPECT_EQ(read_file((dir_ / "whole" / file).string()),
              read_file((dir_ / "resumed" / file).string()));
  }
  EXPECT_DOUBLE_EQ(whole.pooled.arousal_pooled.rmse, resumed.pooled.arousal_pooled.rmse);
  EXPECT_FALSE(fs::exists(dir_ / "resumed" / "fold-2" / "checkpoint-m1.pt"));
}

TEST_F(TrainTest, SavedModelPredictsWhatTheRunPredicted) {
  const dynemo::SequenceSet data = synthetic(20, 10, 3, true);
  dynemo::TrainConfig c = small("LSTM_NAT_8");
  c.seeds = 2;
  c.smoothing_frames = 5;
  dynemo::train_all(data, c, (dir_ / "all").string());
  dynemo::models::Ensemble model =
      dynemo::models::read_model_file((dir_ / "all" / "model").string()).ensemble;
  EXPECT_EQ(model.members.size(), 2u);
  EXPECT_EQ(model.config.smoothing_frames, 5);
  const std::string sidecar = read_file((dir_ / "all" / "model.json").string());
  for (const char* field : {"\"feature_hash\"", "\"normalisation\"", "\"outputs\"", "\"git_sha\"",
                            "\"training_songs\"", "\"seed\": 3"}) {
    EXPECT_NE(sidecar.find(field), std::string::npos) << field;
  }
  // Standardisation was fitted on these songs: the stored means are the data's.
  double sum = 0;
  std::size_t n = 0;
  for (const auto& s : data.songs) {
    for (std::size_t t = 0; t < s.n_frames(); ++t, ++n) sum += s.features[t * 3];
  }
  EXPECT_NEAR(model.norm.mean[0], sum / static_cast<double>(n), 1e-5);
  // Training again from the files changes nothing: the run folder holds a finished model.
  dynemo::train_all(data, c, (dir_ / "all").string());
  EXPECT_EQ(read_file((dir_ / "all" / "model.json").string()), sidecar);
  // A cross-validation given afterwards goes into the sidecar; the weights stay as they were.
  dynemo::cross_validate(data, small("RIDGE"), (dir_ / "cv").string());
  const std::string weights = read_file((dir_ / "all" / "model.pt").string());
  dynemo::train_all(data, c, (dir_ / "all").string(), {},
                    read_file((dir_ / "cv" / "metrics.json").string()));
  const std::string updated = read_file((dir_ / "all" / "model.json").string());
  EXPECT_NE(updated.find("\"cross_validation\""), std::string::npos);
  EXPECT_NE(updated.find("\"folds\": 3"), std::string::npos);
  EXPECT_EQ(read_file((dir_ / "all" / "model.pt").string()), weights);

  // What docs/formats.md documents is what was written: the sidecar and the run folders.
  dynemo::testing::expect_documented_keys("Models", "- **Sidecar**", updated, 20);
  const std::set<std::string> custom_only{"manifest", "annotations", "path", "fnv1a"};
  dynemo::testing::expect_documented_keys("Run folders", "- **`config.json`**",
                                          read_file((dir_ / "cv" / "config.json").string()), 10,
                                          custom_only);
  dynemo::testing::expect_documented_keys("Run folders", "- **`split.json`**",
                                          read_file((dir_ / "cv" / "split.json").string()), 5);
  dynemo::testing::expect_documented_keys("Run folders", "- **`metrics.json`**",
                                          read_file((dir_ / "cv" / "metrics.json").string()), 20);
}

}  // namespace
