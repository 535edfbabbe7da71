// The model sidecar (<model>.json): parse_model_card (src/predict/model-card.h), everything a
// Predictor reads from the sidecar before it loads weights: model name, feature spec, hash and
// configuration, training set, CV metrics. model-card.cpp is compiled in: it has no LibTorch.
// Not covered: the train_config, n_features and normalisation fields load_ensemble reads next
// (src/train/ensemble.cpp), since validating a train_config builds the model in LibTorch.
// Input: the sidecar text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz-common.h"
#include "predict/model-card.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  dynemo::fuzz::expect_errors(
      [&] { dynemo::predict::parse_model_card(text, "models/fuzz-model"); });
  return 0;
}
