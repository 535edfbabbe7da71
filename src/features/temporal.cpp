#include "features/temporal.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "features/stft.h"

namespace dynemo::features {

FrameMatrix frame_rms(const float* y, std::size_t n, int frame_length, int hop_length) {
  const std::vector<float> padded = pad_centered(y, n, frame_length);
  // Prefix sums of squares in double: each frame is one subtraction.
  std::vector<double> prefix(padded.size() + 1, 0.0);
  for (std::size_t i = 0; i < padded.size(); ++i) {
    prefix[i + 1] = prefix[i] + static_cast<double>(padded[i]) * padded[i];
  }
  const std::size_t n_frames = count_frames(n, hop_length);
  FrameMatrix out(n_frames, 1);
  for (std::size_t t = 0; t < n_frames; ++t) {
    const std::size_t start = t * static_cast<std::size_t>(hop_length);
    const double energy = prefix[start + frame_length] - prefix[start];
    out.data[t] = static_cast<float>(std::sqrt(std::max(0.0, energy) / frame_length));
  }
  return out;
}

FrameMatrix frame_zero_crossing_rate(const float* y, std::size_t n, int frame_length,
                                     int hop_length) {
  const std::size_t pad = static_cast<std::size_t>(frame_length / 2);
  const std::size_t n_padded = n + 2 * pad;
  auto sample = [&](std::size_t i) {  // edge padding
    const std::size_t j = i < pad ? 0 : (i - pad >= n ? n - 1 : i - pad);
    const float v = y[j];
    return std::fabs(v) <= 1e-10f ? 0.0f : v;
  };
  // crossings[i] = 1 when padded samples i - 1 and i differ in sign bit; prefix sums of it.
  std::vector<int> prefix(n_padded + 1, 0);
  bool previous = std::signbit(sample(0));
  for (std::size_t i = 1; i < n_padded; ++i) {
    const bool current = std::signbit(sample(i));
    prefix[i + 1] = prefix[i] + (current != previous ? 1 : 0);
    previous = current;
  }
  const std::size_t n_frames = count_frames(n, hop_length);
  FrameMatrix out(n_frames, 1);
  for (std::size_t t = 0; t < n_frames; ++t) {
    const std::size_t start = t * static_cast<std::size_t>(hop_length);
    // Pairs (i - 1, i) for i in start + 1 .. start + frame_length - 1.
    const int count = prefix[start + frame_length] - prefix[start + 1];
    out.data[t] = static_cast<float>(count) / static_cast<float>(frame_length);
  }
  return out;
}

}  // namespace dynemo::features
