// Octave-scale spectrum of the voicing group (spec compare-lld-spec.md §7.1, openSMILE
// cSpecScale with specEnhance=1, specSmooth=1): peak enhancement, 3-point smoothing, natural
// cubic spline re-sampling of a linear-frequency magnitude spectrum onto a log2 axis from
// 25 Hz to Nyquist, then the auditory weighting. Every frame-independent quantity (spline
// abscissae, tridiagonal factors, target brackets, weights) is computed once by the constructor;
// kFftLanes frames are processed together, one per SIMD lane, each rounded exactly as a lone
// frame would be.
#pragma once

#include <vector>

#include "features/compare/voicing-lanes.h"
#include "features/simd.h"

namespace dynemo::features::compare {

class OctaveSpectrum {
 public:
  // n_mag: magnitude points of the input spectrum (nfft / 2 + 1, at least 4); bin k is at
  // k * df_hz Hz. The output has n_mag points too. Throws ConfigError when df_hz * (n_mag - 1)
  // is not above 25 Hz.
  OctaveSpectrum(int n_mag, double df_hz);

  int size() const { return n_; }
  // Points per octave of the output axis (209.41 at 44.1 kHz, nfft 4096).
  double points_per_octave() const { return ppo_; }
  // Output point i is at log2 frequency log2_min() + i * log2_step().
  double log2_min() const { return log2_min_; }
  double log2_step() const { return log2_step_; }

  // mag: n_mag lane vectors (mag[i][j] = magnitude i of frame j). out: n_mag lane vectors of
  // weighted octave-scale values, all >= 0. Uses internal scratch: one object per thread.
  void compute(const LaneVec* mag, LaneVec* out) const;

 private:
  int n_;
  double ppo_ = 0, log2_min_ = 0, log2_step_ = 0;
  // Natural spline through (u_i, y_i), u_i = log2 of bin i: the tridiagonal factors. The forward
  // sweep is rhs_i = slope_i * rhs_scale_i + rhs_carry_i * rhs_{i-1}, the back-substitution
  // y2_i = y2coef_i * y2_{i+1} + rhs_i, with slope_i the difference of the two adjacent secants.
  std::vector<double> inv_dx_;     // 1 / (u_{i+1} - u_i)
  std::vector<double> rhs_scale_;  // 6 / ((u_{i+1} - u_{i-1}) p_i)
  std::vector<double> rhs_carry_;  // -sig_i / p_i
  std::vector<double> y2coef_;     // (sig_i - 1) / p_i
  // Per output point: bracketing source interval k and the spline weights.
  std::vector<int> k_;
  std::vector<double> a_, b_, ca_, cb_;  // a, b, (a^3 - a) h^2 / 6, (b^3 - b) h^2 / 6
  std::vector<double> weight_;           // auditory weight of output point i
  // Scratch: peak flags (1 or 0, two zero guards each side), enhanced and smoothed magnitudes
  // (the latter also in double), the right-hand side overwritten by the second derivatives.
  mutable LaneBuffer peak_, enhanced_, y_;
  mutable LaneBufferD yd_, y2_;
};

}  // namespace dynemo::features::compare
