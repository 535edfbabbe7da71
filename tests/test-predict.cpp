// Prediction (dynemo/predict.h) with a tiny model trained here on `cqt` features of synthetic
// clips: the feature-hash check, file vs feature-table predictions, chunked long files against
// whole-file extraction, and `dynemo predict` on a folder with broken files (reported, skipped on
// the second run, redone with --force).
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "doc-keys.h"

#include "audio-fixtures.h"
#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "dynemo/evaluation.h"
#include "dynemo/features.h"
#include "dynemo/file-features.h"
#include "dynemo/predict.h"
#include "dynemo/train.h"
#include "file-helpers.h"
#include "matrix-compare.h"

namespace {

namespace fs = std::filesystem;
using dynemo::testing::contains;
using dynemo::testing::read_file;
using dynemo::testing::shell_quote;

constexpr int kRate = 44100;
const char* const kSpec = "cqt";

std::vector<float> tone(double seconds, double hz) {
  std::vector<float> x =
      dynemo::test::sine(static_cast<std::size_t>(seconds * kRate), kRate, hz, 0.3);
  const std::vector<float> n = dynemo::test::noise(x.size(), 0.02, static_cast<std::uint32_t>(hz));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += n[i];
  return x;
}

void write_wav(const fs::path& path, const std::vector<float>& x) {
  fs::create_directories(path.parent_path());
  ASSERT_EQ(dynemo::test::write_sound(path.string(), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, kRate, x),
            "");
}

class PredictTest : public dynemo::testing::TempDirTest {
 protected:
  PredictTest() : TempDirTest("dynemo-test-predict") {}

