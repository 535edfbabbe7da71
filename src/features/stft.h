// Short-time Fourier transform with librosa's framing: frames centred at t * hop, the signal
// zero padded by n_fft / 2 on both sides, n_frames = 1 + n_samples / hop.
#pragma once

#include <complex>
#include <cstddef>
#include <vector>

#include "features/frame-matrix.h"

namespace dynemo::features {

std::size_t count_frames(std::size_t n_samples, int hop_length);

// The signal padded with n_fft / 2 zeros at both ends, so frame t starts at t * hop.
std::vector<float> pad_centered(const float* y, std::size_t n, int n_fft);

// |STFT| with a periodic Hann window: [n_frames, n_fft / 2 + 1].
FrameMatrix stft_magnitude(const float* y, std::size_t n, int n_fft, int hop_length);

// Complex STFT with a rectangular window: [n_frames][n_fft / 2 + 1], row-major.
std::vector<std::complex<float>> stft_rectangular(const float* y, std::size_t n, int n_fft,
                                                  int hop_length, std::size_t* n_frames);

}  // namespace dynemo::features
