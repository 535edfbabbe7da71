// parse_model_card (model-card.h): the sidecar fields a Predictor needs before it loads weights.
#include "predict/model-card.h"

#include <nlohmann/json.hpp>

#include "dynemo/error.h"

namespace dynemo::predict {

ModelCard parse_model_card(const std::string& sidecar_json, const std::string& path) {
  using Json = nlohmann::ordered_json;
  ModelCard card;
  card.path = path;
  card.sidecar_json = sidecar_json;
  try {
    const Json j = Json::parse(card.sidecar_json);
    const Json& data = j.at("data");
    card.model = j.at("model").get<std::string>();
    card.spec = data.at("feature_spec").get<std::string>();
    card.feature_hash = data.at("feature_hash").get<std::string>();
    card.config = feature_config_from_json(data.at("feature_config").dump());
    card.dataset = data.at("dataset").get<std::string>();
    card.n_songs = j.at("training_songs").size();
    const Json pooled = j.value("/metrics/cross_validation/pooled"_json_pointer, Json::object());
    if (pooled.contains("arousal") && pooled.contains("valence")) {
      card.neutral.arousal = pooled.at("arousal").at("rmse").get<double>();
      card.neutral.valence = pooled.at("valence").at("rmse").get<double>();
    }
  } catch (const Json::exception& e) {
    throw IoError(path + ".json: not a dynemo model sidecar (" + e.what() + ")");
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
