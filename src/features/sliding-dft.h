// A band of STFT bins by the sliding DFT: frame t + 1 follows from frame t in O(hop) work per
// bin, instead of a full FFT per frame. For the CQT's lower octaves (hop 4..64 samples, frames of
// 1024) it is many times cheaper than an FFT per frame, and exact up to rounding: the state is
// kept in double precision.
#pragma once

#include <cstddef>

#include "features/stft.h"

namespace dynemo::features {

// Same frames, batches and layout as for_each_stft_batch with a rectangular window, but only
// bins [bin_lo, bin_hi] are computed; the other bins of re / im are zero.
void for_each_band_stft_batch(const float* y, std::size_t n, int n_fft, int hop_length, int bin_lo,
                              int bin_hi, const StftBatchVisitor& visit);

// Work per frame of the sliding DFT relative to an FFT per frame; below 1 it is the faster way.
double sliding_dft_cost_ratio(int n_fft, int hop_length, int n_band_bins);

}  // namespace dynemo::features
