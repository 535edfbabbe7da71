// Running a trained model on music: audio file -> arousal and valence per 500 ms window, with the
// attention weights of attention models. dynemo::ml; no LibTorch in this header.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "dynemo/audio.h"
#include "dynemo/batch.h"
#include "dynemo/features.h"
#include "dynemo/uncertainty.h"

namespace dynemo {

// How far from the centre (0) of each scale a track's mean must lie before the summary names that
// side: the track's uncertainty, its mean predictive sd (neutral_zone). Errors within a track are
// strongly correlated (most of the error is a song's offset), so the mean's uncertainty is the
// windows' sd, not sd / sqrt(n). Within it the model cannot tell the sign with about 84 %
// confidence (one sigma), so the summary says "neutral" there.
struct NeutralZone {
  static constexpr double kDefaultNeutral = 0.1;
  double arousal = kDefaultNeutral;
  double valence = kDefaultNeutral;
};

// What a model file says about itself (its JSON sidecar).
struct ModelCard {
  std::string path;          // as given, without extension
  std::string model;         // "LSTM_NAT_400"
  std::string spec;          // feature spec it was trained on
  std::string feature_hash;  // feature_hash(spec, config) at training time
  FeatureConfig config;      // feature configuration at training time
  std::string dataset;       // training data
  std::size_t n_songs = 0;   // training songs
  Uncertainty uncertainty;   // the predictive sd of each window (dynemo/uncertainty.h)
  std::string sidecar_json;  // the whole sidecar text
};

// One window's prediction: its start, both dimensions and their predictive sds.
struct PredictionRow {
  double time_s = 0.0;
  float arousal = 0.0f;  // DEAM scale, [-1, 1]
  float valence = 0.0f;
  float arousal_sd = 0.0f;
  float valence_sd = 0.0f;
};

// Why a track got its prediction, by musical group of features (feature_groups()): exact
// Shapley values of the groups, where a group is absent when its features sit at the model's
// training mean (standardised 0) in every window. Per window and dimension the values add up
// to the prediction minus the baseline (every group absent) — exactly, up to float rounding.
struct GroupAttribution {
  std::vector<std::string> groups;      // ids of the groups the model's features have
  std::vector<float> baseline_arousal;  // per window: the prediction with every group absent
  std::vector<float> baseline_valence;
  std::vector<float> arousal;  // [n_windows, groups.size()] row-major
  std::vector<float> valence;
  bool empty() const { return groups.empty(); }
};

// An attention map kept row by row, each row over its own span of columns (windows), so that a
// long track's map costs what its rows attend instead of n x n: row r gives weights[begin[r] +
// k] to window first[r] + k for k < begin[r + 1] - begin[r], and 0 to every other window.
struct AttentionRows {
  std::size_t n_columns = 0;       // windows of the track
  std::vector<std::size_t> first;  // per row: the window of its first weight
  std::vector<std::size_t> begin;  // per row, and one past the last: where its weights start
  std::vector<float> weights;
  std::size_t n_rows() const { return first.size(); }
  bool empty() const { return first.empty(); }
  // Appends a row giving w[k] to window first_column + k, k < count.
  void append(std::size_t first_column, const float* w, std::size_t count);
  // The rows of an n x n row-major map, each over all n windows. Throws Error when
  // map.size() != n * n.
  static AttentionRows from_map(const std::vector<float>& map, std::size_t n);
};

// One track's predictions on the window grid of the model's feature configuration.
struct TrackPrediction {
  std::string source;       // file it came from (or "<memory>")
  double duration_s = 0.0;  // decoded audio length
  // The decoded audio's level (SignalLevel::rms_dbfs: -3.01 for a full-scale sine, -200 for
  // digital silence); NaN when the prediction did not come from a file (predict_features).
  double rms_dbfs = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> time_s;  // window start, seconds from the start of the file
  double window_s = 0.5;       // each window's length (the model's feature configuration)
  // Per window, the level of its decoded samples (window_level_dbfs, dynemo/file-features.h);
  // empty when the prediction did not come from a file.
  std::vector<float> window_dbfs;
  AudioInfo audio;             // the file (probe_audio); format "" when not from a file
  std::vector<float> arousal;  // DEAM scale, [-1, 1] (clamped)
  std::vector<float> valence;
  std::vector<float> arousal_sd;  // predictive sd per window (ModelCard::uncertainty), > 0
  std::vector<float> valence_sd;
  std::vector<float> attention;  // [n, n] row-major (row = output window, column = attended
                                 // window) when requested and the model has attention; else empty
  GroupAttribution attribution;  // when requested (Predictor::attribute, predict --explain)
  std::size_t n_windows() const { return time_s.size(); }
  PredictionRow row(std::size_t i) const {
    return {time_s[i], arousal[i], valence[i], arousal_sd[i], valence_sd[i]};
  }
};

// Loads a model once and predicts many tracks; predict_* may run concurrently from threads.
class Predictor {
 public:
  // Loads <path>.pt and <path>.json (path with or without the extension). Throws IoError for a
  // missing or malformed file and ConfigError when the sidecar's feature hash does not match
  // what this build's extractor gives for the recorded spec and config ("model X was trained on
  // features with hash A, this dynemo computes B: retrain or use the dynemo that made it").
  explicit Predictor(const std::string& path);
  ~Predictor();
  Predictor(const Predictor&) = delete;
  Predictor& operator=(const Predictor&) = delete;

