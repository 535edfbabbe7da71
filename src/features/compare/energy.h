// The time-domain energy LLDs of ComParE (spec ../shared/docs/compare-lld-spec.md §2.1-§2.2),
// on raw (un-windowed) frames t = samples [t * hop, t * hop + frame_len).
#pragma once

#include <cstddef>
#include <vector>

namespace dynemo::features::compare {

// pcm_RMSenergy: sqrt(mean x^2) over each frame (20 ms in ComParE). No log, no floor.
std::vector<float> rms_energy(const float* x, std::size_t n_frames, std::size_t frame_len,
                              std::size_t hop);

// pcm_zcr: zero crossings per sample over each frame (60 ms in ComParE). For i = 1 .. len - 2 a
// crossing is x[i-1] x[i] < 0, or x[i] == 0 and x[i-1] x[i+1] <= 0; the count is divided by
// frame_len. A rate per sample, not per second.
std::vector<float> zero_crossing_rate(const float* x, std::size_t n_frames, std::size_t frame_len,
                                      std::size_t hop);

}  // namespace dynemo::features::compare
