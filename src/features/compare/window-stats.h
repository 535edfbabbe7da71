// Window statistics of an LLD table, as openSMILE's cFunctionals computes the MediaEval 2015
// baseline set (spec ../shared/docs/compare-lld-spec.md §12): arithmetic mean and standard
// deviation (divisor N) of each column over the rows of a window.
#pragma once

#include <cstddef>
#include <vector>

#include "features/frame-matrix.h"

namespace dynemo::features::compare {

// Rows of `llds` (row t at t * row_period_s seconds) in [start, start + span_s), clipped to the
// rows present: [first, last) row indices.
struct RowRange {
  std::size_t first = 0, last = 0;
};
RowRange window_rows(std::size_t n_rows, double row_period_s, double start_s, double span_s);

// [starts.size(), 2 * llds.n_values]: for each column c, mean then population standard deviation
// over window_rows(...) of each start. A window without rows gives zeros.
FrameMatrix window_mean_stddev(const FrameMatrix& llds, double row_period_s,
                               const std::vector<double>& starts_s, double span_s);

}  // namespace dynemo::features::compare