  // A 2-epoch model (LSTM_NAT_4 by default) on the cqt features of four tones; arousal follows
  // the pitch.
  std::string train_model(const std::string& name = "LSTM_NAT_4") {
    dynemo::SequenceSet data;
    data.dataset = "tones";
    data.spec = kSpec;
    data.feature_hash = dynemo::feature_hash(kSpec, dynemo::FeatureConfig{});
    data.feature_config_json = dynemo::feature_config_to_json(dynemo::FeatureConfig{});
    data.columns = dynemo::feature_columns(kSpec);
    for (int s = 0; s < 4; ++s) {
      const std::vector<float> x = tone(3.0, 110.0 * (s + 1));
      const dynemo::FeatureMatrix f = dynemo::extract_features(kSpec, x.data(), x.size(), kRate);
      dynemo::SongSequence seq;
      seq.song_id = std::to_string(s);
      seq.time_s = f.time_s;
      seq.features = f.values;
      for (std::size_t t = 0; t < f.n_rows(); ++t) {
        seq.targets.push_back(0.2f * static_cast<float>(s) - 0.3f);
        seq.targets.push_back(0.1f);
      }
      data.songs.push_back(seq);
    }
    dynemo::TrainConfig c;
    c.model = name;
    c.max_epochs = 2;
    c.validation_fraction = 0.25;
    dynemo::train_all(data, c, (dir_ / name).string());
    return (dir_ / name / "model").string();
  }
};

TEST(Quadrants, FollowTheCircumplex) {
  EXPECT_EQ(dynemo::quadrant_name(0.3, 0.2), "happy/excited");
  EXPECT_EQ(dynemo::quadrant_name(-0.3, 0.2), "angry/tense");
  EXPECT_EQ(dynemo::quadrant_name(-0.3, -0.2), "sad/depressed");
  EXPECT_EQ(dynemo::quadrant_name(0.3, -0.2), "calm/relaxed");
  // The summary names a side only outside the model's neutral zone.
  const dynemo::NeutralZone zone{0.18, 0.2};
  EXPECT_EQ(dynemo::mood_label(-0.05, 0.0, zone), "neutral");
  EXPECT_EQ(dynemo::mood_label(0.19, 0.17, zone), "neutral");
  EXPECT_EQ(dynemo::mood_label(0.05, 0.3, zone), "energetic");
  EXPECT_EQ(dynemo::mood_label(0.05, -0.3, zone), "calm");
  EXPECT_EQ(dynemo::mood_label(-0.25, 0.1, zone), "negative");
  EXPECT_EQ(dynemo::mood_label(0.25, -0.1, zone), "positive");
  EXPECT_EQ(dynemo::mood_label(-0.25, 0.3, zone), "angry/tense");
  EXPECT_EQ(dynemo::mood_label(0.2, -0.18, zone), "calm/relaxed");
}

TEST_F(PredictTest, FilePredictionsEqualFeatureTablePredictions) {
  dynemo::Predictor predictor(train_model() + ".pt");
  EXPECT_EQ(predictor.card().model, "LSTM_NAT_4");
  EXPECT_EQ(predictor.card().spec, kSpec);
  EXPECT_FALSE(predictor.has_attention());
  const std::vector<float> x = tone(4.2, 220.0);
  write_wav(dir_ / "clip.wav", x);
  const dynemo::TrackPrediction p = predictor.predict_file((dir_ / "clip.wav").string());
  ASSERT_EQ(p.n_windows(), 8u);  // whole 0.5 s windows in 4.2 s
  EXPECT_NEAR(p.duration_s, 4.2, 1e-3);
  EXPECT_DOUBLE_EQ(p.time_s[7], 3.5);
  const dynemo::Audio audio = dynemo::load_audio((dir_ / "clip.wav").string());
  const dynemo::TrackPrediction q = predictor.predict_features(
      dynemo::extract_features(kSpec, audio.samples.data(), audio.samples.size(), kRate));
  for (std::size_t i = 0; i < p.n_windows(); ++i) {
    EXPECT_FLOAT_EQ(p.arousal[i], q.arousal[i]);
    EXPECT_FLOAT_EQ(p.valence[i], q.valence[i]);
    EXPECT_LE(std::fabs(p.arousal[i]), 1.0f);
  }
  EXPECT_THROW_MSG(predictor.predict_features(dynemo::FeatureMatrix{}), dynemo::ConfigError,
                   "columns that are not the model's");
}

TEST_F(PredictTest, RefusesAModelWhoseFeatureHashDiffers) {
  const std::string model = train_model();
  std::string sidecar = read_file(model + ".json");
  const std::string hash = dynemo::feature_hash(kSpec, dynemo::FeatureConfig{});
  sidecar.replace(sidecar.find(hash), hash.size(), "0123456789abcdef");
  dynemo::testing::write(model + ".json", sidecar);
  EXPECT_THROW_MSG(dynemo::Predictor p(model), dynemo::ConfigError,
                   "hash 0123456789abcdef, but this dynemo computes hash " + hash);
  EXPECT_THROW_MSG(dynemo::Predictor p((dir_ / "missing").string()), dynemo::IoError,
                   "missing.json");
}

// An edited or mismatched model file is refused when it is loaded, naming the file and the field,
// not at the first track with a LibTorch backtrace.
TEST_F(PredictTest, RefusesSidecarsThatDoNotDescribeTheirWeights) {
  const std::string model = train_model();
  const std::string good = read_file(model + ".json");
  const auto edited = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    dynemo::testing::write(model + ".json", text);
  };
  edited("\"format\": \"dynemo-model/1\"", "\"format\": 99");
  EXPECT_THROW(dynemo::Predictor p(model), dynemo::IoError);
  edited("\"format\": \"dynemo-model/1\"", "\"format\": \"dynemo-model/9\"");
  EXPECT_THROW_MSG(dynemo::Predictor p(model), dynemo::IoError,
                   model + ".json: format 'dynemo-model/9' is not dynemo-model/1");
  edited("\"arousal\",\n    \"valence\"", "\"valence\",\n    \"arousal\"");
  EXPECT_THROW_MSG(dynemo::Predictor p(model), dynemo::IoError,
                   "expected [\"arousal\",\"valence\"]");
  edited("\"model\": \"LSTM_NAT_4\",\n  \"outputs\"", "\"model\": \"LSTM_NAT_8\",\n  \"outputs\"");
  EXPECT_THROW_MSG(dynemo::Predictor p(model), dynemo::IoError,
                   "model 'LSTM_NAT_8' but train_config.model \"LSTM_NAT_4\"");
  const std::string first_column = dynemo::feature_columns(kSpec).front();
  edited("\"" + first_column + "\"", "\"cqt.edited\"");
  EXPECT_THROW_MSG(dynemo::Predictor p(model), dynemo::IoError,
                   "feature columns are not the 252 columns of 'cqt'");
  edited("\"n_fft\": 2048", "\"n_fft\": 1e12");
  EXPECT_THROW_MSG(dynemo::Predictor p(model), dynemo::ConfigError,
                   "feature config: n_fft=1000000000000.0 is invalid: expected a whole number");
  // Weights of another size: both sidecar changes agree, the .pt does not.
  const std::string other = train_model("LSTM_NAT_6");
  dynemo::testing::write(model + ".json", good);
  std::filesystem::copy_file(other + ".pt", model + ".pt",
                             std::filesystem::copy_options::overwrite_existing);
  EXPECT_THROW_MSG(dynemo::Predictor p(model), dynemo::IoError,
                   model + ".pt: the weights do not fit the sidecar's LSTM_NAT_4 on 252 features");
}

