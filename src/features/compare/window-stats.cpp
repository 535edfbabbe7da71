#include "features/compare/window-stats.h"

#include <algorithm>
#include <cmath>

namespace dynemo::features::compare {

RowRange window_rows(std::size_t n_rows, double row_period_s, double start_s, double span_s) {
  constexpr double kEps = 1e-9;
  const double lo = std::ceil(start_s / row_period_s - kEps);
  const double hi = std::ceil((start_s + span_s) / row_period_s - kEps);
  RowRange r;
  r.first = std::min(n_rows, static_cast<std::size_t>(std::max(0.0, lo)));
  r.last = std::min(n_rows, static_cast<std::size_t>(std::max(0.0, hi)));
  r.last = std::max(r.first, r.last);
  return r;
}

FrameMatrix window_mean_stddev(const FrameMatrix& llds, double row_period_s,
                               const std::vector<double>& starts_s, double span_s) {
  const std::size_t v = llds.n_values;
  FrameMatrix out(starts_s.size(), 2 * v);
  std::vector<double> sum(v), sum_sq(v);
  for (std::size_t k = 0; k < starts_s.size(); ++k) {
    const RowRange r = window_rows(llds.n_frames, row_period_s, starts_s[k], span_s);
    if (r.last == r.first) continue;
    const double count = static_cast<double>(r.last - r.first);
    // Two passes (mean, then squared deviations) keep the variance exact for large offsets.
    std::fill(sum.begin(), sum.end(), 0.0);
    for (std::size_t t = r.first; t < r.last; ++t) {
      const float* row = llds.row(t);
      for (std::size_t c = 0; c < v; ++c) sum[c] += row[c];
    }
    for (std::size_t c = 0; c < v; ++c) sum[c] /= count;
    std::fill(sum_sq.begin(), sum_sq.end(), 0.0);
    for (std::size_t t = r.first; t < r.last; ++t) {
      const float* row = llds.row(t);
      for (std::size_t c = 0; c < v; ++c) {
        const double d = row[c] - sum[c];
        sum_sq[c] += d * d;
      }
    }
    float* o = out.row(k);
    for (std::size_t c = 0; c < v; ++c) {
      o[2 * c] = static_cast<float>(sum[c]);
      o[2 * c + 1] = static_cast<float>(std::sqrt(sum_sq[c] / count));
    }
  }
  return out;
}

}  // namespace dynemo::features::compare
