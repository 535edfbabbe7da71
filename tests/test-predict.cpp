// Prediction (dynemo/predict.h) with a tiny model trained here on `cqt` features of synthetic
// clips: the feature-hash check, file vs feature-table predictions, chunked long files against
// whole-file extraction, and `dynemo predict` on a folder with broken files (reported, skipped on
// the second run, redone with --force).
#include <sndfile.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "doc-keys.h"

#include "audio-fixtures.h"
#include "dynemo/audio.h"
#include "dynemo/blend.h"
#include "dynemo/dynemo_c.h"
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

// The level the C API's summary gives for a file (NaN when the call fails).
double alone_level(dynemo_model* model, const std::string& path) {
  dynemo_summary s{};
  if (dynemo_predict_file_summary(model, path.c_str(), nullptr, nullptr, &s) != DYNEMO_OK) {
    return std::nan("");
  }
  return s.rms_dbfs;
}

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
  std::string train_model(const std::string& name = "LSTM_NAT_4", const std::string& spec = kSpec,
                          const std::string& folder = "") {
    const dynemo::SequenceSet data = tone_songs(spec);
    dynemo::TrainConfig c;
    c.model = name;
    c.max_epochs = 2;
    c.validation_fraction = 0.25;
    const fs::path dir = dir_ / (folder.empty() ? name : folder);
    dynemo::train_all(data, c, dir.string());
    return (dir / "model").string();
  }

  // A 530 s track (1060 windows, past the 1024 predicted whole) of 5 s tones, and three models
  // for it: a whole-track LSTM_AT_4, a CTX_MLP_8x1_C3 and their blend (model paths).
  struct LongTrack {
    std::string path;
    std::vector<std::string> models;  // whole-track, context, blend
  };
  LongTrack long_track() {
    const std::string whole_track = train_model("LSTM_AT_4", kSpec, "a");
    const std::string context = train_model("CTX_MLP_8x1_C3", kSpec, "b");
    const std::string blend = (dir_ / "ab").string();
    dynemo::write_blend({{whole_track, 0.5}, {context, 0.5}}, blend, "");
    std::vector<float> x;
    for (int k = 0; k < 106; ++k) {
      const std::vector<float> part = tone(5.0, 110.0 * (1 + k % 7));
      x.insert(x.end(), part.begin(), part.end());
    }
    write_wav(dir_ / "long.wav", x);
    return {(dir_ / "long.wav").string(), {whole_track, context, blend + ".json"}};
  }

  // Four tones of 3 s with their `spec` features; arousal follows the pitch.
  static dynemo::SequenceSet tone_songs(const std::string& spec) {
    dynemo::SequenceSet data;
    data.dataset = "tones";
    data.spec = spec;
    data.feature_hash = dynemo::feature_hash(spec, dynemo::FeatureConfig{});
    data.feature_config_json = dynemo::feature_config_to_json(dynemo::FeatureConfig{});
    data.columns = dynemo::feature_columns(spec);
    for (int s = 0; s < 4; ++s) {
      const std::vector<float> x = tone(3.0, 110.0 * (s + 1));
      const dynemo::FeatureMatrix f = dynemo::extract_features(spec, x.data(), x.size(), kRate);
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
    return data;
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

TEST(Quadrants, SilentTracksAreCalledSilentNotSad) {
  dynemo::TrackPrediction p;
  p.time_s = {0.0, 0.5};
  p.arousal = {-0.30f, -0.32f};  // what v5 answers for digital silence
  p.valence = {-0.40f, -0.44f};
  p.arousal_sd = p.valence_sd = {0.15f, 0.15f};
  const dynemo::TrackSummary s = dynemo::summarise(p);
  EXPECT_EQ(s.label, "sad/depressed");  // level unknown (predict_features)
  EXPECT_NEAR(s.arousal_mean, -0.31, 1e-7);
  EXPECT_NEAR(s.valence_mean, -0.42, 1e-7);
  EXPECT_NEAR(s.neutral.arousal, 0.15, 1e-7);  // the mean of the windows' sds
  EXPECT_TRUE(std::isnan(s.rms_dbfs));
  EXPECT_EQ(dynemo::summarise(dynemo::TrackPrediction{}).label, "neutral");  // no windows: 0, 0
  p.rms_dbfs = -59.0;
  EXPECT_EQ(dynemo::summarise(p).label, "sad/depressed");
  p.rms_dbfs = -61.0;
  EXPECT_EQ(dynemo::summarise(p).label, "silent");
  p.rms_dbfs = dynemo::kLevelFloor_dbfs;
  EXPECT_EQ(dynemo::summarise(p).label, "silent");
  p.rms_dbfs = -20.0;
  p.arousal = {0.05f, 0.0f};  // means inside the neutral zone
  p.valence = {-0.1f, 0.0f};
  EXPECT_EQ(dynemo::summarise(p).label, "neutral");
}

TEST_F(PredictTest, FilePredictionsCarryTheLevelAndSilenceIsSaidToBeSilent) {
  dynemo::Predictor predictor(train_model());
  write_wav(dir_ / "tone.wav", tone(3.0, 220.0));
  write_wav(dir_ / "silence.wav", std::vector<float>(3 * kRate, 0.0f));
  const dynemo::TrackPrediction loud = predictor.predict_file((dir_ / "tone.wav").string());
  // A sine of amplitude 0.3 (-13.47 dB) with uniform noise of +-0.02 (-44.8 dB): -13.46 dB.
  EXPECT_NEAR(loud.rms_dbfs, -13.46, 0.02);
  EXPECT_NE(dynemo::summarise(loud).label, "silent");
  const dynemo::TrackPrediction quiet = predictor.predict_file((dir_ / "silence.wav").string());
  EXPECT_EQ(quiet.rms_dbfs, dynemo::kLevelFloor_dbfs);
  EXPECT_EQ(dynemo::summarise(quiet).label, "silent");
  const std::string json = dynemo::prediction_json_text(quiet, predictor.card());
  EXPECT_TRUE(contains(json, "\"rms_dbfs\": -200.0")) << json.substr(0, 400);
  EXPECT_TRUE(contains(json, "\"summary\": \"silent\"")) << json.substr(0, 400);
  // Without audio the level is unknown and left out.
  const dynemo::Audio audio = dynemo::load_audio((dir_ / "tone.wav").string());
  const dynemo::TrackPrediction table = predictor.predict_features(
      dynemo::extract_features(kSpec, audio.samples.data(), audio.samples.size(), kRate));
  EXPECT_TRUE(std::isnan(table.rms_dbfs));
  EXPECT_FALSE(contains(dynemo::prediction_json_text(table, predictor.card()), "rms_dbfs"));
}

// Silent windows (before, between, after the music) do not count in the summary: its means
// and label are those of the windows heard; the JSON records each window's level.
TEST_F(PredictTest, SummariesLeaveOutTheSilentWindows) {
  dynemo::Predictor predictor(train_model());
  std::vector<float> x = tone(3.0, 220.0);
  x.resize(x.size() * 2, 0.0f);  // 3 s of tone, 3 s of digital silence
  write_wav(dir_ / "tail.wav", x);
  const dynemo::TrackPrediction p = predictor.predict_file((dir_ / "tail.wav").string());
  ASSERT_EQ(p.n_windows(), 12u);
  ASSERT_EQ(p.window_dbfs.size(), 12u);
  double a = 0.0, v = 0.0;
  for (std::size_t i = 0; i < 12; ++i) {
    if (i < 6) {
      EXPECT_NEAR(p.window_dbfs[i], -13.46, 0.05) << i;  // the tone (see below)
      a += p.arousal[i];
      v += p.valence[i];
    } else {
      EXPECT_EQ(p.window_dbfs[i], dynemo::kLevelFloor_dbfs) << i;
    }
  }
  const dynemo::TrackSummary s = dynemo::summarise(p);
  EXPECT_EQ(s.windows_heard, 6u);
  EXPECT_EQ(s.windows, 12u);
  EXPECT_EQ(s.windows_left_out(), 6u);
  EXPECT_EQ(dynemo::windows_text(s), "12 windows (6 silent)");
  EXPECT_DOUBLE_EQ(s.arousal_mean, a / 6.0);
  EXPECT_DOUBLE_EQ(s.valence_mean, v / 6.0);
  EXPECT_NE(s.label, "silent");
  const std::string json = dynemo::prediction_json_text(p, predictor.card());
  EXPECT_TRUE(contains(json, "\"window_rms_dbfs\": [")) << json.substr(0, 400);
  // Every window silent: silent, whatever the track's level says.
  dynemo::TrackPrediction quiet = p;
  quiet.window_dbfs.assign(12, -70.0f);
  EXPECT_EQ(dynemo::summarise(quiet).label, "silent");
  EXPECT_EQ(dynemo::summarise(quiet).windows_heard, 0u);
  EXPECT_EQ(dynemo::summarise(quiet).windows_left_out(), 0u);  // the means are every window's
  EXPECT_EQ(dynemo::windows_text(dynemo::summarise(quiet)), "12 windows");
  double all_a = 0.0;  // none heard: the means of every window, the model's answers
  for (float x : p.arousal) all_a += x;
  EXPECT_DOUBLE_EQ(dynemo::summarise(quiet).arousal_mean, all_a / 12.0);
  // Levels unknown (a feature table): every window counts, as before.
  quiet.window_dbfs.clear();
  EXPECT_EQ(dynemo::summarise(quiet).windows_heard, 12u);
}

// The C API's summary is the library's (dynemo::summarise of the same prediction), with or
// without the rows; bad arguments and bad files give a status and a message, never a summary.
TEST_F(PredictTest, CApiSummaryIsTheLibrarysSummary) {
  const std::string model_path = train_model();
  dynemo::Predictor predictor(model_path);
  write_wav(dir_ / "tone.wav", tone(3.0, 220.0));
  write_wav(dir_ / "silence.wav", std::vector<float>(3 * kRate, 0.0f));
  dynemo_model* model = nullptr;
  ASSERT_EQ(dynemo_model_load(model_path.c_str(), &model), DYNEMO_OK) << dynemo_last_error();
  for (const char* name : {"tone.wav", "silence.wav"}) {
    const std::string path = (dir_ / name).string();
    const dynemo::TrackSummary expected = dynemo::summarise(predictor.predict_file(path));
    dynemo_summary with_rows{}, alone{};
    dynemo_row* rows = nullptr;
    std::size_t n_rows = 0;
    ASSERT_EQ(dynemo_predict_file_summary(model, path.c_str(), &rows, &n_rows, &with_rows),
              DYNEMO_OK)
        << dynemo_last_error();
    EXPECT_EQ(n_rows, 6u) << name;  // 3 s: six windows
    dynemo_rows_free(rows);
    ASSERT_EQ(dynemo_predict_file_summary(model, path.c_str(), nullptr, nullptr, &alone), DYNEMO_OK)
        << dynemo_last_error();
    for (const dynemo_summary& s : {with_rows, alone}) {
      EXPECT_EQ(s.arousal, expected.arousal_mean) << name;
      EXPECT_EQ(s.valence, expected.valence_mean) << name;
      EXPECT_EQ(s.rms_dbfs, expected.rms_dbfs) << name;
      EXPECT_STREQ(s.label, expected.label.c_str()) << name;
    }
  }
  EXPECT_NEAR(alone_level(model, (dir_ / "tone.wav").string()), -13.46, 0.02);
  EXPECT_EQ(alone_level(model, (dir_ / "silence.wav").string()), dynemo::kLevelFloor_dbfs);
  dynemo_summary s{};
  dynemo_row* rows = nullptr;
  const std::string tone_path = (dir_ / "tone.wav").string();
  EXPECT_EQ(dynemo_predict_file_summary(model, tone_path.c_str(), &rows, nullptr, &s),
            DYNEMO_ERR_ARGUMENT);
  EXPECT_TRUE(contains(dynemo_last_error(), "only one of rows and n_rows")) << dynemo_last_error();
  EXPECT_EQ(dynemo_predict_file_summary(model, tone_path.c_str(), nullptr, nullptr, nullptr),
            DYNEMO_ERR_ARGUMENT);
  const std::string missing = (dir_ / "none.wav").string();
  std::strcpy(s.label, "stale");
  EXPECT_EQ(dynemo_predict_file_summary(model, missing.c_str(), nullptr, nullptr, &s),
            DYNEMO_ERR_IO);
  EXPECT_TRUE(contains(dynemo_last_error(), "none.wav")) << dynemo_last_error();
  EXPECT_STREQ(s.label, "");  // cleared: nothing is said about a file that was not read
  const std::string text = (dir_ / "text.wav").string();
  dynemo::testing::write(text, "not audio at all\n");
  EXPECT_EQ(dynemo_predict_file_summary(model, text.c_str(), nullptr, nullptr, &s),
            DYNEMO_ERR_AUDIO);
  EXPECT_TRUE(contains(dynemo_last_error(), "text.wav: not_audio")) << dynemo_last_error();
  dynemo_model_free(model);
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
  dynemo::DecodedAudio decoded;
  const dynemo::FeatureMatrix pieces = dynemo::file_features((dir_ / "long.wav").string(), kSpec,
                                                             dynemo::FeatureConfig{}, {}, &decoded);
  const double duration = decoded.seconds;
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

namespace {

// Rewrites one field of a JSON file.
void edit_json(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = read_file(path);
  const std::size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  dynemo::testing::write(path, text);
}

}  // namespace

// A blend of a whole-track LSTM on cqt and a context MLP on spectral: one feature table of both
// sets, each component on its own columns, the weighted mean of their outputs.
TEST_F(PredictTest, BlendPredictsTheWeightedMeanOfItsComponents) {
  const std::string a = train_model("LSTM_NAT_4", "cqt", "a");
  const std::string b = train_model("CTX_MLP_8x1_C3", "spectral", "b");
  const std::string blend = (dir_ / "blends" / "ab").string();
  dynemo::write_blend({{a, 1.0}, {b + ".json", 3.0}}, blend, "");
  // Components outside the blend's folder are copied beside it.
  for (const char* ext : {".pt", ".json"}) {
    EXPECT_EQ(read_file(blend + ".part1" + ext), read_file(a + ext));
    EXPECT_EQ(read_file(blend + ".part2" + ext), read_file(b + ext));
  }
  dynemo::Predictor pa(a), pb(b), pab(blend + ".json");
  EXPECT_EQ(pab.card().spec, "cqt+spectral");
  EXPECT_EQ(pab.card().model, "BLEND(LSTM_NAT_4+CTX_MLP_8x1_C3)");
  EXPECT_EQ(pab.card().feature_hash, dynemo::feature_hash("cqt+spectral", dynemo::FeatureConfig{}));
  EXPECT_EQ(pab.card().uncertainty.method, "constant");  // no CV metrics given
  EXPECT_FALSE(pab.causal());                            // the LSTM reads the whole track
  EXPECT_TRUE(pb.causal());
  EXPECT_EQ(pab.context_frames(), 0u);
  const std::vector<float> x = tone(4.2, 330.0);
  write_wav(dir_ / "clip.wav", x);
  const std::string clip = (dir_ / "clip.wav").string();
  const dynemo::TrackPrediction ya = pa.predict_file(clip), yb = pb.predict_file(clip),
                                yab = pab.predict_file(clip);
  ASSERT_EQ(yab.n_windows(), 8u);
  ASSERT_EQ(ya.n_windows(), 8u);
  double spread = 0.0;
  for (std::size_t i = 0; i < yab.n_windows(); ++i) {
    EXPECT_NEAR(yab.arousal[i], 0.25 * ya.arousal[i] + 0.75 * yb.arousal[i], 1e-6) << i;
    EXPECT_NEAR(yab.valence[i], 0.25 * ya.valence[i] + 0.75 * yb.valence[i], 1e-6) << i;
    EXPECT_FLOAT_EQ(yab.arousal_sd[i], 0.1f);
    spread += std::fabs(ya.arousal[i] - yb.arousal[i]);
  }
  EXPECT_GT(spread, 1e-3);  // the two components do differ: the weights are seen
  // The attributions' "absent" value of each column is its own component's training mean.
  const std::vector<std::string> columns = dynemo::feature_columns("cqt+spectral");
  ASSERT_EQ(pab.feature_means().size(), columns.size());
  EXPECT_EQ(pab.feature_means().front(), pa.feature_means().front());
  EXPECT_EQ(pab.feature_means().back(), pb.feature_means().back());
  // A stream needs every component causal.
  const dynemo::FeatureMatrix f =
      dynemo::extract_features("cqt+spectral", x.data(), x.size(), kRate);
  EXPECT_THROW_MSG(pab.predict_rows(f, 2), dynemo::ConfigError, "cannot predict a live stream");
}

// A weight per output: arousal from one component, valence mostly from the other; written as
// dynemo-blend/2, whose per-output weights the loader checks like the single ones.
TEST_F(PredictTest, BlendWeighsEachOutputApart) {
  const std::string a = train_model("LSTM_NAT_4", "cqt", "a");
  const std::string b = train_model("CTX_MLP_8x1_C3", "spectral", "b");
  const std::string blend = (dir_ / "ab").string();
  dynemo::write_blend({{a, {2.0, 1.0}}, {b, {0.0, 3.0}}}, blend, "");
  const std::string text = read_file(blend + ".json");
  const auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["format"], "dynemo-blend/2");
  EXPECT_DOUBLE_EQ(j["components"][0]["weights"]["arousal"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(j["components"][0]["weights"]["valence"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(j["components"][1]["weights"]["arousal"].get<double>(), 0.0);
  EXPECT_FALSE(j["components"][0].contains("weight"));
  dynemo::Predictor pa(a), pb(b), pab(blend);
  const std::vector<float> x = tone(4.2, 330.0);
  write_wav(dir_ / "clip.wav", x);
  const std::string clip = (dir_ / "clip.wav").string();
  const dynemo::TrackPrediction ya = pa.predict_file(clip), yb = pb.predict_file(clip),
                                yab = pab.predict_file(clip);
  ASSERT_EQ(yab.n_windows(), ya.n_windows());
  double spread = 0.0;
  for (std::size_t i = 0; i < yab.n_windows(); ++i) {
    EXPECT_NEAR(yab.arousal[i], ya.arousal[i], 1e-6) << i;
    EXPECT_NEAR(yab.valence[i], 0.25 * ya.valence[i] + 0.75 * yb.valence[i], 1e-6) << i;
    spread += std::fabs(ya.valence[i] - yb.valence[i]);
  }
  EXPECT_GT(spread, 1e-3);
  // Each edit, and what loading it then says.
  const std::vector<std::array<std::string, 3>> edits = {
      {"\"valence\": 0.75", "\"valence\": 0.5", "weights of valence add up to 0.75"},
      {"\"arousal\": 0.0", "\"arousal\": -0.1", "(finite, >= 0, not both 0 expected)"},
      {"dynemo-blend/2", "dynemo-blend/1", "not found"},  // /1 knows one weight only
      {"dynemo-blend/2", "dynemo-blend/3", "format 'dynemo-blend/3' is not"}};
  for (const auto& [from, to, message] : edits) {
    edit_json(blend + ".json", from, to);
    EXPECT_THROW_MSG(dynemo::Predictor p(blend), dynemo::IoError, message);
    dynemo::testing::write(blend + ".json", text);
  }
}

TEST_F(PredictTest, BlendsRefuseUnsafeOrInconsistentFiles) {
  const std::string a = train_model("LSTM_NAT_4", "cqt", "a");
  const std::string b = train_model("LSTM_NAT_6", "cqt", "b");
  // Components in the blend's folder are referenced, not copied.
  const std::string blend = (dir_ / "a" / "ab").string();
  dynemo::write_blend({{a, 0.5}, {b, 0.5}}, blend, "");
  EXPECT_FALSE(fs::exists(blend + ".part1.json"));
  EXPECT_TRUE(fs::exists(blend + ".part2.json"));
  const std::string good = read_file(blend + ".json");
  EXPECT_NE(good.find("\"file\": \"model\""), std::string::npos);
  dynemo::Predictor ok(blend);
  EXPECT_EQ(ok.card().spec, "cqt");

  // Each edit of the good blend, and what loading it then says.
  const std::vector<std::array<std::string, 3>> edits = {
      {"\"file\": \"model\"", "\"file\": \"../b/model\"",
       blend + ".json: component file \"../b/model\" is not a file name"},
      {"\"weight\": 0.5", "\"weight\": 0.4", "weights add up to 0.9"},
      {"\"weight\": 0.5", "\"weight\": -0.5", "(finite, > 0 expected)"},
      {"\"file\": \"ab.part2\"", "\"file\": \"model\"", "is listed twice"},
      {"\"file\": \"ab.part2\"", "\"file\": \"gone\"", "gone.json"}};
  for (const auto& [from, to, message] : edits) {
    edit_json(blend + ".json", from, to);
    EXPECT_THROW_MSG(dynemo::Predictor p(blend), dynemo::IoError, message);
    dynemo::testing::write(blend + ".json", good);
  }

  EXPECT_THROW_MSG(dynemo::write_blend({{a, 1.0}}, blend, ""), dynemo::ConfigError,
                   "two or more models are needed");
  EXPECT_THROW_MSG(dynemo::write_blend({{a, 1.0}, {b, 0.0}}, blend, ""), dynemo::ConfigError,
                   "is 0 in both outputs");
  EXPECT_THROW_MSG(dynemo::write_blend({{a, {1.0, -1.0}}, {b, 1.0}}, blend, ""),
                   dynemo::ConfigError, "(finite, in [0, 1e6] expected)");
  EXPECT_THROW_MSG(dynemo::write_blend({{a, {1.0, 0.0}}, {b, {1.0, 0.0}}}, blend, ""),
                   dynemo::ConfigError, "no model has a weight for valence");
  EXPECT_THROW_MSG(dynemo::write_blend({{a, 1.0}, {blend, 1.0}}, (dir_ / "x").string(), ""),
                   dynemo::ConfigError, "is a blend itself");
  // Components whose features are made with another configuration cannot share one table.
  edit_json(b + ".json", "\"n_fft\": 2048", "\"n_fft\": 4096");
  edit_json(b + ".json", dynemo::feature_hash("cqt", dynemo::FeatureConfig{}), [] {
    dynemo::FeatureConfig c;
    c.n_fft = 4096;
    return dynemo::feature_hash("cqt", c);
  }());
  EXPECT_THROW_MSG(dynemo::write_blend({{a, 1.0}, {b, 1.0}}, (dir_ / "y").string(), ""),
                   dynemo::IoError, "extracts its features with another configuration");
  EXPECT_FALSE(fs::exists(dir_ / "y.json"));
  EXPECT_FALSE(fs::exists(dir_ / "y.part1.json"));
}

// The held-out predictions of a blend of cv runs are the weighted mean of the runs', scored
// against the annotations; its fold models are blends of the runs' fold models.
TEST_F(PredictTest, BlendOfCvRunsScoresTheWeightedMeanOfTheirPredictions) {
  const dynemo::SequenceSet data = tone_songs("cqt");
  dynemo::TrainConfig c;
  c.max_epochs = 2;
  c.folds = 2;
  c.validation_fraction = 0.25;
  c.model = "LSTM_NAT_4";
  dynemo::cross_validate(data, c, (dir_ / "cv" / "lstm").string());
  c.model = "RIDGE";
  dynemo::cross_validate(data, c, (dir_ / "cv" / "ridge").string());
  dynemo::Dataset dataset;
  dataset.name = "tones";
  for (const dynemo::SongSequence& seq : data.songs) {
    dynemo::AnnotatedSong song;
    song.song_id = seq.song_id;
    for (std::size_t t = 0; t < seq.n_frames(); ++t) {
      song.time_s.push_back(seq.time_s[t]);
      song.arousal.push_back(seq.targets[2 * t]);
      song.valence.push_back(seq.targets[2 * t + 1]);
    }
    dataset.songs.push_back(song);
  }
  const std::string out = (dir_ / "blended").string();
  const std::string metrics = dynemo::blend_cv(
      {{(dir_ / "cv" / "lstm").string(), 1.0}, {(dir_ / "cv" / "ridge").string(), 1.0}}, dataset,
      out);
  std::vector<std::string> ids;
  for (const auto& s : data.songs) ids.push_back(s.song_id);
  const auto lstm =
      dynemo::read_prediction_dir((dir_ / "cv" / "lstm" / "predictions").string(), ids);
  const auto ridge =
      dynemo::read_prediction_dir((dir_ / "cv" / "ridge" / "predictions").string(), ids);
  const auto blended = dynemo::read_prediction_dir(out + "/predictions", ids);
  ASSERT_EQ(blended.size(), 4u);
  double se = 0.0;
  std::size_t n = 0;
  for (const dynemo::SongSequence& seq : data.songs) {
    const dynemo::SongPrediction& p = blended.at(seq.song_id);
    ASSERT_EQ(p.time_s.size(), seq.n_frames());
    for (std::size_t t = 0; t < seq.n_frames(); ++t, ++n) {
      const double want =
          0.5 * lstm.at(seq.song_id).arousal[t] + 0.5 * ridge.at(seq.song_id).arousal[t];
      EXPECT_NEAR(p.arousal[t], want, 1e-5);
      se += (p.arousal[t] - seq.targets[2 * t]) * (p.arousal[t] - seq.targets[2 * t]);
    }
  }
  const auto j = nlohmann::json::parse(metrics);
  EXPECT_EQ(j["model"], "BLEND(LSTM_NAT_4+RIDGE)");
  EXPECT_EQ(j["folds"], 2);
  EXPECT_NEAR(j["pooled"]["arousal"]["rmse"].get<double>(), std::sqrt(se / n), 1e-4);
  EXPECT_EQ(read_file(out + "/split.json"),
            read_file((dir_ / "cv" / "lstm" / "split.json").string()));
  dynemo::Predictor fold(out + "/fold-1/model");
  EXPECT_EQ(fold.card().model, "BLEND(LSTM_NAT_4+RIDGE)");

  // The blend of the final models records the blended CV and takes its sd from it.
  const std::string a = train_model("LSTM_NAT_4", "cqt", "final-a");
  const std::string b = train_model("RIDGE", "cqt", "final-b");
  dynemo::write_blend({{a, 1.0}, {b, 1.0}}, (dir_ / "final" / "v").string(), metrics);
  const std::string sidecar = read_file((dir_ / "final" / "v.json").string());
  dynemo::Predictor final_blend((dir_ / "final" / "v").string());
  EXPECT_EQ(final_blend.card().uncertainty.method, "cv-rmse");
  EXPECT_NEAR(final_blend.card().uncertainty.arousal.base, std::sqrt(se / n), 1e-4);
  dynemo::testing::expect_documented_keys("Blends", "- **Sidecar**", sidecar, 12);

  // Runs of another split are refused.
  c.seed = 43;
  dynemo::cross_validate(data, c, (dir_ / "cv" / "other").string());
  EXPECT_THROW_MSG(dynemo::blend_cv({{(dir_ / "cv" / "lstm").string(), 1.0},
                                     {(dir_ / "cv" / "other").string(), 1.0}},
                                    dataset, (dir_ / "bad").string()),
                   dynemo::DataError, "another split than");
}

// A whole-track model on a long table runs in blocks of 512 rows read with 64 rows on either
// side: each block's rows are exactly the model's outputs for that stretch alone.
TEST_F(PredictTest, WholeTrackModelsReadLongTracksInBlocksWithMargins) {
  dynemo::Predictor predictor(train_model("LSTM_AT_4"));
  ASSERT_EQ(predictor.context_frames(), 0u);
  dynemo::FeatureMatrix long_table;
  long_table.columns = dynemo::feature_columns(kSpec);
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const std::size_t n = 1100, f = long_table.columns.size();
  for (std::size_t r = 0; r < n; ++r) {
    long_table.time_s.push_back(0.5 * static_cast<double>(r));
    for (std::size_t c = 0; c < f; ++c) long_table.values.push_back(normal(rng));
  }
  const dynemo::TrackPrediction whole = predictor.predict_features(long_table);
  ASSERT_EQ(whole.n_windows(), n);
  // The second block: outputs 512..1023 from rows 448..1087.
  dynemo::FeatureMatrix stretch;
  stretch.columns = long_table.columns;
  stretch.time_s.assign(long_table.time_s.begin() + 448, long_table.time_s.begin() + 1088);
  stretch.values.assign(long_table.values.begin() + 448 * f, long_table.values.begin() + 1088 * f);
  const dynemo::TrackPrediction part = predictor.predict_features(stretch);
  for (std::size_t r = 512; r < 1024; r += 37) {
    EXPECT_FLOAT_EQ(whole.arousal[r], part.arousal[r - 448]) << r;
    EXPECT_FLOAT_EQ(whole.valence[r], part.valence[r - 448]) << r;
  }
  // The first block's rows are the model on rows 0..575 alone; with the attention asked for,
  // the whole table is read at once.
  const dynemo::TrackPrediction with_attention = predictor.predict_features(long_table, true);
  double differs = 0.0;
  for (std::size_t r = 600; r < n; ++r) {
    differs = std::max(
        differs, static_cast<double>(std::fabs(with_attention.arousal[r] - whole.arousal[r])));
  }
  EXPECT_GT(differs, 1e-6);  // whole-track attention reaches the distant past
}

TEST_F(PredictTest, LongFilesArePredictedBlockByBlockAsTheirWholeTable) {
  // 530 s = 1060 windows, past kLongTrackFrames: predict_file runs each block of 512 windows as
  // soon as the rows it reads (its margins, its context) are in and drops the rows behind it;
  // the outputs must be those of the whole table (the same blocks, margins and context).
  const LongTrack track = long_track();
  const std::string& path = track.path;
  const dynemo::FeatureMatrix table = dynemo::file_features(path, kSpec, dynemo::FeatureConfig{});
  ASSERT_EQ(table.n_rows(), 1060u);
  for (const std::string& model : track.models) {
    dynemo::Predictor predictor(model);
    const dynemo::TrackPrediction from_file = predictor.predict_file(path);
    const dynemo::TrackPrediction from_table = predictor.predict_features(table);
    ASSERT_EQ(from_file.n_windows(), 1060u) << model;
    EXPECT_EQ(from_file.time_s, table.time_s) << model;
    EXPECT_NEAR(from_file.duration_s, 530.0, 1e-3);
    for (std::size_t i = 0; i < from_file.n_windows(); ++i) {
      EXPECT_NEAR(from_file.arousal[i], from_table.arousal[i], 1e-5) << model << " " << i;
      EXPECT_NEAR(from_file.valence[i], from_table.valence[i], 1e-5) << model << " " << i;
      EXPECT_NEAR(from_file.arousal_sd[i], from_table.arousal_sd[i], 1e-5) << model << " " << i;
    }
  }
}

TEST_F(PredictTest, LongFilesAreExplainedBlockByBlockInBoundedMemory) {
  // explain_file on 1060 windows: predict_file's blocks, the attributions of the whole table,
  // and the attention kept row by row over the windows each block reads.
  const LongTrack track = long_track();
  const std::string& path = track.path;
  const dynemo::FeatureMatrix table = dynemo::file_features(path, kSpec, dynemo::FeatureConfig{});
  const std::size_t n = table.n_rows();
  ASSERT_EQ(n, 1060u);
  for (const std::string& model : track.models) {
    dynemo::Predictor predictor(model);
    dynemo::AttentionRows rows;
    const dynemo::TrackPrediction e = predictor.explain_file(path, &rows);
    const dynemo::TrackPrediction p = predictor.predict_file(path, false, true);
    const dynemo::GroupAttribution whole = predictor.attribute(table);
    ASSERT_EQ(p.attribution.arousal.size(), whole.arousal.size()) << model;
    for (std::size_t k = 0; k < whole.arousal.size(); ++k) {
      EXPECT_EQ(p.attribution.arousal[k], e.attribution.arousal[k]) << model << " " << k;
    }
    ASSERT_EQ(e.n_windows(), n) << model;
    EXPECT_EQ(e.time_s, table.time_s) << model;
    EXPECT_TRUE(e.attention.empty()) << model;
    ASSERT_EQ(e.attribution.groups, whole.groups) << model;
    ASSERT_EQ(e.attribution.arousal.size(), whole.arousal.size()) << model;
    ASSERT_EQ(e.attribution.baseline_valence.size(), n) << model;
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_NEAR(e.arousal[i], p.arousal[i], 1e-5) << model << " " << i;
      EXPECT_NEAR(e.valence[i], p.valence[i], 1e-5) << model << " " << i;
      EXPECT_NEAR(e.attribution.baseline_arousal[i], whole.baseline_arousal[i], 1e-5) << model;
    }
    for (std::size_t k = 0; k < whole.arousal.size(); ++k) {
      EXPECT_NEAR(e.attribution.arousal[k], whole.arousal[k], 1e-5) << model << " " << k;
      EXPECT_NEAR(e.attribution.valence[k], whole.valence[k], 1e-5) << model << " " << k;
    }
    // One row per window, each over at most its block and margins (64 + 512 + 64 windows),
    // its weights summing to 1.
    ASSERT_EQ(rows.n_rows(), n) << model;
    EXPECT_EQ(rows.n_columns, n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t span = rows.begin[i + 1] - rows.begin[i];
      EXPECT_LE(span, 640u);
      EXPECT_LE(rows.first[i], i);
      EXPECT_GT(rows.first[i] + span, i);
      double sum = 0;
      for (std::size_t at = rows.begin[i]; at < rows.begin[i + 1]; ++at) sum += rows.weights[at];
      EXPECT_NEAR(sum, 1.0, 1e-4) << model << " row " << i;
    }
  }
  // A context model's rows are those of the whole map: window i attends i - 3 .. i.
  dynemo::Predictor predictor(track.models[1]);
  dynemo::AttentionRows rows;
  predictor.explain_file(path, &rows);
  const dynemo::TrackPrediction map = predictor.predict_features(table, true);
  ASSERT_EQ(map.attention.size(), n * n);
  for (std::size_t i = 0; i < n; ++i) {
    double inside = 0;
    for (std::size_t at = rows.begin[i]; at < rows.begin[i + 1]; ++at) {
      const std::size_t j = rows.first[i] + (at - rows.begin[i]);
      EXPECT_NEAR(rows.weights[at], map.attention[i * n + j], 1e-6) << i << " " << j;
      inside += map.attention[i * n + j];
    }
    EXPECT_NEAR(inside, 1.0, 1e-5) << "row " << i << ": the map attends outside the span";
  }
}
