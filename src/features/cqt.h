// Constant-Q transform as librosa 0.11 computes it (librosa.cqt -> vqt with gamma = 0): the
// efficient multirate kind. Octaves are processed from the top down; after each one the signal
// is decimated by 2 (soxr HQ, scaled by sqrt 2) and the hop halved, so every octave uses the
// same fixed-size FFT kernel (length = next power of two of the longest filter). Before that,
// the signal is decimated early as far as the top filter and the hop allow.
#pragma once

#include <cstddef>
#include <vector>

#include "features/frame-matrix.h"

namespace dynemo::features {

struct CqtConfig {
  double fmin_hz = 32.703195662574829;  // C1
  int n_bins = 252;
  int bins_per_octave = 36;
  int hop_length = 512;
  double filter_scale = 1.0;
  double sparsity = 0.01;  // fraction of each kernel's magnitude dropped (librosa default)
};

// |CQT| of y (mono, sample_rate_hz) for each tuning (fractions of a bin; fmin is scaled by
// 2^(tuning / bins_per_octave)), with librosa's length scaling (scale=True): one [T, n_bins]
// matrix per tuning. Decimation and frame FFTs are shared between tunings where possible.
// Throws ConfigError if the top filter would pass the Nyquist frequency.
std::vector<FrameMatrix> cqt_magnitude(const float* y, std::size_t n, double sample_rate_hz,
                                       const CqtConfig& config, const std::vector<double>& tunings);

}  // namespace dynemo::features
