// Coutinho et al.'s (MediaEval 2015) psychoacoustic features per summary window, after the
// MIRtoolbox definitions of ../shared/docs/compare-lld-spec.md §16:
// - dissonance, roughness: means over the 50 ms frames (hop 25 ms) whose centre lies in the
//   window [start, start + window_s) (psychoacoustic-dissonance.h); 0 for a window without a
//   whole frame;
// - tempo_bpm, event_density: from the onset curve (psychoacoustic-onsets.h) over a context of
//   kContextS = 6 s centred on the window's centre, clipped to the audio [0, n / fs] at the
//   clip's edges (so the first and last windows see 3 s plus half a window). 6 s holds 12
//   beats at 120 BPM and 4 at 40 BPM, the slowest tempo considered, so the longest lag (1.5 s)
//   still overlaps 4.5 s of the curve; MIRtoolbox's own framed defaults (3 s for mirtempo, 10 s
//   for mireventdensity) are not used, so that both share one context.
//   tempo_bpm = estimate_tempo() of the curve samples centred in the context, moved by octaves
//   into the octave band of the whole clip's tempo (fold_to_octave_of); tempo_confidence = its
//   confidence (0 BPM and 0 only without a positive autocorrelation at any tempo);
//   event_density = onsets (onset_times_s()) in [context start, context end) / its duration (s).
// The onset curve and its onsets are computed once on the whole input ("global mode" of
// docs/conventions.md), so the onset threshold is relative to the whole clip.
#include "features/psychoacoustic.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "dynemo/error.h"
#include "features/psychoacoustic-dissonance.h"
#include "features/psychoacoustic-onsets.h"
#include "features/psychoacoustic-tempo.h"

