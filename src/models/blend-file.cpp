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

}  // namespace

bool is_blend_sidecar(const std::string& text) {
  const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_object() && j.contains("format") && j["format"] == kBlendFormat;
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
  for (const BlendComponent& c : blend.components) {
    components.push_back({{"file", c.file},
                          {"weight", c.weight},
                          {"model", c.model},
                          {"feature_spec", c.feature_spec}});
  }
  Json j;
  j["format"] = kBlendFormat;
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
    if (j.at("format") != kBlendFormat) {
      throw IoError("format " + j.at("format").dump() + " is not " + kBlendFormat);
    }
    if (j.at("outputs") != Json::array({"arousal", "valence"})) {
      throw IoError("outputs " + j.at("outputs").dump() + ", expected [\"arousal\",\"valence\"]");
    }
    const Json& components = j.at("components");
    if (!components.is_array() || components.size() < 2) {
      throw IoError("a blend needs two or more components, it has " +
                    std::to_string(components.is_array() ? components.size() : 0));
    }
    double sum = 0.0;
    std::set<std::string> files;
    for (const Json& c : components) {
      BlendComponent part;
      part.file = c.at("file").get<std::string>();
      check_component_file(part.file);
      if (!files.insert(part.file).second) {
        throw IoError("component '" + part.file + "' is listed twice");
      }
      part.weight = c.at("weight").get<double>();
      if (!(std::isfinite(part.weight) && part.weight > 0.0)) {
        throw IoError("component '" + part.file + "' has weight " + c.at("weight").dump() +
                      " (finite, > 0 expected)");
      }
      part.model = c.value("model", std::string());
      part.feature_spec = c.value("feature_spec", std::string());
      sum += part.weight;
      b.components.push_back(part);
    }
    if (std::fabs(sum - 1.0) > kWeightSumTolerance) {
      throw IoError("the component weights add up to " + std::to_string(sum) + ", not 1");
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
