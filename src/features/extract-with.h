// extract_features for a piece of a longer input (file-features.cpp): what the piece cannot
// know on its own comes from the whole input or from the piece before it. Private to
// src/features.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "dynemo/features.h"
#include "features/analysis.h"
#include "features/compare/voicing-smoothing.h"

namespace dynemo::features {

struct PieceState {
  // The spectral and chroma sets' whole-input statistics (tunings, dB maxima).
  std::optional<WholeInputStats> whole;
  // The ComParE voicing deltas' running normaliser, one per LLD variant (LldVariant's order:
  // ComParE 2016, INTERSPEECH 2013), with its rows in this piece's LLD rows.
  compare::DeltaNormaliser normaliser[2];
  // The psychoacoustic set's rows of the whole input (row k at offset_s + k hop_s) and the
  // number of this piece's first row among them.
  const FrameMatrix* psychoacoustic_rows = nullptr;
  std::size_t first_row = 0;
};

// extract_features(spec, ...) with `piece` (nullptr: the input is whole).
FeatureMatrix extract_features_with(const std::string& spec, const float* samples,
                                    std::size_t n_samples, double sample_rate_hz,
                                    const FeatureConfig& config, const std::string& source,
                                    PieceState* piece);

}  // namespace dynemo::features
