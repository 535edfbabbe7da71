// Training and cross-validation of the model zoo (dynemo::ml). No LibTorch in this header:
// models stay behind the library's own files.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "dynemo/cache.h"
#include "dynemo/data.h"
#include "dynemo/metrics.h"
#include "dynemo/uncertainty.h"

namespace dynemo {

// How a model is trained; defaults are the papers' (RMSProp lr 1e-3, MSE, batch 20, up to 50
// epochs, early stopping after 5 epochs without a 1e-4 improvement of the validation loss).
// Round-trips to JSON (train_config_to_json / train_config_from_json).
struct TrainConfig {
  std::string model = "LSTM_NAT_400";  // a registered model name (dynemo list models)
  std::string loss = "mse";            // "mse" or "ccc" (1 - concordance, per dimension)
  double learning_rate = 1e-3;         // RMSProp
  int batch_size = 20;                 // songs per step
  int max_epochs = 50;
  int patience = 5;                  // epochs without improvement before stopping
  double min_delta = 1e-4;           // an improvement must lower the validation loss this much
  double validation_fraction = 0.1;  // of the training songs, held out for early stopping
  double dropout = 0.0;
  double weight_decay = 0.0;    // L2 penalty (RMSProp weight decay)
  double join_fraction = 0.0;   // share of training sequences made of two songs joined in
                                // time (each epoch anew): teaches models to follow a change
  bool per_dimension = false;   // one model per dimension instead of a joint head
  bool teacher_forcing = true;  // LSTM_AT/BAT: feed true y_{t-1} in training
  int pretrain_epochs = 10;     // DLSTM denoising-autoencoder epochs before training
  std::vector<double> ridge_alphas = {1, 10, 100, 1e3, 1e4, 1e5};  // RIDGE: chosen on validation
  int smoothing_frames = 0;  // 0 = off; 25 = Ma et al.'s triangle filter on outputs
  int seeds = 1;             // ensemble members (seed, seed+1, ...) averaged
  unsigned seed = 42;        // fixes folds, data order and initialisation
  int threads = 1;           // LibTorch intra-op threads
  int folds = 10;            // cross-validation folds (by song)
};

// One registered model family (what `dynemo list models` prints).
struct ModelFamily {
  std::string pattern;      // "LSTM_AT_<h1>[_<h2>...]"
  std::string example;      // "LSTM_AT_400"
  std::string description;  // one line
  std::string reference;    // where it comes from
};
const std::vector<ModelFamily>& model_families();

std::string train_config_to_json(const TrainConfig& config);
TrainConfig train_config_from_json(const std::string& json_text);  // ConfigError on bad fields
// Throws ConfigError naming the field when a setting is out of range or the model is unknown.
void validate(const TrainConfig& config);

// One song as a training sequence: its rated frames that have a feature row, in time order.
struct SongSequence {
  std::string song_id;
  double audio_offset_s = 0.0;  // AnnotatedSong::audio_offset_s (window start = time - offset)
  std::vector<double> time_s;   // rating times (annotation timeline), one per frame
  std::vector<float> features;  // [n_frames, n_features] row-major, raw (not standardised)
  std::vector<float> targets;   // [n_frames, 2]: arousal, valence
  std::size_t n_frames() const { return time_s.size(); }
};

// The songs of a dataset paired with one feature set.
struct SequenceSet {
  std::string dataset;                        // dataset name
  std::string root;                           // dataset folder it was loaded from
  std::string manifest, manifest_hash;        // custom: Dataset's files and hashes
  std::string annotations, annotations_hash;  // (recorded in config.json: report needs them)
  std::string spec;                           // feature spec
  std::string feature_hash;                   // of (spec, config)
  std::string feature_config_json;            // FeatureConfig the features were made with
  std::vector<std::string> columns;           // feature names
  std::vector<SongSequence> songs;  // dataset order; songs without a paired frame are left out
  std::size_t n_features() const { return columns.size(); }
};

// Pairs each song's ratings with its cached feature rows (row time + audio offset == rating
// time). Songs absent from the cache or without a paired frame are listed in *skipped.
SequenceSet build_sequences(const Dataset& dataset, const CachedFeatures& features,
                            std::vector<std::string>* skipped = nullptr);

// One line of progress: after every epoch of every fold (and after closed-form fits).
struct TrainProgress {
  std::string model;
  int fold = 0;  // 1-based; 0 when training on all songs
  int n_folds = 0;
  int member = 0;  // ensemble member (0-based)
  int epoch = 0;   // 1-based; 0 for pre-training or closed form
  int max_epochs = 0;
  double train_loss = 0;  // mean over the epoch's batches
  double val_loss = 0;
  bool improved = false;
  double elapsed_s = 0;  // since the run started
  double eta_s = 0;      // rough estimate of the time left in the run
  std::string stage;     // "pretrain", "train", "ridge", "resume"
};
using TrainProgressFn = std::function<void(const TrainProgress&)>;

// Metrics of a set of predictions, per dimension.
struct RunMetrics {
  std::size_t n_songs = 0;
  PooledMetrics arousal_pooled, valence_pooled;
  PerSongMetrics arousal_songs, valence_songs;
};

// The result of a cross-validation run (also written to its folder).
struct CvResult {
  std::string model;
  RunMetrics pooled;                 // over the out-of-fold predictions of every song
  std::vector<RunMetrics> per_fold;  // each fold's test songs
  std::vector<int> epochs;           // epochs trained per fold (best epoch), first member
  double seconds = 0;                // wall time of the run
  Calibration arousal_calibration;   // of the predictive sds, cross-fitted (train/calibrate.h)
  Calibration valence_calibration;
};

// k-fold cross-validation by song (config.folds, seeded), written to `run_dir`:
//   config.json, split.json, epochs.csv (every epoch of every fold), fold-<k>/model.pt + .json,
//   predictions/<song_id>.csv (out-of-fold), metrics.json, metrics.md.
// `folds`, if given, is a kfold split to use instead of drawing one with config.seed (the folds
// of another run, for another model or more seeds on the same held-out songs): it must have
// config.folds folds and name every song of `data`; its songs that `data` lacks are left out.
// Resumable: a fold whose model exists is loaded instead of trained, and a fold interrupted
// mid-training restarts from its last epoch checkpoint; the result equals an uninterrupted run.
// Throws ConfigError for a bad config or split, IoError when run_dir cannot be written.
CvResult cross_validate(const SequenceSet& data, const TrainConfig& config,
                        const std::string& run_dir, const TrainProgressFn& progress = {},
                        const Split* folds = nullptr);

// Trains on every song (validation_fraction held out for early stopping) and writes
// run_dir/model.pt + model.json (the sidecar) and epochs.csv. Resumable like cross_validate.
// cv_metrics_json (optional): a cross-validation's metrics.json text, whose pooled metrics and
// run description are recorded in the sidecar under "metrics" (also into the sidecar of a run
// that had already finished, which is not trained again).
void train_all(const SequenceSet& data, const TrainConfig& config, const std::string& run_dir,
               const TrainProgressFn& progress = {}, const std::string& cv_metrics_json = "");

// Reference rows of a model-selection table.
RunMetrics score_predictions(const SequenceSet& data,
                             const std::map<std::string, std::vector<float>>& predictions);

// Markdown comparison table (the shape of Chaki et al.'s Tables 1/2): one row per result,
// columns R², RMSE, MAE, per-song r and Kendall τ for arousal and valence.
std::string comparison_markdown(const std::vector<CvResult>& results);

// Ma et al.'s 25-frame triangle smoothing: y'_t = Σ_k w_k y_{t+k} / Σ_k w_k over the frames that
// exist, w_k = (h + 1 - |k|) for |k| <= h, h = (width - 1) / 2. width <= 1 leaves y unchanged.
std::vector<float> triangle_smooth(const std::vector<float>& y, int width);

}  // namespace dynemo
