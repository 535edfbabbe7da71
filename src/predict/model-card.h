// A model's card (dynemo/predict.h ModelCard) from its parsed sidecar (models/model-file.h). No
// LibTorch: the fuzz harness (fuzz/model-sidecar.cpp) compiles model-card.cpp without it.
#pragma once

#include <string>
#include <vector>

#include "dynemo/predict.h"
#include "models/blend-file.h"
#include "models/model-file.h"

namespace dynemo::predict {

// The card of the model at `path` (without extension; it names the model in the card and in
// messages) whose sidecar text `sidecar_json` parsed to `sidecar`: the feature columns and hash
// checked against this build, config.offset_s reset to 0 (predictions start at the start of a
// file). Throws IoError "<path>.json: its N feature columns are not ..." when the columns are not
// those this dynemo computes for the spec, ConfigError when the hash is not the one it computes.
ModelCard model_card(const models::ModelSidecar& sidecar, const std::string& sidecar_json,
                     const std::string& path);

// parse_model_sidecar, then model_card.
ModelCard parse_model_card(const std::string& sidecar_json, const std::string& path);

// The card of the blend at `path` (without extension) from its parsed sidecar and the cards of
// its components (in order): their union feature spec (each set once, in order of first use),
// its hash, the components' shared feature configuration, the first component's training data,
// the blend's own uncertainty, model "BLEND(<model>+<model>...)". Throws IoError
// "<path>.json: ..." when the components' feature configurations differ.
ModelCard blend_card(const models::BlendSidecar& blend, const std::string& blend_json,
                     const std::string& path, const std::vector<ModelCard>& components);

}  // namespace dynemo::predict
