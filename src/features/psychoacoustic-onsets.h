// The onset-detection curve shared by tempo and event density, and the onsets (events) it
// holds. Our own band-envelope equivalent of MIRtoolbox's mironsets 'Envelope' curve
// (compare-lld-spec.md §16.3 step 1: 10 ERB-spaced Gammatone bands, envelope, differentiation,
// sum over bands); every difference from it is stated in the .cpp.
#pragma once

#include <cstddef>
#include <vector>

namespace dynemo::features {

// values[t] is the onset strength of the frame centred at t / rate_hz seconds (>= 0).
struct OnsetCurve {
  double rate_hz = 0.0;
  std::vector<float> values;
};

// x: n mono samples at fs Hz. Frames of next_pow2(round(0.023 fs)) samples (1024 at 44.1 kHz,
// 23 ms), hop a quarter of that (256, 5.8 ms: 172 Hz), Hann window, centred and zero padded.
// The magnitude spectrum is summed in 10 bands equally spaced on the ERB-rate scale from 50 Hz
// to fs / 2; each band envelope is log-compressed, log(1 + 1000 e / E) with E the clip's largest
// total envelope; the curve is the sum over bands of the half-wave rectified first difference of
// the compressed envelopes, values below log(2) (a rise of 0.1 % of E from silence) set to 0,
// then smoothed by a centred 50 ms Hann window. The difference at frame 0 is 0 (nothing to rise
// from), so a sound already loud in the first frame (6 ms) makes no onset. Silence gives zeros.
OnsetCurve onset_curve(const float* x, std::size_t n, double fs);

// The same in two steps, the first piece by piece: the band envelopes of frames [t0, t1) of
// the whole signal appended to `envelopes` (10 per frame, frames [0, t0) already there), then
// the curve from all of them (the compression is relative to the loudest frame of the whole).
struct SignalPiece;
void add_onset_envelopes(const SignalPiece& x, double fs, std::size_t t0, std::size_t t1,
                         std::vector<float>& envelopes);
OnsetCurve onset_curve_from_envelopes(std::vector<float> envelopes, double fs);
std::size_t onset_hop(double fs);                         // samples
std::size_t onset_frame_count(std::size_t n, double fs);  // of a signal of n samples

// Onset times (s) of the curve, picked as onset detectors do (librosa's onset_detect defaults,
// on the curve scaled to its maximum over the clip; details in the .cpp), refined by parabolic
// interpolation. Increasing; empty for a curve of zeros. None within 50 ms of the input's start
// or end, so cutting an excerpt from a song adds none.
std::vector<double> onset_times_s(const OnsetCurve& curve);

}  // namespace dynemo::features
