#include "features/analysis.h"

#include <algorithm>

#include "features/cqt.h"
#include "features/mel.h"
#include "features/stft.h"
#include "features/tuning.h"

namespace dynemo::features {

Analysis::Analysis(const float* y, std::size_t n, const FeatureConfig& config)
    : y_(y), n_(n), config_(config) {}

const FrameMatrix& Analysis::magnitude() {
  if (!magnitude_) magnitude_ = stft_magnitude(y_, n_, config_.n_fft, config_.hop_length);
  return *magnitude_;
}

double Analysis::stft_tuning() {
  if (!stft_tuning_) stft_tuning_ = estimate_tuning(magnitude(), bins(), /*squared=*/true, 12);
  return *stft_tuning_;
}

double Analysis::cqt_tuning() {
  if (!cqt_tuning_) {
    cqt_tuning_ =
        estimate_tuning(magnitude(), bins(), /*squared=*/false, CqtConfig{}.bins_per_octave);
  }
  return *cqt_tuning_;
}

const Analysis::SpectralFrames& Analysis::spectral_frames() {
  if (spectral_) return *spectral_;
  const FrameMatrix& mag = magnitude();
  const std::size_t n_frames = mag.n_frames;
  const std::vector<SparseFilter> mel =
      mel_filterbank(config_.sample_rate_hz, config_.n_fft, 128, 0.0, config_.sample_rate_hz / 2);
  SpectralFrames out{FrameMatrix(n_frames, mel.size()), FrameMatrix(n_frames, 4), {}};
  FrameMatrix peak(n_frames, 7), valley(n_frames, 7);
  TuningPeaks stft_peaks, cqt_peaks;
  const bool need_stft = !stft_tuning_, need_cqt = !cqt_tuning_;
  constexpr std::size_t kBlock = 32;  // 32 frames of 1025 bins: 128 KiB, stays in L2
  for (std::size_t t0 = 0; t0 < n_frames; t0 += kBlock) {
    const std::size_t t1 = std::min(n_frames, t0 + kBlock);
    apply_filters_to_power(mag, mel, t0, t1, out.mel_power);
    spectral_shape_rows(mag, bins(), t0, t1, out.shape);
    contrast_extremes(mag, bins(), t0, t1, peak, valley);
    if (need_stft) collect_tuning_peaks(mag, bins(), /*squared=*/true, t0, t1, stft_peaks);
    if (need_cqt) collect_tuning_peaks(mag, bins(), /*squared=*/false, t0, t1, cqt_peaks);
  }
  if (need_stft) stft_tuning_ = tuning_from_peaks(stft_peaks, 12);
  if (need_cqt) cqt_tuning_ = tuning_from_peaks(cqt_peaks, CqtConfig{}.bins_per_octave);
  out.contrast = contrast_from_extremes(peak, valley);
  spectral_ = std::move(out);
  return *spectral_;
}

void Analysis::plan_cqt(bool tuned, bool untuned) {
  want_tuned_ = want_tuned_ || tuned;
  want_untuned_ = want_untuned_ || untuned;
}

void Analysis::compute_cqts() {
  CqtConfig cqt;
  cqt.hop_length = config_.hop_length;
  std::vector<double> tunings;
  const bool tuned = want_tuned_ && !cqt_tuned_;
  const bool untuned = want_untuned_ && !cqt_untuned_;
  if (tuned) tunings.push_back(cqt_tuning());
  if (untuned) tunings.push_back(0.0);
  if (tunings.empty()) return;
  std::vector<FrameMatrix> out = cqt_magnitude(y_, n_, config_.sample_rate_hz, cqt, tunings);
  std::size_t i = 0;
  if (tuned) cqt_tuned_ = std::move(out[i++]);
  if (untuned) cqt_untuned_ = std::move(out[i++]);
}

const FrameMatrix& Analysis::cqt_tuned() {
  want_tuned_ = true;
  if (!cqt_tuned_) compute_cqts();
  return *cqt_tuned_;
}

const FrameMatrix& Analysis::cqt_untuned() {
  want_untuned_ = true;
  if (!cqt_untuned_) compute_cqts();
  return *cqt_untuned_;
}

}  // namespace dynemo::features
