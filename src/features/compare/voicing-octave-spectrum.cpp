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

// Peak enhancement of every lane (spec §7.1). Local maxima: i = 0 if M0 > M1; interior i with
// M[i] > M[i-1] and M[i] >= M[i+1]; the last point if it exceeds its neighbour. Between
// consecutive maxima p < q, M[p+3 .. q-3] = 0, that is: a point between the first and the last
// maximum is kept iff a maximum lies within 2 bins. openSMILE quirk: a single maximum zeroes
// bins 3..n-1. peak: n + 4 lane vectors, peak[0, 1] and peak[n+2, n+3] zero.
DYNEMO_SIMD_CLONES_UNFUSED void enhance_peaks(const LaneVec* mag, std::size_t n, LaneVec* peak,
                                              LaneVec* out) {
  const LaneVec one = LaneVec{} + 1.0f, zero = LaneVec{};
  LaneVec* pk = peak + 2;
  LaneVec total = (mag[0] > mag[1]) ? one : zero;
  pk[0] = total;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    pk[i] = ((mag[i] > mag[i - 1]) & (mag[i] >= mag[i + 1])) ? one : zero;
    total += pk[i];
  }
  pk[n - 1] = (mag[n - 1] > mag[n - 2]) ? one : zero;
  total += pk[n - 1];

  const LaneMask several = total >= 2.0f, single = total == 1.0f;
  LaneVec before = zero;  // maxima at indices < i
  for (std::size_t i = 0; i < n; ++i) {
    const LaneVec* at = pk + i;
    const LaneVec upto = before + at[0];
    const LaneMask inside = (upto >= 1.0f) & (before < total);
    const LaneMask near = (at[-2] + at[-1] + at[0] + at[1] + at[2]) > 0.0f;
    const LaneMask cut = (several & inside & ~near) | (i >= 3 ? single : LaneMask{});
    out[i] = cut ? zero : mag[i];
    before = upto;
  }
}

// Smoothing (M[i-1] + 2 M[i] + M[i+1]) / 4, M[-1] = 0, last point kept; then the right-hand side
// of the spline's tridiagonal system into rhs (rhs[0] = 0), in double. y: float32 values,
// yd: the same in double.
DYNEMO_SIMD_CLONES_UNFUSED void smooth_and_rhs(const LaneVec* m, std::size_t n,
                                               const double* inv_dx, const double* scale,
                                               LaneVec* y, Double4* yd, Double4* rhs) {
  LaneVec prev = LaneVec{};
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const LaneVec cur = m[i];
    y[i] = (prev + 2.0f * cur + m[i + 1]) / 4.0f;
    prev = cur;
  }
  y[n - 1] = m[n - 1];
  rhs[0] = rhs[1] = Double4{};
  Double4 y0[2], y1[2], y2[2];  // y[i - 1], y[i], y[i + 1]
  widen(y[0], y0[0], y0[1]);
  widen(y[1], y1[0], y1[1]);
  widen(y[n - 1], yd[2 * n - 2], yd[2 * n - 1]);
  for (std::size_t i = 1; i + 1 < n; ++i) {
    widen(y[i + 1], y2[0], y2[1]);
    for (int h = 0; h < 2; ++h) {
      yd[2 * i - 2 + h] = y0[h];
      rhs[2 * i + h] = ((y2[h] - y1[h]) * inv_dx[i] - (y1[h] - y0[h]) * inv_dx[i - 1]) * scale[i];
      y0[h] = y1[h];
      y1[h] = y2[h];
    }
  }
  for (int h = 0; h < 2; ++h) yd[2 * n - 4 + h] = y0[h];  // y[n - 2]
}

// The two recurrences of the tridiagonal solve, in place, each one multiply-add per step (a
// fused one where the CPU has FMA): v[i] += carry[i] v[i-1] for 1 <= i <= n-2, then v[n-1] = 0
// and v[i] = coef[i] v[i+1] + v[i] down to 0. v: the right-hand side in, y2 out.
DYNEMO_SIMD_CLONES void solve_tridiagonal(const double* carry, const double* coef, std::size_t n,
                                          Double4* v) {
  Double4 lo = Double4{}, hi = Double4{};
  for (std::size_t i = 1; i + 1 < n; ++i) {
    v[2 * i] = lo = v[2 * i] + carry[i] * lo;
    v[2 * i + 1] = hi = v[2 * i + 1] + carry[i] * hi;
  }
  v[2 * n - 2] = lo = Double4{};
  v[2 * n - 1] = hi = Double4{};
  for (std::size_t i = n - 1; i-- > 0;) {
    v[2 * i] = lo = coef[i] * lo + v[2 * i];
    v[2 * i + 1] = hi = coef[i] * hi + v[2 * i + 1];
  }
}

// The spline at the targets, stored as float32, weighted in double, stored as float32 again.
DYNEMO_SIMD_CLONES_UNFUSED void evaluate(const Double4* y, const Double4* y2, std::size_t n,
                                         const int* bracket, const double* a, const double* b,
                                         const double* ca, const double* cb, const double* weight,
                                         LaneVec* out) {
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t k = static_cast<std::size_t>(bracket[j]);
    Double4 v[2];
    for (int h = 0; h < 2; ++h) {
      v[h] = a[j] * y[2 * k + h] + b[j] * y[2 * k + 2 + h] + ca[j] * y2[2 * k + h] +
             cb[j] * y2[2 * k + 2 + h];
    }
    LaneVec vf;
    narrow(v[0], v[1], vf);
    Double4 w[2];
    widen(vf, w[0], w[1]);
    LaneVec weighted;
    narrow(w[0] * weight[j], w[1] * weight[j], weighted);
    out[j] = vf > 0.0f ? weighted : LaneVec{};
  }
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
  peak_ = LaneBuffer(n + 4);
  enhanced_ = LaneBuffer(n);
  y_ = LaneBuffer(n);
  yd_ = LaneBufferD(n);
  y2_ = LaneBufferD(n);
}

void OctaveSpectrum::compute(const LaneVec* mag, LaneVec* out) const {
  const std::size_t n = static_cast<std::size_t>(n_);
  enhance_peaks(mag, n, peak_.data(), enhanced_.data());
  smooth_and_rhs(enhanced_.data(), n, inv_dx_.data(), rhs_scale_.data(), y_.data(), yd_.data(),
                 y2_.data());
  solve_tridiagonal(rhs_carry_.data(), y2coef_.data(), n, y2_.data());
  evaluate(yd_.data(), y2_.data(), n, k_.data(), a_.data(), b_.data(), ca_.data(), cb_.data(),
           weight_.data(), out);
}

}  // namespace dynemo::features::compare
