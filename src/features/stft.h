// Short-time Fourier transform with librosa's framing: frames centred at t * hop, the signal
// zero padded by n_fft / 2 on both sides, n_frames = 1 + n_samples / hop.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "features/fft-batch.h"
#include "features/frame-matrix.h"

namespace dynemo::features {

std::size_t count_frames(std::size_t n_samples, int hop_length);

// The signal padded with n_fft / 2 zeros at both ends, so frame t starts at t * hop.
std::vector<float> pad_centered(const float* y, std::size_t n, int n_fft);

// Spectra of frames [first, first + lanes): re[k][j], im[k][j] = bin k of frame first + j.
using StftBatchVisitor =
    std::function<void(std::size_t first, int lanes, const LaneVec* re, const LaneVec* im)>;

// Runs the STFT of y (window: n_fft values, or empty for a rectangular window) in batches of
// kFftLanes frames and hands each batch to `visit`, in frame order.
void for_each_stft_batch(const float* y, std::size_t n, int n_fft, int hop_length,
                         const std::vector<float>& window, const StftBatchVisitor& visit);

// Samples [first, first + size) of a signal of `total` samples (a piece of a long input).
struct SignalPiece {
  const float* data = nullptr;
  std::size_t first = 0;
  std::size_t size = 0;
  std::size_t total = 0;
};

// Frames [t0, t1) of the whole signal's STFT (frame t centred at sample t * hop, zero padded
// beyond the signal's ends) from a piece of it; `visit` gets whole-signal frame numbers. Every
// sample these frames read inside the signal must lie in the piece (Error otherwise).
void for_each_stft_batch(const SignalPiece& piece, int n_fft, int hop_length,
                         const std::vector<float>& window, std::size_t t0, std::size_t t1,
                         const StftBatchVisitor& visit);

// |STFT| with a periodic Hann window: [n_frames, n_fft / 2 + 1].
FrameMatrix stft_magnitude(const float* y, std::size_t n, int n_fft, int hop_length);

}  // namespace dynemo::features