namespace dynemo::features {
namespace {

constexpr double kContextS = 6.0;
constexpr double kEps = 1e-9;

enum Column : std::size_t {
  kDissonance = 0,
  kRoughness,
  kTempo,
  kEventDensity,
  kTempoConfidence,
  kColumns
};

// Indices [first, last) of the frames centred in [begin_s, end_s), frame t at t / rate_hz.
struct FrameRange {
  std::size_t first = 0;
  std::size_t last = 0;
};
FrameRange frames_in(double begin_s, double end_s, double rate_hz, std::size_t n_frames) {
  const double lo = std::max(0.0, std::ceil(begin_s * rate_hz - kEps));
  const double hi = std::max(0.0, std::ceil(end_s * rate_hz - kEps));
  FrameRange r;
  r.first = std::min(n_frames, static_cast<std::size_t>(lo));
  r.last = std::min(n_frames, static_cast<std::size_t>(hi));
  if (r.last < r.first) r.last = r.first;
  return r;
}

void check_inputs(const float* x, std::size_t n, double fs, const FeatureConfig& config) {
  if (!(fs > 0.0) || !std::isfinite(fs)) {
    throw ConfigError("psychoacoustic: sample rate " + std::to_string(fs) +
                      " Hz, expected a positive finite rate");
  }
  if (!(config.window_s > 0.0) || !std::isfinite(config.window_s)) {
    throw ConfigError("psychoacoustic: window_s " + std::to_string(config.window_s) +
                      ", expected a positive finite length");
  }
  if (n > 0 && x == nullptr) {
    throw ConfigError("psychoacoustic: null samples for " + std::to_string(n) + " samples");
  }
}

}  // namespace

const std::vector<std::string>& psychoacoustic_columns() {
  static const std::vector<std::string> columns = {"dissonance", "roughness", "tempo_bpm",
                                                   "event_density", "tempo_confidence"};
  return columns;
}

FrameMatrix psychoacoustic_windows(const float* x, std::size_t n, double fs,
                                   const FeatureConfig& config,
                                   const std::vector<double>& window_starts_s) {
  check_inputs(x, n, fs, config);
  PsychoacousticFrames frames;
  if (!window_starts_s.empty() && n > 0) {
    add_psychoacoustic_frames(SignalPiece{x, 0, n, n}, fs, 0.0,
                              std::numeric_limits<double>::infinity(), frames);
  }
  return psychoacoustic_windows(std::move(frames), fs, config, window_starts_s);
}

void add_psychoacoustic_frames(const SignalPiece& x, double fs, double from_s, double to_s,
                               PsychoacousticFrames& frames) {
  // Frames centred in [from_s, to_s): t from ceil(from_s * fs / hop); to the end for the last.
  const auto first_at = [fs](double s, std::size_t hop, std::size_t count) {
    if (!std::isfinite(s)) return count;
    return std::min(count, static_cast<std::size_t>(std::max(0.0, std::ceil(s * fs / hop - kEps))));
  };
  const std::size_t hop_d = dissonance_hop(fs), count_d = dissonance_frame_count(x.total, fs);
  add_dissonance_frames(x, fs, first_at(from_s, hop_d, count_d), first_at(to_s, hop_d, count_d),
                        frames.dissonance);
  const std::size_t hop_o = onset_hop(fs), count_o = onset_frame_count(x.total, fs);
  add_onset_envelopes(x, fs, first_at(from_s, hop_o, count_o), first_at(to_s, hop_o, count_o),
                      frames.onset_envelopes);
  if (!std::isfinite(to_s)) frames.n_samples = x.total;
}

FrameMatrix psychoacoustic_windows(PsychoacousticFrames all, double fs, const FeatureConfig& config,
                                   const std::vector<double>& window_starts_s) {
  const std::size_t n = all.n_samples;
  FrameMatrix out(window_starts_s.size(), kColumns);
  if (window_starts_s.empty() || n == 0) return out;
  const double duration_s = static_cast<double>(n) / fs;

  const DissonanceFrames& frames = all.dissonance;
  const OnsetCurve curve = onset_curve_from_envelopes(std::move(all.onset_envelopes), fs);
  const std::vector<double> onsets = onset_times_s(curve);
  // The clip's tempo: every window's tempo is moved by octaves into its octave band.
  const double clip_bpm =
      estimate_tempo(curve.values.data(), curve.values.size(), curve.rate_hz).bpm;

  for (std::size_t k = 0; k < window_starts_s.size(); ++k) {
    const double start = window_starts_s[k];
    float* row = out.row(k);

    const FrameRange fr =
        frames_in(start, start + config.window_s, 1.0 / frames.hop_s, frames.valid.size());
    double dissonance = 0.0, roughness = 0.0;
    std::size_t count = 0;
    for (std::size_t t = fr.first; t < fr.last; ++t) {
      if (!frames.valid[t]) continue;
      dissonance += frames.dissonance[t];
      roughness += frames.roughness[t];
      ++count;
    }
    if (count > 0) {
      row[kDissonance] = static_cast<float>(dissonance / static_cast<double>(count));
      row[kRoughness] = static_cast<float>(roughness / static_cast<double>(count));
    }

    const double centre = start + 0.5 * config.window_s;
    const double begin = std::max(0.0, centre - 0.5 * kContextS);
    const double end = std::min(duration_s, centre + 0.5 * kContextS);
    if (!(end > begin)) continue;
    const FrameRange cr = frames_in(begin, end, curve.rate_hz, curve.values.size());
    const TempoEstimate tempo =
        estimate_tempo(curve.values.data() + cr.first, cr.last - cr.first, curve.rate_hz);
    row[kTempo] = static_cast<float>(fold_to_octave_of(tempo.bpm, clip_bpm));
    row[kTempoConfidence] = static_cast<float>(tempo.confidence);
    const auto first = std::lower_bound(onsets.begin(), onsets.end(), begin - kEps);
    const auto last = std::lower_bound(onsets.begin(), onsets.end(), end - kEps);
    row[kEventDensity] = static_cast<float>(static_cast<double>(last - first) / (end - begin));
  }
  return out;
}

}  // namespace dynemo::features
