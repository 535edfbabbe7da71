// Metrics over a set of songs: pooled over all frames, and per song then averaged over songs.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "dynemo/metrics.h"
#include "metrics/check.h"

namespace dynemo {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// "song 1024", or "song #3" (its position) when the id is empty.
std::string song_name(const SongSeries& song, std::size_t index) {
  return song.song_id.empty() ? "song #" + std::to_string(index) : "song " + song.song_id;
}

void check_finite(const std::string& song, const char* name, const std::vector<double>& x) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) {
      throw MetricsError("metrics: " + song + ": " + name + "[" + std::to_string(i) + "] is " +
                         metrics::number_text(x[i]) + ", expected a finite value");
    }
  }
}

// Mean and population std (divide by the count) of the values, NaN for none. Two-pass.
struct MeanStd {
  double mean = kNaN;
  double std = kNaN;
};
MeanStd mean_std(const std::vector<double>& values) {
  MeanStd out;
  if (values.empty()) return out;
  const double count = static_cast<double>(values.size());
  double sum = 0.0;
  for (double v : values) sum += v;
  out.mean = sum / count;
  double ss = 0.0;
  for (double v : values) ss += (v - out.mean) * (v - out.mean);
  out.std = std::sqrt(ss / count);
  return out;
}

}  // namespace

void validate_songs(const std::vector<SongSeries>& songs) {
  if (songs.empty()) throw MetricsError("metrics: no songs, expected at least one");
  for (std::size_t s = 0; s < songs.size(); ++s) {
    const SongSeries& song = songs[s];
    const std::string name = song_name(song, s);
    if (song.truth.size() != song.prediction.size()) {
      throw MetricsError("metrics: " + name + " has " + std::to_string(song.truth.size()) +
                         " truth values but " + std::to_string(song.prediction.size()) +
                         " predictions, expected equal lengths");
    }
    if (song.truth.empty()) {
      throw MetricsError("metrics: " + name + " has no frames, expected at least one");
    }
    check_finite(name, "truth", song.truth);
    check_finite(name, "prediction", song.prediction);
  }
}

PooledMetrics pooled_metrics(const std::vector<SongSeries>& songs) {
  validate_songs(songs);
  std::vector<double> truth, prediction;
  for (const SongSeries& song : songs) {
    truth.insert(truth.end(), song.truth.begin(), song.truth.end());
    prediction.insert(prediction.end(), song.prediction.begin(), song.prediction.end());
  }
  const std::size_t n = truth.size();
  PooledMetrics out;
  out.n_frames = n;
  out.r2 = r_squared(truth.data(), prediction.data(), n);
  out.rmse = rmse(truth.data(), prediction.data(), n);
  out.mae = mae(truth.data(), prediction.data(), n);
  out.pearson = pearson(truth.data(), prediction.data(), n);
  out.ccc = concordance(truth.data(), prediction.data(), n);
  return out;
}

PerSongMetrics per_song_metrics(const std::vector<SongSeries>& songs) {
  validate_songs(songs);
  PerSongMetrics out;
  out.n_songs = songs.size();
  std::vector<double> rs, taus, errors;
  for (const SongSeries& song : songs) {
    const double* t = song.truth.data();
    const double* p = song.prediction.data();
    const std::size_t n = song.truth.size();
    const double r = pearson(t, p, n);
    if (std::isnan(r)) {
      ++out.pearson_skipped;
    } else {
      rs.push_back(r);
    }
    const double tau = kendall_tau_b(t, p, n);
    if (std::isnan(tau)) {
      ++out.kendall_skipped;
    } else {
      taus.push_back(tau);
    }
    errors.push_back(rmse(t, p, n));
  }
  const MeanStd r = mean_std(rs), tau = mean_std(taus), error = mean_std(errors);
  out.pearson_mean = r.mean;
  out.pearson_std = r.std;
  out.kendall_mean = tau.mean;
  out.kendall_std = tau.std;
  out.rmse_mean = error.mean;
  out.rmse_std = error.std;
  return out;
}

}  // namespace dynemo
