// model_card (model-card.h): the sidecar fields a Predictor shows and checks before it loads
// weights.
#include "predict/model-card.h"

#include <string>
#include <vector>

#include "dynemo/error.h"

namespace dynemo::predict {

ModelCard model_card(const models::ModelSidecar& sidecar, const std::string& sidecar_json,
                     const std::string& path) {
  ModelCard card;
  card.path = path;
  card.sidecar_json = sidecar_json;
  card.model = sidecar.model;
  card.spec = sidecar.feature_spec;
  card.feature_hash = sidecar.feature_hash;
  card.config = sidecar.feature_config;
  card.dataset = sidecar.dataset;
  card.n_songs = sidecar.training_songs.size();
  card.uncertainty = sidecar.uncertainty;
  // The feature columns it was trained on are the ones this dynemo computes for the spec.
  const std::vector<std::string> expected_columns = feature_columns(card.spec);
  if (sidecar.columns != expected_columns) {
    throw IoError(path + ".json: its " + std::to_string(sidecar.columns.size()) +
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

ModelCard parse_model_card(const std::string& sidecar_json, const std::string& path) {
  return model_card(models::parse_model_sidecar(sidecar_json, path), sidecar_json, path);
}

}  // namespace dynemo::predict
