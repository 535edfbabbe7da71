// `dynemo evaluate` in the library: which songs to score, pairing of prediction rows with
// ratings by time (row time p pairs with rating time t when |p - (t - a)| <= 1e-6 s), and the
// pooled and per-song metrics of both dimensions.
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dynemo/audio.h"
#include "dynemo/data.h"
#include "dynemo/error.h"
#include "dynemo/evaluation.h"
#include "dynemo/features.h"
#include "dynemo/metrics.h"
#include "dynemo/uncertainty.h"

namespace dynemo {
namespace {

constexpr double kTimeTolerance_s = 1e-6;

// One song's ratings paired with its prediction rows: both dimensions, and what stayed single.
struct Pairing {
  SongSeries arousal, valence;
  std::vector<double> arousal_sd, valence_sd;  // when the prediction has sds
  std::size_t n_ratings_unpredicted = 0;
  std::size_t n_ratings_outside_audio = 0;
  std::size_t n_predictions_unmatched = 0;
};

// duration_s < 0: unknown.
Pairing pair_song(const AnnotatedSong& song, const SongPrediction& prediction, double duration_s) {
  const double window_s = FeatureConfig{}.window_s;
  Pairing out;
  out.arousal.song_id = out.valence.song_id = song.song_id;
  std::vector<bool> used(prediction.time_s.size(), false);
  std::size_t row = 0;  // both sides ascend: one forward pass
  for (std::size_t i = 0; i < song.time_s.size(); ++i) {
    const double start_s = song.time_s[i] - song.audio_offset_s;
    while (row < prediction.time_s.size() && prediction.time_s[row] < start_s - kTimeTolerance_s) {
      ++row;
    }
    if (row == prediction.time_s.size() ||
        std::fabs(prediction.time_s[row] - start_s) > kTimeTolerance_s) {
      const bool outside =
          start_s < -kTimeTolerance_s ||
          (duration_s >= 0.0 && start_s + window_s > duration_s + kTimeTolerance_s);
      ++(outside ? out.n_ratings_outside_audio : out.n_ratings_unpredicted);
      continue;
    }
    used[row] = true;
    out.arousal.truth.push_back(song.arousal[i]);
    out.arousal.prediction.push_back(prediction.arousal[row]);
    out.valence.truth.push_back(song.valence[i]);
    out.valence.prediction.push_back(prediction.valence[row]);
    if (prediction.has_sd()) {
      out.arousal_sd.push_back(prediction.arousal_sd.at(row));
      out.valence_sd.push_back(prediction.valence_sd.at(row));
    }
    ++row;
  }
  for (bool u : used) out.n_predictions_unmatched += u ? 0 : 1;
  return out;
}

}  // namespace

EvaluationSongs evaluation_songs(const Dataset& dataset, const Split* split) {
  EvaluationSongs out;
  if (split == nullptr) {
    for (const AnnotatedSong& song : dataset.songs) out.song_ids.push_back(song.song_id);
    return out;
  }
  std::set<std::string> wanted;
  if (split->kind == "kfold") {
    for (const std::vector<std::string>& fold : split->folds)
      wanted.insert(fold.begin(), fold.end());
  } else {
    wanted.insert(split->test.begin(), split->test.end());
  }
  for (const AnnotatedSong& song : dataset.songs) {
    if (wanted.erase(song.song_id) > 0) out.song_ids.push_back(song.song_id);
  }
  out.unknown.assign(wanted.begin(), wanted.end());
  return out;
}

EvaluationReport evaluate_predictions(const Dataset& dataset,
                                      const std::vector<std::string>& song_ids,
                                      const std::map<std::string, SongPrediction>& predictions,
                                      const std::map<std::string, double>& audio_duration_s) {
  std::map<std::string, const AnnotatedSong*> by_id;
  for (const AnnotatedSong& song : dataset.songs) by_id.emplace(song.song_id, &song);

  EvaluationReport report;
  EvaluationCounts& counts = report.counts;
  std::vector<SongSeries> arousal, valence;
  // Pooled frames with their sds, while every scored song has them.
  bool all_sd = true;
  std::vector<double> truth[2], predicted[2], sd[2];
  for (const std::string& id : song_ids) {
    const auto song = by_id.find(id);
    if (song == by_id.end()) {
      throw DataError("evaluate: song " + id + " is not in dataset '" + dataset.name + "'");
    }
    ++counts.n_songs;
    const auto prediction = predictions.find(id);
    if (prediction == predictions.end()) {
      counts.songs_missing.push_back(id);
      continue;
    }
    const auto duration = audio_duration_s.find(id);
    Pairing pairing = pair_song(*song->second, prediction->second,
                                duration == audio_duration_s.end() ? -1.0 : duration->second);
    counts.n_ratings += song->second->time_s.size();
    counts.n_ratings_unpredicted += pairing.n_ratings_unpredicted;
    counts.n_ratings_outside_audio += pairing.n_ratings_outside_audio;
    counts.n_predictions_unmatched += pairing.n_predictions_unmatched;
    if (pairing.arousal.truth.empty()) {
      counts.songs_without_pairs.push_back(id);
      continue;
    }
    ++counts.n_songs_scored;
    counts.n_frames += pairing.arousal.truth.size();
    all_sd = all_sd && !pairing.arousal_sd.empty();
    for (int d = 0; all_sd && d < 2; ++d) {
      const SongSeries& s = d == 0 ? pairing.arousal : pairing.valence;
      const std::vector<double>& spread = d == 0 ? pairing.arousal_sd : pairing.valence_sd;
      truth[d].insert(truth[d].end(), s.truth.begin(), s.truth.end());
      predicted[d].insert(predicted[d].end(), s.prediction.begin(), s.prediction.end());
      sd[d].insert(sd[d].end(), spread.begin(), spread.end());
    }
    arousal.push_back(std::move(pairing.arousal));
    valence.push_back(std::move(pairing.valence));
  }
  if (arousal.empty()) return report;
  report.has_metrics = true;
  report.arousal.pooled = pooled_metrics(arousal);
  report.arousal.per_song = per_song_metrics(arousal);
  report.valence.pooled = pooled_metrics(valence);
  report.valence.per_song = per_song_metrics(valence);
  if (all_sd) {
    for (int d = 0; d < 2; ++d) {
      DimensionMetrics& m = d == 0 ? report.arousal : report.valence;
      m.has_calibration = true;
      m.calibration =
          calibration(truth[d].data(), predicted[d].data(), sd[d].data(), truth[d].size());
    }
  }
  return report;
}

std::map<std::string, double> audio_durations(
    const Dataset& dataset, const std::map<std::string, SongPrediction>& predictions) {
  std::map<std::string, double> durations;
  for (const AnnotatedSong& song : dataset.songs) {
    if (song.audio_path.empty() || predictions.count(song.song_id) == 0) continue;
    try {
      const double duration_s = probe_audio(song.audio_path).duration_s();
      if (duration_s > 0.0) durations[song.song_id] = duration_s;
    } catch (const AudioError&) {
    }
  }
  return durations;
}

}  // namespace dynemo
