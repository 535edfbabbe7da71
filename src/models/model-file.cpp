// The model sidecar (model-file.h): to and from JSON, with every check a reader relies on.
#include "models/model-file.h"

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json-int.h"
#include "dynemo/error.h"
#include "dynemo/io.h"

namespace dynemo::models {
namespace {

using Json = nlohmann::ordered_json;

// The sd model of a sidecar's metrics: fitted on its cross-validation, else the CV RMSE as a
// constant sd, else the default constant.
Uncertainty read_uncertainty(const Json& metrics) {
  Uncertainty u;
  if (!metrics.is_object() || !metrics.contains("cross_validation")) return u;
  const Json& cv = metrics.at("cross_validation");
  const auto spread = [](const Json& m) {
    SpreadModel s;
    s.base = m.at("base").get<double>();
    s.scale = m.at("scale").get<double>();
    if (!(s.base > 0.0 && s.base < 10.0 && s.scale >= 0.0 && s.scale < 1e6)) {
      throw IoError("uncertainty base " + std::to_string(s.base) + " / scale " +
                    std::to_string(s.scale) + " out of range (0, 10) / [0, 1e6)");
    }
    return s;
  };
  if (cv.contains("uncertainty")) {
    const Json& j = cv.at("uncertainty");
    u.method = j.at("method").get<std::string>();
    u.arousal = spread(j.at("arousal"));
    u.valence = spread(j.at("valence"));
  } else if (cv.contains("pooled")) {
    u.method = "cv-rmse";
    u.arousal.base = cv.at("pooled").at("arousal").at("rmse").get<double>();
    u.valence.base = cv.at("pooled").at("valence").at("rmse").get<double>();
  }
  return u;
}

void check_sizes(const ModelSidecar& s) {
  const auto n = static_cast<std::size_t>(s.n_features);
  if (s.n_features < 1 || s.mean.size() != n || s.std.size() != n || s.columns.size() != n) {
    throw IoError("n_features " + std::to_string(s.n_features) + " but " +
                  std::to_string(s.mean.size()) + " normalisation means, " +
                  std::to_string(s.std.size()) + " stds and " + std::to_string(s.columns.size()) +
                  " columns");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(s.mean[i]) || !std::isfinite(s.std[i]) || !(s.std[i] > 0.0f)) {
      throw IoError("normalisation of column " + s.columns[i] + " is mean " +
                    std::to_string(s.mean[i]) + ", std " + std::to_string(s.std[i]) +
                    " (finite, std > 0 expected)");
    }
  }
}

}  // namespace

std::string model_sidecar_json(const ModelSidecar& s) {
  Json data = Json::parse(s.data_json);
  data["dataset"] = s.dataset;
  data["feature_spec"] = s.feature_spec;
  data["feature_hash"] = s.feature_hash;
  data["feature_config"] = Json::parse(feature_config_to_json(s.feature_config));
  data["columns"] = s.columns;
  Json j;
  j["format"] = kModelFormat;
  j["model"] = s.model;
  j["outputs"] = {"arousal", "valence"};
  j["n_features"] = s.n_features;
  j["train_config"] = Json::parse(s.train_config_json);
  j["data"] = data;
  j["normalisation"] = {{"mean", s.mean}, {"std", s.std}};
  j["training_songs"] = s.training_songs;
  j["best_epoch"] = s.best_epoch;
  j["metrics"] = Json::parse(s.metrics_json);
  j["dynemo_version"] = s.dynemo_version;
  j["git_sha"] = s.git_sha;
  return j.dump(2) + "\n";
}

ModelSidecar parse_model_sidecar(const std::string& text, const std::string& path) {
  ModelSidecar s;
  try {
    const Json j = Json::parse(text);
    // What this dynemo can read: the format it writes, its two outputs in order, and a model
    // named as the training configuration names it (an edited sidecar is refused, not trusted).
    const std::string format = j.value("format", std::string(kModelFormat));
    if (format != kModelFormat) {
      throw IoError("format '" + format + "' is not " + kModelFormat +
                    " (a newer dynemo's model?)");
    }
    if (j.at("outputs") != Json::array({"arousal", "valence"})) {
      throw IoError("outputs " + j.at("outputs").dump() + ", expected [\"arousal\",\"valence\"]");
    }
    s.model = j.at("model").get<std::string>();
    const Json& train_config = j.at("train_config");
    if (train_config.at("model") != s.model) {
      throw IoError("model '" + s.model + "' but train_config.model " +
                    train_config.at("model").dump());
    }
    s.train_config_json = train_config.dump();
    s.n_features = json_int<std::int64_t>(j.at("n_features"), "n_features");
    const Json& data = j.at("data");
    s.dataset = data.at("dataset").get<std::string>();
    s.feature_spec = data.at("feature_spec").get<std::string>();
    s.feature_hash = data.at("feature_hash").get<std::string>();
    s.feature_config = feature_config_from_json(data.at("feature_config").dump());
    s.columns = data.at("columns").get<std::vector<std::string>>();
    s.data_json = data.dump();
    s.mean = j.at("normalisation").at("mean").get<std::vector<float>>();
    s.std = j.at("normalisation").at("std").get<std::vector<float>>();
    s.training_songs = j.at("training_songs").get<std::vector<std::string>>();
    s.best_epoch = json_int_or<int>(j, "best_epoch", 0);
    const Json metrics = j.value("metrics", Json(nullptr));
    s.metrics_json = metrics.dump();
    s.uncertainty = read_uncertainty(metrics);
    s.dynemo_version = j.value("dynemo_version", std::string());
    s.git_sha = j.value("git_sha", std::string());
    check_sizes(s);
  } catch (const Json::exception& e) {
    throw IoError(path + ".json: not a dynemo model sidecar (" + e.what() + ")");
  } catch (const IoError& e) {
    throw IoError(path + ".json: " + e.what());
  }
  return s;
}

Uncertainty uncertainty_from_metrics(const std::string& metrics_json) {
  try {
    return read_uncertainty(Json::parse(metrics_json));
  } catch (const Json::exception& e) {
    throw IoError(std::string("metrics: ") + e.what());
  }
}

std::string model_path_stem(const std::string& path) {
  for (const std::string ext : {".pt", ".json"}) {
    if (path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0) {
      return path.substr(0, path.size() - ext.size());
    }
  }
  return path;
}

ModelSidecar read_model_sidecar(const std::string& path) {
  return parse_model_sidecar(read_text_file(path + ".json", "model sidecar"), path);
}

}  // namespace dynemo::models