  const ModelCard& card() const;
  bool has_attention() const;

  // Features already extracted with card().spec and card().config (columns must match).
  TrackPrediction predict_features(const FeatureMatrix& features, bool with_attention = false);

  // Frames a context model looks back (CTX_MLP, MCA): its output for a window depends on that
  // window and at most this many before it; 0 for models that read the whole track.
  std::size_t context_frames() const;
  // True when the output for a window depends on the past only (a context model without
  // centred output smoothing): such a model can follow a live stream (dynemo/stream.h).
  bool causal() const;
  // Predictions for rows [first, n) of `features`, rows before `first` serving as the context
  // only: equal to predict_features() of the whole table for those rows. Throws ConfigError for a
  // model that is not causal().
  TrackPrediction predict_rows(const FeatureMatrix& features, std::size_t first);

  // Whole-track models (context_frames() == 0) on tables longer than 1024 rows (8.5 min) run over
  // blocks of 512 rows, each read with 64 rows (32 s) on either side, so memory stays bounded:
  // row r of such a table is predicted from rows [max(0, b - 64), min(n, b + 576)), b the start
  // of its block (a multiple of 512). Context models are exact in blocks (context_frames()).
  // Decodes `path` at the model's sample rate in chunks (bounded memory for long files),
  // extracts the features and predicts, with the group attributions when asked (2^groups
  // predictions: 32 for the default model; block by block too, = attribute() of the whole
  // table). With attention (n x n) or a smoothed model it reads the whole table. Throws
  // AudioError naming the file for unusable audio.
  TrackPrediction predict_file(const std::string& path, bool with_attention = false,
                               bool with_attribution = false);

  // The attributions of predict_features(features) to the musical groups of its columns.
  GroupAttribution attribute(const FeatureMatrix& features);

  // predict_file with the attributions and, when `attention` is not null and the model has
  // attention, the map row by row, in memory bounded for any length: tracks longer than 1024
  // windows run in predict_file's blocks (attributions = attribute() of the whole table), and
  // each row attends the windows its block reads (as in predict_file without attention): its
  // context, or the block and its margins. Tracks up to 1024 windows: the whole table, as
  // predict_file(path, true, true). Models with smoothed outputs always read the whole table.
  TrackPrediction explain_file(const std::string& path, AttentionRows* attention);

  // The training songs' mean of each feature column (the attributions' "absent" value).
  const std::vector<float>& feature_means() const;

