#include "features/psychoacoustic-tempo.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "features/psychoacoustic-peaks.h"

namespace dynemo::features {
namespace {

// Autocorrelation of y (already zero-mean) for lags 0..max_lag.
std::vector<double> autocorrelation(const std::vector<double>& y, std::size_t max_lag) {
  std::vector<double> r(max_lag + 1, 0.0);
  const std::size_t n = y.size();
  for (std::size_t lag = 0; lag <= max_lag && lag < n; ++lag) {
    double sum = 0.0;
    for (std::size_t t = 0; t + lag < n; ++t) sum += y[t] * y[t + lag];
    r[lag] = sum;
  }
  return r;
}

}  // namespace

TempoEstimate estimate_tempo(const float* y, std::size_t n, double rate_hz) {
  const auto lo = static_cast<std::size_t>(std::ceil(60.0 / kMaxTempoBpm * rate_hz));
  const auto hi = static_cast<std::size_t>(std::floor(60.0 / kMinTempoBpm * rate_hz));
  if (n < lo + 3 || lo < 1) return {};
  const std::size_t last = std::min(hi, n - 2);

  // The curve under a Hann window over the stretch, not mean-removed (as a tempogram frame).
  std::vector<double> centred(n);
  for (std::size_t t = 0; t < n; ++t) {
    centred[t] = y[t] * (0.5 - 0.5 * std::cos(2.0 * M_PI * (static_cast<double>(t) + 0.5) / n));
  }
  std::vector<double> r = autocorrelation(centred, last + 1);
  if (!(r[0] > 1e-12)) return {};
  const double r0 = r[0];
  for (double& v : r) v /= r0;

  const auto weighted = [&](std::size_t lag) {
    const double octaves = std::log2(60.0 * rate_hz / static_cast<double>(lag) / kPriorBpm);
    return std::max(0.0, r[lag]) * std::exp(-0.5 * octaves * octaves);
  };
  std::size_t best = lo;
  for (std::size_t lag = lo; lag <= last; ++lag) {
    if (weighted(lag) > weighted(best)) best = lag;
  }
  if (!(weighted(best) > 0.0)) return {};  // no positive autocorrelation at any tempo
  double offset = 0.0;
  if (best > lo && best < last && r[best] >= r[best - 1] && r[best] >= r[best + 1]) {
    offset = parabolic_peak(r[best - 1], r[best], r[best + 1]).offset;
  }
  return {60.0 * rate_hz / (static_cast<double>(best) + offset), std::clamp(r[best], 0.0, 1.0)};
}

double fold_to_octave_of(double bpm, double reference) {
  if (!(bpm > 0.0) || !(reference > 0.0)) return bpm;
  const double lo = reference / std::sqrt(2.0), hi = reference * std::sqrt(2.0);
  while (bpm < lo) bpm *= 2.0;
  while (bpm >= hi) bpm /= 2.0;
  return bpm;
}

}  // namespace dynemo::features
