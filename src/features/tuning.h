// Tuning estimation as librosa.estimate_tuning: parabolic-interpolated spectral peaks
// (librosa.piptrack, 150-4000 Hz, threshold 0.1 of the frame maximum), those at or above the
// median peak magnitude, and the histogram peak (resolution 0.01) of their deviation from the
// equal-tempered grid, in fractions of a bin at bins_per_octave.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "features/frame-matrix.h"
#include "features/spectral-shape.h"

namespace dynemo::features {

// The spectral peaks librosa.piptrack finds, gathered frame range by frame range, kept as what
// the estimate needs: each peak's magnitude and its histogram bin (resolution 0.01) at
// bins_per_octave, 9 bytes a peak, so that the peaks of hours of audio can be collected in
// pieces and give the same estimate as the whole.
struct TuningVotes {
  static constexpr int kHistogramBins = 100;
  static constexpr std::uint8_t kNoBin = 255;  // a peak at 0 Hz: counted in the median only

  explicit TuningVotes(bool squared_spectrum, int bins_per_octave_)
      : squared(squared_spectrum), bins_per_octave(bins_per_octave_) {}
  bool squared;         // analyse |X|^2 instead of |X| (librosa analyses whichever spectrogram
                        // it is handed: the power one for chroma_stft, the magnitude one for
                        // chroma_cqt)
  int bins_per_octave;  // 12 for chroma_stft, 36 for chroma_cqt
  std::vector<double> magnitudes;
  std::vector<std::uint8_t> bins;
};

// The tunings of an input's two chromagrams, in fractions of a bin.
struct Tunings {
  double stft = 0.0;  // chroma_stft: |X|^2 at 12 bins per octave
  double cqt = 0.0;   // chroma_cqt: |X| at 36 bins per octave
};

// Adds the peaks of frames [t0, t1) of a magnitude spectrogram [T, n_fft / 2 + 1].
void collect_tuning_votes(const FrameMatrix& magnitude, BinFrequencies bins, std::size_t t0,
                          std::size_t t1, TuningVotes& votes);

// The tuning of the collected peaks: the histogram peak of those at or above their median
// magnitude; 0 without peaks.
double tuning_from_votes(const TuningVotes& votes);

// Both steps over all frames.
double estimate_tuning(const FrameMatrix& magnitude, BinFrequencies bins, bool squared,
                       int bins_per_octave);

// librosa.pitch_tuning: histogram peak of the deviation of `frequencies_hz` from A440-based
// equal temperament at bins_per_octave, in [-0.5, 0.5). 0 when there are no frequencies.
double pitch_tuning(const std::vector<double>& frequencies_hz, int bins_per_octave,
                    double resolution = 0.01);

}  // namespace dynemo::features
