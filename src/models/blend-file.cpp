// The blend sidecar (blend-file.h): to and from JSON, with every check a reader relies on.
#include "models/blend-file.h"

#include <cmath>
#include <filesystem>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "dynemo/error.h"
#include "models/model-file.h"

namespace dynemo::models {
namespace {

using Json = nlohmann::ordered_json;

// Weights must add up to 1 this closely (they are written with full double precision).
constexpr double kWeightSumTolerance = 1e-6;

constexpr const char* kOutputs[2] = {" of arousal", " of valence"};

// A component's weight: "weight" (both outputs, finite > 0), or in a /2 blend "weights" {"arousal":
// a, "valence": v} (finite, >= 0, not both 0). IoError naming the component otherwise.
OutputWeights component_weight(const Json& c, const std::string& file, bool per_output) {
  if (per_output && c.contains("weights")) {
    const Json& w = c.at("weights");
    const OutputWeights out(w.at("arousal").get<double>(), w.at("valence").get<double>());
    const bool ok = std::isfinite(out.arousal) && std::isfinite(out.valence) &&
                    out.arousal >= 0.0 && out.valence >= 0.0 && out.arousal + out.valence > 0.0;
    if (!ok) {
      throw IoError("component '" + file + "' has weights " + w.dump() +
                    " (finite, >= 0, not both 0 expected)");
    }
    return out;
  }
  const double weight = c.at("weight").get<double>();
  if (!(std::isfinite(weight) && weight > 0.0)) {
    throw IoError("component '" + file + "' has weight " + c.at("weight").dump() +
                  " (finite, > 0 expected)");
  }
  return weight;
}

}  // namespace

bool is_blend_sidecar(const std::string& text) {
  const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_object() && j.contains("format") &&
         (j["format"] == kBlendFormat || j["format"] == kBlendFormatPerOutput);
}

void check_component_file(const std::string& file) {
  bool safe = !file.empty() && file != "." && file != ".." && file.size() <= 255;
  for (const char c : file) {
    safe = safe && c != '/' && c != '\\' && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
  }
  if (!safe) {
    throw IoError("component file " + Json(file).dump() +
                  " is not a file name in the blend's folder (no path separators, not . or ..)");
  }
}

std::string blend_sidecar_json(const BlendSidecar& blend) {
  Json components = Json::array();
  bool per_output = false;
  for (const BlendComponent& c : blend.components) {
    Json entry = {{"file", c.file}};
    if (c.weight.same()) {
      entry["weight"] = c.weight.arousal;
    } else {
      entry["weights"] = {{"arousal", c.weight.arousal}, {"valence", c.weight.valence}};
      per_output = true;
    }
    entry["model"] = c.model;
    entry["feature_spec"] = c.feature_spec;
    components.push_back(entry);
  }
  Json j;
  j["format"] = per_output ? kBlendFormatPerOutput : kBlendFormat;
  j["outputs"] = {"arousal", "valence"};
  j["components"] = components;
  j["metrics"] = Json::parse(blend.metrics_json);
  j["dynemo_version"] = blend.dynemo_version;
  j["git_sha"] = blend.git_sha;
  return j.dump(2) + "\n";
}

BlendSidecar parse_blend_sidecar(const std::string& text, const std::string& path) {
  BlendSidecar b;
  try {
    const Json j = Json::parse(text);
    const bool per_output = j.at("format") == kBlendFormatPerOutput;
    if (j.at("format") != kBlendFormat && !per_output) {
      throw IoError("format " + j.at("format").dump() + " is not " + kBlendFormat + " or " +
                    kBlendFormatPerOutput);
    }
    if (j.at("outputs") != Json::array({"arousal", "valence"})) {
      throw IoError("outputs " + j.at("outputs").dump() + ", expected [\"arousal\",\"valence\"]");
    }
    const Json& components = j.at("components");
    if (!components.is_array() || components.size() < 2) {
      throw IoError("a blend needs two or more components, it has " +
                    std::to_string(components.is_array() ? components.size() : 0));
    }
    OutputWeights sum;
    std::set<std::string> files;
    for (const Json& c : components) {
      BlendComponent part;
      part.file = c.at("file").get<std::string>();
      check_component_file(part.file);
      if (!files.insert(part.file).second) {
        throw IoError("component '" + part.file + "' is listed twice");
      }
      part.weight = component_weight(c, part.file, per_output);
      part.model = c.value("model", std::string());
      part.feature_spec = c.value("feature_spec", std::string());
      sum.arousal += part.weight.arousal;
      sum.valence += part.weight.valence;
      b.components.push_back(part);
    }
    for (std::size_t o = 0; o < 2; ++o) {
      if (std::fabs(sum[o] - 1.0) > kWeightSumTolerance) {
        throw IoError(std::string("the component weights") + (per_output ? kOutputs[o] : "") +
                      " add up to " + std::to_string(sum[o]) + ", not 1");
      }
    }
    b.metrics_json = j.value("metrics", Json(nullptr)).dump();
    b.uncertainty = uncertainty_from_metrics(b.metrics_json);
    b.dynemo_version = j.value("dynemo_version", std::string());
    b.git_sha = j.value("git_sha", std::string());
  } catch (const Json::exception& e) {
    throw IoError(path + ".json: not a dynemo blend (" + e.what() + ")");
  } catch (const IoError& e) {
    throw IoError(path + ".json: " + e.what());
  }
  return b;
}

std::string blend_component_path(const std::string& blend_path, const BlendComponent& component) {
  check_component_file(component.file);
  return (std::filesystem::path(blend_path).parent_path() / component.file).string();
}

}  // namespace dynemo::models
