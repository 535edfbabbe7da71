#include "features/stft.h"

#include <algorithm>
#include <cmath>

#include "features/windows.h"

namespace dynemo::features {

std::size_t count_frames(std::size_t n_samples, int hop_length) {
  return 1 + n_samples / static_cast<std::size_t>(hop_length);
}

std::vector<float> pad_centered(const float* y, std::size_t n, int n_fft) {
  const std::size_t pad = static_cast<std::size_t>(n_fft / 2);
  std::vector<float> padded(n + 2 * pad, 0.0f);
  std::copy(y, y + n, padded.begin() + static_cast<std::ptrdiff_t>(pad));
  return padded;
}

void for_each_stft_batch(const float* y, std::size_t n, int n_fft, int hop_length,
                         const std::vector<float>& window, const StftBatchVisitor& visit) {
  const std::vector<float> padded = pad_centered(y, n, n_fft);
  const BatchRealFft fft(n_fft);
  const std::size_t n_frames = count_frames(n, hop_length);
  LaneBuffer x(static_cast<std::size_t>(n_fft));
  LaneBuffer re(static_cast<std::size_t>(fft.n_bins()));
  LaneBuffer im(re.size());
  const std::size_t hop = static_cast<std::size_t>(hop_length);
  for (std::size_t first = 0; first < n_frames; first += kFftLanes) {
    const int lanes = static_cast<int>(std::min<std::size_t>(kFftLanes, n_frames - first));
    // Transpose the frames into lane vectors (missing lanes stay zero).
    for (int j = 0; j < kFftLanes; ++j) {
      const float* src = padded.data() + (first + static_cast<std::size_t>(j)) * hop;
      if (j >= lanes) {
        for (int i = 0; i < n_fft; ++i) x[i][j] = 0.0f;
      } else if (window.empty()) {
        for (int i = 0; i < n_fft; ++i) x[i][j] = src[i];
      } else {
        for (int i = 0; i < n_fft; ++i) x[i][j] = src[i] * window[i];
      }
    }
    fft.forward(x.data(), re.data(), im.data());
    visit(first, lanes, re.data(), im.data());
  }
}

FrameMatrix stft_magnitude(const float* y, std::size_t n, int n_fft, int hop_length) {
  const std::size_t n_bins = static_cast<std::size_t>(n_fft / 2 + 1);
  FrameMatrix mag(count_frames(n, hop_length), n_bins);
  LaneBuffer squared(n_bins);
  for_each_stft_batch(y, n, n_fft, hop_length, hann_periodic(n_fft),
                      [&](std::size_t first, int lanes, const LaneVec* re, const LaneVec* im) {
                        for (std::size_t k = 0; k < n_bins; ++k) squared[k] = re[k] * re[k] + im[k] * im[k];
                        for (int j = 0; j < lanes; ++j) {
                          float* out = mag.row(first + static_cast<std::size_t>(j));
                          for (std::size_t k = 0; k < n_bins; ++k) out[k] = std::sqrt(squared[k][j]);
                        }
                      });
  return mag;
}

}  // namespace dynemo::features
