// Smoothing and deltas of the voicing group (spec compare-lld-spec.md §8-§9): openSMILE's
// cContourSmoother with noZeroSma=1 and cDeltaRegression with onlyInSegments=1,
// zeroSegBound=1, including its running normaliser that is never reset.
#pragma once

#include <cstddef>

#include "features/frame-matrix.h"

namespace dynemo::features::compare {

// llds: [N, 6] per-frame values (F0final, voicingFinalUnclipped, jitterLocal, jitterDDP,
// shimmerLocal, logHNR). Returns [n_rows, 12]: the six "_sma" columns, then the six "_de".
// _sma: 0 where x_t = 0, else the mean of the non-zero values among x_{t-1}, x_t, x_{t+1}
// (ends replicated); N frames give N + 1 smoothed rows, row N = x_{N-1}.
// _de: sum over i = 1, 2 of i (s_{t+i} - s_{t-i}) over the pairs with both members non-zero
// (indices clamped to the rows), divided by one running normaliser Z that starts at 10 and
// grows by i^2 per used pair, in the order frame, field, i.
// Rows beyond N + 1 repeat the last smoothed row (the deltas of all rows are computed on the
// n_rows smoothed rows); with N = 0 every row is unvoiced: 0, logHNR -100, deltas 0.
// Z continued across overlapping pieces of one input (file-features.cpp): at row from_row of
// this piece Z is set to `z`, and the value Z has before row next_row (the next piece's
// from_row) is left in `z`.
struct DeltaNormaliser {
  std::size_t from_row = 0;
  std::size_t next_row = 0;
  double z = 10.0;
};
FrameMatrix voicing_smooth_and_delta(const FrameMatrix& llds, std::size_t n_rows,
                                     DeltaNormaliser* normaliser = nullptr);

}  // namespace dynemo::features::compare
