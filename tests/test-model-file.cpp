// The model file (src/models/model-file.h, ensemble.h): the sidecar round-trips through JSON, its
// checks refuse what a reader could not use, and the three shipped models (v1 and v2 of 0.1.0,
// v3 of 0.2.0) still load with the values they were written with.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dynemo/error.h"
#include "dynemo/features.h"
#include "dynemo/io.h"
#include "dynemo/predict.h"
#include "file-helpers.h"
#include "models/blend-file.h"
#include "models/ensemble.h"
#include "models/model-file.h"
#include "models/weights-archive.h"
#include "zip-fixtures.h"

namespace {

using dynemo::models::ModelSidecar;
using Json = nlohmann::ordered_json;

const std::string kModels = std::string(DYNEMO_SOURCE_DIR) + "/models/";

ModelSidecar small_sidecar() {
  ModelSidecar s;
  s.model = "RIDGE";
  s.n_features = 2;
  s.train_config_json = R"({"model":"RIDGE","seeds":1})";
  s.dataset = "deam";
  s.feature_spec = "spectral";
  s.feature_hash = "0123456789abcdef";
  s.feature_config.window_s = 1.0;
  s.columns = {"a", "b"};
  s.data_json = R"({"dataset":"deam","root":"/data","n_songs":2})";
  s.mean = {0.5f, -1.25f};
  s.std = {2.0f, 0.125f};
  s.training_songs = {"10", "11"};
  s.best_epoch = 7;
  s.metrics_json = R"({"cross_validation":{"pooled":{"arousal":{"rmse":0.2},)"
                   R"("valence":{"rmse":0.25}}}})";
  s.dynemo_version = "9.9.9";
  s.git_sha = "abc";
  return s;
}

// The text of the sidecar `s` with `edit` applied to its JSON.
template <class Edit>
std::string edited(const ModelSidecar& s, Edit edit) {
  Json j = Json::parse(dynemo::models::model_sidecar_json(s));
  edit(j);
  return j.dump();
}

std::string parse_error(const std::string& text) {
  try {
    dynemo::models::parse_model_sidecar(text, "m/x");
  } catch (const dynemo::Error& e) {
    return e.what();
  }
  return "";
}

TEST(ModelSidecar, RoundTripsThroughJson) {
  const ModelSidecar s = small_sidecar();
  const std::string text = dynemo::models::model_sidecar_json(s);
  const ModelSidecar back = dynemo::models::parse_model_sidecar(text, "m/x");
  EXPECT_EQ(back.model, "RIDGE");
  EXPECT_EQ(back.n_features, 2);
  EXPECT_EQ(Json::parse(back.train_config_json), Json::parse(s.train_config_json));
  EXPECT_EQ(back.dataset, "deam");
  EXPECT_EQ(back.feature_spec, "spectral");
  EXPECT_EQ(back.feature_hash, "0123456789abcdef");
  EXPECT_DOUBLE_EQ(back.feature_config.window_s, 1.0);
  EXPECT_EQ(back.columns, s.columns);
  EXPECT_EQ(back.mean, s.mean);
  EXPECT_EQ(back.std, s.std);
  EXPECT_EQ(back.training_songs, s.training_songs);
  EXPECT_EQ(back.best_epoch, 7);
  EXPECT_EQ(back.dynemo_version, "9.9.9");
  EXPECT_EQ(back.git_sha, "abc");
  // The data description keeps what it had besides the typed fields.
  EXPECT_EQ(Json::parse(back.data_json).at("root"), "/data");
  EXPECT_EQ(Json::parse(back.data_json).at("n_songs"), 2);
  // A CV without a fitted sd model gives its RMSE as a constant sd.
  EXPECT_EQ(back.uncertainty.method, "cv-rmse");
  EXPECT_DOUBLE_EQ(back.uncertainty.arousal.base, 0.2);
  EXPECT_DOUBLE_EQ(back.uncertainty.valence.base, 0.25);
  // Written again, the same text.
  EXPECT_EQ(dynemo::models::model_sidecar_json(back), text);
}

TEST(ModelSidecar, WritesTheDocumentedKeysInOrder) {
  const Json j = Json::parse(dynemo::models::model_sidecar_json(small_sidecar()));
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"format", "model", "outputs", "n_features", "train_config",
                                      "data", "normalisation", "training_songs", "best_epoch",
                                      "metrics", "dynemo_version", "git_sha"}));
  EXPECT_EQ(j.at("format"), "dynemo-model/1");
  EXPECT_EQ(j.at("outputs"), Json::array({"arousal", "valence"}));
  for (const char* key : {"dataset", "root", "n_songs", "feature_spec", "feature_hash",
                          "feature_config", "columns"}) {
    EXPECT_TRUE(j.at("data").contains(key)) << key;
  }
}

