// The 130 ComParE LLD columns (65 "_sma" + 65 "_sma_de", openSMILE's order, spec
// ../shared/docs/compare-lld-spec.md §10) of a whole input, one row per 10 ms.
#pragma once

#include <cstddef>
#include <vector>

#include "features/compare/auditory.h"
#include "features/compare/voicing.h"
#include "features/frame-matrix.h"

namespace dynemo::features::compare {

// Time between LLD rows: row t is the frame starting at t * 10 ms (frameTime = 0.01 t).
inline constexpr double kRowPeriod_s = 0.010;

// Rows of the LLD table of n samples at fs Hz: complete 60 ms frames + 1 (spec §10; 4496 for
// 45 s at 44.1 kHz). 1 when the input is shorter than one 60 ms frame.
std::size_t lld_row_count(std::size_t n, double fs);

// y scaled from libsndfile's s / 32768 to openSMILE's s / 32767 (x 32768 / 32767).
std::vector<float> opensmile_scaled(const float* y, std::size_t n);

// The LLD table [lld_row_count(n, fs), 130] of x (n samples at fs Hz, already scaled as
// openSMILE scales 16-bit PCM: s / 32767). The voicing columns (0-5, 65-70) come from
// voicing_llds; the others are computed here from 20 ms Hamming frames (auditory spectra,
// energy, spectral LLDs, MFCC) and raw 60 ms frames (zero-crossing rate), then smoothed and
// delta-regressed. `variant` picks the FFT zero padding (centred for ComParE 2016, at the end
// for IS13; the magnitudes agree up to rounding) and is passed on to the voicing group.
// The state a live stream carries from piece to piece of one signal: the RASTA filter's
// (auditory.h) and the period tracker's (voicing-jitter.h); the other LLDs forget their start
// within 0.5 s.
struct LldCarry {
  RastaCarry rasta;
  PeriodCarry period;
};

// With `carry`, the RASTA filter and the period tracker continue across calls; with
// `normaliser`, the voicing deltas' running normaliser (voicing-smoothing.h).
FrameMatrix compare_llds(const float* x, std::size_t n, double fs, LldVariant variant,
                         LldCarry* carry = nullptr, DeltaNormaliser* normaliser = nullptr);

}  // namespace dynemo::features::compare
