// The ComParE mel filterbank and the auditory spectra built on it (spec
// ../shared/docs/compare-lld-spec.md §3-§4): 26 triangular bands 20-8000 Hz on the mel scale
// 1127 ln(1 + f / 700), applied to the power of the 20 ms spectrum; the PLP equal-loudness
// weighting (Hermansky 1990) with cube-root-like compression (^0.33); and the RASTA band-pass
// (1-29 Hz) of the log bands.
#pragma once

#include <cstddef>
#include <vector>

#include "features/frame-matrix.h"

namespace dynemo::features::compare {

inline constexpr std::size_t kMelBands = 26;

class MelBank {
 public:
  // frame_len samples per frame at fs Hz, transformed with an nfft-point FFT. The bin spacing is
  // frame_len / (frame_s * nfft) with frame_s = frame_len / fs, as openSMILE derives it.
  MelBank(double fs, std::size_t frame_len, int nfft);

  // mel[b] = sum_k W[b, k] * magnitude[k]^2 over bins round(20 / df) < k < round(8000 / df);
  // linear, sample scale -1..1, no area normalisation.
  void apply(const float* magnitude, float* mel) const;

  // Centre frequency (Hz) of band b: the peak of its triangle.
  double centre_hz(std::size_t b) const { return centres_hz_[b]; }

 private:
  struct Band {
    std::size_t first_bin = 0;
    std::vector<float> weights;  // for bins first_bin, first_bin + 1, ...
  };
  std::vector<Band> bands_;
  std::vector<double> centres_hz_;
};

// PLP equal-loudness weight E(f) at f Hz (non-HTK form, §4.1).
double equal_loudness(double f_hz);

// LLDs of the auditory spectrum over all frames of `mel` ([T, 26] from MelBank::apply).
struct AuditoryLlds {
  std::vector<float> loudness;        // audspec_lengthL1norm: mean_b (max(mel, 9.3e-10) E_b)^0.33
  FrameMatrix rasta;                  // audSpec_Rfilt[0..25]: [T, 26]
  std::vector<float> rasta_loudness;  // audspecRasta_lengthL1norm: mean_b of rasta
};

// frame_period_s: time between frames (0.01 s). RASTA: y_t = sum_k b_k L_{t-k} + a y_{t-1} on
// L = ln(max(mel, 9.3e-10)), outputs of frames 0..4 forced to 0, feedback from frame 6 on;
// R = exp(0.33 (y + ln E_b)).
AuditoryLlds auditory_llds(const FrameMatrix& mel, const MelBank& bank, double frame_period_s);

}  // namespace dynemo::features::compare
