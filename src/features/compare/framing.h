// openSMILE's framing of the ComParE LLDs (spec ../shared/docs/compare-lld-spec.md §1): frame t
// covers samples [t * hop, t * hop + frame_len), only complete frames, hop = round(0.010 fs);
// windowed frames are zero padded to the next power of two and transformed (unnormalised
// magnitude, no 1/N scaling).
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace dynemo::features::compare {

// Frame lengths and hop in samples at fs Hz (round(seconds * fs)).
struct FrameGeometry {
  std::size_t hop = 0;        // 10 ms
  std::size_t short_len = 0;  // 20 ms: energy, auditory spectrum, MFCC, spectral LLDs
  std::size_t long_len = 0;   // 60 ms: zero-crossing rate (and the voicing group)
  int short_nfft = 0;         // next power of two >= short_len (1024 at 44.1 kHz)
};
FrameGeometry frame_geometry(double fs);

// Complete frames of frame_len samples at the given hop in n samples: floor((n - len) / hop) + 1.
std::size_t count_complete_frames(std::size_t n, std::size_t frame_len, std::size_t hop);

// Smallest power of two >= n.
int next_power_of_two(std::size_t n);

// Hamming window without normalisation: 0.54 - 0.46 cos(2 pi i / (n - 1)).
std::vector<float> hamming_window(std::size_t n);

// Magnitude spectra of frames [first, first + lanes): mags[j] points to nfft / 2 + 1 values of
// frame first + j. The buffers are reused by the next batch.
using MagnitudeVisitor =
    std::function<void(std::size_t first, int lanes, const float* const* mags)>;

// Visits the magnitude spectra of n_frames frames of x, in frame order, 8 frames per batch (the
// batched FFT of fft-batch.h). Each frame is multiplied by `window` (frame_len values), placed
// at offset pad_left in an nfft buffer of zeros and transformed. Requires
// pad_left + frame_len <= nfft and the frames inside x.
void for_each_magnitude_batch(const float* x, std::size_t n_frames, std::size_t frame_len,
                              std::size_t hop, int nfft, std::size_t pad_left,
                              const std::vector<float>& window, const MagnitudeVisitor& visit);

}  // namespace dynemo::features::compare
