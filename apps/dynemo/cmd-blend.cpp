// `dynemo blend`: a blend of model files (OUT.json), or of `dynemo cv` model folders (OUT/ as a
// cv folder of the blend, with its held-out metrics). The work is in the library (blend.h).
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"
#include "dynemo/blend.h"
#include "dynemo/data.h"
#include "dynemo/error.h"
#include "dynemo/io.h"

namespace dynemo::cli {
namespace {

// One number of --weights, or a ConfigError quoting the option.
double weight_number(const std::string& item, const std::string& option) {
  std::size_t used = 0;
  double w = 0.0;
  try {
    w = std::stod(item, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (item.empty() || used != item.size()) {
    throw ConfigError("blend: --weights '" + option + "': '" + item + "' is not a number");
  }
  return w;
}

// The inputs with their weights (equal when none are given): "W" weighs both outputs, "A:V"
// arousal and valence apart.
std::vector<BlendInput> weighted_inputs(const BlendArgs& args) {
  std::vector<BlendInput> inputs;
  for (const std::string& path : args.inputs) inputs.push_back({path, 1.0});
  if (args.weights.empty()) return inputs;
  std::vector<OutputWeights> weights;
  std::string item;
  for (const char c : args.weights + ",") {
    if (c != ',') {
      item += c;
      continue;
    }
    const std::size_t colon = item.find(':');
    if (colon == std::string::npos) {
      weights.emplace_back(weight_number(item, args.weights));
    } else {
      weights.emplace_back(weight_number(item.substr(0, colon), args.weights),
                           weight_number(item.substr(colon + 1), args.weights));
    }
    item.clear();
  }
  if (weights.size() != inputs.size()) {
    throw ConfigError("blend: " + std::to_string(weights.size()) + " weights for " +
                      std::to_string(inputs.size()) + " inputs");
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) inputs[i].weight = weights[i];
  return inputs;
}

bool is_cv_folder(const std::string& path) {
  return std::filesystem::is_directory(path) &&
         std::filesystem::exists(std::filesystem::path(path) / "split.json");
}

}  // namespace

int run_blend(const CliArgs& all) {
  const BlendArgs& args = all.blend;
  const std::vector<BlendInput> inputs = weighted_inputs(args);
  std::size_t folders = 0;
  for (const BlendInput& in : inputs) folders += is_cv_folder(in.path) ? 1 : 0;
  if (folders != 0 && folders != inputs.size()) {
    throw ConfigError("blend: give model files or `dynemo cv` model folders, not both");
  }
  if (folders == 0) {
    const std::string metrics =
        args.cv_run.empty() ? std::string()
                            : read_text_file(args.cv_run + "/metrics.json", "blend cv metrics");
    write_blend(inputs, args.output, metrics);
    std::cout << "blend: " << args.output << " (" << inputs.size() << " models)" << std::endl;
    return 0;
  }
  if (!args.cv_run.empty()) throw ConfigError("blend: --cv-run is for blends of model files");
  DatasetSource source = cv_run_dataset(inputs.front().path);
  if (!args.root.empty()) source.root = args.root;
  const Dataset dataset = load_dataset(source);
  blend_cv(inputs, dataset, args.output);
  std::cout << read_text_file(args.output + "/metrics.md", "blend metrics");
  return 0;
}

}  // namespace dynemo::cli