 private:
  void check_columns(const FeatureMatrix& features) const;
  TrackPrediction run_features(const FeatureMatrix& features, bool with_attention);
  TrackPrediction predict_file_in_blocks(const std::string& path, bool with_attribution,
                                         AttentionRows* attention);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// --- Batches: whole folders and libraries ---------------------------------------------------

struct BatchOptions {
  std::string output_dir;
  std::string format = "csv";  // "csv": time_s,arousal,valence (+ <stem>.attention.csv);
                               // "json": one object with provenance, curves and attention
  int jobs = 1;                // tracks in parallel
  bool attention = false;      // write attention weights (attention models)
  bool explain = false;        // write the group attributions (JSON: "attribution"; CSV:
                               // <stem>.attribution.csv)
  bool force = false;          // predict tracks whose output is already current
};

// plan_batch (dynemo/batch.h) with the prediction format as the extension.
inline std::vector<BatchItem> plan_predictions(const std::vector<std::string>& inputs,
                                               const BatchOptions& options) {
  return plan_batch(inputs, options.output_dir, options.format);
}

// Predicts every item whose output does not exist yet (all with options.force), `jobs` at a
// time; each output written atomically with a provenance line. A bad track is recorded and the
// batch goes on. `on_track` is called once per finished track (from worker threads, one call at
// a time) and `on_progress` after every item. OUT/errors.log lists the failures of this run
// (removed when none failed).
BatchResult run_batch(Predictor& predictor, const std::vector<BatchItem>& items,
                      const BatchOptions& options,
                      const std::function<void(const BatchItem&, const TrackPrediction&)>& on_track,
                      const std::function<void(const BatchProgress&)>& on_progress);

// One item as run_batch does it: predicts item.input and writes item.output atomically (folders
// created), with the attention file beside a CSV when options.attention. Throws what
// Predictor::predict_file throws, IoError when the output cannot be written.
TrackPrediction predict_item(Predictor& predictor, const BatchItem& item,
                             const BatchOptions& options);

// True when `path` is a complete prediction file of this model and configuration: a CSV whose
// first line is the provenance line prediction_csv_text writes for `card` and whose last row is
// complete, or a JSON file that parses and names the same model, features and dynemo version.
// Missing, empty, truncated or foreign files are not current (a batch predicts them again).
bool prediction_is_current(const std::string& path, const ModelCard& card);

// The prediction file texts run_batch writes.
std::string prediction_csv_text(const TrackPrediction& p, const ModelCard& card);
// Its parts, for writers that emit rows as they come (dynemo stream): the provenance comment
// line and the column line, then one "time_s,arousal,valence,arousal_sd,valence_sd" line per
// window.
std::string prediction_csv_header(const ModelCard& card);
std::string prediction_csv_row(const PredictionRow& row);
// JSON Lines: a header object (version, model, uncertainty, latency_s), then one object per row
// {"time_s","arousal","valence","arousal_sd","valence_sd"}.
std::string prediction_jsonl_header(const ModelCard& card, double latency_s);
std::string prediction_jsonl_row(const PredictionRow& row);
std::string prediction_json_text(const TrackPrediction& p, const ModelCard& card);
// The group attributions as CSV: time_s, baseline_arousal, arousal.<group>..., baseline_valence,
// valence.<group>... (one row per window; the baseline plus a row's groups = its prediction).
std::string attribution_csv_text(const TrackPrediction& p);
// The track's attributions: the mean over its windows per group (they add up to the mean
// prediction minus the mean baseline), [groups] per dimension.
std::vector<double> mean_attribution(const GroupAttribution& a, bool valence);

// Russell's circumplex quadrant of a mean (valence, arousal) on the [-1, 1] scales:
// "happy/excited" (V+ A+), "angry/tense" (V- A+), "sad/depressed" (V- A-), "calm/relaxed" (V+ A-).
std::string quadrant_name(double valence, double arousal);

// The summary of a track's mean (valence, arousal): the quadrant when both lie outside the neutral
// zone; the clear side alone ("energetic", "calm", "positive", "negative") when only one does;
// "neutral" when neither does.
std::string mood_label(double valence, double arousal, const NeutralZone& zone);

// A track's neutral zone: the mean of its windows' sds per dimension (the default without rows).
NeutralZone neutral_zone(const TrackPrediction& p);

// Below this level a track holds nothing a listener would hear as music at a normal playback
// volume (DEAM's excerpts lie at -37 to -8 dBFS, median -19; 16-bit dither at -90 dBFS). The
// listener features floor every power at white noise of -70 dBFS.
inline constexpr double kSilentBelow_dbfs = -60.0;

// What a track's prediction says as a whole: the summary line of `dynemo predict`, the
// "summary" of its JSON, the explain page's summary row, Python's and the C API's summaries.
// A window below kSilentBelow_dbfs (silence before, between or after the music: a model asked
// about silence answers something, but it is not the music's mood) does not count: the means
// and the neutral zone are those of the other windows when the levels are known.
struct TrackSummary {
  double arousal_mean = 0.0;  // over the windows heard (over all when none is; 0 without any)
  double valence_mean = 0.0;
  std::size_t windows = 0;        // every window of the track
  std::size_t windows_heard = 0;  // windows at or above kSilentBelow_dbfs (all, levels unknown)
  // The silent windows the means leave out: windows - windows_heard, 0 when none is heard (the
  // means are then those of every window).
  std::size_t windows_left_out() const { return windows_heard > 0 ? windows - windows_heard : 0; }
  double rms_dbfs = std::numeric_limits<double>::quiet_NaN();  // TrackPrediction::rms_dbfs
  NeutralZone neutral;                                         // neutral_zone of the windows heard
  // "silent" when no window is heard or the track's level is known and below kSilentBelow_dbfs,
  // else mood_label of the means in the neutral zone.
  std::string label;
};
TrackSummary summarise(const TrackPrediction& p);
// "130 windows (39 silent)", or "130 windows" when no window is left out: the count on the
// summary lines of `dynemo predict` and `dynemo explain`.
std::string windows_text(const TrackSummary& s);

// LibTorch's intra-op threads for every model in this process (its default: one per core). A
// live stream's per-window work is too small to share: `dynemo stream` uses 1.
void set_model_threads(int n);

// The model `dynemo predict` uses without --model: $DYNEMO_MODEL if set, else the shipped default
// found next to the executable (../share/dynemo/models or the source tree's models/).
std::string default_model_path();

// The model `dynemo stream` uses without --model: $DYNEMO_MODEL if set, else the shipped default
// when it is causal, else the shipped causal model (a live stream cannot wait for the future
// windows that a whole-track model such as the default blend reads).
std::string default_stream_model_path();

}  // namespace dynemo
