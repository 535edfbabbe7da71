#include "features/cqt-kernel.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "features/fft.h"
#include "features/recent-cache.h"
#include "features/windows.h"

namespace dynemo::features {

double cqt_quality(int bins_per_octave, double filter_scale) {
  const double r2 = std::pow(2.0, 2.0 / bins_per_octave);
  return filter_scale / ((r2 - 1.0) / (r2 + 1.0));
}

double cqt_filter_length(double q, double sample_rate_hz, double frequency_hz) {
  return q * sample_rate_hz / frequency_hz;
}

namespace {

// Keeps the largest-magnitude bins that hold (1 - quantile) of the row's L1 mass
// (librosa.util.sparsify_rows).
SparseKernel sparsify(const std::vector<std::complex<float>>& row, double quantile) {
  std::vector<float> mags(row.size());
  double norm = 0.0;
  for (std::size_t i = 0; i < row.size(); ++i) {
    mags[i] = std::abs(row[i]);
    norm += mags[i];
  }
  std::vector<float> sorted = mags;
  std::sort(sorted.begin(), sorted.end());
  float threshold = sorted.empty() ? 0.0f : sorted.front();
  double cumulative = 0.0;
  for (float m : sorted) {
    cumulative += m / norm;
    if (cumulative >= quantile) {
      threshold = m;
      break;
    }
  }
  SparseKernel k;
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (mags[i] >= threshold && mags[i] > 0.0f) {
      k.bins.push_back(static_cast<int>(i));
      k.weights.push_back(row[i]);
    }
  }
  return k;
}

// make_kernel_bank, built (make_kernel_bank keeps recent ones).
KernelBank build_kernel_bank(const std::vector<double>& frequencies_hz, double sample_rate_hz,
                             double q, double sparsity, double gain) {
  double max_length = 0.0;
  for (double f : frequencies_hz) {
    max_length = std::max(max_length, cqt_filter_length(q, sample_rate_hz, f));
  }
  KernelBank bank;
  bank.n_fft = 1 << static_cast<int>(std::ceil(std::log2(max_length)));
  const ComplexFft fft(bank.n_fft);
  std::vector<std::complex<float>> time(bank.n_fft), spectrum(bank.n_fft);
  for (double f : frequencies_hz) {
    const double length = cqt_filter_length(q, sample_rate_hz, f);
    // Samples t = floor(-L/2) .. floor(L/2) - 1 of a Hann-windowed complex exponential.
    const long t0 = static_cast<long>(std::floor(-length / 2.0));
    const long t1 = static_cast<long>(std::floor(length / 2.0));
    const int n = static_cast<int>(t1 - t0);
    const std::vector<float> window = hann_periodic(n);
    double l1 = 0.0;
    for (float w : window) l1 += w;
    // Centre in the FFT frame, L1-normalise, rescale by L / n_fft.
    std::fill(time.begin(), time.end(), std::complex<float>(0.0f, 0.0f));
    const int left = (bank.n_fft - n) / 2;
    const double scale = length / bank.n_fft / l1;
    for (int j = 0; j < n; ++j) {
      const double phase = static_cast<double>(t0 + j) * 2.0 * M_PI * f / sample_rate_hz;
      const double a = window[j] * scale;
      time[left + j] = std::complex<float>(static_cast<float>(a * std::cos(phase)),
                                           static_cast<float>(a * std::sin(phase)));
    }
    fft.forward(time.data(), spectrum.data());
    std::vector<std::complex<float>> half(spectrum.begin(), spectrum.begin() + bank.n_fft / 2 + 1);
    SparseKernel k = sparsify(half, sparsity);
    for (auto& w : k.weights) w *= static_cast<float>(gain);
    bank.filters.push_back(std::move(k));
  }
  return bank;
}

}  // namespace

KernelBank make_kernel_bank(const std::vector<double>& frequencies_hz, double sample_rate_hz,
                            double q, double sparsity, double gain) {
  using Key = std::tuple<std::vector<double>, double, double, double, double>;
  thread_local RecentCache<Key, KernelBank, 8> recent;
  return recent.get(Key{frequencies_hz, sample_rate_hz, q, sparsity, gain}, [&] {
    return build_kernel_bank(frequencies_hz, sample_rate_hz, q, sparsity, gain);
  });
}

}  // namespace dynemo::features
