// The 15 spectral LLDs of ComParE (spec ../shared/docs/compare-lld-spec.md §6, openSMILE
// cSpectral) on the 20 ms magnitude spectrum M, P = M^2, bins j = 1 .. K = nfft / 2 (DC
// excluded), f_j = j * df, S = sum P_j. Output order (openSMILE's): fband250-650,
// fband1000-4000, roll-off 25/50/75/90 % (Hz), flux, centroid (Hz), entropy (bits), variance
// (Hz^2), skewness, kurtosis, slope, psySharpness, harmonicity.
#pragma once

#include <cstddef>
#include <vector>

namespace dynemo::features::compare {

inline constexpr std::size_t kSpectralLlds = 15;

class SpectralLlds {
 public:
  // frame_len samples at fs Hz, nfft-point spectra; df = frame_len / (frame_s * nfft).
  SpectralLlds(double fs, std::size_t frame_len, int nfft);

  // magnitude: nfft / 2 + 1 values of this frame; previous: those of the frame before, or null
  // for the first frame (flux 0). Writes kSpectralLlds values. Not thread-safe (scratch).
  void compute(const float* magnitude, const float* previous, float* out) const;

 private:
  struct Band {
    std::size_t lo = 0, hi = 0;  // edge bins iL, iR
    double w_lo = 1.0, w_hi = 1.0;
  };
  std::size_t k_ = 0;            // K = nfft / 2
  std::vector<double> f_;        // f_j, index j = 0..K
  std::vector<double> sharp_w_;  // z_j g(z_j) (Bark, Traunmüller with corrections)
  Band bands_[2];
  double slope_den_ = 1.0;  // K sum f^2 - (sum f)^2
  double sum_f_ = 0.0;
  mutable std::vector<double> p_;  // scratch: P_j
};

}  // namespace dynemo::features::compare
