// FeatureConfig <-> JSON, and the feature hash that ties a model to the extractor.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "dynemo/error.h"
#include "dynemo/features.h"
#include "features/feature-set.h"

namespace dynemo {
namespace {
// Bumped whenever a change alters computed values, so stale caches and models are refused.
constexpr int kExtractorRevision = 1;
}  // namespace

std::string feature_config_to_json(const FeatureConfig& c) {
  nlohmann::ordered_json j;
  j["sample_rate_hz"] = c.sample_rate_hz;
  j["n_fft"] = c.n_fft;
  j["hop_length"] = c.hop_length;
  j["window_s"] = c.window_s;
  j["hop_s"] = c.hop_s;
  j["offset_s"] = c.offset_s;
  return j.dump();
}

namespace {

// An integer field read without wrapping: 1e12 or 2.5 is refused, not read as -2147483648 or 2.
int integer_field(const nlohmann::json& j, const char* key, int fallback) {
  if (!j.contains(key)) return fallback;
  const double v = j.at(key).get<double>();
  if (!(v == std::floor(v)) || v < -2147483648.0 || v > 2147483647.0) {
    std::ostringstream text;
    text << "feature config: " << key << " " << v << " is not a 32-bit integer";
    throw ConfigError(text.str());
  }
  return static_cast<int>(v);
}

}  // namespace

FeatureConfig feature_config_from_json(const std::string& json_text) {
  FeatureConfig c;
  try {
    const nlohmann::json j = nlohmann::json::parse(json_text);
    c.sample_rate_hz = j.value("sample_rate_hz", c.sample_rate_hz);
    c.n_fft = integer_field(j, "n_fft", c.n_fft);
    c.hop_length = integer_field(j, "hop_length", c.hop_length);
    c.window_s = j.value("window_s", c.window_s);
    c.hop_s = j.value("hop_s", c.hop_s);
    c.offset_s = j.value("offset_s", c.offset_s);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(std::string("feature config: invalid JSON: ") + e.what());
  }
  validate(c);
  return c;
}

std::string feature_hash(const std::string& spec, const FeatureConfig& config) {
  std::string text = "dynemo-features/" + std::to_string(kExtractorRevision) + "|";
  for (const std::string& name : parse_feature_spec(spec)) {
    const int revision = features::feature_set_revision(name);
    text += name + (revision > 0 ? "@" + std::to_string(revision) : "") + "+";
  }
  text += "|" + feature_config_to_json(config);
  const std::uint64_t h = fnv1a(kFnv1aOffset, text.data(), text.size());
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace dynemo
