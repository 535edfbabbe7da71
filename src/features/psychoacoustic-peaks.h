// Peak picking shared by the psychoacoustic features: local maxima that stand out from their
// surroundings by a minimum prominence (our reading of MIRtoolbox's mirpeaks 'Contrast'), and
// the quadratic (parabolic) refinement of a peak's position and height.
#pragma once

#include <cstddef>
#include <vector>

namespace dynemo::features {

// Indices i of the peaks of y[0, n), in increasing order. A peak is a local maximum
// (y[i - 1] < y[i] >= y[i + 1]; the first sample of a flat top; never i = 0 or n - 1) with
// y[i] > 0 whose prominence is at least min_prominence: on each side, walking away from i until
// a value higher than y[i] or the end of y, the lowest value passed is <= y[i] - min_prominence.
// (Prominence is the height above the higher of those two minima, as in topography; a small
// ripple on the flank of a larger peak therefore never counts, while the larger peak does.)
// Cost: each walk stops as soon as its side is decided, so it is about linear in n for the
// spectra and onset curves used here. Writes into `out` (cleared first) to reuse its storage.
void find_prominent_peaks(const float* y, std::size_t n, float min_prominence,
                          std::vector<std::size_t>& out);

// The vertex of the parabola through (-1, a), (0, b), (1, c): offset in [-0.5, 0.5] from the
// middle sample and the height there. For a flat or degenerate triple: offset 0, height b.
struct ParabolicPeak {
  double offset = 0.0;
  double height = 0.0;
};
ParabolicPeak parabolic_peak(double a, double b, double c);

}  // namespace dynemo::features
