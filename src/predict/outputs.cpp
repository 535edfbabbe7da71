// Prediction files of `dynemo predict`: CSV (what `dynemo evaluate` reads, after one provenance
// comment line) or JSON, and the attention matrix beside a CSV.
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "dynemo/predict.h"
#include "dynemo/version.h"

namespace dynemo {
namespace {

using Json = nlohmann::ordered_json;

std::string provenance_line(const ModelCard& card) {
  return "# dynemo " + std::string(kVersion) + " (git " + kGitSha + "), model " + card.path +
         " (" + card.model + ", trained on " + card.dataset + ", " +
         std::to_string(card.n_songs) + " songs), features " + card.spec + " hash " +
         card.feature_hash + ", config " + feature_config_to_json(card.config) + "\n";
}

}  // namespace

std::string prediction_csv_text(const TrackPrediction& p, const ModelCard& card) {
  std::string out = provenance_line(card) + "time_s,arousal,valence\n";
  char line[96];
  for (std::size_t i = 0; i < p.n_windows(); ++i) {
    std::snprintf(line, sizeof line, "%.3f,%.6f,%.6f\n", p.time_s[i], p.arousal[i], p.valence[i]);
    out += line;
  }
  return out;
}

std::string prediction_json_text(const TrackPrediction& p, const ModelCard& card) {
  Json j;
  j["source"] = p.source;
  j["duration_s"] = p.duration_s;
  j["model"] = {{"path", card.path},           {"name", card.model},
                {"dataset", card.dataset},     {"features", card.spec},
                {"feature_hash", card.feature_hash},
                {"feature_config", Json::parse(feature_config_to_json(card.config))}};
  j["dynemo_version"] = kVersion;
  j["git_sha"] = kGitSha;
  j["outputs"] = {"arousal", "valence"};
  j["scale"] = "DEAM, [-1, 1]";
  j["time_s"] = p.time_s;
  j["arousal"] = p.arousal;
  j["valence"] = p.valence;
  if (!p.attention.empty()) {
    Json rows = Json::array();
    const std::size_t n = p.n_windows();
    for (std::size_t r = 0; r < n; ++r) {
      rows.push_back(std::vector<float>(p.attention.begin() + static_cast<std::ptrdiff_t>(r * n),
                                        p.attention.begin() + static_cast<std::ptrdiff_t>((r + 1) * n)));
    }
    j["attention"] = rows;
  }
  return j.dump(1) + "\n";
}

}  // namespace dynemo
