// The `listener` set computed live: audio pushed in pieces of any size gives, window by window,
// the rows extract_features("listener", ...) gives for the whole signal. No LibTorch.
#pragma once

#include <cstddef>
#include <vector>

#include "dynemo/audio.h"
#include "dynemo/features.h"
#include "features/listener.h"

namespace dynemo::features {

class ListenerStream {
 public:
  // How much audio before a window's start its LLD rows are computed from: the pitch tracker's
  // memory (its Viterbi paths agree again within this: exact on 263 real clips at 0.3 s and at
  // 0.5 s). The RASTA filter and the period tracker, whose memory is longer, carry their state
  // from piece to piece instead (compare::LldCarry).
  static constexpr double kLookBackS = 0.5;
  // The carried state is restored this long before each window's first LLD row: the rows its
  // smoothing (+-1) and delta regressions (+-2, twice) reach back to.
  static constexpr double kStateLeadS = 0.1;
  // How much audio after a window's end its row waits for: the pitch tracker decides a frame
  // within 30 rows (0.3 s), then smoothing (+-1 row), deltas (+-2 rows), 60 ms frames.
  static constexpr double kLookAheadS = 0.42;

  // config: the model's feature configuration; samples arrive mono at config.sample_rate_hz and
  // windows start at k * config.hop_s. Throws ConfigError for an invalid configuration.
  explicit ListenerStream(const FeatureConfig& config);

  // Appends the rows of the windows now complete to `out` (columns set on the first call).
  void push(const float* samples, std::size_t n, FeatureMatrix& out);
  // End of input: appends the remaining rows, up to count_windows() of all samples pushed.
  void finish(FeatureMatrix& out);

  std::size_t n_pushed() const { return n_in_; }

 private:
  void emit(std::size_t k_end, bool final, FeatureMatrix& out);
  void compute_spectrum(std::size_t frame_end, std::size_t signal_end);
  void trim();
  double start_of(std::size_t k) const { return static_cast<double>(k) * config_.hop_s; }
  // First sample of the LLD piece of window k (on the 20 ms grid).
  std::size_t lld_start(std::size_t k) const;
  std::size_t default_lld_start(std::size_t k) const;
  std::size_t state_row(std::size_t k) const;

  FeatureConfig config_;
  StreamingResampler resampler_;
  std::size_t n_in_ = 0;  // samples pushed, at config_.sample_rate_hz
  std::vector<float> y_;  // 16 kHz signal from sample y0_
  std::size_t y0_ = 0;
  ListenerSpectrumFrames spectrum_;  // frames from spectrum0_ to spectrum_end_
  std::size_t spectrum0_ = 0, spectrum_end_ = 0;
  std::size_t next_window_ = 0;
  bool finished_ = false;
  // The LLD state (RASTA filter, period tracker) before LLD row state_row_ (0: none yet).
  compare::RastaState rasta_;
  compare::PeriodState period_;
  std::size_t state_row_ = 0;
};

}  // namespace dynemo::features
