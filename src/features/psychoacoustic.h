// Coutinho et al.'s (MediaEval 2015, "FS2") psychoacoustic features, per summary window:
// sensory dissonance (Sethares), roughness (Vassilakis), tempo (BPM) and event density
// (onsets per second). Definitions: ../shared/docs/compare-lld-spec.md §16.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "dynemo/features.h"
#include "features/frame-matrix.h"
#include "features/psychoacoustic-dissonance.h"
#include "features/stft.h"

namespace dynemo::features {

// Column names, in output order: {"dissonance", "roughness", "tempo_bpm", "event_density"}.
const std::vector<std::string>& psychoacoustic_columns();

// x: n mono samples at fs Hz. window_starts_s: start of each summary window (seconds from the
// start of x); each window is config.window_s long. Returns [window_starts_s.size(), 4].
// Dissonance and roughness are means over the short frames centred in the window; tempo and
// event density come from a longer centred context (documented in the .cpp) clipped at the
// clip's edges. Silence gives finite values.
FrameMatrix psychoacoustic_windows(const float* x, std::size_t n, double fs,
                                   const FeatureConfig& config,
                                   const std::vector<double>& window_starts_s);

// The same in two steps, for an input too long to hold (file-features.cpp): the frame-level
// values gathered piece by piece (each piece adds the frames centred in [from_s, to_s) seconds
// of the whole input; the last piece passes to_s = infinity and x.total = the input's length),
// then the windows from all of them. The frames of an hour take about 27 MB.
struct PsychoacousticFrames {
  DissonanceFrames dissonance;
  std::vector<float> onset_envelopes;  // 10 per onset frame
  std::size_t n_samples = 0;           // of the whole input, once the last piece is in
};
void add_psychoacoustic_frames(const SignalPiece& x, double fs, double from_s, double to_s,
                               PsychoacousticFrames& frames);
FrameMatrix psychoacoustic_windows(PsychoacousticFrames frames, double fs,
                                   const FeatureConfig& config,
                                   const std::vector<double>& window_starts_s);

}  // namespace dynemo::features
