// Period-synchronous jitter, shimmer and harmonics-to-noise ratio (spec compare-lld-spec.md
// §7.5, openSMILE cPitchJitter with searchRangeRel=0.25, minNumPeriods=2, minCC=0.5,
// lgHNRfloor=-100). Periods are found by normalised cross-correlation of consecutive
// candidate periods on the raw samples, one F0 frame at a time, with state carried between
// frames (read position, left-over samples, last period and last period difference).
#pragma once

#include <cstddef>
#include <vector>

#include "features/frame-matrix.h"

namespace dynemo::features::compare {

struct PeriodConfig {
  double fs_hz = 44100;
  int hop = 441;             // samples between F0 frames
  int frame_length = 2646;   // samples of one F0 frame (60 ms)
  // IS13's useBrokenJitterThresh=1: accept a period when its correlation exceeds the running
  // per-frame minimum (float32) instead of 0.5.
  bool broken_threshold = false;
};

// x: n raw samples; f0_hz: the gated F0 of each frame (0 = unvoiced).
// Returns [f0_hz.size(), 4]: jitterLocal, jitterDDP, shimmerLocal (each clipped to <= 1, 0 when
// unvoiced, held from the previous frame when no period is found) and logHNR in dB (floor
// -100, -100 when unvoiced). Reads past the end of x repeat its last sample (0 if n = 0).
FrameMatrix period_measures(const float* x, std::size_t n, const std::vector<float>& f0_hz,
                            const PeriodConfig& config);

}  // namespace dynemo::features::compare
