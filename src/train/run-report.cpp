// Scoring a run's predictions and the model-selection table (the shape of Chaki et al.'s
// Tables 1/2), plus the metrics' JSON form written into run folders and model sidecars.
#include <cmath>
#include <cstdio>
#include <string>

#include "dynemo/error.h"
#include "dynemo/train.h"
#include "train/run-files.h"

namespace dynemo {

RunMetrics score_predictions(const SequenceSet& data,
                             const std::map<std::string, std::vector<float>>& predictions) {
  std::vector<SongSeries> arousal, valence;
  for (const SongSequence& seq : data.songs) {
    const auto found = predictions.find(seq.song_id);
    if (found == predictions.end()) continue;
    const std::vector<float>& p = found->second;
    if (p.size() != 2 * seq.n_frames()) {
      throw MetricsError("song " + seq.song_id + ": " + std::to_string(p.size() / 2) +
                         " predicted frames for " + std::to_string(seq.n_frames()) + " ratings");
    }
    SongSeries a{seq.song_id, {}, {}}, v{seq.song_id, {}, {}};
    for (std::size_t t = 0; t < seq.n_frames(); ++t) {
      a.truth.push_back(seq.targets[2 * t]);
      a.prediction.push_back(p[2 * t]);
      v.truth.push_back(seq.targets[2 * t + 1]);
      v.prediction.push_back(p[2 * t + 1]);
    }
    arousal.push_back(std::move(a));
    valence.push_back(std::move(v));
  }
  RunMetrics m;
  m.n_songs = arousal.size();
  if (m.n_songs == 0) return m;
  m.arousal_pooled = pooled_metrics(arousal);
  m.valence_pooled = pooled_metrics(valence);
  m.arousal_songs = per_song_metrics(arousal);
  m.valence_songs = per_song_metrics(valence);
  return m;
}

namespace {

std::string cell(double value, int decimals = 3) {
  if (!std::isfinite(value)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

std::string mean_std(double mean, double sd, std::size_t n_scored) {
  if (n_scored == 0) return "n/a";
  return cell(mean) + " ± " + cell(sd);
}

}  // namespace

std::string comparison_markdown(const std::vector<CvResult>& results) {
  std::string out =
      "| model | A R² | A RMSE | A MAE | A r (song) | A τ (song) | V R² | V RMSE | V MAE | "
      "V r (song) | V τ (song) | epochs | time (s) |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const CvResult& r : results) {
    const RunMetrics& m = r.pooled;
    double epochs = 0;
    for (int e : r.epochs) epochs += e;
    const std::string epoch_cell = r.epochs.empty() || epochs == 0
                                       ? "–"
                                       : cell(epochs / static_cast<double>(r.epochs.size()), 1);
    out += "| " + r.model;
    const PooledMetrics* pooled[2] = {&m.arousal_pooled, &m.valence_pooled};
    const PerSongMetrics* songs[2] = {&m.arousal_songs, &m.valence_songs};
    for (int d = 0; d < 2; ++d) {
      const PerSongMetrics& s = *songs[d];
      out += " | " + cell(pooled[d]->r2) + " | " + cell(pooled[d]->rmse) + " | " +
             cell(pooled[d]->mae) + " | " +
             mean_std(s.pearson_mean, s.pearson_std, s.n_songs - s.pearson_skipped) + " | " +
             mean_std(s.kendall_mean, s.kendall_std, s.n_songs - s.kendall_skipped);
    }
    out += " | " + epoch_cell + " | " + cell(r.seconds, 0) + " |\n";
  }
  return out;
}

}  // namespace dynemo
