// Reading a `dynemo cv` run for its report: the run's files, the dataset's annotations paired
// with the out-of-fold predictions, the songs to plot, and attention maps predicted again by the
// fold model that held each song out (from the cached features; a missing cache is a note).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/json-int.h"
#include "dynemo/cache.h"
#include "dynemo/error.h"
#include "dynemo/evaluation.h"
#include "dynemo/explain.h"
#include "dynemo/io.h"

namespace dynemo {
namespace {

using Json = nlohmann::json;

Json read_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open the run file (is this a `dynemo cv` model folder?)");
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return Json::parse(text.str());
  } catch (const Json::exception& e) {
    throw IoError(path + ": not valid JSON: " + e.what());
  }
}

MetricsRow metrics_row(const std::string& scope, const Json& j, const std::string& path) {
  static const char* const keys[] = {"r2",
                                     "rmse",
                                     "mae",
                                     "pearson",
                                     "ccc",
                                     "song_pearson_mean",
                                     "song_kendall_mean",
                                     "song_rmse_mean"};
  MetricsRow row;
  row.scope = scope;
  try {
    row.n_songs = json_int<std::size_t>(j.at("n_songs"), "n_songs");
    for (const char* key : keys) {
      const Json& a = j.at("arousal").at(key);
      const Json& v = j.at("valence").at(key);
      row.arousal[key] = a.is_null() ? std::numeric_limits<double>::quiet_NaN() : a.get<double>();
      row.valence[key] = v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
    }
  } catch (const Json::exception& e) {
    throw IoError(path + ": " + scope + " metrics: " + e.what());
  }
  return row;
}

double rmse_of(const std::vector<double>& a, const std::vector<double>& b) {
  double ss = 0;
  for (std::size_t i = 0; i < a.size(); ++i) ss += (a[i] - b[i]) * (a[i] - b[i]);
  return a.empty() ? 0.0 : std::sqrt(ss / static_cast<double>(a.size()));
}

// The song's ratings that have a prediction row (row time + a == rating time, 1e-6 s).
SongReport pair_song(const AnnotatedSong& song, const SongPrediction& p) {
  SongReport s;
  s.song_id = song.song_id;
  std::size_t row = 0;
  for (std::size_t i = 0; i < song.time_s.size(); ++i) {
    const double window_s = song.time_s[i] - song.audio_offset_s;
    while (row < p.time_s.size() && p.time_s[row] < window_s - 1e-6) ++row;
    if (row >= p.time_s.size() || std::fabs(p.time_s[row] - window_s) > 1e-6) continue;
    s.time_s.push_back(song.time_s[i]);
    s.arousal.push_back(song.arousal[i]);
    s.valence.push_back(song.valence[i]);
    s.arousal_pred.push_back(p.arousal[row]);
    s.valence_pred.push_back(p.valence[row]);
    if (p.has_sd()) {
      s.arousal_sd.push_back(p.arousal_sd[row]);
      s.valence_sd.push_back(p.valence_sd[row]);
    }
  }
  s.rmse_arousal = rmse_of(s.arousal, s.arousal_pred);
  s.rmse_valence = rmse_of(s.valence, s.valence_pred);
  return s;
}

std::vector<std::size_t> choose(const RunReport& r, const ReportOptions& options,
                                const std::string& pred_dir) {
  std::vector<std::size_t> chosen;
  for (const std::string& id : options.songs) {
    const auto it = std::find_if(r.all_songs.begin(), r.all_songs.end(),
                                 [&](const SongReport& s) { return s.song_id == id; });
    if (it == r.all_songs.end()) {
      throw DataError("report: song " + id + " has no prediction paired with a rating in " +
                      pred_dir);
    }
    chosen.push_back(static_cast<std::size_t>(it - r.all_songs.begin()));
  }
  if (!chosen.empty() || r.all_songs.empty()) return chosen;
  std::vector<std::size_t> order(r.all_songs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return r.all_songs[a].rmse_arousal < r.all_songs[b].rmse_arousal;
  });
  for (std::size_t i : {order.front(), order[order.size() / 2], order.back()}) {
    if (std::find(chosen.begin(), chosen.end(), i) == chosen.end()) chosen.push_back(i);
  }
  return chosen;
}

// The attention of `s` over its paired ratings, predicted by `predictor` from `features`.
void attention_of(SongReport& s, double audio_offset_s, Predictor& predictor,
                  const FeatureMatrix& features) {
  const TrackPrediction p = predictor.predict_features(features, true);
  const std::size_t n = p.n_windows();
  std::vector<std::size_t> rows;
  for (double t : s.time_s) {
    for (std::size_t k = 0; k < n; ++k) {
      if (std::fabs(p.time_s[k] + audio_offset_s - t) <= 1e-6) rows.push_back(k);
    }
  }
  if (rows.size() != s.time_s.size() || p.attention.size() != n * n) {
    s.attention_note = "song " + s.song_id + ": the cached features do not cover its " +
                       std::to_string(s.time_s.size()) + " rated windows";
    return;
  }
  for (std::size_t i : rows) {
    for (std::size_t j : rows) s.attention.push_back(p.attention[i * n + j]);
  }
}