TEST_F(PredictTest, LongFilesAreReadInPiecesWithTheWholeFileFeatures) {
  // 200 s: longer than FileFeatureOptions' whole_file_max_s, so read in pieces of 60 s with the
  // default margins (every set against smaller pieces: test-file-features).
  std::vector<float> x;
  for (int k = 0; k < 40; ++k) {
    const std::vector<float> part = tone(5.0, 110.0 * (1 + k % 7));
    x.insert(x.end(), part.begin(), part.end());
  }
  write_wav(dir_ / "long.wav", x);
  double duration = 0;
  const dynemo::FeatureMatrix pieces = dynemo::file_features(
      (dir_ / "long.wav").string(), kSpec, dynemo::FeatureConfig{}, {}, &duration);
  const dynemo::Audio audio = dynemo::load_audio((dir_ / "long.wav").string());
  const dynemo::FeatureMatrix whole =
      dynemo::extract_features(kSpec, audio.samples.data(), audio.samples.size(), kRate);
  EXPECT_NEAR(duration, 200.0, 1e-3);
  ASSERT_EQ(pieces.n_rows(), 400u);
  ASSERT_EQ(pieces.time_s, whole.time_s);
  const dynemo::testing::SpreadDifference d = dynemo::testing::difference_to_spread(whole, pieces);
  // Float rounding in the CQT's decimation (soxr blocks fall differently in a piece): measured
  // worst 3.9e-5 of a column's spread on these tones.
  EXPECT_LT(d.worst, 1e-4) << d.where;
  // And predict_file, which reads them so, predicts what the whole file's features give.
  dynemo::Predictor predictor(train_model("LSTM_NAT_4"));
  const dynemo::TrackPrediction from_file = predictor.predict_file((dir_ / "long.wav").string());
  const dynemo::TrackPrediction from_whole = predictor.predict_features(whole, false);
  ASSERT_EQ(from_file.n_windows(), from_whole.n_windows());
  for (std::size_t i = 0; i < from_file.arousal.size(); ++i) {
    EXPECT_NEAR(from_file.arousal[i], from_whole.arousal[i], 1e-4) << i;
    EXPECT_NEAR(from_file.valence[i], from_whole.valence[i], 1e-4) << i;
  }
}

TEST_F(PredictTest, ContextModelsPredictLongTracksInBlocksExactly) {
  // MCA looks 20 frames back: 600 frames go through in blocks of 256 with their context, and must
  // equal the single pass (taken when attention is asked for).
  dynemo::Predictor predictor(train_model("MCA_ALSTM_4x1"));
  dynemo::FeatureMatrix f;
  f.columns = dynemo::feature_columns(kSpec);
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(0.0f, 0.05f);
  for (std::size_t t = 0; t < 600; ++t) {
    f.time_s.push_back(0.5 * static_cast<double>(t));
    for (std::size_t c = 0; c < f.columns.size(); ++c) f.values.push_back(u(rng));
  }
  const dynemo::TrackPrediction blocked = predictor.predict_features(f, false);
  const dynemo::TrackPrediction whole = predictor.predict_features(f, true);
  ASSERT_EQ(blocked.n_windows(), 600u);
  for (std::size_t i = 0; i < 600; ++i) {
    EXPECT_NEAR(blocked.arousal[i], whole.arousal[i], 1e-5) << i;
    EXPECT_NEAR(blocked.valence[i], whole.valence[i], 1e-5) << i;
  }
}

