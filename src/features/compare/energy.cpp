#include "features/compare/energy.h"

#include <cmath>

namespace dynemo::features::compare {

std::vector<float> rms_energy(const float* x, std::size_t n_frames, std::size_t frame_len,
                              std::size_t hop) {
  std::vector<float> out(n_frames, 0.0f);
  for (std::size_t t = 0; t < n_frames; ++t) {
    const float* f = x + t * hop;
    double sum = 0.0;
    for (std::size_t i = 0; i < frame_len; ++i) sum += static_cast<double>(f[i]) * f[i];
    out[t] = static_cast<float>(std::sqrt(sum / static_cast<double>(frame_len)));
  }
  return out;
}

std::vector<float> zero_crossing_rate(const float* x, std::size_t n_frames, std::size_t frame_len,
                                      std::size_t hop) {
  std::vector<float> out(n_frames, 0.0f);
  if (frame_len < 3) return out;
  for (std::size_t t = 0; t < n_frames; ++t) {
    const float* f = x + t * hop;
    std::size_t count = 0;
    for (std::size_t i = 1; i + 1 < frame_len; ++i) {
      if (f[i - 1] * f[i] < 0.0f || (f[i] == 0.0f && f[i - 1] * f[i + 1] <= 0.0f)) ++count;
    }
    out[t] = static_cast<float>(static_cast<double>(count) / static_cast<double>(frame_len));
  }
  return out;
}

}  // namespace dynemo::features::compare
