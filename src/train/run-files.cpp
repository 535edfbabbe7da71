// Run folders and sidecars: the JSON of metrics, data and models, and out-of-fold predictions.
#include "train/run-files.h"

#include <cmath>
#include <filesystem>
#include <system_error>

#include "dynemo/error.h"
#include "dynemo/evaluation.h"
#include "dynemo/features.h"
#include "dynemo/io.h"
#include "dynemo/version.h"

namespace dynemo::train {
namespace {

Json number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json dimension_json(const PooledMetrics& p, const PerSongMetrics& s) {
  Json j;
  j["n_frames"] = p.n_frames;
  j["r2"] = number(p.r2);
  j["rmse"] = number(p.rmse);
  j["mae"] = number(p.mae);
  j["pearson"] = number(p.pearson);
  j["ccc"] = number(p.ccc);
  j["song_pearson_mean"] = number(s.pearson_mean);
  j["song_pearson_std"] = number(s.pearson_std);
  j["song_pearson_skipped"] = s.pearson_skipped;
  j["song_kendall_mean"] = number(s.kendall_mean);
  j["song_kendall_std"] = number(s.kendall_std);
  j["song_kendall_skipped"] = s.kendall_skipped;
  j["song_rmse_mean"] = number(s.rmse_mean);
  j["song_rmse_std"] = number(s.rmse_std);
  return j;
}

}  // namespace

Json metrics_json(const RunMetrics& m) {
  Json j;
  j["n_songs"] = m.n_songs;
  j["arousal"] = dimension_json(m.arousal_pooled, m.arousal_songs);
  j["valence"] = dimension_json(m.valence_pooled, m.valence_songs);
  return j;
}

Json data_json(const SequenceSet& data) {
  Json j;
  j["dataset"] = data.dataset;
  j["root"] = data.root;
  if (!data.manifest.empty()) {
    j["manifest"] = {{"path", data.manifest}, {"fnv1a", data.manifest_hash}};
    j["annotations"] = {{"path", data.annotations}, {"fnv1a", data.annotations_hash}};
  }
  j["n_songs"] = data.songs.size();
  std::size_t frames = 0;
  for (const SongSequence& s : data.songs) frames += s.n_frames();
  j["n_frames"] = frames;
  j["feature_spec"] = data.spec;
  j["feature_hash"] = data.feature_hash;
  j["feature_config"] = Json::parse(data.feature_config_json);
  j["columns"] = data.columns;
  return j;
}

models::ModelSidecar model_sidecar(const SequenceSet& data, const TrainConfig& config,
                                   const std::vector<float>& mean, const std::vector<float>& std,
                                   const std::vector<std::string>& training_songs,
                                   const Json& metrics, int best_epoch) {
  models::ModelSidecar s;
  s.model = config.model;
  s.n_features = static_cast<std::int64_t>(data.n_features());
  s.train_config_json = train_config_to_json(config);
  s.dataset = data.dataset;
  s.feature_spec = data.spec;
  s.feature_hash = data.feature_hash;
  s.feature_config = feature_config_from_json(data.feature_config_json);
  s.columns = data.columns;
  s.data_json = data_json(data).dump();
  s.mean = mean;
  s.std = std;
  s.training_songs = training_songs;
  s.best_epoch = best_epoch;
  s.metrics_json = metrics.dump();
  s.dynemo_version = kVersion;
  s.git_sha = kGitSha;
  return s;
}

void write_predictions(const std::string& dir, const SequenceSet& data,
                       const std::map<std::string, std::vector<float>>& predictions,
                       const std::map<std::string, std::vector<float>>* sd) {
  make_dirs(dir);
  for (const SongSequence& seq : data.songs) {
    const auto found = predictions.find(seq.song_id);
    if (found == predictions.end()) continue;
    SongPrediction p;
    for (std::size_t t = 0; t < seq.n_frames(); ++t) {
      p.time_s.push_back(seq.time_s[t] - seq.audio_offset_s);
      p.arousal.push_back(found->second[2 * t]);
      p.valence.push_back(found->second[2 * t + 1]);
    }
    const auto spread = sd ? sd->find(seq.song_id) : predictions.end();
    if (sd && spread != sd->end()) {
      for (std::size_t t = 0; t < seq.n_frames(); ++t) {
        p.arousal_sd.push_back(spread->second[2 * t]);
        p.valence_sd.push_back(spread->second[2 * t + 1]);
      }
    }
    write_file_atomic(dir + "/" + id_file_stem(seq.song_id) + ".csv", prediction_csv(p));
  }
}

void make_dirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    throw IoError(dir + ": cannot create the folder (" + ec.message() + ")");
  }
}

}  // namespace dynemo::train
