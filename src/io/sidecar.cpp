// The JSON sidecar written beside every feature file: what produced it (program version and git
// SHA, input, feature spec, hash and config) and how to read it (columns, shape, time grid).
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "dynemo/error.h"
#include "dynemo/io.h"
#include "dynemo/version.h"

namespace dynemo {
namespace {

// Current time as ISO 8601 UTC, "2024-05-01T12:00:00Z".
std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(buffer, n);
}

nlohmann::ordered_json config_object(const std::string& path, const FeatureConfig& config) {
  const std::string text = feature_config_to_json(config);
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw IoError("cannot write " + path + ": the feature config is not valid JSON (" + e.what() +
                  "): " + text);
  }
}

}  // namespace

void write_features_sidecar(const std::string& path, const std::vector<std::string>& columns,
                            const std::vector<double>& time_s,
                            const FeatureProvenance& provenance) {
  nlohmann::ordered_json doc;
  doc["kind"] = "dynemo.features";
  doc["dynemo_version"] = kVersion;
  doc["git_sha"] = kGitSha;
  doc["created_utc"] = utc_timestamp();
  doc["input"] = provenance.input;
  doc["format"] = provenance.format;
  doc["spec"] = provenance.spec;
  doc["feature_hash"] = feature_hash(provenance.spec, provenance.config);
  doc["config"] = config_object(path, provenance.config);
  doc["audio_offset_s"] = provenance.audio_offset_s;
  doc["audio_duration_s"] = provenance.audio_duration_s;
  doc["sample_rate_hz"] = provenance.config.sample_rate_hz;
  doc["window_s"] = provenance.config.window_s;
  doc["hop_s"] = provenance.config.hop_s;
  doc["n_rows"] = time_s.size();
  doc["n_cols"] = columns.size();
  doc["first_time_s"] =
      time_s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(time_s.front());
  doc["columns"] = columns;
  // Start of each row's window: the .npy file has no time column of its own.
  doc["time_s"] = time_s;

  // File names need not be UTF-8 (Linux allows any bytes): invalid bytes become U+FFFD instead
  // of an exception that would leave the data file without its sidecar.
  write_file_atomic(
      path, doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
}

bool features_output_is_current(const std::string& sidecar_path, const std::string& data_path,
                                const FeatureProvenance& provenance,
                                const std::vector<std::string>& columns) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(data_path, ec) ||
      std::filesystem::file_size(data_path, ec) == 0 || ec) {
    return false;
  }
  std::ifstream in(sidecar_path, std::ios::binary);
  if (!in) return false;
  try {
    const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(in);
    return doc.at("kind") == "dynemo.features" && doc.at("dynemo_version") == kVersion &&
           doc.at("git_sha") == kGitSha && doc.at("input") == provenance.input &&
           doc.at("format") == provenance.format && doc.at("spec") == provenance.spec &&
           doc.at("feature_hash") == feature_hash(provenance.spec, provenance.config) &&
           doc.at("config") == config_object(sidecar_path, provenance.config) &&
           doc.at("audio_offset_s") == provenance.audio_offset_s &&
           doc.at("audio_duration_s") == provenance.audio_duration_s &&
           doc.at("columns").get<std::vector<std::string>>() == columns;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

}  // namespace dynemo
