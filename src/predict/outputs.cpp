// Prediction files of `dynemo predict`: CSV (what `dynemo evaluate` reads, after one provenance
// comment line) or JSON, and the attention matrix beside a CSV.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "dynemo/predict.h"
#include "dynemo/version.h"

namespace dynemo {
namespace {

using Json = nlohmann::ordered_json;

std::string provenance_line(const ModelCard& card) {
  return "# dynemo " + std::string(kVersion) + " (git " + kGitSha + "), model " + card.path + " (" +
         card.model + ", trained on " + card.dataset + ", " + std::to_string(card.n_songs) +
         " songs), features " + card.spec + " hash " + card.feature_hash + ", config " +
         feature_config_to_json(card.config) + "\n";
}

// The "model" object of the JSON outputs: which model, trained on what, reading which features.
Json model_json(const ModelCard& card) {
  return {{"path", card.path},
          {"name", card.model},
          {"dataset", card.dataset},
          {"features", card.spec},
          {"feature_hash", card.feature_hash},
          {"feature_config", Json::parse(feature_config_to_json(card.config))}};
}

}  // namespace

std::string prediction_csv_header(const ModelCard& card) {
  return provenance_line(card) + "time_s,arousal,valence\n";
}

std::string prediction_csv_row(double time_s, float arousal, float valence) {
  char line[96];
  std::snprintf(line, sizeof line, "%.3f,%.6f,%.6f\n", time_s, arousal, valence);
  return line;
}

std::string prediction_csv_text(const TrackPrediction& p, const ModelCard& card) {
  std::string out = prediction_csv_header(card);
  for (std::size_t i = 0; i < p.n_windows(); ++i) {
    out += prediction_csv_row(p.time_s[i], p.arousal[i], p.valence[i]);
  }
  return out;
}

std::string prediction_jsonl_header(const ModelCard& card, double latency_s) {
  Json j;
  j["dynemo_version"] = kVersion;
  j["git_sha"] = kGitSha;
  j["model"] = model_json(card);
  j["outputs"] = {"arousal", "valence"};
  j["scale"] = "DEAM, [-1, 1]";
  j["latency_s"] = latency_s;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string prediction_jsonl_row(double time_s, float arousal, float valence) {
  char line[112];
  std::snprintf(line, sizeof line, "{\"time_s\":%.3f,\"arousal\":%.6f,\"valence\":%.6f}\n", time_s,
                arousal, valence);
  return line;
}

std::string prediction_json_text(const TrackPrediction& p, const ModelCard& card) {
  Json j;
  j["source"] = p.source;
  j["duration_s"] = p.duration_s;
  j["model"] = model_json(card);
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
      rows.push_back(
          std::vector<float>(p.attention.begin() + static_cast<std::ptrdiff_t>(r * n),
                             p.attention.begin() + static_cast<std::ptrdiff_t>((r + 1) * n)));
    }
    j["attention"] = rows;
  }
  // A source path that is not UTF-8 keeps its valid bytes; the others become U+FFFD.
  return j.dump(1, ' ', false, Json::error_handler_t::replace) + "\n";
}

bool prediction_is_current(const std::string& path, const ModelCard& card) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.empty() || text.back() != '\n') return false;
  if (path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0) {
    try {
      const Json j = Json::parse(text);
      const Json& m = j.at("model");
      return m.at("path") == card.path && m.at("name") == card.model &&
             m.at("feature_hash") == card.feature_hash && j.at("dynemo_version") == kVersion &&
             j.at("git_sha") == kGitSha && j.at("time_s").size() == j.at("arousal").size() &&
             j.at("time_s").size() == j.at("valence").size() && !j.at("time_s").empty();
    } catch (const Json::exception&) {
      return false;
    }
  }
  // The provenance and column lines of this model, then whole rows of three fields.
  const std::string header = prediction_csv_header(card);
  if (text.size() <= header.size() || text.compare(0, header.size(), header) != 0) return false;
  const std::size_t last = text.rfind('\n', text.size() - 2);
  const std::string row = text.substr(last + 1, text.size() - last - 2);
  return std::count(row.begin(), row.end(), ',') == 2;
}

}  // namespace dynemo
