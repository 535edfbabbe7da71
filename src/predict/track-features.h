// Features of a whole audio file on the window grid from its start, decoded in chunks so that
// an hour of audio never sits in memory at once. No LibTorch.
#pragma once

#include <string>

#include "dynemo/features.h"

namespace dynemo::predict {

// Files up to this long are decoded and analysed in one piece (exactly what training saw).
constexpr double kWholeFileMaxS = 180.0;
// Longer files: chunks of about this much audio, each read with this much audio on both sides
// so that every window sees the context it would see in the whole file (the longest CQT filter
// spans about 1.6 s). Tuning estimates are per chunk, the only difference from a whole-file run.
constexpr double kChunkS = 60.0;
constexpr double kChunkMarginS = 5.0;

// Rows start at config.offset_s + k * hop_s from the file start (time_s in seconds from the start
// of the file). *duration_s gets the decoded length. Throws AudioError naming `path` for
// unusable audio (including a file shorter than one window).
FeatureMatrix extract_track_features(const std::string& path, const std::string& spec,
                                     const FeatureConfig& config, double* duration_s);

}  // namespace dynemo::predict
