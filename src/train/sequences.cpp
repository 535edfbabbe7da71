// Dataset songs + cached features -> training sequences: each rating paired with the feature row
// of the window it rates (row time + the song's audio offset == rating time).
#include <cmath>
#include <string>
#include <vector>

#include "dynemo/features.h"
#include "dynemo/train.h"

namespace dynemo {

SequenceSet build_sequences(const Dataset& dataset, const CachedFeatures& features,
                            std::vector<std::string>* skipped) {
  SequenceSet set;
  set.dataset = dataset.name;
  set.root = dataset.root;
  set.manifest = dataset.manifest;
  set.manifest_hash = dataset.manifest_hash;
  set.annotations = dataset.annotations;
  set.annotations_hash = dataset.annotations_hash;
  set.spec = features.spec;
  set.feature_hash = features.feature_hash;
  set.feature_config_json = feature_config_to_json(features.config);
  set.columns = features.columns;
  const std::size_t n_features = set.columns.size();
  for (const AnnotatedSong& song : dataset.songs) {
    const auto found = features.songs.find(song.song_id);
    if (found == features.songs.end()) {
      if (skipped) skipped->push_back(song.song_id);
      continue;
    }
    // The cache keeps times from the start of the audio file; ratings live on the annotation
    // timeline, which starts audio_offset_s earlier.
    FeatureMatrix shifted = found->second;
    for (double& t : shifted.time_s) t += song.audio_offset_s;
    const std::vector<std::ptrdiff_t> rows = match_dataset_feature_rows(song, shifted, nullptr);
    SongSequence seq;
    seq.song_id = song.song_id;
    seq.audio_offset_s = song.audio_offset_s;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i] < 0) continue;
      seq.time_s.push_back(song.time_s[i]);
      const float* row = shifted.values.data() + static_cast<std::size_t>(rows[i]) * n_features;
      seq.features.insert(seq.features.end(), row, row + n_features);
      seq.targets.push_back(static_cast<float>(song.arousal[i]));
      seq.targets.push_back(static_cast<float>(song.valence[i]));
    }
    if (seq.time_s.empty()) {
      if (skipped) skipped->push_back(song.song_id);
      continue;
    }
    set.songs.push_back(std::move(seq));
  }
  return set;
}

std::vector<float> triangle_smooth(const std::vector<float>& y, int width) {
  if (width <= 1 || y.size() < 2) return y;
  const int h = (width - 1) / 2;
  const int n = static_cast<int>(y.size());
  std::vector<float> out(y.size());
  for (int t = 0; t < n; ++t) {
    double sum = 0, weight = 0;
    for (int k = -h; k <= h; ++k) {
      if (t + k < 0 || t + k >= n) continue;
      const double w = h + 1 - std::abs(k);
      sum += w * y[static_cast<std::size_t>(t + k)];
      weight += w;
    }
    out[static_cast<std::size_t>(t)] = static_cast<float>(sum / weight);
  }
  return out;
}

}  // namespace dynemo