TEST(ModelSidecar, RefusesWhatAReaderCouldNotUse) {
  const ModelSidecar s = small_sidecar();
  EXPECT_NE(parse_error("{").find("m/x.json: not a dynemo model sidecar"), std::string::npos);
  EXPECT_NE(parse_error(edited(s, [](Json& j) { j["format"] = "dynemo-model/2"; }))
                .find("m/x.json: format 'dynemo-model/2' is not dynemo-model/1"),
            std::string::npos);
  EXPECT_NE(parse_error(edited(s,
                               [](Json& j) {
                                 j["outputs"] = {"valence", "arousal"};
                               }))
                .find("m/x.json: outputs"),
            std::string::npos);
  EXPECT_NE(parse_error(edited(s, [](Json& j) { j["model"] = "LSTM_NAT_4"; }))
                .find("model 'LSTM_NAT_4' but train_config.model \"RIDGE\""),
            std::string::npos);
  EXPECT_NE(parse_error(edited(s, [](Json& j) { j["normalisation"]["std"] = {1.0}; }))
                .find("m/x.json: n_features 2 but 2 normalisation means, 1 stds and 2 columns"),
            std::string::npos);
  EXPECT_NE(parse_error(edited(s,
                               [](Json& j) {
                                 j["normalisation"]["std"] = {1.0, 0.0};
                               }))
                .find("normalisation of column b is mean -1.25"),
            std::string::npos);
  EXPECT_NE(parse_error(edited(s, [](Json& j) { j["n_features"] = "2"; }))
                .find("not a dynemo model sidecar"),
            std::string::npos);
  // Numbers no integer field can hold are refused by value, not cast (the fuzzer's 7.8e90).
  EXPECT_NE(parse_error(edited(s, [](Json& j) { j["n_features"] = 7.8e90; }))
                .find("field 'n_features' must be a whole number in [-9223372036854775808, "
                      "9223372036854775807], got 7.8e+90"),
            std::string::npos);
  EXPECT_NE(parse_error(edited(s, [](Json& j) { j["n_features"] = 2.5; })).find("got 2.5"),
            std::string::npos);
  EXPECT_NE(parse_error(edited(s, [](Json& j) { j["best_epoch"] = 4294967296LL; }))
                .find("field 'best_epoch' must be a whole number in [-2147483648, 2147483647]"),
            std::string::npos);
  EXPECT_NE(
      parse_error(edited(s,
                         [](Json& j) {
                           j["metrics"] = {{"cross_validation",
                                            {{"uncertainty",
                                              {{"method", "ensemble+cv"},
                                               {"arousal", {{"base", -1}, {"scale", 0}}},
                                               {"valence", {{"base", 0.2}, {"scale", 0}}}}}}}};
                         }))
          .find("uncertainty base"),
      std::string::npos);
}

TEST(ModelSidecar, AttentionIsAPropertyOfTheModel) {
  dynemo::models::ModelOptions o;
  o.n_features = 3;
  for (const char* name :
       {"LSTM_AT_4", "BAT_4", "ALSTM_4x1_L3", "MCA_ALSTM_4x1", "CTX_MLP_4x1_C3"}) {
    EXPECT_TRUE(dynemo::models::make_model(name, o)->has_attention()) << name;
  }
  for (const char* name : {"LSTM_NAT_4", "TRANSFORMER_1", "DLSTM_4_4_4"}) {
    EXPECT_FALSE(dynemo::models::make_model(name, o)->has_attention()) << name;
  }
}

// The shipped models: every version this dynemo has shipped still reads, with its recorded
// values, and its weights load with the shapes the sidecar describes.
struct Shipped {
  const char* file;
  const char* model;
  std::int64_t n_features;
  int seeds;
  const char* uncertainty;
  bool attention;
};

class ShippedModels : public ::testing::TestWithParam<Shipped> {};

