// Scoring prediction files against a dataset's annotations (`dynemo evaluate`): reading
// <song_id>.csv predictions, pairing their rows with ratings by time, and the metrics of
// metrics.h per dimension, with counts of everything that could not be paired.
//
// Time convention (data.h): a prediction row's time_s is the start of its window in the song's
// audio file, so the row at p pairs with the rating at t when |p - (t - a)| <= 1e-6 s,
// a = AnnotatedSong::audio_offset_s. Rows and ratings without a partner are counted, not errors.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "dynemo/data.h"
#include "dynemo/error.h"
#include "dynemo/metrics.h"
#include "dynemo/uncertainty.h"

namespace dynemo {

// One song's predictions: window start times (s, in the audio file) and both dimensions, with
// their predictive standard deviations when the file has them (dynemo/uncertainty.h).
struct SongPrediction {
  std::vector<double> time_s;  // strictly ascending
  std::vector<double> arousal;
  std::vector<double> valence;
  std::vector<double> arousal_sd;  // empty, or one > 0 per row
  std::vector<double> valence_sd;
  bool has_sd() const { return !arousal_sd.empty() || !valence_sd.empty(); }
};

// Reads a prediction CSV: optional leading "# ..." comment lines, the header exactly
// "time_s,arousal,valence" or "time_s,arousal,valence,arousal_sd,valence_sd", then one row of
// that many finite numbers per window (sds > 0), time_s strictly ascending (a header-only file is
// valid: no rows). CRLF line ends are accepted. Throws IoError when the file cannot be read and
// DataError "<path>:<line>:<column>: ..." (column = 1-based field) for anything malformed.
SongPrediction read_prediction_csv(const std::string& path);

// The prediction CSV text read_prediction_csv reads ("time_s,arousal,valence" and the sd
// columns when the prediction has them; times with 3 decimals, values with 6 significant digits).
std::string prediction_csv(const SongPrediction& prediction);

// Reads <dir>/<id_file_stem(song_id)>.csv (dynemo/io.h: the id itself for plain ids) for each of
// `song_ids` whose file exists (read_prediction_csv);
// songs without a file are left out of the map. Throws IoError when `dir` is not a directory.
std::map<std::string, SongPrediction> read_prediction_dir(const std::string& dir,
                                                          const std::vector<std::string>& song_ids);

// The .csv files directly in `dir` that are no song's <id_file_stem(id)>.csv for any of
// `song_ids` (attention and attribution files beside predictions excepted), sorted: predictions
// of songs the dataset does not hold, which evaluate reports rather than ignores.
std::vector<std::string> foreign_prediction_files(const std::string& dir,
                                                  const std::vector<std::string>& song_ids);

// The songs to score: the test songs of `split` (every fold's songs for kfold), or every song
// of the dataset when split is null. Split ids not in the dataset are returned in `unknown`.
struct EvaluationSongs {
  std::vector<std::string> song_ids;  // in the dataset's order
  std::vector<std::string> unknown;   // named by the split, absent from the dataset
};
EvaluationSongs evaluation_songs(const Dataset& dataset, const Split* split);

// What pairing found, over the songs asked for.
struct EvaluationCounts {
  std::size_t n_songs = 0;                       // songs asked for (in the dataset)
  std::size_t n_songs_scored = 0;                // songs with at least one paired rating
  std::vector<std::string> songs_missing;        // no prediction given at all
  std::vector<std::string> songs_without_pairs;  // a prediction, but no row on a rating time
  std::size_t n_ratings = 0;                     // ratings of the songs that have a prediction
  std::size_t n_frames = 0;                      // ratings paired with a prediction row (scored)
  std::size_t n_ratings_unpredicted = 0;         // ratings of those songs without a prediction row
                                                 // (and with a whole audio window, as far as known)
  std::size_t n_ratings_outside_audio = 0;       // unpaired ratings without a whole audio window:
                                                 // t - a < 0, or past the end of the audio file
  std::size_t n_predictions_unmatched = 0;       // prediction rows on no rating time
};

// Metrics of one dimension. Absent (has_metrics false) when no song could be scored.
struct DimensionMetrics {
  PooledMetrics pooled;
  PerSongMetrics per_song;
  bool has_calibration = false;  // every scored song's predictions carry sds
  Calibration calibration;       // of those sds: share within +-1/2 sd, mean NLL
};

struct EvaluationReport {
  EvaluationCounts counts;
  bool has_metrics = false;  // counts.n_songs_scored > 0
  DimensionMetrics arousal;
  DimensionMetrics valence;
};

// Pairs the predictions with the ratings of the songs `song_ids` (ids of `dataset`; DataError for
// one it does not hold) and scores them. `predictions` maps song id -> prediction; a song
// without an entry is counted in songs_missing. `audio_duration_s` (song id -> length of its
// audio file in s, optional) tells which unpaired ratings could not have had a prediction: those
// without a whole 0.5 s window in the file (song_grid's rule) are counted as outside the audio,
// not as unpredicted; without a duration only t - a < 0 is outside. Throws MetricsError only for
// non-finite values.
EvaluationReport evaluate_predictions(const Dataset& dataset,
                                      const std::vector<std::string>& song_ids,
                                      const std::map<std::string, SongPrediction>& predictions,
                                      const std::map<std::string, double>& audio_duration_s = {});

// The length (s) of the audio file of each song of `dataset` that has one and a prediction in
// `predictions` (a header probe, no decoding), for evaluate_predictions' audio_duration_s. A file
// that cannot be probed gives no length.
std::map<std::string, double> audio_durations(
    const Dataset& dataset, const std::map<std::string, SongPrediction>& predictions);

// The report as a Markdown table: rows = metrics (R2, RMSE, MAE, Pearson r, CCC pooled; per-song
// r, Kendall tau-b and RMSE as mean ± std; with sds, the shares within +-1 and +-2 sd and the
// mean Gaussian NLL), columns = arousal, valence; 4 decimals, "n/a" for an
// undefined value. Followed by one line of counts.
std::string evaluation_markdown(const EvaluationReport& report);

// Where an evaluation came from, for the JSON report.
struct EvaluationProvenance {
  std::string dataset;                     // dataset name
  std::string dataset_root;                // folder it was loaded from
  std::string predictions;                 // prediction folder
  std::string split;                       // split file, "" when none
  std::string split_kind;                  // its kind, "" when none
  std::vector<std::string> split_unknown;  // split ids absent from the dataset
  std::vector<std::string> foreign_files;  // prediction files of no dataset song
};

// The report as a JSON object text: every metric (null where undefined), the counts with the
// lists of missing songs, the provenance, and the dynemo version and git SHA.
std::string evaluation_json(const EvaluationReport& report, const EvaluationProvenance& provenance);

}  // namespace dynemo
