// Tuning estimation as librosa.estimate_tuning: parabolic-interpolated spectral peaks
// (librosa.piptrack, 150-4000 Hz, threshold 0.1 of the frame maximum), those at or above the
// median peak magnitude, and the histogram peak (resolution 0.01) of their deviation from the
// equal-tempered grid, in fractions of a bin at bins_per_octave.
#pragma once

#include <vector>

#include "features/frame-matrix.h"
#include "features/spectral-shape.h"

namespace dynemo::features {

// spectrum: [T, n_fft / 2 + 1], magnitudes (or powers: librosa passes whichever it has).
double estimate_tuning(const FrameMatrix& spectrum, BinFrequencies bins, int bins_per_octave);

// librosa.pitch_tuning: histogram peak of the deviation of `frequencies_hz` from A440-based
// equal temperament at bins_per_octave, in [-0.5, 0.5). 0 when there are no frequencies.
double pitch_tuning(const std::vector<double>& frequencies_hz, int bins_per_octave,
                    double resolution = 0.01);

}  // namespace dynemo::features
