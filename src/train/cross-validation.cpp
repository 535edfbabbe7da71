// Runs: k-fold cross-validation by song and training on every song. Each fold standardises with
// its own training songs, holds out a seeded validation part for early stopping, trains
// config.seeds members and predicts its test songs with their average. Folds already saved are
// loaded, interrupted ones resume from their checkpoints.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dynemo/error.h"
#include "dynemo/io.h"
#include "models/ensemble.h"
#include "train/calibrate.h"
#include "train/fit.h"
#include "train/run-files.h"
#include "train/song-predictions.h"

namespace dynemo {
namespace {

using models::Ensemble;
using train::Json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct Trained {
  Ensemble model;
  train::SongTensors tensors;
  std::string log;  // epochs.csv lines
  int best_epoch = 0;
  bool loaded = false;
};

struct RunContext {
  const SequenceSet* data = nullptr;
  TrainConfig config;
  TrainProgressFn progress;
  Clock::time_point start = Clock::now();
  double work_total = 1;
};

std::string read_text(const std::string& path) { return read_text_file(path, "run file"); }

// Splits training songs into (fit, validation) with a seeded shuffle; at least one of each.
std::pair<std::vector<std::size_t>, std::vector<std::size_t>> hold_out(
    std::vector<std::size_t> songs, double fraction, std::uint64_t seed) {
  std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
  std::shuffle(songs.begin(), songs.end(), rng);
  std::size_t n_val = static_cast<std::size_t>(std::ceil(fraction * songs.size()));
  n_val = std::min(std::max<std::size_t>(n_val, 1), songs.size() - 1);
  std::vector<std::size_t> val(songs.begin(), songs.begin() + static_cast<std::ptrdiff_t>(n_val));
  std::vector<std::size_t> fit(songs.begin() + static_cast<std::ptrdiff_t>(n_val), songs.end());
  std::sort(val.begin(), val.end());
  std::sort(fit.begin(), fit.end());
  return {fit, val};
}

Trained train_or_load(const RunContext& run, const std::vector<std::size_t>& train_songs, int fold,
                      int n_folds, const std::string& dir, double work_done) {
  const std::string model_path = dir + "/model";
  Trained t;
  if (fs::exists(model_path + ".pt") && fs::exists(model_path + ".json")) {
    models::ModelFile file = models::read_model_file(model_path);
    t.model = std::move(file.ensemble);
    t.tensors = train::to_tensors(*run.data, t.model.norm);
    t.best_epoch = file.sidecar.best_epoch;
    std::string csv = read_text(dir + "/epochs.csv");
    t.log = csv.substr(std::min(csv.size(), train::epoch_csv_header().size()));
    t.loaded = true;
    return t;
  }
  if (train_songs.size() < 2) {
    throw ConfigError("train: fold " + std::to_string(fold) + " has " +
                      std::to_string(train_songs.size()) + " training songs; need at least 2");
  }
  train::make_dirs(dir);
  const TrainConfig& c = run.config;
  t.model.config = c;
  t.model.n_features = static_cast<std::int64_t>(run.data->n_features());
  t.model.norm = train::fit_normaliser(*run.data, train_songs);
  t.tensors = train::to_tensors(*run.data, t.model.norm);
  const auto [fit, val] = hold_out(train_songs, c.validation_fraction,
                                   seed_for(c.seed, {static_cast<std::uint64_t>(fold), 7}));
  for (int k = 0; k < c.seeds; ++k) {
    train::FitJob job;
    job.data = &t.tensors;
    job.train = fit;
    job.val = val;
    job.config = c;
    job.seed = seed_for(c.seed + static_cast<unsigned>(k), {static_cast<std::uint64_t>(fold)});
    job.fold = fold;
    job.n_folds = n_folds;
    job.member = k;
    job.checkpoint_prefix = dir + "/checkpoint-m" + std::to_string(k);
    job.progress = run.progress;
    job.run_start = run.start;
    job.work_done = work_done + static_cast<double>(k) / c.seeds;
    job.work_total = run.work_total;
    int best = 0;
    t.model.members.push_back(train::fit_member(job, &t.log, &best));
    if (k == 0) t.best_epoch = best;
  }
  return t;
}

void remove_checkpoints(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().rfind("checkpoint-", 0) == 0) fs::remove(entry.path(), ec);
  }
}

