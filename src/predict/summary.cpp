// The summary of a track's prediction: Russell's circumplex quadrant of its mean, named only
// outside the model's neutral zone, and "silent" for a track below kSilentBelow_dbfs.
#include <algorithm>
#include <cmath>
#include <string>

#include "dynemo/predict.h"

namespace dynemo {

std::string quadrant_name(double valence, double arousal) {
  if (arousal >= 0) return valence >= 0 ? "happy/excited" : "angry/tense";
  return valence >= 0 ? "calm/relaxed" : "sad/depressed";
}

std::string mood_label(double valence, double arousal, const NeutralZone& zone) {
  const bool clear_a = std::fabs(arousal) >= zone.arousal;
  const bool clear_v = std::fabs(valence) >= zone.valence;
  if (clear_a && clear_v) return quadrant_name(valence, arousal);
  if (clear_a) return arousal > 0 ? "energetic" : "calm";
  if (clear_v) return valence > 0 ? "positive" : "negative";
  return "neutral";
}

TrackSummary summarise(const TrackPrediction& p) {
  TrackSummary s;
  double a = 0.0, v = 0.0;
  for (float x : p.arousal) a += x;
  for (float x : p.valence) v += x;
  if (!p.arousal.empty()) s.arousal_mean = a / static_cast<double>(p.arousal.size());
  if (!p.valence.empty()) s.valence_mean = v / static_cast<double>(p.valence.size());
  s.rms_dbfs = p.rms_dbfs;
  s.neutral = neutral_zone(p);
  s.label = p.rms_dbfs < kSilentBelow_dbfs  // false for NaN: level unknown
                ? "silent"
                : mood_label(s.valence_mean, s.arousal_mean, s.neutral);
  return s;
}

NeutralZone neutral_zone(const TrackPrediction& p) {
  NeutralZone zone;
  if (p.arousal_sd.empty() || p.valence_sd.empty()) return zone;
  double a = 0.0, v = 0.0;
  for (float s : p.arousal_sd) a += s;
  for (float s : p.valence_sd) v += s;
  zone.arousal = a / static_cast<double>(p.arousal_sd.size());
  zone.valence = v / static_cast<double>(p.valence_sd.size());
  return zone;
}

}  // namespace dynemo
