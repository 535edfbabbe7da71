// openSMILE's contour smoothing and delta regression for the ComParE LLDs other than the voicing
// group (spec ../shared/docs/compare-lld-spec.md §8-§9). Each column is processed on its own.
#pragma once

#include "features/frame-matrix.h"

namespace dynemo::features::compare {

// "_sma": y_t = (x_{t-1} + x_t + x_{t+1}) / 3 with the first and last frames replicated past
// the ends. N input frames give N + 1 outputs; output N equals x_{N-1}. An empty input gives an
// empty output.
FrameMatrix smooth_sma(const FrameMatrix& x);

// "_de" (delta window 2): d_t = sum_{i=1,2} i (s_{t+i} - s_{t-i}) / 10, indices clamped to
// [0, N - 1] (edges replicated). Same shape as s.
FrameMatrix delta_regression(const FrameMatrix& s);

}  // namespace dynemo::features::compare
