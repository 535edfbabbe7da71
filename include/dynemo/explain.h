// Explanations and reports (dynemo::ml; no LibTorch in this header): what a model predicted for
// one track and why (`dynemo explain`), and how a cross-validation run did against the
// annotations (`dynemo report`). Both give one self-contained HTML page (inline SVG, no network)
// whose figures imitate Chaki et al. 2020: curves over time (Fig. 1), error histograms (Fig. 2),
// attention maps (Fig. 3) and the chromagram (Fig. 5), plus the valence-arousal trajectory.
// Every figure is an <svg> with a stable id; see docs of each function for the ids and classes.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "dynemo/data.h"
#include "dynemo/predict.h"

namespace dynemo {

// --- One track (`dynemo explain`) ----------------------------------------------------------

// Everything the explain page shows about one track.
struct TrackExplanation {
  std::string model;                         // model name ("LSTM_AT_400")
  std::string model_path;                    // the model file it came from
  TrackPrediction prediction;                // the curves and attributions (attention: below)
  AttentionRows attention;                   // the attention map shown, empty without one
  std::vector<float> envelope_min;           // waveform strip: per bin of duration_s / n_bins,
  std::vector<float> envelope_max;           // the smallest and largest sample, [-1, 1]
  std::vector<double> loudness_db;           // per prediction window: RMS in dBFS (floor -80)
  std::vector<float> chroma;                 // [n_windows, 12] row-major, pitch classes C..B,
                                             // chroma_stft of each prediction window, [0, 1]
  std::vector<std::size_t> attention_peaks;  // windows attended most, most first (may be empty)
  TrackSummary summary;  // summarise(prediction): means over the windows heard, the label
};

// Up to `k` windows the model favours most, most first (ties: earlier first): for each column,
// the mean over the rows attending it of weight x (frames that row attends) / (the same at that
// lag on average), over the rows that see at least the median number of frames: its weight
// relative to what is usual at its position, so neither the first windows (seen by rows that see
// little else) nor the last (which a context model's recency pattern favours) win by default.
// Only windows above 1 are listed: none for a model that weighs its context equally (CTX_MLP) or
// an empty map. Throws Error when attention.size() != n * n.
std::vector<std::size_t> attention_peaks(const std::vector<float>& attention, std::size_t n,
                                         std::size_t k);
// The same over a map kept row by row (one row per window).
std::vector<std::size_t> attention_peaks(const AttentionRows& attention, std::size_t k);

// Per-bin minimum and maximum of `samples` over `n_bins` equal bins (fewer when there are fewer
// samples); for the waveform strip.
void waveform_envelope(const std::vector<float>& samples, std::size_t n_bins,
                       std::vector<float>* min_out, std::vector<float>* max_out);

// Fills the derived fields of `e` from e.prediction: means, quadrant, attention peaks (3), and
// e.attention from e.prediction.attention when it is empty. Throws Error when the arrays
// disagree in length (naming them).
void summarise(TrackExplanation& e);

// Decodes `audio_path` at the model's rate, extracts the model's features and the chroma,
// predicts with attention when the model has it and summarises. Tracks over 3 min are read in
// pieces and predicted as Predictor::explain_file does (memory bounded for any length). Throws
// AudioError naming the file for unusable audio, IoError/ConfigError from the model (predict.h).
TrackExplanation explain_track(const std::string& audio_path, const std::string& model_path);

// The page: title with track and model, a summary (mean arousal/valence, quadrant, attended
// windows), then <svg id="curves"> (panels with polylines class "arousal" / "valence" over
// class "waveform" and "loudness"; circles class "attention-peak"), <svg id="circumplex">
// (class "trajectory", "mean", four "quadrant-label"), <svg id="attention-map"> (n x n rects
// class "cell"; a note instead when the model has no attention) and <svg id="chromagram">
// (12 x n rects class "cell").
std::string explanation_html(const TrackExplanation& e);

// Writes the page atomically to html_path and, when png_dir is not empty, curves.png,
// circumplex.png, attention-map.png (attention models) and chromagram.png into png_dir (created).
// Throws IoError naming the file that cannot be written.
void write_explanation(const TrackExplanation& e, const std::string& html_path,
                       const std::string& png_dir = "");

// --- A cross-validation run (`dynemo report`) ----------------------------------------------

struct ReportOptions {
  std::vector<std::string> songs;       // songs to plot; empty: best, median and worst arousal RMSE
  DatasetSource dataset;                // empty name: the dataset of the run's config.json
  std::string root;                     // overrides the recorded dataset root when not empty
  std::string cache_dir;                // feature cache for attention maps; empty: none drawn
  std::size_t max_attention_songs = 3;  // of the plotted songs, the first this many get a map
};

// One song of the run: annotations and out-of-fold predictions on the annotation timeline.
struct SongReport {
  std::string song_id;
  int fold = 0;                          // 1-based test fold (split.json); 0 if not found
  std::vector<double> time_s;            // rating times with a prediction (annotation time)
  std::vector<double> arousal, valence;  // annotated
  std::vector<double> arousal_pred, valence_pred;
  std::vector<double> arousal_sd, valence_sd;  // predictive sds, when the run wrote them
  double rmse_arousal = 0, rmse_valence = 0;
  std::vector<float> attention;  // [n, n] over time_s when drawn; else empty
  std::string attention_note;    // why there is no map, when there is none
};

// One row of the metrics table (pooled or one fold): metrics.json's keys per dimension
// ("r2", "rmse", "mae", "pearson", "ccc", "song_pearson_mean", "song_kendall_mean",
// "song_rmse_mean"); NaN for null.
struct MetricsRow {
  std::string scope;  // "pooled", "fold 1", ...
  std::size_t n_songs = 0;
  std::map<std::string, double> arousal, valence;
};

struct RunReport {
  std::string run_dir;
  std::string model;
  std::string dataset;
  std::string spec;
  double window_s = 0.5;  // the run's summary window (config.json's feature_config)
  bool has_attention = false;
  std::vector<MetricsRow> metrics;    // pooled first, then the folds
  std::vector<SongReport> all_songs;  // every song with paired predictions (for histograms)
  std::vector<std::size_t> chosen;    // indices into all_songs of the plotted songs
  std::vector<std::string> notes;     // e.g. "attention maps: feature cache ... not found"
};

// Reads RUN/config.json, metrics.json, split.json and predictions/, loads the dataset for the
// annotations, pairs predictions with ratings (window start + audio offset == rating time), picks
// the songs and, for attention models with a cache, predicts their attention with the fold model
// that held them out. Throws IoError naming a missing or malformed run file, DataError for a
// chosen song the run does not have.
RunReport read_run_report(const std::string& run_dir, const ReportOptions& options = {});

// The page: the run, <table id="metrics"> (pooled metrics per dimension), <table
// id="fold-metrics">, <svg id="error-histogram-arousal"> and "-valence" (songs per bin of
// per-song RMSE, rects class "bar"), one <svg id="song-<id>"> per chosen song (polylines class
// "annotated arousal", "predicted arousal", and the same for valence) and <svg
// id="attention-<id>"> where a map was computed; the notes.
std::string run_report_html(const RunReport& report);

}  // namespace dynemo