TEST_P(ShippedModels, LoadWithTheirRecordedValues) {
  const Shipped& p = GetParam();
  const dynemo::models::ModelFile file = dynemo::models::read_model_file(kModels + p.file);
  EXPECT_EQ(file.sidecar.model, p.model);
  EXPECT_EQ(file.sidecar.n_features, p.n_features);
  EXPECT_EQ(file.sidecar.columns, dynemo::feature_columns(file.sidecar.feature_spec));
  EXPECT_EQ(file.sidecar.training_songs.size(), 1144u);
  EXPECT_EQ(file.sidecar.uncertainty.method, p.uncertainty);
  EXPECT_EQ(file.ensemble.config.model, p.model);
  EXPECT_EQ(file.ensemble.members.size(), static_cast<std::size_t>(p.seeds));
  EXPECT_EQ(file.ensemble.norm.mean, file.sidecar.mean);
  EXPECT_EQ(dynemo::models::has_attention(file.ensemble), p.attention);
}

INSTANTIATE_TEST_SUITE_P(
    V1ToV5, ShippedModels,
    ::testing::Values(Shipped{"deam-spectral-mca_alstm_64x2-v1", "MCA_ALSTM_64x2", 197, 3,
                              "cv-rmse", true},
                      Shipped{"deam-spectral+compare-lld-stats-mca_alstm_64x2-v2", "MCA_ALSTM_64x2",
                              457, 3, "cv-rmse", true},
                      Shipped{"deam-listener-ctx_mlp_256x2_c6-v3", "CTX_MLP_256x2_C6", 348, 5,
                              "ensemble+cv", true},
                      Shipped{"deam-listener-compare-lstm_at_300_128_w10-v4", "LSTM_AT_300_128_W10",
                              6273, 2, "ensemble+cv", true},
                      Shipped{"deam-listener-compare-lstm_at_300_128_w19-v5", "LSTM_AT_300_128_W19",
                              6273, 2, "ensemble+cv", true}));

// The blend of the shipped models at `file`: its components, their weights per output and the
// blend's own cross-validation.
struct ShippedBlendCase {
  std::string file;
  std::vector<std::string> components;
  std::vector<dynemo::OutputWeights> weights;
  double arousal_rmse, valence_rmse;
};

dynemo::models::BlendSidecar check_shipped_blend(const ShippedBlendCase& c) {
  const std::string path = kModels + c.file;
  const std::string text = dynemo::read_text_file(path + ".json", "blend");
  EXPECT_TRUE(dynemo::models::is_blend_sidecar(text));
  const dynemo::models::BlendSidecar blend = dynemo::models::parse_blend_sidecar(text, path);
  EXPECT_EQ(blend.components.size(), c.components.size());
  for (std::size_t k = 0; k < std::min(blend.components.size(), c.components.size()); ++k) {
    EXPECT_EQ(blend.components[k].file, c.components[k]);
    EXPECT_DOUBLE_EQ(blend.components[k].weight.arousal, c.weights[k].arousal) << k;
    EXPECT_DOUBLE_EQ(blend.components[k].weight.valence, c.weights[k].valence) << k;
  }
  const auto cv = nlohmann::json::parse(blend.metrics_json)["cross_validation"];
  EXPECT_EQ(cv["folds"], 10);
  const double a = cv["pooled"]["arousal"]["rmse"].get<double>();
  const double v = cv["pooled"]["valence"]["rmse"].get<double>();
  EXPECT_NEAR(a, c.arousal_rmse, 5e-4);
  EXPECT_NEAR(v, c.valence_rmse, 5e-4);
  EXPECT_GE(cv["pooled"]["arousal"]["ccc"].get<double>(), 0.74);
  EXPECT_GE(cv["pooled"]["valence"]["ccc"].get<double>(), 0.52);
  // Better, in each output, than every component that output reads.
  for (const auto& component : blend.components) {
    const auto own = nlohmann::json::parse(
        dynemo::models::read_model_sidecar(kModels + component.file).metrics_json);
    const auto& pooled = own["cross_validation"]["pooled"];
    if (component.weight.arousal > 0.0) {
      EXPECT_LT(a, pooled["arousal"]["rmse"].get<double>() - 0.003) << component.file;
    }
    if (component.weight.valence > 0.0) {
      EXPECT_LT(v, pooled["valence"]["rmse"].get<double>() - 0.004) << component.file;
    }
  }
  EXPECT_EQ(blend.uncertainty.method, "cv-rmse");
  EXPECT_EQ(blend.uncertainty.arousal.base, a);
  EXPECT_EQ(blend.uncertainty.valence.base, v);
  return blend;
}

