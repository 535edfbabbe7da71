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
  int hop = 441;            // samples between F0 frames
  int frame_length = 2646;  // samples of one F0 frame (60 ms)
  // IS13's useBrokenJitterThresh=1: accept a period when its correlation exceeds the running
  // per-frame minimum (float32) instead of 0.5.
  bool broken_threshold = false;
};

// The state carried from frame to frame, for a live stream that computes overlapping pieces of
// one signal: restored at a frame of a later piece, the frames from there on are the whole
// signal's. read_at is a global sample index (piece start + local index).
struct PeriodState {
  std::size_t read_at = 0;
  long missing = 0;
  float last_t0 = 0, last_diff = 0, last_jl = 0, last_jd = 0, last_sh = 0;
};
struct PeriodCarry {
  std::size_t first_row = 0;           // global index of f0_hz[0]; its frame starts at sample 0
  std::size_t start_row = 0;           // global frame where `start` is restored
  const PeriodState* start = nullptr;  // (its read_at must not lie before this piece)
  std::size_t capture_row = 0;         // global frame whose state before it is wanted
  PeriodState captured;
  bool has_captured = false;
};

// x: n raw samples; f0_hz: the gated F0 of each frame (0 = unvoiced).
// Returns [f0_hz.size(), 4]: jitterLocal, jitterDDP, shimmerLocal (each clipped to <= 1, 0 when
// unvoiced, held from the previous frame when no period is found) and logHNR in dB (floor
// -100, -100 when unvoiced). Reads past the end of x repeat its last sample (0 if n = 0).
FrameMatrix period_measures(const float* x, std::size_t n, const std::vector<float>& f0_hz,
                            const PeriodConfig& config, PeriodCarry* carry = nullptr);

}  // namespace dynemo::features::compare
