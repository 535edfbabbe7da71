// The `listener-compare` feature set: the ComParE 2016 functionals (compare/functional-set.h) of
// the listener set's LLDs instead of openSMILE's: the input band-limited to 8 kHz, power-like
// LLDs in dB above the listener floor, the spectral slope (which scales with the gain) left out.
// What `compare` describes, without anything that changes with the encoding (docs/conventions.md,
// the listener sets).
#pragma once

#include <string>
#include <vector>

#include "dynemo/features.h"
#include "features/frame-matrix.h"
#include "features/listener.h"

namespace dynemo::features {

// Column names without the set prefix (6273): compare's, with the listener LLD names.
const std::vector<std::string>& listener_compare_columns();

// Rows for windows [starts_s[k], starts_s[k] + window_s) from the listener LLD frames, whose frame
// 0 lies at lld_t0_s of the signal; a window with fewer LLD rows (the end of the input) uses those
// present.
FrameMatrix listener_compare_rows(const ListenerLldFrames& lld, double lld_t0_s,
                                  const std::vector<double>& starts_s, double window_s);

// The same from mono samples in [-1, 1] at config.sample_rate_hz (resampled to 16 kHz here).
FrameMatrix listener_compare_windows(const float* samples, std::size_t n,
                                     const FeatureConfig& config,
                                     const std::vector<double>& starts_s);

}  // namespace dynemo::features
