#include "features/stft.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "features/windows.h"

namespace dynemo::features {
namespace {

// x[i][j] = rows[j][i] * window[i] (window may be null) for i < n, n a multiple of 8.
DYNEMO_SIMD_CLONES void transpose_frames(const float* const* rows, const float* window, int n,
                                         LaneVec* x) {
  typedef int IndexVec __attribute__((vector_size(sizeof(int) * kFftLanes)));
  static_assert(kFftLanes == 8, "the block transpose is written for 8 lanes");
  for (int i = 0; i < n; i += 8) {
    LaneVec r[8];
    for (int j = 0; j < 8; ++j) std::memcpy(&r[j], rows[j] + i, sizeof(LaneVec));
    if (window) {
      LaneVec w;
      std::memcpy(&w, window + i, sizeof w);
      for (int j = 0; j < 8; ++j) r[j] *= w;
    }
    const IndexVec lo = {0, 8, 1, 9, 4, 12, 5, 13}, hi = {2, 10, 3, 11, 6, 14, 7, 15};
    const IndexVec lo2 = {0, 1, 8, 9, 4, 5, 12, 13}, hi2 = {2, 3, 10, 11, 6, 7, 14, 15};
    const IndexVec lo4 = {0, 1, 2, 3, 8, 9, 10, 11}, hi4 = {4, 5, 6, 7, 12, 13, 14, 15};
    LaneVec t[8], u[8];
    for (int p = 0; p < 8; p += 2) {
      t[p] = __builtin_shuffle(r[p], r[p + 1], lo);
      t[p + 1] = __builtin_shuffle(r[p], r[p + 1], hi);
    }
    for (int p = 0; p < 8; p += 4) {
      u[p] = __builtin_shuffle(t[p], t[p + 2], lo2);
      u[p + 1] = __builtin_shuffle(t[p], t[p + 2], hi2);
      u[p + 2] = __builtin_shuffle(t[p + 1], t[p + 3], lo2);
      u[p + 3] = __builtin_shuffle(t[p + 1], t[p + 3], hi2);
    }
    for (int p = 0; p < 4; ++p) {
      x[i + p] = __builtin_shuffle(u[p], u[p + 4], lo4);
      x[i + p + 4] = __builtin_shuffle(u[p], u[p + 4], hi4);
    }
  }
}

}  // namespace

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
  const std::vector<float> zeros(static_cast<std::size_t>(n_fft), 0.0f);
  for (std::size_t first = 0; first < n_frames; first += kFftLanes) {
    const int lanes = static_cast<int>(std::min<std::size_t>(kFftLanes, n_frames - first));
    // Transpose the frames into lane vectors, 8 x 8 blocks at a time (missing lanes stay zero).
    const float* rows[kFftLanes];
    for (int j = 0; j < kFftLanes; ++j) {
      rows[j] = j < lanes ? padded.data() + (first + static_cast<std::size_t>(j)) * hop : zeros.data();
    }
    transpose_frames(rows, window.empty() ? nullptr : window.data(), n_fft, x.data());
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
