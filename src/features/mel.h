// Mel spectrogram and MFCC as librosa 0.11 defines them (Slaney mel scale and area
// normalisation; MFCC = orthonormal DCT-II of the dB mel power spectrogram).
#pragma once

#include <vector>

#include "features/frame-matrix.h"

namespace dynemo::features {

double hz_to_mel_slaney(double hz);
double mel_to_hz_slaney(double mel);

// One triangular filter: weights for bins [first_bin, first_bin + weights.size()).
struct SparseFilter {
  int first_bin = 0;
  std::vector<float> weights;
};

// librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm="slaney").
std::vector<SparseFilter> mel_filterbank(double sample_rate_hz, int n_fft, int n_mels,
                                         double fmin_hz, double fmax_hz);

// Applies sparse filters to frames [t0, t1) of a [T, n_bins] magnitude spectrogram, squared
// first (so the filters see power), writing those rows of out ([T, n_filters]).
void apply_filters_to_power(const FrameMatrix& magnitude, const std::vector<SparseFilter>& filters,
                            std::size_t t0, std::size_t t1, FrameMatrix& out);

// librosa.power_to_db(S, ref=1, amin, top_db) over the whole matrix: 10 log10(max(amin, S)),
// then clipped below at (global max - top_db). top_db <= 0 disables the clip. With max_db, the
// clip is relative to it instead of this matrix's maximum (a piece of a longer input).
FrameMatrix power_to_db(const FrameMatrix& power, double amin = 1e-10, double top_db = 80.0,
                        const float* max_db = nullptr);
// The largest 10 log10(max(amin, S)) of rows [t0, t1), or `so_far` if larger: power_to_db's
// maximum gathered piece by piece.
float max_power_db(const FrameMatrix& power, std::size_t t0, std::size_t t1, float so_far,
                   double amin = 1e-10);

// First n_mfcc coefficients of the orthonormal DCT-II of each frame of a dB mel spectrogram.
FrameMatrix mfcc_from_db(const FrameMatrix& mel_db, int n_mfcc);

}  // namespace dynemo::features
