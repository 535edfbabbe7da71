#include "features/compare/voicing-shs.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "features/compare/voicing-parabola.h"

namespace dynemo::features::compare {
namespace {

constexpr int kHarmonics = 15;
constexpr float kCompression = 0.85f;
constexpr double kMinF0Hz = 52.0, kMaxF0Hz = 620.0;

struct Candidate {
  double f_hz = 0, voicing = 0, score = 0;
};

}  // namespace

SubharmonicSummation::SubharmonicSummation(const OctaveSpectrum& axis)
    : n_(axis.size()), log2_min_(axis.log2_min()), log2_step_(axis.log2_step()) {
  const double ppo = axis.points_per_octave();
  float weight = 1.0f;
  for (int m = 2; m <= kHarmonics; ++m) {
    weight *= kCompression;
    shifts_.push_back(static_cast<int>(std::floor(ppo * std::log(static_cast<double>(m)) /
                                                  std::log(2.0))));
    weights_.push_back(weight);
  }
  ss_.resize(static_cast<std::size_t>(n_));
}

PitchCandidates SubharmonicSummation::compute(const float* h) const {
  const int n = n_;
  float* __restrict ss = ss_.data();
  // Summation in float32 (spec §7.2 ⚠: the candidate order depends on its rounding).
  for (int i = 0; i < n; ++i) ss[i] = h[i];
  for (std::size_t m = 0; m < shifts_.size(); ++m) {
    const int s = shifts_[m];
    const float w = weights_[m];
    const float* __restrict src = h + s;
    for (int i = 0; i + s < n; ++i) ss[i] += src[i] * w;
  }
  for (int i = 0; i < n; ++i) ss[i] = std::max(ss[i] / static_cast<float>(kHarmonics), 0.0f);
  double partial[4] = {};
  int i4 = 0;
  for (; i4 + 4 <= n; i4 += 4) {
    for (int q = 0; q < 4; ++q) partial[q] += ss[i4 + q];
  }
  for (; i4 < n; ++i4) partial[0] += ss[i4];
  const double sum = (partial[0] + partial[1]) + (partial[2] + partial[3]);
  const double mean = sum / n;

  // The 6 highest strict local maxima of all frequencies, by raw value, first come first kept.
  int peak_at[kPitchCandidates];
  float peak_value[kPitchCandidates];
  int n_peaks = 0;
  for (int i = 1; i + 1 < n; ++i) {
    if (!(ss[i] > ss[i - 1] && ss[i] > ss[i + 1])) continue;
    int slot = 0;
    while (slot < n_peaks && !(peak_value[slot] < ss[i])) ++slot;
    if (slot >= kPitchCandidates) continue;
    const int last = n_peaks < kPitchCandidates ? n_peaks : kPitchCandidates - 1;
    for (int q = last; q > slot; --q) {
      peak_at[q] = peak_at[q - 1];
      peak_value[q] = peak_value[q - 1];
    }
    peak_at[slot] = i;
    peak_value[slot] = ss[i];
    if (n_peaks < kPitchCandidates) ++n_peaks;
  }

  // Parabolic refinement on the log2 axis, then the 52-620 Hz range filter (order kept).
  Candidate kept[kPitchCandidates];
  int n_kept = 0;
  for (int p = 0; p < n_peaks; ++p) {
    const int i = peak_at[p];
    double x[3];
    for (int q = 0; q < 3; ++q) {
      x[q] = static_cast<float>(log2_min_ + static_cast<double>(i - 1 + q) * log2_step_);
    }
    const ParabolaPeak top = parabola_peak(x[0], x[1], x[2], ss[i - 1], ss[i], ss[i + 1]);
    Candidate c;
    c.f_hz = std::exp2(top.x);
    c.score = top.y;
    c.voicing = (c.score > 0.0 && c.score > mean) ? 1.0 - mean / c.score : 0.0;
    if (c.f_hz < kMinF0Hz || c.f_hz > kMaxF0Hz) continue;
    kept[n_kept++] = c;
  }
  // Best score into slot 0: every later candidate with a strictly higher score swaps in.
  for (int p = 1; p < n_kept; ++p) {
    if (kept[p].score > kept[0].score) {
      const Candidate t = kept[0];
      kept[0] = kept[p];
      kept[p] = t;
    }
  }
  PitchCandidates out;
  for (int p = 0; p < n_kept; ++p) {
    out.f_hz[p] = static_cast<float>(kept[p].f_hz);
    out.voicing[p] = static_cast<float>(kept[p].voicing);
  }
  return out;
}

}  // namespace dynemo::features::compare
