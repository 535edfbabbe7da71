// Sensory dissonance (Sethares) and roughness (Vassilakis) of short frames, from the spectral
// peaks of each frame. Definitions: ../shared/docs/compare-lld-spec.md §16.1-16.2 (MIRtoolbox
// mirroughness, methods 'Sethares' and 'Vassilakis' with the A_min correction of 1.7/1.8).
#pragma once

#include <cstddef>
#include <vector>

namespace dynemo::features {

// One partial: frequency (Hz) and amplitude (the amplitude of the sine it stands for).
struct SpectralPeak {
  double hz = 0.0;
  double amplitude = 0.0;
};

// Both pair sums over the peaks (any order; reordered in place by frequency):
//   Z_ij = exp(-b1 s |f_i - f_j|) - exp(-b2 s |f_i - f_j|), s = x* / (s1 min(f_i, f_j) + s2)
//   dissonance = sum_{i<j} a_i a_j Z_ij                                     (Sethares)
//   roughness  = sum_{i<j} (A_min A_max)^0.1 0.5 (2 A_min / (A_min + A_max))^3.11 Z_ij
//                                                                          (Vassilakis)
// x* = 0.24, s1 = 0.0207, s2 = 18.96, b1 = 3.51, b2 = 5.75 (Sethares 1993; the values of his
// code and of MIRtoolbox). Units: dissonance in amplitude^2, roughness in amplitude^0.2.
struct PairSums {
  double dissonance = 0.0;
  double roughness = 0.0;
};
PairSums dissonance_pair_sums(std::vector<SpectralPeak>& peaks);

// Frame-level values of a signal: frames of 50 ms (round(0.05 fs) samples) every 25 ms
// (round(0.025 fs) samples), frame t centred at t * hop_samples / fs seconds. Frames that
// would reach past either end of the signal are not analysed (a frame half in the zero padding
// starts with a step, whose broad spectrum would add spurious partials) and are marked invalid.
struct DissonanceFrames {
  double hop_s = 0.0;             // hop_samples / fs: frame t is centred at t * hop_s
  std::vector<char> valid;        // 1 where the frame lies wholly inside the signal
  std::vector<float> dissonance;  // per frame; 0 where invalid
  std::vector<float> roughness;   // per frame; 0 where invalid
};

// x: n mono samples at fs Hz. Per frame: Blackman-windowed magnitude spectrum, scaled so that a
// sine of amplitude A gives a peak of height A; peaks of prominence >= 1 % of the frame's largest
// magnitude (find_prominent_peaks), refined by parabolic interpolation; the strongest
// kMaxDissonancePeaks of them go into dissonance_pair_sums. A silent frame has no peaks: 0 and 0.
inline constexpr std::size_t kMaxDissonancePeaks = 50;
DissonanceFrames dissonance_frames(const float* x, std::size_t n, double fs);

// The same piece by piece: frames [t0, t1) of the whole signal appended to `out` (which holds
// frames [0, t0)); x.total decides which frames are whole.
struct SignalPiece;
void add_dissonance_frames(const SignalPiece& x, double fs, std::size_t t0, std::size_t t1,
                           DissonanceFrames& out);
std::size_t dissonance_hop(double fs);                         // samples
std::size_t dissonance_frame_count(std::size_t n, double fs);  // of a signal of n samples

}  // namespace dynemo::features
