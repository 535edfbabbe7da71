#include "features/compare/spectral.h"

#include <algorithm>
#include <cmath>

namespace dynemo::features::compare {
namespace {

constexpr double kRollOff[4] = {0.25, 0.50, 0.75, 0.90};
constexpr double kEntropyFloor = 1e-7;

// Bark value of f Hz: Traunmüller (1990) with both of its corrections.
double bark(double f) {
  if (f <= 0.0) return 0.0;
  double z = 26.81 / (1.0 + 1960.0 / f) - 0.53;
  if (z < 2.0) z = 0.85 * z + 0.3;
  if (z > 20.1) z = 1.22 * z - 0.22 * 20.1;
  return z;
}

// Sharpness weight g(z): 1 up to 16 Bark, then 1 + ((z - 16) / 4)^log2(3).
double sharpness_weight(double z) {
  return z <= 16.0 ? 1.0 : 1.0 + std::pow((z - 16.0) / 4.0, 1.5849625007211562);
}

}  // namespace

SpectralLlds::SpectralLlds(double fs, std::size_t frame_len, int nfft)
    : k_(static_cast<std::size_t>(nfft / 2)), f_(k_ + 1), sharp_w_(k_ + 1), p_(k_ + 1) {
  const double frame_s = static_cast<double>(frame_len) / fs;
  const double df = static_cast<double>(frame_len) / (frame_s * nfft);
  double sum_f2 = 0.0;
  for (std::size_t j = 0; j <= k_; ++j) {
    f_[j] = static_cast<double>(j) * df;
    const double z = bark(f_[j]);
    sharp_w_[j] = z * sharpness_weight(z);
    if (j >= 1) {
      sum_f_ += f_[j];
      sum_f2 += f_[j] * f_[j];
    }
  }
  slope_den_ = static_cast<double>(k_) * sum_f2 - sum_f_ * sum_f_;
  const double edges[2][2] = {{250.0, 650.0}, {1000.0, 4000.0}};
  for (int b = 0; b < 2; ++b) {
    Band& band = bands_[b];
    const double lo = edges[b][0], hi = edges[b][1];
    band.lo = std::min(k_, static_cast<std::size_t>(std::floor(lo / df)));
    band.hi = std::min(k_, static_cast<std::size_t>(std::floor(hi / df)));
    band.w_lo = (f_[std::min(k_, band.lo + 1)] - lo) / df;
    band.w_hi = f_[band.hi] < hi ? (hi - f_[band.hi]) / df : 1.0;
    if (band.w_lo == 0.0) band.w_lo = 1.0;
    if (band.w_hi == 0.0) band.w_hi = 1.0;
  }
}

void SpectralLlds::compute(const float* magnitude, const float* previous, float* out) const {
  const std::size_t K = k_;
  const double n_bins = static_cast<double>(K);
  double* p = p_.data();
  double s = 0.0, sum_fp = 0.0, flux = 0.0;
  for (std::size_t j = 1; j <= K; ++j) {
    const double m = magnitude[j];
    p[j] = m * m;
    s += p[j];
    sum_fp += f_[j] * p[j];
    if (previous != nullptr) {
      const double d = m - previous[j];
      flux += d * d;
    }
  }
  // Band energies: edge-weighted sums divided by K (not by the band's width).
  for (int b = 0; b < 2; ++b) {
    const Band& band = bands_[b];
    double e = band.w_lo * p[band.lo] + band.w_hi * p[band.hi];
    for (std::size_t j = band.lo + 1; j < band.hi; ++j) e += p[j];
    out[b] = static_cast<float>(e / n_bins);
  }
  // Roll-offs: the first bin whose cumulative power reaches r S (bin 1 when S = 0).
  {
    double cum = 0.0;
    std::size_t j = 1;
    for (int r = 0; r < 4; ++r) {
      const double target = kRollOff[r] * s;
      while (j < K && cum + p[j] < target) cum += p[j++];
      out[2 + r] = static_cast<float>(f_[j]);
    }
  }
  out[6] = static_cast<float>(std::sqrt(flux / n_bins));
  const double centroid = s > 0.0 ? sum_fp / s : 0.0;
  out[7] = static_cast<float>(centroid);
  // Entropy (bits): p_j = max(P_j, 1e-7) / max(S, 1e-7), floors on the numerator only.
  double entropy = 0.0, m2 = 0.0, m3 = 0.0, m4 = 0.0, sharp = 0.0;
  const double s_floor = std::max(s, kEntropyFloor);
  for (std::size_t j = 1; j <= K; ++j) {
    const double q = std::max(p[j], kEntropyFloor) / s_floor;
    entropy -= q * std::log2(q);
    const double d = f_[j] - centroid;
    const double d2 = d * d;
    m2 += d2 * p[j];
    m3 += d2 * d * p[j];
    m4 += d2 * d2 * p[j];
    sharp += sharp_w_[j] * p[j];
  }
  out[8] = static_cast<float>(entropy);
  const double variance = s > 0.0 ? m2 / s : 0.0;
  out[9] = static_cast<float>(variance);
  const double sd = std::sqrt(variance);
  out[10] = static_cast<float>(variance > 0.0 ? m3 / (s * sd * sd * sd) : 0.0);
  out[11] = static_cast<float>(variance > 0.0 ? m4 / (s * variance * variance) : 0.0);
  // Least-squares slope of P against f, times (K - 1) (openSMILE's oldSlopeScale).
  out[12] = static_cast<float>((n_bins * sum_fp - sum_f_ * s) / slope_den_ * (n_bins - 1.0));
  out[13] = static_cast<float>(s > 0.0 ? 0.11 * sharp / s : 0.0);
  // Harmonicity: half the summed excursions between consecutive local extrema, over K.
  double excursion = 0.0, last = 0.0;
  bool have_last = false;
  for (std::size_t j = 3; j + 2 <= K; ++j) {
    const double v = p[j];
    const bool is_max = p[j - 2] < v && p[j - 1] < v && p[j + 1] < v && p[j + 2] < v;
    const bool is_min = p[j - 2] > v && p[j - 1] > v && p[j + 1] > v && p[j + 2] > v;
    if (!is_max && !is_min) continue;
    if (have_last) excursion += std::fabs(v - last);
    last = v;
    have_last = true;
  }
  out[14] = static_cast<float>(excursion / 2.0 / n_bins);
}

}  // namespace dynemo::features::compare
