// Spectral shape descriptors of a magnitude spectrogram [T, n_fft / 2 + 1], as librosa 0.11
// defines them (librosa.feature.spectral_*). Silent frames give finite values.
#pragma once

#include "features/frame-matrix.h"

namespace dynemo::features {

// Frequency of bin k is k * sample_rate_hz / n_fft.
struct BinFrequencies {
  double sample_rate_hz;
  int n_fft;
  double hz(std::size_t k) const { return static_cast<double>(k) * sample_rate_hz / n_fft; }
};

// Columns: centroid (Hz), bandwidth (p = 2, Hz), flatness (power 2, amin 1e-10), rolloff (85 %).
FrameMatrix spectral_shape(const FrameMatrix& magnitude, BinFrequencies bins);
// The same for frames [t0, t1), written to those rows of out ([T, 4]).
void spectral_shape_rows(const FrameMatrix& magnitude, BinFrequencies bins, std::size_t t0,
                         std::size_t t1, FrameMatrix& out);

// Spectral contrast: 6 octave bands from 200 Hz plus the band below, quantile 0.02, in dB with
// librosa's global top_db = 80 clip applied to peaks and valleys separately: [T, 7].
FrameMatrix spectral_contrast(const FrameMatrix& magnitude, BinFrequencies bins);

// The same in steps: the band means of the top and bottom 2 % per frame range ([T, 7] each),
// then the dB difference once all frames are in (the dB clip depends on all of them).
void contrast_extremes(const FrameMatrix& magnitude, BinFrequencies bins, std::size_t t0,
                       std::size_t t1, FrameMatrix& peak, FrameMatrix& valley);
// With max_db ({peak, valley}), the dB clips are relative to those maxima (of a longer input).
FrameMatrix contrast_from_extremes(const FrameMatrix& peak, const FrameMatrix& valley,
                                   const float* max_db = nullptr);

}  // namespace dynemo::features
