#include "features/psychoacoustic-peaks.h"

#include <algorithm>
#include <cmath>

namespace dynemo::features {
namespace {

// Walks from i in steps of `step` (+1 or -1). True when a value <= floor is reached before a
// value above y[i] or the end of y.
bool side_drops_to(const float* y, std::size_t n, std::size_t i, int step, float floor) {
  const float top = y[i];
  std::size_t j = i;
  while (true) {
    if (step < 0) {
      if (j == 0) return false;
      --j;
    } else {
      if (j + 1 >= n) return false;
      ++j;
    }
    if (y[j] > top) return false;
    if (y[j] <= floor) return true;
  }
}

}  // namespace

void find_prominent_peaks(const float* y, std::size_t n, float min_prominence,
                          std::vector<std::size_t>& out) {
  out.clear();
  if (n < 3) return;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    if (!(y[i] > y[i - 1]) || y[i] < y[i + 1] || !(y[i] > 0.0f)) continue;
    // A peak lower than the prominence cannot have it (the curves here are >= 0, but the test
    // is written for any sign).
    const float floor = y[i] - min_prominence;
    if (side_drops_to(y, n, i, -1, floor) && side_drops_to(y, n, i, +1, floor)) out.push_back(i);
  }
}

ParabolicPeak parabolic_peak(double a, double b, double c) {
  ParabolicPeak p;
  p.height = b;
  const double curvature = a - 2.0 * b + c;
  if (!(curvature < 0.0)) return p;  // not a strict maximum: keep the sample
  p.offset = std::clamp(0.5 * (a - c) / curvature, -0.5, 0.5);
  p.height = b - 0.25 * (a - c) * p.offset;
  return p;
}

}  // namespace dynemo::features
