// Blends (dynemo/blend.h): writing a blend's model file, and blending `dynemo cv` runs fold by
// fold with the blend's held-out metrics. No LibTorch: the components are checked through their
// sidecars (predict/model-card.h), their weights copied as bytes.
#include "dynemo/blend.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "dynemo/error.h"
#include "dynemo/evaluation.h"
#include "dynemo/io.h"
#include "dynemo/version.h"
#include "models/blend-file.h"
#include "models/model-file.h"
#include "predict/model-card.h"
#include "train/run-files.h"

namespace dynemo {
namespace {

namespace fs = std::filesystem;
using train::Json;

// Copies `from` to `to` atomically (the bytes of a component's weights or sidecar).
void copy_atomic(const std::string& from, const std::string& to) {
  write_file_atomic(to, read_text_file(from, "model file"));
}

// True when `a` and `b` name the same existing folder.
bool same_dir(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a.empty() ? "." : a, b.empty() ? "." : b, ec) && !ec;
}

Json read_json_file(const std::string& path, const std::string& what) {
  try {
    return Json::parse(read_text_file(path, what));
  } catch (const Json::exception& e) {
    throw IoError(path + ": not a " + what + " (" + e.what() + ")");
  }
}

}  // namespace

std::vector<OutputWeights> blend_weights(const std::vector<BlendInput>& inputs) {
  if (inputs.size() < 2) {
    throw ConfigError("blend: two or more models are needed, got " + std::to_string(inputs.size()));
  }
  OutputWeights sum;
  for (const BlendInput& in : inputs) {
    for (std::size_t o = 0; o < 2; ++o) {
      const double w = in.weight[o];
      if (!(std::isfinite(w) && w >= 0.0 && w <= 1e6)) {
        throw ConfigError("blend: the weight of " + in.path + " is " + std::to_string(w) +
                          " (finite, in [0, 1e6] expected)");
      }
    }
    if (in.weight.arousal + in.weight.valence == 0.0) {
      throw ConfigError("blend: the weight of " + in.path + " is 0 in both outputs");
    }
    sum.arousal += in.weight.arousal;
    sum.valence += in.weight.valence;
  }
  if (sum.arousal == 0.0 || sum.valence == 0.0) {
    throw ConfigError(std::string("blend: no model has a weight for ") +
                      (sum.arousal == 0.0 ? "arousal" : "valence"));
  }
  std::vector<OutputWeights> w;
  for (const BlendInput& in : inputs) {
    w.emplace_back(in.weight.arousal / sum.arousal, in.weight.valence / sum.valence);
  }
  return w;
}

void write_blend(const std::vector<BlendInput>& inputs, const std::string& output,
                 const std::string& cv_metrics_json) {
  const std::vector<OutputWeights> weights = blend_weights(inputs);
  const std::string out = models::model_path_stem(output);
  const fs::path out_dir = fs::path(out).parent_path();
  const std::string out_stem = fs::path(out).filename().string();
  models::check_component_file(out_stem);
  if (!out_dir.empty()) train::make_dirs(out_dir.string());

  models::BlendSidecar blend;
  std::vector<ModelCard> cards;
  std::vector<std::pair<std::string, std::string>> copies;  // (component path, file in out_dir)
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const std::string base = models::model_path_stem(inputs[k].path);
    const std::string text = read_text_file(base + ".json", "model sidecar");
    if (models::is_blend_sidecar(text)) {
      throw ConfigError("blend: " + base + " is a blend itself; blend its components instead");
    }
    const models::ModelSidecar sidecar = models::parse_model_sidecar(text, base);
    cards.push_back(predict::model_card(sidecar, text, base));
    models::BlendComponent c;
    c.weight = weights[k];
    c.model = sidecar.model;
    c.feature_spec = sidecar.feature_spec;
    if (same_dir(fs::path(base).parent_path(), out_dir)) {
      c.file = fs::path(base).filename().string();
    } else {
      c.file = out_stem + ".part" + std::to_string(k + 1);
      copies.emplace_back(base, c.file);
    }
    blend.components.push_back(c);
  }
  if (!cv_metrics_json.empty()) {
    try {
      const Json cv = Json::parse(cv_metrics_json);
      blend.metrics_json = Json{{"cross_validation",
                                 {{"model", cv.at("model")},
                                  {"folds", cv.at("folds")},
                                  {"pooled", cv.at("pooled")},
                                  {"components", cv.at("components")}}}}
                               .dump();
    } catch (const Json::exception& e) {
      throw ConfigError(std::string("blend: not the metrics.json of a blended cv run (") +
                        e.what() + ")");
    }
  }
  blend.dynemo_version = kVersion;
  blend.git_sha = kGitSha;
  const std::string text = models::blend_sidecar_json(blend);
  // Every check a reader makes (weights, file names, feature configurations) before writing.
  predict::blend_card(models::parse_blend_sidecar(text, out), text, out, cards);
  for (const auto& [from, file] : copies) {
    const std::string to = (out_dir / file).string();
    copy_atomic(from + ".pt", to + ".pt");
    copy_atomic(from + ".json", to + ".json");
  }
  write_file_atomic(out + ".json", text);
}

