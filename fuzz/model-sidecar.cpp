// The model sidecar (<model>.json): parse_model_card (src/predict/model-card.h), i.e. the one
// sidecar parser (parse_model_sidecar, src/models/model-file.cpp: every field, the
// normalisation and sizes, the sd model) and the card's checks against this build. Both files
// are compiled in: they have no LibTorch. Not covered: train_config_from_json, which
// load_weights (src/models/ensemble.cpp) calls next, since validating a train_config builds the
// model in LibTorch. A blend sidecar (format dynemo-blend/1, src/models/blend-file.cpp) goes to
// parse_blend_sidecar, as Predictor sends it.
// Input: the sidecar text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz-common.h"
#include "models/blend-file.h"
#include "predict/model-card.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  dynemo::fuzz::expect_errors([&] {
    if (dynemo::models::is_blend_sidecar(text)) {
      dynemo::models::parse_blend_sidecar(text, "models/fuzz-blend");
    } else {
      dynemo::predict::parse_model_card(text, "models/fuzz-model");
    }
  });
  return 0;
}