TEST_F(PredictTest, BatchReportsBrokenFilesSkipsFinishedOnesAndRedoesWithForce) {
  const std::string model = train_model();
  write_wav(dir_ / "lib" / "a" / "01.wav", tone(2.0, 220.0));
  write_wav(dir_ / "lib" / "b" / "01.wav", tone(2.0, 330.0));  // same name, other album
  write_wav(dir_ / "lib" / "c.wav", tone(3.0, 440.0));
  dynemo::testing::write((dir_ / "lib" / "empty.mp3").string(), "");
  dynemo::testing::write((dir_ / "lib" / "text.mp3").string(), "not audio at all\n");
  const std::string wav = read_file((dir_ / "lib" / "c.wav").string());
  dynemo::testing::write((dir_ / "lib" / "truncated.wav").string(), wav.substr(0, 30));

  const std::string command = std::string(DYNEMO_CLI) + " predict " +
                              shell_quote((dir_ / "lib").string()) + " -m " + shell_quote(model) +
                              " -o " + shell_quote((dir_ / "out").string()) + " --jobs 2";
  const auto first = dynemo::testing::run_command(command, dir_);
  EXPECT_EQ(first.exit_code, 1) << first.err;
  EXPECT_TRUE(
      contains(first.err, "predict: 3 done, 0 skipped (output current; --force to redo), 3 failed"))
      << first.err;
  const std::string log = read_file((dir_ / "out" / "errors.log").string());
  for (const char* bad : {"empty.mp3", "text.mp3", "truncated.wav"}) {
    EXPECT_TRUE(contains(log, bad)) << log;
  }
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 3);
  const std::string csv = read_file((dir_ / "out" / "b" / "01.csv").string());
  EXPECT_TRUE(contains(csv, "\ntime_s,arousal,valence,arousal_sd,valence_sd\n0.000,")) << csv;
  EXPECT_TRUE(contains(first.out, "c.wav: arousal ")) << first.out;
  EXPECT_EQ(dynemo::read_prediction_csv((dir_ / "out" / "c.csv").string()).time_s.size(), 6u);

  const auto second = dynemo::testing::run_command(command, dir_);
  EXPECT_TRUE(contains(second.err,
                       "predict: 0 done, 3 skipped (output current; --force to redo), 3 failed"))
      << second.err;
  // Resume trusts only complete outputs of the same model: a truncated file, a garbage file and
  // another model's file are predicted again, the intact one is skipped.
  const std::string a_csv = (dir_ / "out" / "a" / "01.csv").string();
  const std::string a_text = read_file(a_csv);
  dynemo::testing::write(a_csv, a_text.substr(0, a_text.size() - 5));
  dynemo::testing::write((dir_ / "out" / "b" / "01.csv").string(), "garbage\n");
  const std::string c_text = read_file((dir_ / "out" / "c.csv").string());
  std::string other = c_text;
  other.replace(other.find(" model "), 7, " model other-");
  dynemo::testing::write((dir_ / "out" / "c.csv").string(), other);
  const auto redo = dynemo::testing::run_command(command, dir_);
  EXPECT_TRUE(contains(redo.err, "predict: 3 done, 0 skipped")) << redo.err;
  EXPECT_EQ(read_file(a_csv), a_text);
  EXPECT_EQ(read_file((dir_ / "out" / "c.csv").string()), c_text);
  dynemo::testing::write(a_csv, a_text.substr(0, a_text.size() - 5));
  const auto one = dynemo::testing::run_command(command, dir_);
  EXPECT_TRUE(contains(one.err, "predict: 1 done, 2 skipped")) << one.err;

  const auto forced = dynemo::testing::run_command(command + " --force", dir_);
  EXPECT_TRUE(contains(forced.err, "predict: 3 done, 0 skipped")) << forced.err;
  const auto json = dynemo::testing::run_command(command + " --format json", dir_);
  EXPECT_TRUE(contains(json.err, "predict: 3 done, 0 skipped")) << json.err;
  EXPECT_TRUE(contains(read_file((dir_ / "out" / "c.json").string()), "\"feature_hash\""));
  dynemo::testing::expect_documented_keys("Predictions", "- **JSON**",
                                          read_file((dir_ / "out" / "c.json").string()), 9,
                                          {"attribution"});  // with --explain only
}

// A failing file whose name holds a tab and a newline stays one line of two fields in errors.log.
TEST_F(PredictTest, ErrorLogLinesCannotBeForgedByFileNames) {
  const std::string model = train_model();
  fs::create_directories(dir_ / "lib");
  const std::string name = "bad\tname\nfake.mp3\tinjected";
  dynemo::testing::write((dir_ / "lib" / (name + ".mp3")).string(), "not audio at all\n");
  write_wav(dir_ / "lib" / "good.wav", tone(2.0, 220.0));
  const auto run = dynemo::testing::run_command(
      std::string(DYNEMO_CLI) + " predict " + shell_quote((dir_ / "lib").string()) + " -m " +
          shell_quote(model) + " -o " + shell_quote((dir_ / "out").string()),
      dir_);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const std::string log = read_file((dir_ / "out" / "errors.log").string());
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
  EXPECT_EQ(std::count(log.begin(), log.end(), '\t'), 1) << log;
  EXPECT_TRUE(contains(log, "bad\\tname\\nfake.mp3\\tinjected.mp3")) << log;
}

}  // namespace
