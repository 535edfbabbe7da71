// The frame-level intermediates that feature sets share (STFT, tunings, CQTs), computed once
// per input on first use.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>

#include "dynemo/features.h"
#include "features/frame-matrix.h"
#include "features/mel.h"
#include "features/spectral-shape.h"
#include "features/tuning.h"

namespace dynemo::features {

// What the spectral and chroma sets take from their whole input rather than frame by frame:
// the chromagram tunings and the maxima that the dB clips (top_db 80) are relative to. A piece
// of a longer input is given those of the whole input (file-features.cpp).
struct WholeInputStats {
  Tunings tunings;
  float mel_max_db = 0.0f;                  // the MFCC's mel power in dB
  float contrast_max_db[2] = {0.0f, 0.0f};  // spectral contrast: band peaks, band valleys
};

// Gathers WholeInputStats from the magnitude spectrogram of an input, frame range by frame
// range (each frame once).
class WholeInputGatherer {
 public:
  explicit WholeInputGatherer(const FeatureConfig& config);
  void add(const FrameMatrix& magnitude, std::size_t t0, std::size_t t1);
  WholeInputStats result() const;

 private:
  FeatureConfig config_;
  std::vector<SparseFilter> mel_;
  TuningVotes stft_votes_, cqt_votes_;
  float mel_max_db_, peak_max_db_, valley_max_db_;
};

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
  // Uses these instead of what this input gives on its own (a piece of a longer input).
  void set_whole_input(const WholeInputStats& stats);
  // The maximum the MFCC's dB clip is relative to, when set_whole_input gave one.
  const float* mel_max_db() const { return whole_ ? &whole_->mel_max_db : nullptr; }

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
  std::optional<WholeInputStats> whole_;
};

}  // namespace dynemo::features
