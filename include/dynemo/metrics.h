// Evaluation metrics of dynamic (per 0.5 s frame) emotion predictions: R^2, RMSE, MAE, Pearson r,
// Lin's CCC and Kendall tau-b, pooled over all frames of all songs or per song then averaged over
// songs. One dimension (arousal or valence) at a time: call once per dimension.
//
// Conventions shared by every function here:
// - Inputs must be finite; n = 0, NaN or +/-Inf throws MetricsError naming the function (or the
//   song), the array and the index.
// - Variances and covariances are population ones (divide by n), as in Lin's CCC.
// - "Constant" means every value compares equal to the first one. A statistic that is undefined
//   for the input (a correlation of a constant series, tau-b without untied pairs) returns NaN;
//   the aggregates count such songs and skip them rather than throwing.
// - Std over songs is the population std (divide by the number of songs used, not by N - 1):
//   it describes the songs of the evaluated set rather than estimating a wider population, and
//   is defined (0) for a single song.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "dynemo/error.h"

namespace dynemo {

// Pearson correlation of a[0..n) and b[0..n): cov(a, b) / (std(a) std(b)). NaN when either side is
// constant (including n = 1).
double pearson(const double* a, const double* b, std::size_t n);

// Lin's concordance correlation coefficient of truth and prediction:
// 2 cov / (var_t + var_p + (mean_t - mean_p)^2), population moments.
// 0 when exactly one side is constant or both are constant with different means; NaN when both
// are the same constant (0 / 0). ref: Lin 1989, Biometrics 45(1), eq. 2a.
double concordance(const double* truth, const double* prediction, std::size_t n);

// Coefficient of determination 1 - SS_res / SS_tot with SS_tot = sum of (t - mean_t)^2. 1 for a
// perfect prediction, 0 for predicting mean_t, negative when worse. NaN when truth is constant.
double r_squared(const double* truth, const double* prediction, std::size_t n);

// Root mean squared error sqrt(sum of (t - p)^2 / n), in the units of the annotations.
double rmse(const double* truth, const double* prediction, std::size_t n);

// Mean absolute error: sum of |t - p| / n.
double mae(const double* truth, const double* prediction, std::size_t n);

// Kendall's tau-b with ties: (n_c - n_d) / sqrt((n0 - n1)(n0 - n2)), n0 = n(n-1)/2, n1 and n2 the
// pairs tied in a and in b (pairs tied in both count in both). Equal to scipy.stats.kendalltau
// (variant "b"). O(n log n) by Knight's merge-sort algorithm. NaN when either side is constant
// (including n = 1). ref: Knight 1966, JASA 61(314); Chaki et al. 2020 (tau-bar per song).
double kendall_tau_b(const double* a, const double* b, std::size_t n);

// One song's frames of one dimension: truth[k] and prediction[k] are frame k (0.5 s hop).
struct SongSeries {
  std::string song_id;
  std::vector<double> truth;
  std::vector<double> prediction;
};

// Metrics over the concatenation of every frame of every song.
struct PooledMetrics {
  std::size_t n_frames = 0;
  double r2 = 0.0;
  double rmse = 0.0;
  double mae = 0.0;
  double pearson = 0.0;
  double ccc = 0.0;
};

// Metrics per song, then mean and population std over the songs where they are defined
// (as MediaEval's Emotion in Music task reports r, and Chaki et al. 2020 their tau-bar). A mean and
// std over zero songs are NaN.
struct PerSongMetrics {
  std::size_t n_songs = 0;    // every song given
  double pearson_mean = 0.0;  // over n_songs - pearson_skipped songs
  double pearson_std = 0.0;
  std::size_t pearson_skipped = 0;  // songs whose truth or prediction is constant
  double kendall_mean = 0.0;        // tau-b, over n_songs - kendall_skipped songs
  double kendall_std = 0.0;
  std::size_t kendall_skipped = 0;  // songs where tau-b is undefined (a constant side)
  double rmse_mean = 0.0;           // over all n_songs
  double rmse_std = 0.0;
};

// Throws MetricsError when `songs` is empty, or naming the song when it has no frames, truth and
// prediction of different lengths (giving both), or a non-finite value (giving array and index).
void validate_songs(const std::vector<SongSeries>& songs);

// Pooled metrics; validates first (validate_songs). r2 and pearson are NaN when the pooled truth
// (or, for pearson, prediction) is constant; ccc as concordance().
PooledMetrics pooled_metrics(const std::vector<SongSeries>& songs);

// Per-song metrics averaged over songs; validates first (validate_songs).
PerSongMetrics per_song_metrics(const std::vector<SongSeries>& songs);

}  // namespace dynemo
