#include "features/compare/framing.h"

#include <algorithm>
#include <cmath>

#include "features/fft-batch.h"
#include "features/simd.h"

namespace dynemo::features::compare {

FrameGeometry frame_geometry(double fs) {
  FrameGeometry g;
  g.hop = static_cast<std::size_t>(std::lround(0.010 * fs));
  g.short_len = static_cast<std::size_t>(std::lround(0.020 * fs));
  g.long_len = static_cast<std::size_t>(std::lround(0.060 * fs));
  g.short_nfft = next_power_of_two(g.short_len);
  return g;
}

std::size_t count_complete_frames(std::size_t n, std::size_t frame_len, std::size_t hop) {
  if (n < frame_len || hop == 0) return 0;
  return (n - frame_len) / hop + 1;
}

int next_power_of_two(std::size_t n) {
  int p = 4;
  while (static_cast<std::size_t>(p) < n) p *= 2;
  return p;
}

std::vector<float> hamming_window(std::size_t n) {
  std::vector<float> w(n, 1.0f);
  if (n < 2) return w;
  const double kTwoPi = 2.0 * 3.14159265358979323846;
  for (std::size_t i = 0; i < n; ++i) {
    w[i] = static_cast<float>(
        0.54 - 0.46 * std::cos(kTwoPi * static_cast<double>(i) / static_cast<double>(n - 1)));
  }
  return w;
}

void for_each_magnitude_batch(const float* x, std::size_t n_frames, std::size_t frame_len,
                              std::size_t hop, int nfft, std::size_t pad_left,
                              const std::vector<float>& window, const MagnitudeVisitor& visit) {
  const BatchRealFft fft(nfft);
  const std::size_t n_bins = static_cast<std::size_t>(fft.n_bins());
  LaneBuffer in(static_cast<std::size_t>(nfft));  // zero outside [pad_left, pad_left + frame_len)
  LaneBuffer re(n_bins), im(n_bins);
  std::vector<float> mags(kFftLanes * n_bins);
  const float* rows[kFftLanes];
  for (int j = 0; j < kFftLanes; ++j) rows[j] = mags.data() + static_cast<std::size_t>(j) * n_bins;

  for (std::size_t first = 0; first < n_frames; first += kFftLanes) {
    const int lanes = static_cast<int>(std::min<std::size_t>(kFftLanes, n_frames - first));
    for (std::size_t i = 0; i < frame_len; ++i) {
      LaneVec v = {};
      for (int j = 0; j < lanes; ++j) v[j] = x[(first + static_cast<std::size_t>(j)) * hop + i];
      in[pad_left + i] = v * window[i];
    }
    fft.forward(in.data(), re.data(), im.data());
    for (std::size_t k = 0; k < n_bins; ++k) {
      const LaneVec p = re[k] * re[k] + im[k] * im[k];
      for (int j = 0; j < lanes; ++j)
        mags[static_cast<std::size_t>(j) * n_bins + k] = std::sqrt(p[j]);
    }
    visit(first, lanes, rows);
  }
}

}  // namespace dynemo::features::compare
