// The `listener` feature set: what a listener hears, and nothing that changes with the encoding.
// The input is band-limited to 8 kHz (analysed at 16 kHz, below every lossy codec's low-pass),
// every power-like value is in dB above an absolute floor (white noise at -70 dBFS), so the
// decoder's noise floor, the sample format and bands above what an MP3 keeps never reach a model.
// Definitions: docs/conventions.md, "The listener set".
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "dynemo/features.h"
#include "features/compare/llds.h"
#include "features/frame-matrix.h"

namespace dynemo::features {

inline constexpr double kListenerRate_hz = 16000.0;     // analysis rate: band 0-8 kHz
inline constexpr int kListenerFft = 1024;               // 64 ms Hann frames at 16 kHz
inline constexpr int kListenerHop = 320;                // 20 ms: two ComParE LLD rows per frame
inline constexpr int kListenerMels = 64;                // 30 Hz - 8 kHz
inline constexpr double kListenerFloor_dbfs = -70.0;    // power floor: white noise at this level
inline constexpr double kListenerPulseContext_s = 3.0;  // onset history of the pulse clarity
inline constexpr int kListenerRevision = 3;             // feature hash: "listener@3"

// The 64 LLDs the set keeps (the ComParE LLDs but the spectral slope, which scales with the gain),
// named as ComParE names them with "_db" for those in dB and "_log10" for the log kurtosis.
inline constexpr std::size_t kListenerDroppedLld = 48;  // pcm_fftMag_spectralSlope_sma
const std::vector<std::string>& listener_lld_names();

// Column names without the set prefix, in output order (348).
const std::vector<std::string>& listener_columns();

// [starts_s.size(), listener_columns().size()]: row k summarises [starts_s[k], starts_s[k] +
// config.window_s). samples are mono in [-1, 1] at config.sample_rate_hz (resampled to 16 kHz
// here when that is another rate; the default model decodes at 16 kHz directly).
FrameMatrix listener_windows(const float* samples, std::size_t n, const FeatureConfig& config,
                             const std::vector<double>& starts_s);

// The same in two steps, for callers that analyse a signal piece by piece (the live stream):
// frame-level values of 16 kHz samples y[0, n), then window rows from frames. Frame 0 of each
// lies at the start of the samples it was computed from.
struct ListenerLldFrames {
  FrameMatrix llds;    // [rows, 64] every 10 ms: the kept ComParE LLDs, power-like ones in dB
  FrameMatrix deltas;  // [rows, 64] their delta regression (+-2 rows)
};
struct ListenerSpectrumFrames {  // every 20 ms, centred 64 ms Hann frames
  FrameMatrix mel_db;            // [T, 64] log-mel above the floor
  FrameMatrix flux;              // [T, 1] onset flux (0 for frame 0)
  FrameMatrix contrast;          // [T, 7] octave contrast
  FrameMatrix chroma;            // [T, 12] chroma_stft, max-normalised per frame
};
// carry: the LLD state across pieces of one signal (compare/llds.h), or nullptr.
ListenerLldFrames listener_lld_frames(const float* y, std::size_t n,
                                      compare::LldCarry* carry = nullptr);
ListenerSpectrumFrames listener_spectrum_frames(const float* y, std::size_t n);
// The input at kListenerRate_hz: `samples` itself when it is at that rate, else resampled into
// *storage (which the result then points into).
struct ListenerInput {
  const float* y;
  std::size_t n;
};
ListenerInput at_listener_rate(const float* samples, std::size_t n, double rate_hz,
                               std::vector<float>* storage);

// listener_lld_frames of a whole input, computed once per extraction for every listener set of
// it (SharedRows, extract-with.h); *own holds them outside an extraction.
const ListenerLldFrames& shared_listener_lld_frames(const float* y, std::size_t n,
                                                    ListenerLldFrames* own);

// Rows for windows [starts_s[k], starts_s[k] + window_s) in seconds of the signal, from frames
// whose frame 0 lies at lld_t0_s and spectrum_t0_s of it (multiples of 20 ms). The spectrum
// frames must reach kListenerPulseContext_s before each window's end (or the signal's start).
FrameMatrix listener_rows(const ListenerLldFrames& lld, double lld_t0_s,
                          const ListenerSpectrumFrames& spectrum, double spectrum_t0_s,
                          const std::vector<double>& starts_s, double window_s);

}  // namespace dynemo::features
