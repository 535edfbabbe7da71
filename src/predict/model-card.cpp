// model_card (model-card.h): the sidecar fields a Predictor shows and checks before it loads
// weights.
#include "predict/model-card.h"

#include <algorithm>
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

ModelCard blend_card(const models::BlendSidecar& blend, const std::string& blend_json,
                     const std::string& path, const std::vector<ModelCard>& components) {
  ModelCard card = components.front();
  card.path = path;
  card.sidecar_json = blend_json;
  card.uncertainty = blend.uncertainty;
  card.model = "BLEND(";
  std::vector<std::string> sets;
  for (std::size_t i = 0; i < components.size(); ++i) {
    const ModelCard& c = components[i];
    card.model += (i ? "+" : "") + c.model;
    if (feature_config_to_json(c.config) != feature_config_to_json(card.config)) {
      throw IoError(path + ".json: component " + blend.components[i].file +
                    " extracts its features with another configuration than " +
                    blend.components.front().file + " (" + feature_config_to_json(c.config) +
                    " against " + feature_config_to_json(card.config) + ")");
    }
    for (const std::string& set : parse_feature_spec(c.spec)) {
      if (std::find(sets.begin(), sets.end(), set) == sets.end()) sets.push_back(set);
    }
  }
  card.model += ")";
  card.spec.clear();
  for (const std::string& set : sets) card.spec += (card.spec.empty() ? "" : "+") + set;
  card.feature_hash = feature_hash(card.spec, card.config);
  return card;
}

}  // namespace dynemo::predict
