// Chroma features as librosa 0.11 defines them: chroma_stft (Gaussian bumps over FFT bins),
// chroma_cqt (CQT bins folded onto 12 pitch classes) and chroma_cens.
#pragma once

#include <vector>

#include "features/frame-matrix.h"
#include "features/spectral-shape.h"

namespace dynemo::features {

// librosa.filters.chroma(sr, n_fft, n_chroma=12, tuning, ctroct=5, octwidth=2, norm=2,
// base_c=True): [12, n_fft / 2 + 1] row-major.
std::vector<float> chroma_filterbank(BinFrequencies bins, double tuning);

// chroma_stft of the power spectrogram |X|^2, given the magnitude spectrogram |X| (squared
// here), max-normalised per frame: [T, 12].
FrameMatrix chroma_stft(const FrameMatrix& magnitude, BinFrequencies bins, double tuning);

// Sums the CQT magnitude bins of each pitch class (bins_per_octave / 12 bins centred on it,
// fmin = C1): [T, 12], not normalised.
FrameMatrix fold_cqt_to_chroma(const FrameMatrix& cqt_magnitude, int bins_per_octave);

// Each frame divided by its maximum (frames of zeros stay zero).
void normalize_max(FrameMatrix& m);

// chroma_cens from unnormalised CQT chroma: L1 normalise, quantise (0.4, 0.2, 0.1, 0.05 steps
// of 0.25), smooth over time with a 41-frame Hann window (zero padded at the ends), L2
// normalise per frame.
FrameMatrix chroma_cens(const FrameMatrix& raw_chroma, int smoothing_frames = 41);

}  // namespace dynemo::features
