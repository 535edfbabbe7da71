// Time-domain frame descriptors with librosa's framing (frame_length 2048, hop 512, centred).
#pragma once

#include <cstddef>

#include "features/frame-matrix.h"

namespace dynemo::features {

// librosa.feature.rms(y): sqrt(mean(x^2)) over each zero-padded centred frame: [T, 1].
FrameMatrix frame_rms(const float* y, std::size_t n, int frame_length, int hop_length);

// librosa.feature.zero_crossing_rate(y): fraction of sign changes per frame (edge padded,
// |x| <= 1e-10 counts as zero, zero counts as positive, first pair padded as no crossing): [T, 1].
FrameMatrix frame_zero_crossing_rate(const float* y, std::size_t n, int frame_length,
                                     int hop_length);

}  // namespace dynemo::features
