// The summary of a track's prediction: Russell's circumplex quadrant of its mean over the windows
// heard, named only outside the model's neutral zone, and "silent" for a track below
// kSilentBelow_dbfs.
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
  s.rms_dbfs = p.rms_dbfs;
  const std::size_t n = p.n_windows();
  s.windows = n;
  const bool levels = p.window_dbfs.size() == n;
  const auto heard = [&](std::size_t i) {
    return !levels || p.window_dbfs[i] >= kSilentBelow_dbfs;
  };
  for (std::size_t i = 0; i < n; ++i) s.windows_heard += heard(i);
  // The windows heard; with none, every window (the model's answers, under the label "silent").
  const bool all = s.windows_heard == 0;
  double a = 0.0, v = 0.0, sd_a = 0.0, sd_v = 0.0;
  const bool sds = p.arousal_sd.size() == n && p.valence_sd.size() == n;
  for (std::size_t i = 0; i < n; ++i) {
    if (!all && !heard(i)) continue;
    a += p.arousal[i];
    v += p.valence[i];
    if (sds) {
      sd_a += p.arousal_sd[i];
      sd_v += p.valence_sd[i];
    }
  }
  if (n > 0) {
    const auto count = static_cast<double>(all ? n : s.windows_heard);
    s.arousal_mean = a / count;
    s.valence_mean = v / count;
    if (sds) s.neutral = {sd_a / count, sd_v / count};
  }
  const bool silent = (n > 0 && s.windows_heard == 0) ||
                      p.rms_dbfs < kSilentBelow_dbfs;  // false for NaN: level unknown
  s.label = silent ? "silent" : mood_label(s.valence_mean, s.arousal_mean, s.neutral);
  return s;
}

std::string windows_text(const TrackSummary& s) {
  const std::size_t left_out = s.windows_left_out();
  return std::to_string(s.windows) + " windows" +
         (left_out > 0 ? " (" + std::to_string(left_out) + " silent)" : "");
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
