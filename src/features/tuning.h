// Tuning estimation as librosa.estimate_tuning: parabolic-interpolated spectral peaks
// (librosa.piptrack, 150-4000 Hz, threshold 0.1 of the frame maximum), those at or above the
// median peak magnitude, and the histogram peak (resolution 0.01) of their deviation from the
// equal-tempered grid, in fractions of a bin at bins_per_octave.
#pragma once

#include <vector>

#include "features/frame-matrix.h"
#include "features/spectral-shape.h"

namespace dynemo::features {

// Spectral peaks found by librosa.piptrack, gathered frame range by frame range.
struct TuningPeaks {
  std::vector<double> pitches_hz, magnitudes;
};

// Adds the peaks of frames [t0, t1) of a magnitude spectrogram [T, n_fft / 2 + 1]. squared:
// analyse |X|^2 instead of |X| (librosa analyses whichever spectrogram it is handed: the power
// one for chroma_stft, the magnitude one for chroma_cqt).
void collect_tuning_peaks(const FrameMatrix& magnitude, BinFrequencies bins, bool squared,
                          std::size_t t0, std::size_t t1, TuningPeaks& peaks);

// The tuning of the collected peaks: those at or above their median magnitude, histogrammed.
double tuning_from_peaks(const TuningPeaks& peaks, int bins_per_octave);

// Both steps over all frames.
double estimate_tuning(const FrameMatrix& magnitude, BinFrequencies bins, bool squared,
                       int bins_per_octave);

// librosa.pitch_tuning: histogram peak of the deviation of `frequencies_hz` from A440-based
// equal temperament at bins_per_octave, in [-0.5, 0.5). 0 when there are no frequencies.
double pitch_tuning(const std::vector<double>& frequencies_hz, int bins_per_octave,
                    double resolution = 0.01);

}  // namespace dynemo::features
