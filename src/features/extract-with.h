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
#include "features/frame-matrix.h"
#include "features/listener.h"

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

// What the sets of one extract_features_with call share: the ComParE LLDs of each variant
// (LldVariant's order), computed once for every set that summarises them, so that several
// ComParE sets cost one LLD pass and a piece's running normaliser advances once; the listener
// sets' LLD frames likewise. Lives for the call (ScopedSharedRows in extract.cpp);
// current_shared_rows() is null outside one.
struct SharedRows {
  std::optional<FrameMatrix> compare_llds[2];
  std::optional<ListenerLldFrames> listener_llds;
};
SharedRows* current_shared_rows();

// extract_features(spec, ...) with `piece` (nullptr: the input is whole).
FeatureMatrix extract_features_with(const std::string& spec, const float* samples,
                                    std::size_t n_samples, double sample_rate_hz,
                                    const FeatureConfig& config, const std::string& source,
                                    PieceState* piece);

}  // namespace dynemo::features
