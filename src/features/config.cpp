// FeatureConfig <-> JSON, and the feature hash that ties a model to the extractor.
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

#include "common/hash.h"
#include "common/json-int.h"
#include "dynemo/error.h"
#include "dynemo/features.h"
#include "features/feature-set.h"

namespace dynemo {
namespace {
// Bumped whenever a change alters computed values, so stale caches and models are refused.
constexpr int kExtractorRevision = 1;

// The int field `key` of a config object, `fallback` when absent (json_int's rule: nlohmann's own
// conversion of 1e12 or 2048.5 to int is undefined behaviour, "n_fft": 1e12 read as INT_MIN, and
// a model sidecar reaches it). Throws ConfigError naming the field and its value.
int int_field(const nlohmann::json& j, const char* key, int fallback) {
  const auto it = j.find(key);
  if (it == j.end()) return fallback;
  try {
    return json_int<int>(*it, key);
  } catch (const nlohmann::json::exception&) {
    const std::string shown =
        it->is_number() ? it->dump() : "(" + std::string(it->type_name()) + ")";
    throw ConfigError(std::string("feature config: ") + key + "=" + shown +
                      " is invalid: expected a whole number");
  }
}

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

FeatureConfig feature_config_from_json(const std::string& json_text) {
  FeatureConfig c;
  try {
    const nlohmann::json j = nlohmann::json::parse(json_text);
    if (!j.is_object()) {
      throw ConfigError(std::string("feature config: expected a JSON object, got ") +
                        j.type_name());
    }
    c.sample_rate_hz = j.value("sample_rate_hz", c.sample_rate_hz);
    c.n_fft = int_field(j, "n_fft", c.n_fft);
    c.hop_length = int_field(j, "hop_length", c.hop_length);
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
