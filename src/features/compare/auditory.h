// The ComParE mel filterbank and the auditory spectra built on it (spec
// ../shared/docs/compare-lld-spec.md §3-§4): 26 triangular bands 20-8000 Hz on the mel scale
// 1127 ln(1 + f / 700), applied to the power of the 20 ms spectrum; the PLP equal-loudness
// weighting (Hermansky 1990) with cube-root-like compression (^0.33); and the RASTA band-pass
// (1-29 Hz) of the log bands.
#pragma once

#include <array>
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

// The RASTA filter's state where a run continues from an earlier one (a live stream computes the
// LLDs of overlapping pieces of its signal): per band L_{t-1} .. L_{t-4} and y_{t-1}.
struct RastaState {
  std::array<std::array<double, 5>, kMelBands> bands{};
};
struct RastaCarry {
  std::size_t first_row = 0;          // global index of this input's frame 0
  std::size_t start_row = 0;          // global index of the frame `start` is the state before
  const RastaState* start = nullptr;  // in: restored there (frames before it: a fresh filter)
  std::size_t capture_row = 0;        // global index of the frame whose state is wanted
  RastaState captured;                // out: the state before capture_row, if it is in this input
  bool has_captured = false;
};

// frame_period_s: time between frames (0.01 s). RASTA: y_t = sum_k b_k L_{t-k} + a y_{t-1} on
// L = ln(max(mel, 9.3e-10)), outputs of frames 0..4 forced to 0, feedback from frame 6 on;
// R = exp(0.33 (y + ln E_b)).
// With `carry`, the filter continues from carry->start (outputs and startup counted on global
// rows) and the state before carry->capture_row is saved: pieces give the whole input's values.
AuditoryLlds auditory_llds(const FrameMatrix& mel, const MelBank& bank, double frame_period_s,
                           RastaCarry* carry = nullptr);

}  // namespace dynemo::features::compare
