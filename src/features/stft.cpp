#include "features/stft.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "dynemo/error.h"
#include "features/windows.h"

namespace dynemo::features {
namespace {

// Magnitudes of bins [k, k + 8) of every lane, written to rows[j] + k for j < lanes.
DYNEMO_SIMD_CLONES void store_magnitudes(const LaneVec* re, const LaneVec* im, std::size_t k,
                                         int lanes, float* const* rows) {
  LaneVec r[8], c[8];
  for (int q = 0; q < 8; ++q) r[q] = re[k + q] * re[k + q] + im[k + q] * im[k + q];
  transpose8(r, c);
  for (int j = 0; j < lanes; ++j) {
    float m[8];
    for (int q = 0; q < 8; ++q) m[q] = std::sqrt(c[j][q]);
    std::memcpy(rows[j] + k, m, sizeof m);
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
  for_each_stft_batch(SignalPiece{y, 0, n, n}, n_fft, hop_length, window, 0,
                      count_frames(n, hop_length), visit);
}

void for_each_stft_batch(const SignalPiece& piece, int n_fft, int hop_length,
                         const std::vector<float>& window, std::size_t t0, std::size_t t1,
                         const StftBatchVisitor& visit) {
  const BatchRealFft fft(n_fft);
  LaneBuffer re(static_cast<std::size_t>(fft.n_bins()));
  LaneBuffer im(re.size());
  const std::size_t hop = static_cast<std::size_t>(hop_length);
  const std::size_t half = static_cast<std::size_t>(n_fft / 2);
  const std::size_t n = piece.total, lo = piece.first, hi = piece.first + piece.size;
  const std::vector<float> zeros(static_cast<std::size_t>(n_fft), 0.0f);
  // Frames that reach past either end of the signal are copied, zero padded, into per-lane
  // scratch; all others are read in place (no padded copy of the whole signal).
  std::vector<float> edge(static_cast<std::size_t>(kFftLanes * n_fft));
  for (std::size_t first = t0; first < t1; first += kFftLanes) {
    const int lanes = static_cast<int>(std::min<std::size_t>(kFftLanes, t1 - first));
    // Transpose the frames into lane vectors, 8 x 8 blocks at a time (missing lanes stay zero).
    const float* rows[kFftLanes];
    for (int j = 0; j < kFftLanes; ++j) {
      if (j >= lanes) {
        rows[j] = zeros.data();
        continue;
      }
      const std::size_t centre = (first + static_cast<std::size_t>(j)) * hop;
      if (centre >= half && centre + half <= n && centre - half >= lo && centre + half <= hi) {
        rows[j] = piece.data + (centre - half - lo);
        continue;
      }
      float* buffer = edge.data() + static_cast<std::size_t>(j) * n_fft;
      for (std::size_t i = 0; i < static_cast<std::size_t>(n_fft); ++i) {
        const std::size_t at = centre + i;  // index into the padded signal
        if (at < half || at - half >= n) {
          buffer[i] = 0.0f;
        } else if (at - half >= lo && at - half < hi) {
          buffer[i] = piece.data[at - half - lo];
        } else {
          throw Error("stft: frame " + std::to_string(first + static_cast<std::size_t>(j)) +
                      " reads sample " + std::to_string(at - half) + ", outside the piece [" +
                      std::to_string(lo) + ", " + std::to_string(hi) + ")");
        }
      }
      rows[j] = buffer;
    }
    fft.forward_rows(rows, window.empty() ? nullptr : window.data(), re.data(), im.data());
    visit(first, lanes, re.data(), im.data());
  }
}

FrameMatrix stft_magnitude(const float* y, std::size_t n, int n_fft, int hop_length) {
  const std::size_t n_bins = static_cast<std::size_t>(n_fft / 2 + 1);
  FrameMatrix mag(count_frames(n, hop_length), n_bins);
  for_each_stft_batch(y, n, n_fft, hop_length, hann_periodic(n_fft),
                      [&](std::size_t first, int lanes, const LaneVec* re, const LaneVec* im) {
                        float* rows[kFftLanes];
                        for (int j = 0; j < lanes; ++j)
                          rows[j] = mag.row(first + static_cast<std::size_t>(j));
                        std::size_t k = 0;
                        for (; k + 8 <= n_bins; k += 8) store_magnitudes(re, im, k, lanes, rows);
                        for (; k < n_bins; ++k) {
                          for (int j = 0; j < lanes; ++j) {
                            rows[j][k] = std::sqrt(re[k][j] * re[k][j] + im[k][j] * im[k][j]);
                          }
                        }
                      });
  return mag;
}

}  // namespace dynemo::features
