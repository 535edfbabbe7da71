#include "features/summary.h"

#include <algorithm>
#include <cmath>

namespace dynemo::features {

std::vector<double> window_starts(std::size_t n_samples, const FeatureConfig& config) {
  const double duration_s = static_cast<double>(n_samples) / config.sample_rate_hz;
  constexpr double kEps = 1e-9;
  std::vector<double> starts;
  for (std::size_t k = 0;; ++k) {
    const double start = config.offset_s + static_cast<double>(k) * config.hop_s;
    if (start + config.window_s > duration_s + kEps) break;
    starts.push_back(start);
  }
  return starts;
}

void summarise_mean(const FrameMatrix& frames, const FeatureConfig& config,
                    const std::vector<double>& starts, float* out, std::size_t out_stride,
                    std::size_t column) {
  constexpr double kEps = 1e-9;
  const double frames_per_s = config.sample_rate_hz / config.hop_length;
  std::vector<double> acc(frames.n_values);
  for (std::size_t k = 0; k < starts.size(); ++k) {
    // Frame t is centred at t * hop / sr seconds: take start <= t * hop / sr < end.
    const double lo = std::ceil(starts[k] * frames_per_s - kEps);
    const double hi = std::ceil((starts[k] + config.window_s) * frames_per_s - kEps);
    const std::size_t t0 = static_cast<std::size_t>(std::max(0.0, lo));
    const std::size_t t1 = std::min(frames.n_frames, static_cast<std::size_t>(std::max(0.0, hi)));
    std::fill(acc.begin(), acc.end(), 0.0);
    for (std::size_t t = t0; t < t1; ++t) {
      const float* r = frames.row(t);
      for (std::size_t v = 0; v < frames.n_values; ++v) acc[v] += r[v];
    }
    const double count = t1 > t0 ? static_cast<double>(t1 - t0) : 1.0;
    float* o = out + k * out_stride + column;
    for (std::size_t v = 0; v < frames.n_values; ++v) o[v] = static_cast<float>(acc[v] / count);
  }
}

}  // namespace dynemo::features