void save_trained(Trained& t, const RunContext& run, const std::vector<std::size_t>& train_songs,
                  const std::string& dir, const Json& metrics) {
  if (t.loaded) return;
  std::vector<std::string> ids;
  for (std::size_t s : train_songs) ids.push_back(run.data->songs[s].song_id);
  const models::ModelSidecar sidecar = train::model_sidecar(
      *run.data, run.config, t.model.norm.mean, t.model.norm.std, ids, metrics, t.best_epoch);
  write_file_atomic(dir + "/epochs.csv", train::epoch_csv_header() + t.log);
  models::save_model_file(t.model, dir + "/model", sidecar);
  remove_checkpoints(dir);
}

// Held-out outputs of a trained fold: the ensemble's mean and its members' std per song.
struct Outputs {
  train::SongOutputs y, member_sd;
};

Outputs predict(Trained& t, const SequenceSet& data, const std::vector<std::size_t>& songs) {
  std::vector<std::vector<float>> sd;
  const std::vector<std::vector<float>> y = train::predict_songs(t.model, t.tensors, songs, &sd);
  Outputs out;
  for (std::size_t i = 0; i < songs.size(); ++i) {
    out.y[data.songs[songs[i]].song_id] = y[i];
    out.member_sd[data.songs[songs[i]].song_id] = sd[i];
  }
  return out;
}

RunContext start_run(const SequenceSet& data, const TrainConfig& config, const std::string& run_dir,
                     const TrainProgressFn& progress) {
  validate(config);
  if (data.songs.size() < 2) throw ConfigError("train: the data has fewer than 2 songs");
  torch::set_num_threads(config.threads);
  train::make_dirs(run_dir);
  RunContext run;
  run.data = &data;
  run.config = config;
  run.progress = progress;
  Json j;
  j["train_config"] = Json::parse(train_config_to_json(config));
  j["data"] = train::data_json(data);
  write_file_atomic(run_dir + "/config.json", j.dump(2) + "\n");
  return run;
}

// The given kfold split restricted to the data's songs, checked: k folds, every song of the
// data in exactly one, none left empty.
Split given_folds(const Split& given, const std::map<std::string, std::size_t>& songs, int k) {
  if (given.kind != "kfold") {
    throw ConfigError("cv: the split is '" + given.kind +
                      "', not 'kfold': cross-validation takes k folds (dynemo split --kind kfold)");
  }
  if (given.folds.size() != static_cast<std::size_t>(k)) {
    throw ConfigError("cv: the split has " + std::to_string(given.folds.size()) +
                      " folds, the config " + std::to_string(k));
  }
  Split split;
  split.kind = given.kind;
  split.seed = given.seed;
  std::map<std::string, int> fold_of;
  for (std::size_t f = 0; f < given.folds.size(); ++f) {
    split.folds.emplace_back();
    for (const std::string& id : given.folds[f]) {
      if (!fold_of.emplace(id, static_cast<int>(f) + 1).second) {
        throw ConfigError("cv: song " + id + " is in two folds of the split");
      }
      if (songs.count(id) > 0) split.folds.back().push_back(id);
    }
    if (split.folds.back().empty()) {
      throw ConfigError("cv: fold " + std::to_string(f + 1) +
                        " of the split has none of the data's songs");
    }
  }
  for (const auto& [id, index] : songs) {
    if (fold_of.count(id) == 0) throw ConfigError("cv: song " + id + " is in no fold of the split");
  }
  return split;
}

}  // namespace

