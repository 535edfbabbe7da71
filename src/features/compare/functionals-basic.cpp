// Extremes, Percentiles, Moments, Means and Times (functionals.h;
// docs/compare-functionals.md).
#include <algorithm>
#include <cmath>
#include <vector>

#include "features/compare/functionals.h"

namespace dynemo::features::compare {
namespace {

// Percentile p of sorted values, linearly interpolated between the two nearest ranks
// (Percentiles.interp = 1), in float as openSMILE computes it.
float percentile(const std::vector<float>& sorted, double p) {
  const std::size_t n = sorted.size();
  const double index = p * static_cast<double>(n - 1);
  const auto lo = std::min(static_cast<std::size_t>(std::floor(index)), n - 1);
  const auto hi = std::min(static_cast<std::size_t>(std::ceil(index)), n - 1);
  if (lo == hi) return sorted[lo];
  const auto w_hi = static_cast<float>(index - static_cast<double>(lo));
  const auto w_lo = static_cast<float>(static_cast<double>(hi) - index);
  return sorted[lo] * w_lo + sorted[hi] * w_hi;
}

}  // namespace

FunctionalInput functional_input(const float* x, std::size_t n) {
  FunctionalInput in;
  in.x = x;
  in.n = n;
  if (n == 0) return in;
  in.min = *std::min_element(x, x + n);
  in.max = *std::max_element(x, x + n);
  in.range = in.max - in.min;
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += x[i];
  in.mean = static_cast<float>(sum / static_cast<double>(n));
  return in;
}

void extremes(const FunctionalInput& in, float* out) {
  const auto n = static_cast<float>(in.n);
  out[0] = in.range;
  out[1] = static_cast<float>(std::find(in.x, in.x + in.n, in.max) - in.x) / n;
  out[2] = static_cast<float>(std::find(in.x, in.x + in.n, in.min) - in.x) / n;
}

void percentiles(const FunctionalInput& in, float* out) {
  std::vector<float> sorted(in.x, in.x + in.n);
  std::sort(sorted.begin(), sorted.end());
  const float q1 = percentile(sorted, 0.25), q2 = percentile(sorted, 0.5),
              q3 = percentile(sorted, 0.75);
  const float p1 = percentile(sorted, 0.01), p99 = percentile(sorted, 0.99);
  const float values[kPercentilesCount] = {
      q1, q2, q3, q2 - q1, q3 - q2, q3 - q1, p1, p99, std::fabs(p99 - p1)};
  std::copy(values, values + kPercentilesCount, out);
}

void moments(const FunctionalInput& in, float* out) {
  const auto n = static_cast<double>(in.n);
  double m2 = 0.0, m3 = 0.0, m4 = 0.0;
  for (std::size_t i = 0; i < in.n; ++i) {
    const double d = static_cast<double>(in.x[i]) - static_cast<double>(in.mean);
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  if (!(m2 > 0.0)) {
    std::fill(out, out + kMomentsCount, 0.0f);
    return;
  }
  const double sd = std::sqrt(m2);
  out[0] = static_cast<float>(sd);
  out[1] = static_cast<float>(m3 / (n * m2 * sd));
  out[2] = static_cast<float>(m4 / (n * m2 * m2));
}

MeanValues means(const FunctionalInput& in) {
  const auto n = static_cast<double>(in.n);
  double abs_sum = 0.0, log_sum = 0.0, square_sum = 0.0, positive_sum = 0.0;
  std::size_t n_nonzero = 0, n_positive = 0;
  for (std::size_t i = 0; i < in.n; ++i) {
    const double v = in.x[i];
    abs_sum += std::fabs(v);
    square_sum += v * v;
    if (v != 0.0) {
      log_sum += std::log(std::fabs(v));
      ++n_nonzero;
    }
    if (v > 0.0) {
      positive_sum += v;
      ++n_positive;
    }
  }
  const double abs_mean = abs_sum / n;
  const double geometric = n_nonzero ? std::exp(log_sum / static_cast<double>(n_nonzero)) : 0.0;
  MeanValues m;
  m.amean = in.mean;
  m.flatness = static_cast<float>(abs_mean != 0.0 ? geometric / abs_mean : 1.0);
  m.posamean =
      static_cast<float>(n_positive ? positive_sum / static_cast<double>(n_positive) : 0.0);
  m.rqmean = static_cast<float>(std::sqrt(square_sum / n));
  return m;
}

void times(const FunctionalInput& in, float* out) {
  const float fractions[4] = {0.25f, 0.5f, 0.75f, 0.9f};
  const auto n = static_cast<float>(in.n);
  for (int k = 0; k < 4; ++k) {
    const float level = fractions[k] * in.range + in.min;
    const auto above = std::count_if(in.x, in.x + in.n, [level](float v) { return v > level; });
    out[k] = static_cast<float>(above) / n;
  }
  std::size_t rising = 0, left_curved = 0;
  for (std::size_t i = 1; i < in.n; ++i) rising += in.x[i] > in.x[i - 1] ? 1 : 0;
  for (std::size_t i = 1; i + 1 < in.n; ++i) {
    const float before = in.x[i] - in.x[i - 1], after = in.x[i + 1] - in.x[i];
    left_curved += after - before > 0.0f ? 1 : 0;
  }
  out[4] = in.n > 1 ? static_cast<float>(rising) / static_cast<float>(in.n - 1) : 0.0f;
  out[5] = in.n > 2 ? static_cast<float>(left_curved) / static_cast<float>(in.n - 2) : 0.0f;
}

}  // namespace dynemo::features::compare
