#include "features/analysis.h"

#include "features/cqt.h"
#include "features/stft.h"
#include "features/tuning.h"

namespace dynemo::features {

Analysis::Analysis(const float* y, std::size_t n, const FeatureConfig& config)
    : y_(y), n_(n), config_(config) {}

const FrameMatrix& Analysis::magnitude() {
  if (!magnitude_) magnitude_ = stft_magnitude(y_, n_, config_.n_fft, config_.hop_length);
  return *magnitude_;
}

const FrameMatrix& Analysis::power() {
  if (!power_) {
    FrameMatrix p = magnitude();
    for (float& v : p.data) v *= v;
    power_ = std::move(p);
  }
  return *power_;
}

double Analysis::stft_tuning() {
  if (!stft_tuning_) stft_tuning_ = estimate_tuning(power(), bins(), 12);
  return *stft_tuning_;
}

double Analysis::cqt_tuning() {
  if (!cqt_tuning_) cqt_tuning_ = estimate_tuning(magnitude(), bins(), CqtConfig{}.bins_per_octave);
  return *cqt_tuning_;
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
