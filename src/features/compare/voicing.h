// The six voicing-related ComParE LLDs (spec ../shared/docs/compare-lld-spec.md §7-§9):
// F0 by sub-harmonic summation on an octave-scale spectrum of 60 ms Gaussian frames, Viterbi
// smoothing, energy gate, period-synchronous jitter, shimmer and HNR; then the voicing group's
// zero-excluding 3-point smoothing (_sma) and its delta regression (_sma_de) with openSMILE's
// running normaliser.
#pragma once

#include <cstddef>

#include "features/compare/voicing-jitter.h"
#include "features/compare/voicing-smoothing.h"
#include "features/frame-matrix.h"

namespace dynemo::features::compare {

// Which openSMILE LLD graph: ComParE 2016 or the INTERSPEECH 2013 variant (spec §11).
enum class LldVariant { compare2016, is13 };

// x: n mono samples at fs Hz, scaled as openSMILE scales 16-bit PCM (s / 32767).
// n_rows: rows to return, one per 10 ms hop (row t = frame starting at sample t * round(0.01 fs));
// the caller passes (number of complete 60 ms frames) + 1, as spec §10.
// Returns [n_rows, 12]: columns F0final_sma, voicingFinalUnclipped_sma, jitterLocal_sma,
// jitterDDP_sma, shimmerLocal_sma, logHNR_sma, then the same six with _de, in that order.
// Silence and clips shorter than one 60 ms frame give finite values (unvoiced rows).
// carry: jitter/shimmer/HNR state across pieces of one signal (voicing-jitter.h), or nullptr;
// normaliser: the deltas' running normaliser across overlapping pieces (voicing-smoothing.h).
FrameMatrix voicing_llds(const float* x, std::size_t n, double fs, LldVariant variant,
                         std::size_t n_rows, PeriodCarry* carry = nullptr,
                         DeltaNormaliser* normaliser = nullptr);

}  // namespace dynemo::features::compare
