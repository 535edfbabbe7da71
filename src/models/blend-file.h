// The blend sidecar: its one home. A blend is a model file <name>.json (format "dynemo-blend/1",
// docs/formats.md#blends, no weights of its own) whose prediction for each window is the weighted
// mean of its components' predictions; each component is an ordinary model file (model-file.h)
// in the blend's own folder, named by its file stem. Written by `dynemo blend`, read by Predictor.
// No LibTorch (the fuzz harness compiles it without).
#pragma once

#include <string>
#include <vector>

#include "dynemo/blend.h"
#include "dynemo/uncertainty.h"

namespace dynemo::models {

// Blends whose components all weigh both outputs alike are written as /1 (which dynemo 0.2.0
// reads); blends with a weight per output as /2, which an older reader refuses by its format.
inline constexpr const char* kBlendFormat = "dynemo-blend/1";
inline constexpr const char* kBlendFormatPerOutput = "dynemo-blend/2";

struct BlendComponent {
  std::string file;      // stem of <file>.pt + <file>.json in the blend's folder (no '/')
  OutputWeights weight;  // >= 0, not 0 in both; each output's weights add up to 1
  std::string model;     // the component's model name, as its sidecar says (for people)
  std::string feature_spec;
};

struct BlendSidecar {
  std::vector<BlendComponent> components;  // at least two
  // null, or {"cross_validation": {...}}: the blend's own held-out metrics (`dynemo blend` of
  // `dynemo cv` runs), read like a model sidecar's (uncertainty from its pooled RMSE).
  std::string metrics_json = "null";
  std::string dynemo_version, git_sha;
  Uncertainty uncertainty;  // read from metrics_json when parsed
};

// True when `text` is JSON whose "format" is dynemo-blend/1 or /2 (false for anything else, invalid
// JSON included: the model sidecar's parser then says what is wrong).
bool is_blend_sidecar(const std::string& text);

// The blend as JSON text (indented, ending in a newline).
std::string blend_sidecar_json(const BlendSidecar& blend);

// Parses and checks blend text: the format, outputs [arousal, valence], two or more components
// with safe file stems (no path separators, not "." or "..", no control characters), distinct,
// each with a "weight" (finite, > 0) or, in /2, "weights" {"arousal": a, "valence": v} (finite,
// >= 0, not both 0), each output's weights adding up to 1 within 1e-6. IoError "<path>.json: ..."
// naming the problem.
BlendSidecar parse_blend_sidecar(const std::string& text, const std::string& path);

// The path (without extension) of a component of the blend at `blend_path` (without extension).
std::string blend_component_path(const std::string& blend_path, const BlendComponent& component);

// Checks a component file stem (the rule above); IoError naming it otherwise.
void check_component_file(const std::string& file);

}  // namespace dynemo::models
