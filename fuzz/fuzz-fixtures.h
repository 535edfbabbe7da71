// The settings some harnesses check their input against (a model card, a feature file's
// provenance, a cache's feature set), shared with the seed generator so that its seeds are
// current files for them and the fuzzer starts on the success paths.
#pragma once

#include <string>

#include "dynemo/features.h"
#include "dynemo/io.h"
#include "dynemo/predict.h"

namespace dynemo::fuzz {

// The model whose outputs prediction-file checks with prediction_is_current.
inline ModelCard fuzz_model_card() {
  ModelCard card;
  card.path = "models/fuzz-model";
  card.model = "CTX_MLP_256x2_C6";
  card.spec = "listener";
  card.config = FeatureConfig{};
  card.feature_hash = feature_hash(card.spec, card.config);
  card.dataset = "deam";
  card.n_songs = 3;
  return card;
}

// The feature set of the feature-sidecar and cache harnesses (5 columns: small seeds).
constexpr const char* kFuzzSpec = "psychoacoustic";

// What produced the feature file whose sidecar feature-sidecar checks.
inline FeatureProvenance fuzz_feature_provenance() {
  FeatureProvenance provenance;
  provenance.input = "music/clip.wav";
  provenance.spec = kFuzzSpec;
  provenance.config = FeatureConfig{};
  provenance.format = "csv";
  return provenance;
}

// The dataset name of the cache harness's index (cache folder <dir>/<dataset>/<feature hash>).
constexpr const char* kFuzzCacheDataset = "fuzz";

}  // namespace dynemo::fuzz
