#include "features/compare/voicing-octave-spectrum.h"

#include <cmath>
#include <cstddef>
#include <string>

#include "dynemo/error.h"
#include "features/simd.h"

namespace dynemo::features::compare {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kFminHz = 25.0;  // lowest output frequency (cSpecScale minF)

// log2 as openSMILE computes it, ln(x) / ln(2) (spec §7.1).
double log2_of(double x) { return std::log(x) / std::log(2.0); }

// The two recurrences of the tridiagonal solve, each one multiply-add per step on a value held
// in a register (a fused one where the CPU has FMA): rhs[i] += carry[i] rhs[i-1] for
// 1 <= i <= n-2, then y2[n-1] = 0 and y2[i] = coef[i] y2[i+1] + rhs[i] down to 0.
DYNEMO_SIMD_CLONES void solve_tridiagonal(const double* carry, const double* coef,
                                          std::size_t n, double* rhs, double* y2) {
  double carried = 0.0;
  for (std::size_t i = 1; i + 1 < n; ++i) rhs[i] = carried = rhs[i] + carry[i] * carried;
  y2[n - 1] = carried = 0.0;
  for (std::size_t i = n - 1; i-- > 0;) y2[i] = carried = coef[i] * carried + rhs[i];
}

}  // namespace

OctaveSpectrum::OctaveSpectrum(int n_mag, double df_hz) : n_(n_mag) {
  const double fmax_hz = df_hz * (n_mag - 1);
  if (n_mag < 4 || !(fmax_hz > kFminHz)) {
    throw ConfigError("octave spectrum: needs at least 4 points reaching above " +
                      std::to_string(kFminHz) + " Hz, got " + std::to_string(n_mag) +
                      " points up to " + std::to_string(fmax_hz) + " Hz");
  }
  const std::size_t n = static_cast<std::size_t>(n_mag);
  // Source abscissae: u_i = log2(i df) for i >= 1, u_0 extrapolated linearly.
  std::vector<double> u(n);
  for (std::size_t i = 1; i < n; ++i) u[i] = log2_of(static_cast<double>(i) * df_hz);
  u[0] = 2.0 * u[1] - u[2];

  // Natural cubic spline (second derivative 0 at both ends), tridiagonal forward sweep as in
  // Numerical Recipes' `spline`: only the right-hand side depends on the frame.
  inv_dx_.resize(n - 1);
  for (std::size_t i = 0; i + 1 < n; ++i) inv_dx_[i] = 1.0 / (u[i + 1] - u[i]);
  rhs_scale_.assign(n, 0.0);
  rhs_carry_.assign(n, 0.0);
  y2coef_.assign(n, 0.0);
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const double sig = (u[i] - u[i - 1]) / (u[i + 1] - u[i - 1]);
    const double p = sig * y2coef_[i - 1] + 2.0;
    y2coef_[i] = (sig - 1.0) / p;
    rhs_scale_[i] = 6.0 / (u[i + 1] - u[i - 1]) / p;
    rhs_carry_[i] = -sig / p;
  }

  // Targets: n points equally spaced in log2 from 25 Hz to fmax; bracket by forward search.
  log2_min_ = log2_of(kFminHz);
  log2_step_ = (log2_of(fmax_hz) - log2_min_) / (n_mag - 1);
  ppo_ = n_mag / log2_of(fmax_hz / kFminHz);
  k_.resize(n);
  a_.resize(n);
  b_.resize(n);
  ca_.resize(n);
  cb_.resize(n);
  std::size_t k = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const double xt = log2_min_ + static_cast<double>(j) * log2_step_;
    while (k + 2 < n && u[k + 1] < xt) ++k;
    const double h = u[k + 1] - u[k];
    const double a = (u[k + 1] - xt) / h, b = (xt - u[k]) / h;
    k_[j] = static_cast<int>(k);
    a_[j] = a;
    b_[j] = b;
    ca_[j] = (a * a * a - a) * h * h / 6.0;
    cb_[j] = (b * b * b - b) * h * h / 6.0;
  }

  // Auditory weighting: 0.5 + atan(3 (i + 1 - s0) / ppo) / pi, s0 = ppo log2(65 / 50) - 1.
  const double s0 = ppo_ * log2_of(65.0 / 50.0) - 1.0;
  weight_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    weight_[i] = 0.5 + std::atan(3.0 * (static_cast<double>(i) + 1.0 - s0) / ppo_) / kPi;
  }
  y_.resize(n);
  y2_.resize(n);
  rhs_.resize(n);
  peak_.assign(n + 4, 0);
}

void OctaveSpectrum::enhance_peaks(float* mag) const {
  // Local maxima: i = 0 if M0 > M1; interior i with M[i] > M[i-1] and M[i] >= M[i+1]; the last
  // point if it exceeds its neighbour. Between consecutive maxima p < q, M[p+3 .. q-3] = 0, that
  // is: a point between the first and the last maximum is kept iff a maximum lies within 2 bins.
  const int n = n_;
  unsigned char* peak = peak_.data() + 2;  // peak[-2..n+1], the 2 guard entries each side are 0
  peak[0] = mag[0] > mag[1];
  for (int i = 1; i < n - 1; ++i) peak[i] = (mag[i] > mag[i - 1]) & (mag[i] >= mag[i + 1]);
  peak[n - 1] = mag[n - 1] > mag[n - 2];
  int first = 0;
  while (first < n && !peak[first]) ++first;
  if (first == n) return;
  int last = n - 1;
  while (!peak[last]) --last;
  if (first == last) {
    // openSMILE quirk (spec §7.1): a single maximum zeroes bins 3..n-1.
    for (int i = 3; i < n; ++i) mag[i] = 0.0f;
    return;
  }
  for (int i = first; i <= last; ++i) {
    const bool near = peak[i - 2] | peak[i - 1] | peak[i] | peak[i + 1] | peak[i + 2];
    mag[i] = near ? mag[i] : 0.0f;
  }
}

void OctaveSpectrum::compute(float* mag, float* out) const {
  const std::size_t n = static_cast<std::size_t>(n_);
  enhance_peaks(mag);

  // Smoothing (M[i-1] + 2 M[i] + M[i+1]) / 4 on the unsmoothed values, M[-1] = 0, last point kept.
  float prev = 0.0f;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const float cur = mag[i];
    y_[i] = static_cast<double>((prev + 2.0f * cur + mag[i + 1]) / 4.0f);
    prev = cur;
  }
  y_[n - 1] = static_cast<double>(mag[n - 1]);

  // Spline second derivatives: forward sweep then back-substitution (y2 = 0 at both ends).
  rhs_[0] = 0.0;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    rhs_[i] = ((y_[i + 1] - y_[i]) * inv_dx_[i] - (y_[i] - y_[i - 1]) * inv_dx_[i - 1]) *
              rhs_scale_[i];
  }
  solve_tridiagonal(rhs_carry_.data(), y2coef_.data(), n, rhs_.data(), y2_.data());

  // Evaluate at the targets, store as float32, weight in double, store as float32 again.
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t k = static_cast<std::size_t>(k_[j]);
    const float v = static_cast<float>(a_[j] * y_[k] + b_[j] * y_[k + 1] + ca_[j] * y2_[k] +
                                       cb_[j] * y2_[k + 1]);
    out[j] = v > 0.0f ? static_cast<float>(v * weight_[j]) : 0.0f;
  }
}

}  // namespace dynemo::features::compare
