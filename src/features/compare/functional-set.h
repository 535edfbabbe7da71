// The `compare` feature set: openSMILE 3.0's ComParE 2016 functionals (6373 per window) of the
// ComParE LLDs, in its column order and with its names (docs/compare-functionals.md). Six
// components, as ComParE_2016_core.func.conf.inc defines them, each a list of functional
// families over a group of LLD columns: the energy LLDs (A) and the spectral LLDs (B) with their
// deltas, the voicing LLDs with their deltas over their non-zero frames only (Nz), F0's voiced
// segments, the A and B LLDs (means, peaks, regression) and their deltas (means, peaks).
#pragma once

#include <string>
#include <vector>

#include "features/frame-matrix.h"

namespace dynemo::features::compare {

// The 6373 column names, "pcm_RMSenergy_sma_range", ..., "mfcc_sma_de[14]_stddevFallingSlope".
const std::vector<std::string>& functional_columns();

// For each of those columns, the LLD column (of the 130) it summarises.
const std::vector<std::size_t>& functional_sources();

// Row k: the functionals over the LLD rows [round(starts_s[k] / 0.01), + round(span_s / 0.01))
// of `llds` (the 130 compare-lld columns at 100 Hz); windows with fewer rows use those present
// (the set's usable duration keeps only complete ones).
FrameMatrix compare_functionals(const FrameMatrix& llds, const std::vector<double>& starts_s,
                                double span_s);

}  // namespace dynemo::features::compare
