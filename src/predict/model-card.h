// Reading a model sidecar (<name>.json beside <name>.pt) into its ModelCard. No LibTorch: the
// fuzz harness (fuzz/model-sidecar.cpp) compiles model-card.cpp without it.
#pragma once

#include <string>

#include "dynemo/predict.h"

namespace dynemo::predict {

// The card of the sidecar text `sidecar_json` of the model at `path` (without extension; it only
// names the model in the card and in messages), with the feature hash checked against this build
// and config.offset_s reset to 0 (predictions start at the start of a file). Throws IoError
// "<path>.json: not a dynemo model sidecar (...)" for text that is not JSON or lacks a field or
// has one of the wrong type, ConfigError for a feature configuration out of range or a hash that
// this build does not compute for the recorded spec and config.
ModelCard parse_model_card(const std::string& sidecar_json, const std::string& path);

}  // namespace dynemo::predict
