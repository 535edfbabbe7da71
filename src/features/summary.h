// The window grid (500 ms by default) and the per-window mean of frame-level values.
#pragma once

#include <cstddef>
#include <vector>

#include "dynemo/features.h"
#include "features/frame-matrix.h"

namespace dynemo::features {

// Start times (s) of the whole windows that fit in n_samples.
std::vector<double> window_starts(std::size_t n_samples, const FeatureConfig& config);

// Means over the frames (centred at t * hop_length) that fall in each window
// [start, start + window_s): writes n_values columns of each row of `out` (row stride
// out_stride) starting at column `column`.
void summarise_mean(const FrameMatrix& frames, const FeatureConfig& config,
                    const std::vector<double>& starts, float* out, std::size_t out_stride,
                    std::size_t column);

}  // namespace dynemo::features
