#include "features/compare/energy.h"

#include <cmath>
#include <cstdint>

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
  if (frame_len < 3 || n_frames == 0) return out;
  // Whether sample j crosses depends on x[j-1], x[j], x[j+1] only, not on the frame: judge each
  // sample once and count a frame's crossings as a difference of running counts
  // (before[j] = crossings at samples 1 .. j - 1), instead of once per overlapping frame.
  const std::size_t end = (n_frames - 1) * hop + frame_len;  // samples the frames read
  std::vector<std::uint32_t> before(end, 0);
  for (std::size_t j = 1; j + 1 < end; ++j) {
    const bool crossing = x[j - 1] * x[j] < 0.0f || (x[j] == 0.0f && x[j - 1] * x[j + 1] <= 0.0f);
    before[j + 1] = before[j] + (crossing ? 1u : 0u);
  }
  for (std::size_t t = 0; t < n_frames; ++t) {
    const std::size_t first = t * hop;  // samples first + 1 .. first + frame_len - 2
    const std::uint32_t count = before[first + frame_len - 1] - before[first + 1];
    out[t] = static_cast<float>(static_cast<double>(count) / static_cast<double>(frame_len));
  }
  return out;
}

}  // namespace dynemo::features::compare