void add_attention(RunReport& r, const Dataset& dataset, const ReportOptions& options,
                   const std::string& spec, const FeatureConfig& config) {
  std::map<int, std::unique_ptr<Predictor>> models;
  auto model_of = [&](int fold) -> Predictor& {
    auto& slot = models[fold];
    if (!slot)
      slot = std::make_unique<Predictor>(r.run_dir + "/fold-" + std::to_string(fold) + "/model");
    return *slot;
  };
  const SongReport& first = r.all_songs[r.chosen.front()];
  try {
    r.has_attention = first.fold > 0 && model_of(first.fold).has_attention();
  } catch (const Error& e) {
    r.notes.push_back(std::string("attention maps: cannot load the fold model: ") + e.what());
    return;
  }
  if (!r.has_attention) return;
  if (options.cache_dir.empty()) {
    r.notes.push_back("attention maps: no feature cache folder given");
    return;
  }
  CachedFeatures cached;
  try {
    cached = load_cached(options.cache_dir, dataset.name, spec, config);
  } catch (const Error& e) {
    r.notes.push_back(std::string("attention maps: the feature cache is missing (") + e.what() +
                      "); run `dynemo cache -d " + dataset.name + " -s " + spec + "` first");
    return;
  }
  const std::size_t n = std::min(options.max_attention_songs, r.chosen.size());
  for (std::size_t c = 0; c < n; ++c) {
    SongReport& s = r.all_songs[r.chosen[c]];
    const auto song = std::find_if(dataset.songs.begin(), dataset.songs.end(),
                                   [&](const AnnotatedSong& a) { return a.song_id == s.song_id; });
    const auto features = cached.songs.find(s.song_id);
    if (features == cached.songs.end() || s.fold == 0) {
      s.attention_note = "song " + s.song_id + ": not in the feature cache " + cached.dir;
      continue;
    }
    try {
      attention_of(s, song->audio_offset_s, model_of(s.fold), features->second);
    } catch (const Error& e) {
      s.attention_note = "song " + s.song_id + ": " + e.what();
    }
  }
}

}  // namespace

RunReport read_run_report(const std::string& run_dir, const ReportOptions& options) {
  RunReport r;
  r.run_dir = run_dir;
  const std::string config_path = run_dir + "/config.json";
  const Json config = read_json(config_path);
  const Json metrics = read_json(run_dir + "/metrics.json");
  const std::string split_path = run_dir + "/split.json";
  Split split;
  try {
    split = split_from_json(read_json(split_path).dump());
  } catch (const DataError& e) {
    throw IoError(split_path + ": " + e.what());
  }
  DatasetSource source = options.dataset;
  std::vector<std::string> recorded_hashes;  // custom: of the manifest and the annotations
  FeatureConfig feature_config;
  try {
    r.model = config.at("train_config").at("model").get<std::string>();
    const Json& data = config.at("data");
    r.dataset = data.at("dataset").get<std::string>();
    r.spec = data.at("feature_spec").get<std::string>();
    feature_config = feature_config_from_json(data.at("feature_config").dump());
    r.window_s = feature_config.window_s;
    if (source.name.empty()) {
      source = {r.dataset, data.value("root", std::string()), "", ""};
      if (data.contains("manifest")) {  // custom: the files the run read, if they are unchanged
        source.manifest = data.at("manifest").at("path").get<std::string>();
        source.annotations = data.at("annotations").at("path").get<std::string>();
        recorded_hashes = {data.at("manifest").at("fnv1a").get<std::string>(),
                           data.at("annotations").at("fnv1a").get<std::string>()};
      }
    }
  } catch (const Json::exception& e) {
    throw IoError(config_path + ": " + e.what());
  }
  if (!recorded_hashes.empty()) {
    const std::string* paths[] = {&source.manifest, &source.annotations};
    for (std::size_t k = 0; k < 2; ++k) {
      const std::string now = file_fnv1a(*paths[k], k == 0 ? "manifest" : "annotations");
      if (now != recorded_hashes[k]) {
        throw DataError(*paths[k] + ": changed since the run (" + config_path + " records fnv1a " +
                        recorded_hashes[k] + ", the file now has " + now +
                        "): the report would pair the predictions with other annotations");
      }
    }
  }
  if (!options.root.empty()) source.root = options.root;
  if (source.root.empty() && source.manifest.empty()) {
    throw ConfigError(config_path + " records no dataset root: give it (--root)");
  }
  r.metrics.push_back(
      metrics_row("pooled", metrics.value("pooled", Json()), run_dir + "/metrics.json"));
  for (const Json& fold : metrics.value("folds", Json::array())) {
    r.metrics.push_back(metrics_row("fold " + std::to_string(json_int_or<int>(fold, "fold", 0)),
                                    fold, run_dir + "/metrics.json"));
  }

  const Dataset dataset = load_dataset(source);
  std::vector<std::string> ids;
  for (const AnnotatedSong& s : dataset.songs) ids.push_back(s.song_id);
  const std::string pred_dir = run_dir + "/predictions";
  const std::map<std::string, SongPrediction> predictions = read_prediction_dir(pred_dir, ids);
  for (const AnnotatedSong& song : dataset.songs) {
    const auto p = predictions.find(song.song_id);
    if (p == predictions.end()) continue;
    SongReport s = pair_song(song, p->second);
    if (s.time_s.empty()) continue;
    for (std::size_t f = 0; f < split.folds.size(); ++f) {
      const auto& fold = split.folds[f];
      if (std::find(fold.begin(), fold.end(), s.song_id) != fold.end())
        s.fold = static_cast<int>(f + 1);
    }
    r.all_songs.push_back(std::move(s));
  }
  if (r.all_songs.empty()) {
    throw DataError(pred_dir + ": no prediction pairs with a rating of " + dataset.name + " (" +
                    std::to_string(predictions.size()) + " prediction files read)");
  }
  r.chosen = choose(r, options, pred_dir);
  add_attention(r, dataset, options, r.spec, feature_config);
  return r;
}

}  // namespace dynemo
