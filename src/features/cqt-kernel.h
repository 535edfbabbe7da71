// Frequency-domain CQT kernels (librosa's __vqt_filter_fft with filters.wavelet, norm=1,
// periodic Hann, pad_fft=True, then sparsify_rows).
#pragma once

#include <complex>
#include <vector>

namespace dynemo::features {

// One filter's non-zero FFT bins.
struct SparseKernel {
  std::vector<int> bins;
  std::vector<std::complex<float>> weights;
};

struct KernelBank {
  int n_fft = 0;                      // frame length of the response STFT
  std::vector<SparseKernel> filters;  // one per frequency, in input order
};

// Quality factor of equal-tempered bins: filter_scale / alpha, alpha = (r^2 - 1) / (r^2 + 1),
// r = 2^(1 / bins_per_octave).
double cqt_quality(int bins_per_octave, double filter_scale);

// Filter length in samples: Q * sample_rate_hz / frequency_hz.
double cqt_filter_length(double q, double sample_rate_hz, double frequency_hz);

// Kernels for `frequencies_hz` at `sample_rate_hz`, each multiplied by `gain`.
KernelBank make_kernel_bank(const std::vector<double>& frequencies_hz, double sample_rate_hz,
                            double q, double sparsity, double gain);

}  // namespace dynemo::features
