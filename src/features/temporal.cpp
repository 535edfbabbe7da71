#include "features/temporal.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "features/stft.h"

namespace dynemo::features {

FrameMatrix frame_rms(const float* y, std::size_t n, int frame_length, int hop_length) {
  // Sums of squares over blocks of g samples of the zero-padded signal, g dividing both the hop
  // and the padding (frame_length / 2): every frame is then a whole number of blocks. The
  // padding is implicit: block b covers y[b g - half, (b + 1) g - half), clipped to y.
  const std::size_t half = static_cast<std::size_t>(frame_length / 2);
  const std::size_t g = static_cast<std::size_t>(std::gcd(hop_length, frame_length / 2));
  const std::size_t n_blocks = (n + 2 * half + g - 1) / g;
  std::vector<double> block(n_blocks, 0.0);
  for (std::size_t b = half / g; b < n_blocks; ++b) {
    const std::size_t lo = b * g - half;
    if (lo >= n) break;
    const std::size_t len = std::min(g, n - lo);
    const float* p = y + lo;
    double acc[4] = {};
    std::size_t i = 0;
    for (; i + 4 <= len; i += 4) {
      for (std::size_t q = 0; q < 4; ++q) acc[q] += static_cast<double>(p[i + q]) * p[i + q];
    }
    for (; i < len; ++i) acc[0] += static_cast<double>(p[i]) * p[i];
    block[b] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  }
  const std::size_t n_frames = count_frames(n, hop_length);
  const std::size_t per_frame = static_cast<std::size_t>(frame_length) / g;
  FrameMatrix out(n_frames, 1);
  for (std::size_t t = 0; t < n_frames; ++t) {
    const std::size_t b0 = t * static_cast<std::size_t>(hop_length) / g;
    double energy = 0.0;
    for (std::size_t b = b0; b < b0 + per_frame; ++b) energy += block[b];
    out.data[t] = static_cast<float>(std::sqrt(energy / frame_length));
  }
  return out;
}

FrameMatrix frame_zero_crossing_rate(const float* y, std::size_t n, int frame_length,
                                     int hop_length) {
  // Edge padding repeats the end samples, so crossings only happen inside y: crossing[j] = 1
  // when y[j - 1] and y[j] differ in sign (|x| <= 1e-10 counts as +0). prefix[j] = crossings
  // at indices < j.
  std::vector<std::uint8_t> negative(n);
  for (std::size_t j = 0; j < n; ++j) negative[j] = (y[j] < -1e-10f) ? 1 : 0;
  std::vector<std::int32_t> prefix(n + 1, 0);
  for (std::size_t j = 1; j < n; ++j) prefix[j + 1] = prefix[j] + (negative[j] != negative[j - 1]);
  const long half = frame_length / 2;
  const std::size_t n_frames = count_frames(n, hop_length);
  FrameMatrix out(n_frames, 1);
  for (std::size_t t = 0; t < n_frames; ++t) {
    // Pairs (i - 1, i) of the padded frame starting at t * hop: i in [start + 1, start + L),
    // that is y indices j = i - half in [t * hop + 1 - half, t * hop + half), clipped to [1, n).
    const long centre = static_cast<long>(t) * hop_length;
    const long lo = std::clamp(centre + 1 - half, 1L, static_cast<long>(n));
    const long hi = std::clamp(centre + half, 1L, static_cast<long>(n));
    const int count = hi > lo ? prefix[hi] - prefix[lo] : 0;
    out.data[t] = static_cast<float>(count) / static_cast<float>(frame_length);
  }
  return out;
}

}  // namespace dynemo::features
