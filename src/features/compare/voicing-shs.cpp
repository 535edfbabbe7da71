#include "features/compare/voicing-shs.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "features/compare/voicing-parabola.h"

namespace dynemo::features::compare {
namespace {

constexpr int kHarmonics = 15;
constexpr float kCompression = 0.85f;
constexpr double kMinF0Hz = 52.0, kMaxF0Hz = 620.0;

constexpr std::size_t kBlock = 128;  // points summed at a time, kept in L1

struct Candidate {
  double f_hz = 0, voicing = 0, score = 0;
};

// The 6 highest strict local maxima of one frame, by raw value, first come first kept: slots in
// non-increasing order of value, a later equal value after the earlier one.
struct Peaks {
  int at[kPitchCandidates];
  float value[kPitchCandidates];
  int count = 0;

  void offer(int i, float v) {
    int slot = 0;
    while (slot < count && !(value[slot] < v)) ++slot;
    if (slot >= kPitchCandidates) return;
    const int last = count < kPitchCandidates ? count : kPitchCandidates - 1;
    for (int q = last; q > slot; --q) {
      at[q] = at[q - 1];
      value[q] = value[q - 1];
    }
    at[slot] = i;
    value[slot] = v;
    if (count < kPitchCandidates) ++count;
  }
  // Values a new maximum must exceed to be kept: -inf until the slots are full.
  float floor() const {
    return count < kPitchCandidates ? -std::numeric_limits<float>::infinity()
                                    : value[kPitchCandidates - 1];
  }
};

// ss[i] = max((h[i] + sum over m of w_m h[i + s_m]) / 15, 0) in float32, m in order (spec §7.2
// ⚠: the candidate order depends on its rounding); sum: kFftLanes sums of ss over i, one per
// lane, in double, in four interleaved partial sums.
DYNEMO_SIMD_CLONES_UNFUSED void sum_subharmonics(const LaneVec* h, std::size_t n, const int* shifts,
                                                 const float* weights, std::size_t n_shifts,
                                                 LaneVec* ss, double* sum) {
  for (std::size_t lo = 0; lo < n; lo += kBlock) {
    const std::size_t hi = std::min(n, lo + kBlock);
    for (std::size_t i = lo; i < hi; ++i) ss[i] = h[i];
    for (std::size_t m = 0; m < n_shifts; ++m) {
      const std::size_t s = static_cast<std::size_t>(shifts[m]);
      const float w = weights[m];
      const std::size_t end = s < n ? std::min(hi, n - s) : lo;
      const LaneVec* src = h + s;
      for (std::size_t i = lo; i < end; ++i) ss[i] += src[i] * w;
    }
    for (std::size_t i = lo; i < hi; ++i) {
      const LaneVec v = ss[i] / static_cast<float>(kHarmonics);
      ss[i] = v < 0.0f ? LaneVec{} : v;
    }
  }
  Double4 partial[4][2] = {};
  std::size_t i4 = 0;
  for (; i4 + 4 <= n; i4 += 4) {
    for (std::size_t q = 0; q < 4; ++q) {
      Double4 lo, hi;
      widen(ss[i4 + q], lo, hi);
      partial[q][0] += lo;
      partial[q][1] += hi;
    }
  }
  for (; i4 < n; ++i4) {
    Double4 lo, hi;
    widen(ss[i4], lo, hi);
    partial[0][0] += lo;
    partial[0][1] += hi;
  }
  for (int h = 0; h < 2; ++h) {
    const Double4 total = (partial[0][h] + partial[1][h]) + (partial[2][h] + partial[3][h]);
    std::memcpy(sum + 4 * h, &total, sizeof total);
  }
}

// Offers every strict local maximum of ss to its lane's Peaks; lanes whose slots are full skip
// values that could not enter.
DYNEMO_SIMD_CLONES void find_peaks(const LaneVec* ss, std::size_t n, int lanes, Peaks* peaks) {
  LaneVec floor;
  for (int j = 0; j < kFftLanes; ++j) floor[j] = peaks[j].floor();
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const LaneVec v = ss[i];
    const LaneMask m = (v > ss[i - 1]) & (v > ss[i + 1]) & (v > floor);
    std::uint64_t bits[sizeof m / sizeof(std::uint64_t)];
    std::memcpy(bits, &m, sizeof m);
    std::uint64_t any = 0;
    for (std::uint64_t b : bits) any |= b;
    if (!any) continue;
    for (int j = 0; j < lanes; ++j) {
      if (!m[j]) continue;
      peaks[j].offer(static_cast<int>(i), v[j]);
      floor[j] = peaks[j].floor();
    }
  }
}

// Lane `lane`'s candidates from its maxima; mean: the lane's mean of ss. Output point i is at
// log2 frequency log2_min + i log2_step.
PitchCandidates refine(const LaneVec* ss, int lane, double mean, const Peaks& peaks,
                       double log2_min, double log2_step) {
  // Parabolic refinement on the log2 axis, then the 52-620 Hz range filter (order kept).
  Candidate kept[kPitchCandidates];
  int n_kept = 0;
  for (int p = 0; p < peaks.count; ++p) {
    const int i = peaks.at[p];
    double x[3];
    for (int q = 0; q < 3; ++q) {
      x[q] = static_cast<float>(log2_min + static_cast<double>(i - 1 + q) * log2_step);
    }
    const ParabolaPeak top =
        parabola_peak(x[0], x[1], x[2], ss[i - 1][lane], ss[i][lane], ss[i + 1][lane]);
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

}  // namespace

SubharmonicSummation::SubharmonicSummation(const OctaveSpectrum& axis)
    : n_(axis.size()), log2_min_(axis.log2_min()), log2_step_(axis.log2_step()) {
  const double ppo = axis.points_per_octave();
  float weight = 1.0f;
  for (int m = 2; m <= kHarmonics; ++m) {
    weight *= kCompression;
    shifts_.push_back(
        static_cast<int>(std::floor(ppo * std::log(static_cast<double>(m)) / std::log(2.0))));
    weights_.push_back(weight);
  }
  ss_ = LaneBuffer(static_cast<std::size_t>(n_));
}

void SubharmonicSummation::compute(const LaneVec* h, int lanes, PitchCandidates* out) const {
  const int n = n_;
  LaneVec* ss = ss_.data();
  double sum[kFftLanes];
  sum_subharmonics(h, static_cast<std::size_t>(n), shifts_.data(), weights_.data(), shifts_.size(),
                   ss, sum);
  Peaks peaks[kFftLanes];
  find_peaks(ss, static_cast<std::size_t>(n), lanes, peaks);
  for (int j = 0; j < lanes; ++j) {
    out[j] = refine(ss, j, sum[j] / n, peaks[j], log2_min_, log2_step_);
  }
}

}  // namespace dynemo::features::compare
