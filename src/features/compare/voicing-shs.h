// Pitch candidates by sub-harmonic summation on the octave-scale spectrum (spec
// compare-lld-spec.md §7.2, openSMILE cPitchShs with greedyPeakAlgo=1, 15 harmonics,
// compression 0.85, 6 candidates, range 52-620 Hz). kFftLanes frames are processed together,
// one per SIMD lane, each rounded exactly as a lone frame would be.
#pragma once

#include <vector>

#include "features/compare/voicing-octave-spectrum.h"
#include "features/simd.h"

namespace dynemo::features::compare {

inline constexpr int kPitchCandidates = 6;

// One frame's candidates: frequency in Hz and voicing in [0, 1); unused slots are 0. Slot 0
// holds the candidate with the highest score.
struct PitchCandidates {
  float f_hz[kPitchCandidates] = {};
  float voicing[kPitchCandidates] = {};
};

class SubharmonicSummation {
 public:
  // axis: the octave-scale spectrum whose output compute() is given.
  explicit SubharmonicSummation(const OctaveSpectrum& axis);

  // octave: axis.size() lane vectors of weighted octave-scale values (octave[i][j] = value i of
  // frame j). out: the candidates of lanes 0 .. lanes-1 (lanes <= kFftLanes). Uses internal
  // scratch: one object per thread.
  void compute(const LaneVec* octave, int lanes, PitchCandidates* out) const;

 private:
  int n_;
  double log2_min_, log2_step_;
  std::vector<int> shifts_;     // floor(ppo log2 m), m = 2..15
  std::vector<float> weights_;  // 0.85^(m - 1), float32
  mutable LaneBuffer ss_;
};

}  // namespace dynemo::features::compare
