// Viterbi smoothing of the pitch candidates (spec compare-lld-spec.md §7.3, openSMILE
// cPitchSmootherViterbi): 6 candidate states and one unvoiced state, local costs from voicing
// and a pitch-range penalty, transition costs from log-frequency jumps, decided online with a
// 30-frame buffer. openSMILE's quirks are reproduced: wTvvd equals wTvv, the unvoiced-unvoiced
// cost is 1, and the "last log ratio" lambda is one variable updated in evaluation order.
#pragma once

#include <cstddef>
#include <vector>

#include "features/compare/voicing-shs.h"

namespace dynemo::features::compare {

// The decided pitch per frame: f0_hz (0 when unvoiced) and voicing (the chosen candidate's, or
// slot 0's when unvoiced), both before the energy gate.
struct SmoothedPitch {
  std::vector<float> f0_hz;
  std::vector<float> voicing;
};

// candidates: one entry per frame, in time order.
SmoothedPitch smooth_pitch_viterbi(const std::vector<PitchCandidates>& candidates);

}  // namespace dynemo::features::compare