CvResult cross_validate(const SequenceSet& data, const TrainConfig& config,
                        const std::string& run_dir, const TrainProgressFn& progress,
                        const Split* given) {
  RunContext run = start_run(data, config, run_dir, progress);
  const int k = config.folds;
  if (static_cast<std::size_t>(k) > data.songs.size()) {
    throw ConfigError("train: " + std::to_string(k) + " folds but only " +
                      std::to_string(data.songs.size()) + " songs");
  }
  Dataset ids;
  ids.name = data.dataset;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < data.songs.size(); ++i) {
    AnnotatedSong song;
    song.song_id = data.songs[i].song_id;
    ids.songs.push_back(song);
    index[song.song_id] = i;
  }
  const Split split = given ? given_folds(*given, index, k)
                            : kfold_split(ids, static_cast<std::size_t>(k), config.seed);
  write_file_atomic(run_dir + "/split.json", split_to_json(split) + "\n");
  run.work_total = k;

  CvResult result;
  result.model = config.model;
  train::SongOutputs oof, oof_sd;
  std::string log;
  Json folds = Json::array();
  for (int f = 0; f < k; ++f) {
    std::vector<std::size_t> test, train_songs;
    for (int g = 0; g < k; ++g) {
      for (const std::string& id : split.folds[static_cast<std::size_t>(g)]) {
        (g == f ? test : train_songs).push_back(index.at(id));
      }
    }
    std::sort(test.begin(), test.end());
    std::sort(train_songs.begin(), train_songs.end());
    const std::string dir = run_dir + "/fold-" + std::to_string(f + 1);
    Trained t = train_or_load(run, train_songs, f + 1, k, dir, f);
    const Outputs predictions = predict(t, data, test);
    const RunMetrics m = score_predictions(data, predictions.y);
    save_trained(t, run, train_songs, dir, train::metrics_json(m));
    oof.insert(predictions.y.begin(), predictions.y.end());
    oof_sd.insert(predictions.member_sd.begin(), predictions.member_sd.end());
    result.per_fold.push_back(m);
    result.epochs.push_back(t.best_epoch);
    log += t.log;
    Json fj = train::metrics_json(m);
    fj["fold"] = f + 1;
    fj["best_epoch"] = t.best_epoch;
    folds.push_back(fj);
  }
  result.pooled = score_predictions(data, oof);
  result.seconds = std::chrono::duration<double>(Clock::now() - run.start).count();

  const train::CvUncertainty uncertainty = train::calibrate_cv(data, split.folds, oof, oof_sd);
  result.arousal_calibration = uncertainty.arousal;
  result.valence_calibration = uncertainty.valence;
  train::write_predictions(run_dir + "/predictions", data, oof, &uncertainty.sd);
  write_file_atomic(run_dir + "/epochs.csv", train::epoch_csv_header() + log);
  Json j;
  j["model"] = config.model;
  j["pooled"] = train::metrics_json(result.pooled);
  j["uncertainty"] = Json::parse(train::uncertainty_json(uncertainty, true));
  j["folds"] = folds;
  j["seconds"] = result.seconds;
  j["train_config"] = Json::parse(train_config_to_json(config));
  j["data"] = train::data_json(data);
  write_file_atomic(run_dir + "/metrics.json", j.dump(2) + "\n");
  std::string md = "# " + config.model + ", " + std::to_string(k) + "-fold cross-validation on " +
                   data.dataset + " (" + data.spec + ")\n\n" + comparison_markdown({result});
  write_file_atomic(run_dir + "/metrics.md", md);
  return result;
}

void train_all(const SequenceSet& data, const TrainConfig& config, const std::string& run_dir,
               const TrainProgressFn& progress, const std::string& cv_metrics_json) {
  Json metrics(nullptr);
  if (!cv_metrics_json.empty()) {
    try {
      const Json cv = Json::parse(cv_metrics_json);
      metrics = {{"cross_validation",
                  {{"model", cv.at("model")},
                   {"folds", cv.at("folds").size()},
                   {"pooled", cv.at("pooled")},
                   {"train_config", cv.at("train_config")}}}};
      // The sd model fitted on the CV's held-out predictions, with its calibration there.
      if (cv.contains("uncertainty"))
        metrics["cross_validation"]["uncertainty"] = cv["uncertainty"];
    } catch (const Json::exception& e) {
      throw ConfigError(std::string("train: not a dynemo cv metrics.json (") + e.what() + ")");
    }
  }
  RunContext run = start_run(data, config, run_dir, progress);
  std::vector<std::size_t> all(data.songs.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  Trained t = train_or_load(run, all, 0, 0, run_dir, 0);
  if (t.loaded && !metrics.is_null()) {
    // A finished run given its cross-validation afterwards: record the metrics in its sidecar.
    models::ModelSidecar sidecar = models::read_model_sidecar(run_dir + "/model");
    sidecar.metrics_json = metrics.dump();
    write_file_atomic(run_dir + "/model.json", models::model_sidecar_json(sidecar));
    return;
  }
  save_trained(t, run, all, run_dir, metrics);
}

}  // namespace dynemo
