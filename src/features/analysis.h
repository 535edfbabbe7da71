// The frame-level intermediates that feature sets share (STFT, tunings, CQTs), computed once
// per input on first use.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>

#include "dynemo/features.h"
#include "features/frame-matrix.h"
#include "features/spectral-shape.h"

namespace dynemo::features {

class Analysis {
 public:
  // y must outlive the Analysis. config must be valid.
  Analysis(const float* y, std::size_t n, const FeatureConfig& config);

  const FeatureConfig& config() const { return config_; }
  const float* samples() const { return y_; }
  std::size_t n_samples() const { return n_; }
  BinFrequencies bins() const { return {config_.sample_rate_hz, config_.n_fft}; }

  const FrameMatrix& magnitude();  // |STFT|, periodic Hann: [T, n_fft / 2 + 1]
  double stft_tuning();            // estimated from |STFT|^2 at 12 bins per octave (chroma_stft)
  double cqt_tuning();             // estimated from |STFT| at 36 bins per octave (chroma_cqt)

  // Frame-level descriptors of the magnitude spectrogram, computed in one pass over it in
  // blocks of frames that stay in cache (with both tunings, if not known yet).
  struct SpectralFrames {
    FrameMatrix mel_power;  // [T, 128] Slaney mel bands of |STFT|^2
    FrameMatrix shape;      // [T, 4] centroid, bandwidth, flatness, rolloff
    FrameMatrix contrast;   // [T, 7] spectral contrast (dB)
  };
  const SpectralFrames& spectral_frames();

  // Declares which CQTs will be needed so that both are computed in one pass.
  void plan_cqt(bool tuned, bool untuned);
  const FrameMatrix& cqt_tuned();    // |CQT| at the estimated tuning (for chroma)
  const FrameMatrix& cqt_untuned();  // |CQT| at tuning 0 (the cqt set)

 private:
  void compute_cqts();

  const float* y_;
  std::size_t n_;
  FeatureConfig config_;
  bool want_tuned_ = false, want_untuned_ = false;
  std::optional<FrameMatrix> magnitude_, cqt_tuned_, cqt_untuned_;
  std::optional<SpectralFrames> spectral_;
  std::optional<double> stft_tuning_, cqt_tuning_;
};

}  // namespace dynemo::features
