// The model sidecar, <name>.json beside the weights <name>.pt: its one home. Format
// "dynemo-model/1" (docs/formats.md#models): what a model is, what it was trained on, its
// normalisation and metrics. Written by the trainer, read by Predictor and the trainer (resuming
// a run); every key is named here and nowhere else. No LibTorch: the fuzz harness
// (fuzz/model-sidecar.cpp) compiles model-file.cpp without it. The weights: models/ensemble.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dynemo/features.h"
#include "dynemo/uncertainty.h"

namespace dynemo::models {

inline constexpr const char* kModelFormat = "dynemo-model/1";

struct ModelSidecar {
  std::string model;  // the zoo name ("CTX_MLP_256x2_C6"), equal to the train config's
  std::int64_t n_features = 0;
  std::string train_config_json = "{}";  // the TrainConfig (train_config_from_json reads it)

  // The training data: the feature set, its hash and configuration, the columns in order, and
  // the rest of the description as written (root, manifest, song and frame counts).
  std::string dataset;
  std::string feature_spec;
  std::string feature_hash;
  FeatureConfig feature_config;
  std::vector<std::string> columns;
  std::string data_json = "{}";  // written with the fields above put in

  std::vector<float> mean, std;  // standardisation per feature column
  std::vector<std::string> training_songs;
  int best_epoch = 0;
  // null, a fold's held-out metrics, or {"cross_validation": {...}} from `train --cv-run`.
  std::string metrics_json = "null";
  std::string dynemo_version, git_sha;

  // Read from metrics_json when parsed (never written): the sd model of metrics.cross_validation
  // .uncertainty, else its pooled CV RMSE as a constant sd ("cv-rmse"), else the default.
  Uncertainty uncertainty;
};

// The sidecar as JSON text (indented, ending in a newline).
std::string model_sidecar_json(const ModelSidecar& sidecar);

// Parses and checks sidecar text: valid JSON with every field of the right type, the format
// dynemo-model/1, outputs [arousal, valence], `model` equal to train_config.model, as many
// normalisation means, stds and columns as n_features, finite stds > 0, an sd model in range.
// `path` (the model without extension) names the model in messages: IoError
// "<path>.json: not a dynemo model sidecar (...)" or "<path>.json: <what is wrong>"; ConfigError
// for a feature configuration out of range.
ModelSidecar parse_model_sidecar(const std::string& text, const std::string& path);

// The sd model recorded in a sidecar's metrics text (a model's or a blend's): its
// cross_validation.uncertainty when fitted, else its pooled CV RMSE as a constant sd ("cv-rmse"),
// else the default. IoError for values out of range or a malformed object.
Uncertainty uncertainty_from_metrics(const std::string& metrics_json);

// A model path as users give it, with or without ".pt" / ".json", without the extension.
std::string model_path_stem(const std::string& path);

// Reads <path>.json (path without extension) and parses it. IoError when it cannot be read.
ModelSidecar read_model_sidecar(const std::string& path);

}  // namespace dynemo::models