// The default (v5): arousal from v3 and the windowed attentive LSTM on `listener-compare` (v4's
// arousal, which follows a change), valence from v3 and the LSTM attending over +-19 windows
// (9.5 s, the excerpts it learned from); docs/results.md: 0.1752 / 0.1896. Live streams keep the
// causal v3.
TEST(ShippedBlend, V5IsTheDefaultWithItsCrossValidation) {
  const std::string v3 = "deam-listener-ctx_mlp_256x2_c6-v3";
  const std::string w10 = "deam-listener-compare-lstm_at_300_128_w10-v4";
  const std::string w19 = "deam-listener-compare-lstm_at_300_128_w19-v5";
  check_shipped_blend({"deam-listener+listener-compare-blend-v5",
                       {v3, w10, w19},
                       {{0.5, 0.5}, {0.5, 0.0}, {0.0, 0.5}},
                       0.1752,
                       0.1896});
  const std::string path = kModels + "deam-listener+listener-compare-blend-v5";
  dynemo::Predictor predictor(path);
  EXPECT_EQ(predictor.card().spec, "listener+listener-compare");
  EXPECT_FALSE(predictor.causal());
  EXPECT_TRUE(predictor.has_attention());
  unsetenv("DYNEMO_MODEL");
  EXPECT_EQ(dynemo::default_model_path(), path);
  const dynemo::Predictor stream(dynemo::default_stream_model_path());
  EXPECT_TRUE(stream.causal());
  EXPECT_EQ(stream.card().model, "CTX_MLP_256x2_C6");
}

// v4, the default of 0.2.0, still loads with its recorded cross-validation.
TEST(ShippedBlend, V4StillLoads) {
  check_shipped_blend(
      {"deam-listener+listener-compare-blend-v4",
       {"deam-listener-ctx_mlp_256x2_c6-v3", "deam-listener-compare-lstm_at_300_128_w10-v4"},
       {{0.5, 0.5}, {0.5, 0.5}},
       0.1752,
       0.1910});
  const dynemo::Predictor predictor(kModels + "deam-listener+listener-compare-blend-v4");
  EXPECT_EQ(predictor.card().model, "BLEND(CTX_MLP_256x2_C6+LSTM_AT_300_128_W10)");
}

class ModelWeights : public dynemo::testing::TempDirTest {
 protected:
  ModelWeights() : TempDirTest("dynemo-test-weights") {}
};

// A weights file holding NaN (a flipped bit, a bad copy: LibTorch checks no checksum) is refused
// naming the tensor; finite weights that overflow on real features fail the track instead of
// answering NaN curves and a "neutral" summary.
TEST_F(ModelWeights, DamagedOrOverflowingWeightsAreNotAnswered) {
  const std::string shipped = kModels + "deam-listener-ctx_mlp_256x2_c6-v3";
  const std::string damaged = (dir_ / "damaged").string();
  {
    dynemo::models::ModelFile file = dynemo::models::read_model_file(shipped);
    torch::NoGradGuard no_grad;
    const auto params = file.ensemble.members.at(1).nets.at(0)->named_parameters();
    params[0].value().view({-1})[7] = NAN;
    dynemo::models::save_model_file(file.ensemble, damaged, file.sidecar);
    EXPECT_THROW_MSG(dynemo::models::read_model_file(damaged), dynemo::IoError,
                     damaged + ".pt: the weights are damaged: member1.net0." + params[0].key() +
                         " holds 1 NaN or infinite value(s) (the first at index 7 of " +
                         std::to_string(params[0].value().numel()) + ")");
    EXPECT_THROW_MSG(dynemo::Predictor p(damaged), dynemo::IoError, "the weights are damaged");
  }
  const std::string loud = (dir_ / "loud").string();
  {
    dynemo::models::ModelFile file = dynemo::models::read_model_file(shipped);
    torch::NoGradGuard no_grad;
    for (auto& member : file.ensemble.members) {
      for (auto& p : member.nets.at(0)->parameters()) p.mul_(1e30);
    }
    dynemo::models::save_model_file(file.ensemble, loud, file.sidecar);
  }
  dynemo::Predictor predictor(loud);  // finite weights: they load
  std::vector<float> x(3 * 44100);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = 0.3f * std::sin(0.0314f * static_cast<float>(i));
  const dynemo::FeatureMatrix features =
      dynemo::extract_features("listener", x.data(), x.size(), 44100);
  EXPECT_THROW_MSG(predictor.predict_features(features), dynemo::DataError,
                   "model CTX_MLP_256x2_C6 gave NaN or infinite values for this audio");
  dynemo::Predictor good(shipped);
  const dynemo::TrackPrediction p = good.predict_features(features);
  ASSERT_EQ(p.n_windows(), 6u);
  for (std::size_t i = 0; i < p.n_windows(); ++i) EXPECT_TRUE(std::isfinite(p.arousal[i])) << i;
}