DatasetSource cv_run_dataset(const std::string& run_dir) {
  const Json m = read_json_file(run_dir + "/metrics.json", "dynemo cv metrics file");
  try {
    const Json& data = m.at("data");
    DatasetSource source;
    source.name = data.at("dataset").get<std::string>();
    source.root = data.at("root").get<std::string>();
    if (data.contains("manifest")) {
      source.manifest = data.at("manifest").at("path").get<std::string>();
      source.annotations = data.at("annotations").at("path").get<std::string>();
    }
    return source;
  } catch (const Json::exception& e) {
    throw IoError(run_dir + "/metrics.json: no training data recorded (" + e.what() + ")");
  }
}

std::string blend_cv(const std::vector<BlendInput>& runs, const Dataset& dataset,
                     const std::string& output) {
  const std::vector<OutputWeights> weights = blend_weights(runs);
  const std::string split_text = read_text_file(runs.front().path + "/split.json", "split file");
  const Split split = split_from_json(split_text);
  if (split.kind != "kfold" || split.folds.empty()) {
    throw DataError(runs.front().path + "/split.json: not the k-fold split of a dynemo cv run");
  }
  Json components = Json::array();
  std::string name = "BLEND(";
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const std::string text = read_text_file(runs[r].path + "/split.json", "split file");
    if (split_from_json(text).folds != split.folds) {
      throw DataError(runs[r].path + "/split.json: another split than " + runs.front().path +
                      "/split.json; blend runs made with the same --folds, --seed and songs");
    }
    const Json m = read_json_file(runs[r].path + "/metrics.json", "dynemo cv metrics file");
    const std::string model = m.value("model", std::string("?"));
    name += (r ? "+" : "") + model;
    Json entry = {{"run", runs[r].path}, {"model", model}};
    if (weights[r].same()) {
      entry["weight"] = weights[r].arousal;
    } else {
      entry["weights"] = {{"arousal", weights[r].arousal}, {"valence", weights[r].valence}};
    }
    entry["pooled"] = m.value("pooled", Json(nullptr));
    components.push_back(entry);
  }
  name += ")";
  train::make_dirs(output);
  write_file_atomic(output + "/split.json", split_text);

  // Each fold's blend of the fold models.
  for (std::size_t f = 1; f <= split.folds.size(); ++f) {
    std::vector<BlendInput> parts;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      parts.push_back({runs[r].path + "/fold-" + std::to_string(f) + "/model", weights[r]});
    }
    write_blend(parts, output + "/fold-" + std::to_string(f) + "/model", "");
  }

  // The held-out predictions, blended on the windows every run predicted.
  std::vector<std::string> ids;
  for (const auto& fold : split.folds) ids.insert(ids.end(), fold.begin(), fold.end());
  std::vector<std::map<std::string, SongPrediction>> per_run;
  for (const BlendInput& run : runs) {
    per_run.push_back(read_prediction_dir(run.path + "/predictions", ids));
  }
  std::map<std::string, SongPrediction> blended;
  const std::string pred_dir = output + "/predictions";
  train::make_dirs(pred_dir);
  for (const std::string& id : ids) {
    const auto first = per_run.front().find(id);
    if (first == per_run.front().end()) continue;
    SongPrediction p;
    for (std::size_t i = 0; i < first->second.time_s.size(); ++i) {
      const double t = first->second.time_s[i];
      double a = 0.0, v = 0.0;
      bool everywhere = true;
      for (std::size_t r = 0; r < runs.size() && everywhere; ++r) {
        const auto song = per_run[r].find(id);
        everywhere = song != per_run[r].end();
        if (!everywhere) break;
        const std::vector<double>& times = song->second.time_s;
        const auto at = std::lower_bound(times.begin(), times.end(), t - 1e-6);
        everywhere = at != times.end() && std::fabs(*at - t) <= 1e-6;
        if (!everywhere) break;
        const auto k = static_cast<std::size_t>(at - times.begin());
        a += weights[r].arousal * song->second.arousal[k];
        v += weights[r].valence * song->second.valence[k];
      }
      if (!everywhere) continue;
      p.time_s.push_back(t);
      p.arousal.push_back(a);
      p.valence.push_back(v);
    }
    write_file_atomic(pred_dir + "/" + id_file_stem(id) + ".csv", prediction_csv(p));
    blended[id] = std::move(p);
  }
  const EvaluationReport report =
      evaluate_predictions(dataset, ids, blended, audio_durations(dataset, blended));
  if (!report.has_metrics) throw DataError("blend: no song of " + dataset.name + " was scored");
  RunMetrics m;
  m.n_songs = report.counts.n_songs_scored;
  m.arousal_pooled = report.arousal.pooled;
  m.arousal_songs = report.arousal.per_song;
  m.valence_pooled = report.valence.pooled;
  m.valence_songs = report.valence.per_song;
  Json j;
  j["model"] = name;
  j["components"] = components;
  j["folds"] = split.folds.size();
  j["pooled"] = train::metrics_json(m);
  j["n_frames"] = report.counts.n_frames;
  j["dynemo_version"] = kVersion;
  const std::string text = j.dump(2) + "\n";
  write_file_atomic(output + "/metrics.json", text);
  write_file_atomic(output + "/metrics.md", "# " + name + ", " +
                                                std::to_string(split.folds.size()) +
                                                "-fold cross-validation on " + dataset.name +
                                                "\n\n" + evaluation_markdown(report));
  return text;
}

}  // namespace dynemo
