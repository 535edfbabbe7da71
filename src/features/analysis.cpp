#include "features/analysis.h"

#include <algorithm>
#include <limits>

#include "features/cqt.h"
#include "features/mel.h"
#include "features/stft.h"
#include "features/tuning.h"

namespace dynemo::features {
namespace {
const int kCqtBinsPerOctave = CqtConfig{}.bins_per_octave;
}  // namespace

Analysis::Analysis(const float* y, std::size_t n, const FeatureConfig& config)
    : y_(y), n_(n), config_(config) {}

WholeInputGatherer::WholeInputGatherer(const FeatureConfig& config)
    : config_(config),
      mel_(
          mel_filterbank(config.sample_rate_hz, config.n_fft, 128, 0.0, config.sample_rate_hz / 2)),
      stft_votes_(/*squared=*/true, 12),
      cqt_votes_(/*squared=*/false, kCqtBinsPerOctave),
      mel_max_db_(-std::numeric_limits<float>::infinity()),
      peak_max_db_(-std::numeric_limits<float>::infinity()),
      valley_max_db_(-std::numeric_limits<float>::infinity()) {}

void WholeInputGatherer::add(const FrameMatrix& mag, std::size_t t0, std::size_t t1) {
  const BinFrequencies bins{config_.sample_rate_hz, config_.n_fft};
  collect_tuning_votes(mag, bins, t0, t1, stft_votes_);
  collect_tuning_votes(mag, bins, t0, t1, cqt_votes_);
  FrameMatrix mel(mag.n_frames, mel_.size()), peak(mag.n_frames, 7), valley(mag.n_frames, 7);
  apply_filters_to_power(mag, mel_, t0, t1, mel);
  contrast_extremes(mag, bins, t0, t1, peak, valley);
  mel_max_db_ = max_power_db(mel, t0, t1, mel_max_db_);
  peak_max_db_ = max_power_db(peak, t0, t1, peak_max_db_);
  valley_max_db_ = max_power_db(valley, t0, t1, valley_max_db_);
}

WholeInputStats WholeInputGatherer::result() const {
  WholeInputStats s;
  s.tunings = {tuning_from_votes(stft_votes_), tuning_from_votes(cqt_votes_)};
  s.mel_max_db = mel_max_db_;
  s.contrast_max_db[0] = peak_max_db_;
  s.contrast_max_db[1] = valley_max_db_;
  return s;
}

void Analysis::set_whole_input(const WholeInputStats& stats) {
  whole_ = stats;
  stft_tuning_ = stats.tunings.stft;
  cqt_tuning_ = stats.tunings.cqt;
}

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
    cqt_tuning_ = estimate_tuning(magnitude(), bins(), /*squared=*/false, kCqtBinsPerOctave);
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
  TuningVotes stft_votes(/*squared=*/true, 12), cqt_votes(/*squared=*/false, kCqtBinsPerOctave);
  const bool need_stft = !stft_tuning_, need_cqt = !cqt_tuning_;
  constexpr std::size_t kBlock = 32;  // 32 frames of 1025 bins: 128 KiB, stays in L2
  for (std::size_t t0 = 0; t0 < n_frames; t0 += kBlock) {
    const std::size_t t1 = std::min(n_frames, t0 + kBlock);
    apply_filters_to_power(mag, mel, t0, t1, out.mel_power);
    spectral_shape_rows(mag, bins(), t0, t1, out.shape);
    contrast_extremes(mag, bins(), t0, t1, peak, valley);
    if (need_stft) collect_tuning_votes(mag, bins(), t0, t1, stft_votes);
    if (need_cqt) collect_tuning_votes(mag, bins(), t0, t1, cqt_votes);
  }
  if (need_stft) stft_tuning_ = tuning_from_votes(stft_votes);
  if (need_cqt) cqt_tuning_ = tuning_from_votes(cqt_votes);
  out.contrast = contrast_from_extremes(peak, valley, whole_ ? whole_->contrast_max_db : nullptr);
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
