// Prediction files of `dynemo predict`: CSV (what `dynemo evaluate` reads, after one provenance
// comment line) or JSON, and the attention matrix beside a CSV.
#include <algorithm>
#include <cmath>
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

// How the sd columns were made (dynemo/uncertainty.h).
Json uncertainty_json(const ModelCard& card) {
  const auto spread = [](const SpreadModel& m) {
    return Json{{"base", m.base}, {"scale", m.scale}};
  };
  return {{"method", card.uncertainty.method},
          {"sd", "sqrt(base^2 + (scale * ensemble members' std)^2)"},
          {"arousal", spread(card.uncertainty.arousal)},
          {"valence", spread(card.uncertainty.valence)}};
}

Json attribution_json(const TrackPrediction& p) {
  const GroupAttribution& a = p.attribution;
  const std::size_t n = a.groups.size();
  Json track = Json::object();
  for (const bool valence : {false, true}) {
    const std::vector<double> mean = mean_attribution(a, valence);
    const std::vector<float>& base = valence ? a.baseline_valence : a.baseline_arousal;
    Json groups = Json::object();
    for (std::size_t g = 0; g < n; ++g) groups[a.groups[g]] = mean[g];
    double b = 0.0;
    for (float x : base) b += x;
    track[valence ? "valence" : "arousal"] = {
        {"baseline", base.empty() ? 0.0 : b / static_cast<double>(base.size())},
        {"groups", groups}};
  }
  Json labels = Json::object();
  for (const FeatureGroup& g : feature_groups()) labels[g.id] = g.label;
  Json rows_a = Json::array(), rows_v = Json::array();
  for (std::size_t r = 0; r < p.n_windows(); ++r) {
    const auto at = [&](const std::vector<float>& v) {
      return std::vector<float>(v.begin() + static_cast<std::ptrdiff_t>(r * n),
                                v.begin() + static_cast<std::ptrdiff_t>((r + 1) * n));
    };
    rows_a.push_back(at(a.arousal));
    rows_v.push_back(at(a.valence));
  }
  return {{"method",
           "exact Shapley values of feature groups; a group absent = its features at the "
           "training mean; per window, baseline + the groups' values = the prediction"},
          {"groups", a.groups},
          {"labels", labels},
          {"track", track},
          {"baseline_arousal", a.baseline_arousal},
          {"baseline_valence", a.baseline_valence},
          {"arousal", rows_a},
          {"valence", rows_v}};
}

}  // namespace

std::vector<double> mean_attribution(const GroupAttribution& a, bool valence) {
  const std::size_t n = a.groups.size();
  const std::vector<float>& v = valence ? a.valence : a.arousal;
  std::vector<double> mean(n, 0.0);
  if (n == 0 || v.empty()) return mean;
  const std::size_t rows = v.size() / n;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t g = 0; g < n; ++g) mean[g] += v[r * n + g];
  }
  for (double& m : mean) m /= static_cast<double>(rows);
  return mean;
}

std::string attribution_csv_text(const TrackPrediction& p) {
  const GroupAttribution& a = p.attribution;
  const std::size_t n = a.groups.size();
  std::string out = "time_s,baseline_arousal";
  for (const std::string& g : a.groups) out += ",arousal." + g;
  out += ",baseline_valence";
  for (const std::string& g : a.groups) out += ",valence." + g;
  out += '\n';
  char cell[32];
  for (std::size_t r = 0; r < p.n_windows(); ++r) {
    std::snprintf(cell, sizeof cell, "%.3f,%.6f", p.time_s[r], a.baseline_arousal[r]);
    out += cell;
    for (std::size_t g = 0; g < n; ++g) {
      std::snprintf(cell, sizeof cell, ",%.6f", a.arousal[r * n + g]);
      out += cell;
    }
    std::snprintf(cell, sizeof cell, ",%.6f", a.baseline_valence[r]);
    out += cell;
    for (std::size_t g = 0; g < n; ++g) {
      std::snprintf(cell, sizeof cell, ",%.6f", a.valence[r * n + g]);
      out += cell;
    }
    out += '\n';
  }
  return out;
}

std::string prediction_csv_header(const ModelCard& card) {
  return provenance_line(card) + "time_s,arousal,valence,arousal_sd,valence_sd\n";
}

std::string prediction_csv_row(const PredictionRow& r) {
  char line[160];
  std::snprintf(line, sizeof line, "%.3f,%.6f,%.6f,%.6f,%.6f\n", r.time_s, r.arousal, r.valence,
                r.arousal_sd, r.valence_sd);
  return line;
}

std::string prediction_csv_text(const TrackPrediction& p, const ModelCard& card) {
  std::string out = prediction_csv_header(card);
  for (std::size_t i = 0; i < p.n_windows(); ++i) {
    out += prediction_csv_row(p.row(i));
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
  j["uncertainty"] = uncertainty_json(card);
  j["latency_s"] = latency_s;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string prediction_jsonl_row(const PredictionRow& r) {
  char line[192];
  std::snprintf(line, sizeof line,
                "{\"time_s\":%.3f,\"arousal\":%.6f,\"valence\":%.6f,\"arousal_sd\":%.6f,"
                "\"valence_sd\":%.6f}\n",
                r.time_s, r.arousal, r.valence, r.arousal_sd, r.valence_sd);
  return line;
}

std::string prediction_json_text(const TrackPrediction& p, const ModelCard& card) {
  Json j;
  j["source"] = p.source;
  j["duration_s"] = p.duration_s;
  if (std::isfinite(p.rms_dbfs)) j["rms_dbfs"] = p.rms_dbfs;
  if (!p.audio.format.empty()) {
    j["audio"] = {{"format", p.audio.format},
                  {"sample_rate_hz", p.audio.sample_rate_hz},
                  {"channels", p.audio.channels},
                  {"channel_layout", p.audio.channel_layout}};
  }
  j["summary"] = summarise(p).label;
  j["model"] = model_json(card);
  j["dynemo_version"] = kVersion;
  j["git_sha"] = kGitSha;
  j["outputs"] = {"arousal", "valence"};
  j["scale"] = "DEAM, [-1, 1]";
  j["uncertainty"] = uncertainty_json(card);
  j["time_s"] = p.time_s;
  j["arousal"] = p.arousal;
  j["valence"] = p.valence;
  j["arousal_sd"] = p.arousal_sd;
  j["valence_sd"] = p.valence_sd;
  if (!p.window_dbfs.empty()) j["window_rms_dbfs"] = p.window_dbfs;
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
  if (!p.attribution.empty()) j["attribution"] = attribution_json(p);
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
             j.at("time_s").size() == j.at("valence").size() &&
             j.at("time_s").size() == j.at("arousal_sd").size() && !j.at("time_s").empty();
    } catch (const Json::exception&) {
      return false;
    }
  }
  // The provenance and column lines of this model, then whole rows of five fields.
  const std::string header = prediction_csv_header(card);
  if (text.size() <= header.size() || text.compare(0, header.size(), header) != 0) return false;
  const std::size_t last = text.rfind('\n', text.size() - 2);
  const std::string row = text.substr(last + 1, text.size() - last - 2);
  return std::count(row.begin(), row.end(), ',') == 4;
}

}  // namespace dynemo
