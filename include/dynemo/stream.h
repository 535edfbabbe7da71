// Live prediction: audio pushed as it plays, arousal and valence per 0.5 s window as soon as
// the window's audio and the features' look-ahead have arrived. dynemo::ml; no LibTorch here.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "dynemo/predict.h"

namespace dynemo {

// What the pushed samples are.
struct StreamFormat {
  double sample_rate_hz = 44100.0;  // any rate from 8 kHz to 384 kHz
  int channels = 1;  // interleaved, 1 to 64, in WAV order; folded to mono as load_audio does
                     // (interleaved_mono_weights, dynemo/audio.h)
  std::string source = "<stream>";  // named in error messages
};

// One window: [time_s, time_s + window_s) of the audio pushed so far.
using StreamRow = PredictionRow;

// A live stream over one loaded model. For the same audio, the rows equal Predictor's
// predict_file / predict_features rows whatever sizes the audio is pushed in (tested to 1e-4).
// Memory stays constant for any length. One stream is used by one thread at a time; several
// streams may share one Predictor.
class Stream {
 public:
  // The predictor must outlive the stream. Throws ConfigError when the model cannot follow a
  // live stream (it reads whole tracks, or features other than `listener`) or for a format out
  // of range.
  Stream(Predictor& predictor, const StreamFormat& format = {});
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Pushes n interleaved float samples in [-1, 1] (any n: a frame split between calls is
  // completed by the next). Returns the rows completed by this audio, in time order (valid
  // until the next call). Throws AudioError naming the source and the sample for a NaN or
  // infinite sample (non_finite) or one beyond +-kMaxSampleMagnitude (out_of_range, check_samples);
  // the stream is unusable after an exception.
  const std::vector<StreamRow>& push(const float* samples, std::size_t n);
  // End of input: the remaining rows (the last windows, which have no look-ahead to wait for).
  const std::vector<StreamRow>& flush();

  // Audio after a window's end that its row waits for (the features' look-ahead plus the
  // resampler's delay at this rate), in seconds: the row of window k comes out once the audio up
  // to its end plus latency_s() has been pushed.
  double latency_s() const;
  // Window length and step of the rows (the model's, 0.5 s).
  double hop_s() const;
  std::size_t n_rows() const;  // rows given so far
  double pushed_s() const;     // audio pushed so far, seconds

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dynemo
