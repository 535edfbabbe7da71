// parse_model_card (model-card.h): the sidecar fields a Predictor needs before it loads weights.
#include "predict/model-card.h"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dynemo/error.h"

namespace dynemo::predict {
namespace {

using Json = nlohmann::ordered_json;

// The sd model of a sidecar: fitted on its cross-validation (metrics.cross_validation.uncertainty),
// else the CV RMSE as a constant sd, else the default constant.
Uncertainty read_uncertainty(const Json& sidecar) {
  Uncertainty u;
  const Json cv = sidecar.value("/metrics/cross_validation"_json_pointer, Json::object());
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

}  // namespace

ModelCard parse_model_card(const std::string& sidecar_json, const std::string& path) {
  ModelCard card;
  card.path = path;
  card.sidecar_json = sidecar_json;
  std::vector<std::string> columns;
  try {
    const Json j = Json::parse(card.sidecar_json);
    const Json& data = j.at("data");
    // What this dynemo can read: the format it writes, its two outputs in order, and a model
    // named as the training configuration names it (an edited sidecar is refused, not trusted).
    const std::string format = j.value("format", std::string("dynemo-model/1"));
    if (format != "dynemo-model/1") {
      throw IoError("format '" + format + "' is not dynemo-model/1 (a newer dynemo's model?)");
    }
    if (j.at("outputs") != Json::array({"arousal", "valence"})) {
      throw IoError("outputs " + j.at("outputs").dump() + ", expected [\"arousal\",\"valence\"]");
    }
    card.model = j.at("model").get<std::string>();
    if (j.at("train_config").at("model") != card.model) {
      throw IoError("model '" + card.model + "' but train_config.model " +
                    j.at("train_config").at("model").dump());
    }
    card.spec = data.at("feature_spec").get<std::string>();
    card.feature_hash = data.at("feature_hash").get<std::string>();
    card.config = feature_config_from_json(data.at("feature_config").dump());
    card.dataset = data.at("dataset").get<std::string>();
    card.n_songs = j.at("training_songs").size();
    card.uncertainty = read_uncertainty(j);
    columns = data.at("columns").get<std::vector<std::string>>();
  } catch (const Json::exception& e) {
    throw IoError(path + ".json: not a dynemo model sidecar (" + e.what() + ")");
  } catch (const IoError& e) {
    throw IoError(path + ".json: " + e.what());
  }
  // The feature columns it was trained on are the ones this dynemo computes for the spec.
  const std::vector<std::string> expected_columns = feature_columns(card.spec);
  if (columns != expected_columns) {
    throw IoError(path + ".json: its " + std::to_string(columns.size()) +
                  " feature columns are not the " + std::to_string(expected_columns.size()) +
                  " columns of '" + card.spec + "'");
  }
  const std::string expected = feature_hash(card.spec, card.config);
  if (expected != card.feature_hash) {
    throw ConfigError("model " + path + " was trained on '" + card.spec + "' features with hash " +
                      card.feature_hash + ", but this dynemo computes hash " + expected +
                      " for them: retrain the model or use the dynemo version that made it");
  }
  card.config.offset_s = 0.0;  // predictions start at the start of the file
  return card;
}

}  // namespace dynemo::predict
