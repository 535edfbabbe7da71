#include "features/psychoacoustic-tempo.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "features/psychoacoustic-peaks.h"

namespace dynemo::features {
namespace {

constexpr int kLastStretch = 10;     // enhancement factors 2..10 (mirautocor 'Enhanced')
constexpr double kResonanceS = 0.5;  // centre of the resonance curve
constexpr double kMinPeak = 0.1;     // weighted, enhanced ACF relative to r(0)
constexpr double kTrendS = 1.0;      // length of the moving average removed from the curve

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

// r at the fractional lag `at` (linear interpolation; 0 past the end).
double interpolate(const std::vector<double>& r, double at) {
  const std::size_t i = static_cast<std::size_t>(at);
  if (i + 1 >= r.size()) return i < r.size() ? r[i] : 0.0;
  const double frac = at - static_cast<double>(i);
  return r[i] + frac * (r[i + 1] - r[i]);
}

// y minus its centred moving average over `length` samples (shorter at the ends), half-wave
// rectified: what stands above the local level of the curve.
std::vector<double> detrended(const float* y, std::size_t n, double length) {
  const std::size_t half = static_cast<std::size_t>(std::max(1.0, 0.5 * length));
  std::vector<double> prefix(n + 1, 0.0);
  for (std::size_t t = 0; t < n; ++t) prefix[t + 1] = prefix[t] + y[t];
  std::vector<double> out(n);
  for (std::size_t t = 0; t < n; ++t) {
    const std::size_t lo = t > half ? t - half : 0, hi = std::min(n, t + half + 1);
    out[t] = std::max(0.0, y[t] - (prefix[hi] - prefix[lo]) / static_cast<double>(hi - lo));
  }
  return out;
}

}  // namespace

double tempo_bpm(const float* y, std::size_t n, double rate_hz) {
  // Lag range in curve samples; one more lag on each side for the interpolation.
  const std::size_t lo = static_cast<std::size_t>(std::ceil(60.0 / kMaxTempoBpm * rate_hz));
  const std::size_t hi = static_cast<std::size_t>(std::floor(60.0 / kMinTempoBpm * rate_hz));
  if (n < lo + 3 || lo < 1) return 0.0;
  const std::size_t last = std::min(hi, n - 2);  // the ACF needs lag last + 1 < n

  std::vector<double> centred = detrended(y, n, kTrendS * rate_hz);
  double mean = 0.0;
  for (const double v : centred) mean += v;
  mean /= static_cast<double>(n);
  for (double& v : centred) v -= mean;

  std::vector<double> base = autocorrelation(centred, last + 1);
  if (!(base[0] > 0.0)) return 0.0;  // no variation at all
  const double r0 = base[0];
  for (double& v : base) v = std::max(0.0, v / r0);
  // The zero-lag lobe (lag 0 up to the first local minimum) is the curve's own smoothness, not
  // a periodicity; stretched by up to 10 it would cover the whole tempo range of a smooth curve
  // and subtract every peak there. It is set to 0 before the enhancement (our choice).
  for (std::size_t lag = 0; lag + 1 < base.size() && base[lag + 1] < base[lag];) base[lag++] = 0.0;

  std::vector<double> score = base;
  for (int k = 2; k <= kLastStretch; ++k) {
    for (std::size_t lag = 0; lag < score.size(); ++lag) {
      const double stretched = interpolate(base, static_cast<double>(lag) / k);
      score[lag] = std::max(0.0, score[lag] - stretched);
    }
  }
  for (std::size_t lag = 1; lag < score.size(); ++lag) {
    const double octaves = std::log2(static_cast<double>(lag) / (kResonanceS * rate_hz));
    score[lag] *= std::max(0.0, 1.0 - 0.25 * octaves * octaves);
  }

  std::size_t best = 0;
  for (std::size_t lag = lo + 1; lag < last; ++lag) {
    const bool local_max = score[lag] > score[lag - 1] && score[lag] >= score[lag + 1];
    if (local_max && score[lag] >= kMinPeak && (best == 0 || score[lag] > score[best])) {
      best = lag;
    }
  }
  if (best == 0) return 0.0;
  const double offset = parabolic_peak(score[best - 1], score[best], score[best + 1]).offset;
  return 60.0 * rate_hz / (static_cast<double>(best) + offset);
}

}  // namespace dynemo::features
