#include "features/stft.h"

#include <algorithm>
#include <cmath>

#include "features/fft.h"
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

FrameMatrix stft_magnitude(const float* y, std::size_t n, int n_fft, int hop_length) {
  const std::vector<float> padded = pad_centered(y, n, n_fft);
  const std::vector<float> window = hann_periodic(n_fft);
  const RealFft fft(n_fft);
  const std::size_t n_frames = count_frames(n, hop_length);
  FrameMatrix mag(n_frames, static_cast<std::size_t>(fft.n_bins()));
  std::vector<float> frame(static_cast<std::size_t>(n_fft));
  std::vector<std::complex<float>> spectrum(mag.n_values);
  for (std::size_t t = 0; t < n_frames; ++t) {
    const float* src = padded.data() + t * static_cast<std::size_t>(hop_length);
    for (int i = 0; i < n_fft; ++i) frame[i] = src[i] * window[i];
    fft.forward(frame.data(), spectrum.data());
    float* out = mag.row(t);
    for (std::size_t k = 0; k < mag.n_values; ++k) out[k] = std::abs(spectrum[k]);
  }
  return mag;
}

std::vector<std::complex<float>> stft_rectangular(const float* y, std::size_t n, int n_fft,
                                                  int hop_length, std::size_t* n_frames) {
  const std::vector<float> padded = pad_centered(y, n, n_fft);
  const RealFft fft(n_fft);
  *n_frames = count_frames(n, hop_length);
  const std::size_t n_bins = static_cast<std::size_t>(fft.n_bins());
  std::vector<std::complex<float>> out(*n_frames * n_bins);
  for (std::size_t t = 0; t < *n_frames; ++t) {
    fft.forward(padded.data() + t * static_cast<std::size_t>(hop_length), out.data() + t * n_bins);
  }
  return out;
}

}  // namespace dynemo::features
