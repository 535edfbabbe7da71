#include "features/mel.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace dynemo::features {
namespace {
constexpr double kFSp = 200.0 / 3.0;  // Hz per mel below 1 kHz
constexpr double kMinLogHz = 1000.0;
constexpr double kMinLogMel = kMinLogHz / kFSp;  // 15
const double kLogStep = std::log(6.4) / 27.0;
}  // namespace

double hz_to_mel_slaney(double hz) {
  if (hz >= kMinLogHz) return kMinLogMel + std::log(hz / kMinLogHz) / kLogStep;
  return hz / kFSp;
}

double mel_to_hz_slaney(double mel) {
  if (mel >= kMinLogMel) return kMinLogHz * std::exp(kLogStep * (mel - kMinLogMel));
  return kFSp * mel;
}

std::vector<SparseFilter> mel_filterbank(double sample_rate_hz, int n_fft, int n_mels,
                                         double fmin_hz, double fmax_hz) {
  const int n_bins = n_fft / 2 + 1;
  std::vector<double> fft_hz(n_bins);
  for (int k = 0; k < n_bins; ++k) fft_hz[k] = k * sample_rate_hz / n_fft;
  // n_mels + 2 band edges equally spaced in mel.
  const double mel_lo = hz_to_mel_slaney(fmin_hz);
  const double mel_hi = hz_to_mel_slaney(fmax_hz);
  std::vector<double> edges(n_mels + 2);
  for (int i = 0; i < n_mels + 2; ++i) {
    edges[i] = mel_to_hz_slaney(mel_lo + (mel_hi - mel_lo) * i / (n_mels + 1));
  }
  std::vector<SparseFilter> filters(n_mels);
  for (int m = 0; m < n_mels; ++m) {
    const double lower_width = edges[m + 1] - edges[m];
    const double upper_width = edges[m + 2] - edges[m + 1];
    const double enorm = 2.0 / (edges[m + 2] - edges[m]);  // Slaney area normalisation
    std::vector<float> dense(n_bins, 0.0f);
    int first = -1, last = -1;
    for (int k = 0; k < n_bins; ++k) {
      const double lower = (fft_hz[k] - edges[m]) / lower_width;
      const double upper = (edges[m + 2] - fft_hz[k]) / upper_width;
      const double w = std::max(0.0, std::min(lower, upper));
      if (w > 0.0) {
        dense[k] = static_cast<float>(w * enorm);
        if (first < 0) first = k;
        last = k;
      }
    }
    if (first >= 0) {
      filters[m].first_bin = first;
      filters[m].weights.assign(dense.begin() + first, dense.begin() + last + 1);
    }
  }
  return filters;
}

void apply_filters_to_power(const FrameMatrix& magnitude, const std::vector<SparseFilter>& filters,
                            std::size_t t0, std::size_t t1, FrameMatrix& out) {
  std::vector<float> power(magnitude.n_values);
  for (std::size_t t = t0; t < t1; ++t) {
    const float* m = magnitude.row(t);
    for (std::size_t k = 0; k < power.size(); ++k) power[k] = m[k] * m[k];
    float* o = out.row(t);
    for (std::size_t f = 0; f < filters.size(); ++f) {
      const SparseFilter& filter = filters[f];
      const float* p = power.data() + filter.first_bin;
      float acc = 0.0f;
      for (std::size_t i = 0; i < filter.weights.size(); ++i) acc += filter.weights[i] * p[i];
      o[f] = acc;
    }
  }
}

namespace {
float to_db(float power, double amin) {
  return 10.0f * std::log10(std::max(static_cast<float>(amin), power));
}
}  // namespace

FrameMatrix power_to_db(const FrameMatrix& power, double amin, double top_db,
                        const float* known_max_db) {
  FrameMatrix db(power.n_frames, power.n_values);
  float max_db = -std::numeric_limits<float>::infinity();
  for (std::size_t i = 0; i < power.data.size(); ++i) {
    const float v = to_db(power.data[i], amin);
    db.data[i] = v;
    max_db = std::max(max_db, v);
  }
  if (known_max_db) max_db = *known_max_db;
  if (top_db > 0.0) {
    const float floor_db = static_cast<float>(max_db - top_db);
    for (float& v : db.data) v = std::max(v, floor_db);
  }
  return db;
}

float max_power_db(const FrameMatrix& power, std::size_t t0, std::size_t t1, float so_far,
                   double amin) {
  for (std::size_t t = t0; t < t1; ++t) {
    const float* row = power.row(t);
    for (std::size_t k = 0; k < power.n_values; ++k) so_far = std::max(so_far, to_db(row[k], amin));
  }
  return so_far;
}

FrameMatrix mfcc_from_db(const FrameMatrix& mel_db, int n_mfcc) {
  const std::size_t n = mel_db.n_values;
  // Orthonormal DCT-II basis: c_k = s_k sum_m x_m cos(pi k (2m + 1) / (2n)).
  std::vector<float> basis(static_cast<std::size_t>(n_mfcc) * n);
  for (int k = 0; k < n_mfcc; ++k) {
    const double scale = k == 0 ? std::sqrt(1.0 / n) : std::sqrt(2.0 / n);
    for (std::size_t m = 0; m < n; ++m) {
      basis[k * n + m] =
          static_cast<float>(scale * std::cos(M_PI * k * (2.0 * m + 1.0) / (2.0 * n)));
    }
  }
  // Basis transposed to [n][n_mfcc]: the inner loop runs over the coefficients.
  std::vector<float> by_band(n * static_cast<std::size_t>(n_mfcc));
  for (int k = 0; k < n_mfcc; ++k) {
    for (std::size_t m = 0; m < n; ++m) by_band[m * n_mfcc + k] = basis[k * n + m];
  }
  FrameMatrix out(mel_db.n_frames, static_cast<std::size_t>(n_mfcc));
  std::vector<float> acc(static_cast<std::size_t>(n_mfcc));
  for (std::size_t t = 0; t < mel_db.n_frames; ++t) {
    const float* x = mel_db.row(t);
    std::fill(acc.begin(), acc.end(), 0.0f);
    for (std::size_t m = 0; m < n; ++m) {
      const float* b = by_band.data() + m * n_mfcc;
      for (int k = 0; k < n_mfcc; ++k) acc[k] += b[k] * x[m];
    }
    std::copy(acc.begin(), acc.end(), out.row(t));
  }
  return out;
}

}  // namespace dynemo::features