// The weights check before LibTorch: LibTorch checks no CRC and compiles the archive's class
// sources, crashing on some damaged ones; dynemo refuses such files naming the problem.
TEST(WeightsArchive, AcceptsWhatLibTorchWritesAndRefusesDamage) {
  using dynemo::models::check_weights_archive_bytes;
  const auto check = [](const std::string& bytes) { check_weights_archive_bytes(bytes, "w.pt"); };
  check(dynemo::test::stored_zip(dynemo::test::weights_archive_records()));
  for (const char* shipped :
       {"deam-listener-ctx_mlp_256x2_c6-v3.pt", "deam-spectral-mca_alstm_64x2-v1.pt"}) {
    const std::string bytes = dynemo::testing::read_file(kModels + shipped);
    ASSERT_GT(bytes.size(), 3000000u);
    EXPECT_NO_THROW(check(bytes)) << shipped;
    std::string flipped = bytes;
    flipped[3000000] = static_cast<char>(flipped[3000000] ^ 0x10);  // inside a tensor
    EXPECT_THROW_MSG(check(flipped), dynemo::IoError,
                     "fails its CRC-32 check (the file is damaged)");
    EXPECT_THROW_MSG(check(bytes.substr(0, bytes.size() / 2)), dynemo::IoError,
                     "w.pt: not a model weights file dynemo can read: no zip "
                     "end-of-central-directory record (a cut or damaged file)");
  }
  // Sources other than attribute declarations, with valid CRCs (a crafted file).
  for (const auto& [source, line] : std::vector<std::pair<std::string, std::string>>{
           {"class Module(Module):\n  def forward(self):\n    return 1\n", "line 2"},
           {"class Module(Module):\n  x : Tuple[Tensor, Tensor]\n", "line 2"},
           {"class Module(Module):\n  __parameters__ = [\"a\", evil]\n", "line 2"},
           {"class Module(Module):\n  __annotations__[\"m\"] = __torch__.x.Module\n", "line 2"},
           {"import os\n", "does not begin with the class declaration"}}) {
    EXPECT_THROW_MSG(check(dynemo::test::stored_zip(dynemo::test::weights_archive_records(source))),
                     dynemo::IoError, "archive/code/__torch__.py " + line);
  }
  auto records = dynemo::test::weights_archive_records();
  records.push_back({"archive/../../etc/passwd", "x"});
  EXPECT_THROW_MSG(
      check(dynemo::test::stored_zip(records)), dynemo::IoError,
      "a record named 'archive/../../etc/passwd', which dynemo's archives do not hold");
  records = dynemo::test::weights_archive_records();
  records.pop_back();  // no version
  EXPECT_THROW_MSG(check(dynemo::test::stored_zip(records)), dynemo::IoError,
                   "lacks its data.pkl or version record");
  // The first local header's name length (bytes 26-27) changed: it no longer names its record.
  std::string damaged = dynemo::test::stored_zip(dynemo::test::weights_archive_records());
  damaged[26] = '\x7f';
  EXPECT_THROW_MSG(check(damaged), dynemo::IoError,
                   "record archive/data.pkl: its local header names another record");
}

// Every family of the zoo writes archives the check accepts: joint and per-dimension networks,
// and the closed-form models' matrices.
TEST_F(ModelWeights, EveryFamilysArchivePassesTheCheck) {
  for (const dynemo::models::ModelInfo& info : dynemo::models::model_infos()) {
    for (const bool per_dimension : {false, true}) {
      dynemo::models::Ensemble model;
      model.config.model = info.example;
      model.config.per_dimension = per_dimension;
      model.n_features = 3;
      dynemo::models::Member m = dynemo::models::make_member(model.config, 3, 42, true);
      if (m.nets.empty()) m.linear = torch::zeros({4, 2});
      model.members.push_back(std::move(m));
      const std::string path = (dir_ / (info.example + std::to_string(per_dimension))).string();
      dynemo::models::save_model_file(model, path, small_sidecar());
      EXPECT_NO_THROW(dynemo::models::check_weights_archive(path + ".pt"))
          << info.example << " per_dimension " << per_dimension;
    }
  }
}

}  // namespace
