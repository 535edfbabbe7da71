#include "features/tuning.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "features/simd.h"

namespace dynemo::features {
namespace {

// Largest value of s[0, n) (n >= 1), eight lanes at a time.
DYNEMO_SIMD_CLONES float frame_max(const float* s, std::size_t n) {
  LaneVec best;
  for (int q = 0; q < kFftLanes; ++q) best[q] = s[0];
  std::size_t k = 0;
  for (; k + kFftLanes <= n; k += kFftLanes) {
    LaneVec v;
    std::memcpy(&v, s + k, sizeof v);
    best = v > best ? v : best;
  }
  float m = best[0];
  for (int q = 1; q < kFftLanes; ++q) m = std::max(m, best[q]);
  for (; k < n; ++k) m = std::max(m, s[k]);
  return m;
}

// g[i] = v_i if v_i > ref else 0, v_i = s[i] (or s[i]^2 when squared), for i < n.
DYNEMO_SIMD_CLONES void gate_bins(const float* s, std::size_t n, bool squared, float ref,
                                  float* g) {
  if (squared) {
    for (std::size_t i = 0; i < n; ++i) {
      const float v = s[i] * s[i];
      g[i] = v > ref ? v : 0.0f;
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) g[i] = s[i] > ref ? s[i] : 0.0f;
  }
}

// peak[i] = 1 where g[i] > g[i - 1] and g[i] >= g[i + 1] (librosa's piptrack), for 0 < i < n - 1.
DYNEMO_SIMD_CLONES void mark_peaks(const float* g, std::size_t n, std::uint8_t* peak) {
  for (std::size_t i = 1; i + 1 < n; ++i) {
    peak[i] = static_cast<std::uint8_t>((g[i] > g[i - 1]) & (g[i] >= g[i + 1]));
  }
}

// The histogram bin (of n_hist over [-0.5, 0.5)) of f's deviation from A440-based equal
// temperament at bins_per_octave; -1 for f <= 0.
int deviation_bin(double f, int bins_per_octave, int n_hist) {
  if (!(f > 0.0)) return -1;
  const double octs = std::log2(f / (440.0 / 16.0));
  // fmod(x, 1) without libm's general loop: x - trunc(x) is exact for every finite double.
  const double x = bins_per_octave * octs;
  double residual = x - std::trunc(x);
  if (residual < 0.0) residual += 1.0;
  if (residual >= 0.5) residual -= 1.0;
  int bin = static_cast<int>(std::floor((residual + 0.5) * n_hist));
  bin = std::clamp(bin, 0, n_hist - 1);
  // Same edge rule as numpy.histogram: [edge_i, edge_{i+1}), the last bin closed.
  const auto edge = [n_hist](int i) { return i == n_hist ? 0.5 : -0.5 + i * (1.0 / n_hist); };
  if (residual < edge(bin) && bin > 0) --bin;
  if (bin + 1 < n_hist && residual >= edge(bin + 1)) ++bin;
  return bin;
}

// The left edge of the fullest bin; 0 when every count is 0.
double histogram_peak(const std::vector<long>& counts) {
  if (std::all_of(counts.begin(), counts.end(), [](long c) { return c == 0; })) return 0.0;
  const auto peak = std::max_element(counts.begin(), counts.end()) - counts.begin();
  return -0.5 + static_cast<double>(peak) * (1.0 / static_cast<double>(counts.size()));
}

}  // namespace

double pitch_tuning(const std::vector<double>& frequencies_hz, int bins_per_octave,
                    double resolution) {
  const int n_hist = static_cast<int>(std::ceil(1.0 / resolution));
  std::vector<long> counts(n_hist, 0);
  for (double f : frequencies_hz) {
    const int bin = deviation_bin(f, bins_per_octave, n_hist);
    if (bin >= 0) ++counts[bin];
  }
  return histogram_peak(counts);
}

void collect_tuning_votes(const FrameMatrix& magnitude, BinFrequencies bins, std::size_t t0,
                          std::size_t t1, TuningVotes& votes) {
  constexpr double kFminHz = 150.0, kFmaxHz = 4000.0, kThreshold = 0.1;
  const bool squared = votes.squared;
  const std::size_t n_bins = magnitude.n_values;
  const double fmax = std::min(kFmaxHz, bins.sample_rate_hz / 2.0);
  std::size_t k_lo = n_bins, k_hi = 0;  // bins with fmin <= f < fmax
  for (std::size_t k = 0; k < n_bins; ++k) {
    const double f = bins.hz(k);
    if (f >= kFminHz && f < fmax) {
      k_lo = std::min(k_lo, k);
      k_hi = std::max(k_hi, k + 1);
    }
  }
  if (k_lo >= k_hi) return;
  const std::size_t k_first = std::max<std::size_t>(k_lo, 1);
  const std::size_t k_last = std::min(k_hi, n_bins - 1);  // peaks need both neighbours
  if (k_first >= k_last) return;
  // Bins k_first - 1 .. k_last, gated: gated[i] is bin k_first - 1 + i.
  const std::size_t span = k_last - k_first + 2;
  std::vector<float> gated(span);
  std::vector<std::uint8_t> is_peak(span + 8, 0);  // + 8: read eight at a time
  for (std::size_t t = t0; t < t1; ++t) {
    const float* m = magnitude.row(t);
    auto value = [&](std::size_t k) { return squared ? m[k] * m[k] : m[k]; };
    const float peak = frame_max(m, n_bins);  // magnitudes are >= 0: the max of squares is max^2
    const float ref = static_cast<float>(kThreshold) * (squared ? peak * peak : peak);
    gate_bins(m + (k_first - 1), span, squared, ref, gated.data());
    mark_peaks(gated.data(), span, is_peak.data());
    for (std::size_t i = 1; i + 1 < span; i += 8) {
      std::uint64_t eight;
      std::memcpy(&eight, is_peak.data() + i, sizeof eight);
      if (eight == 0) continue;  // most blocks: nothing above the gate
      for (std::size_t j = i; j < std::min(i + 8, span - 1); ++j) {
        if (!is_peak[j]) continue;
        const std::size_t k = k_first - 1 + j;
        // Parabolic interpolation of the peak on the ungated spectrum.
        const double prev = value(k - 1), here = value(k), next = value(k + 1);
        const double a = next + prev - 2.0 * here;
        const double b = (next - prev) / 2.0;
        const double shift = std::fabs(b) >= std::fabs(a) ? 0.0 : -b / a;
        const int bin = deviation_bin((k + shift) * bins.sample_rate_hz / bins.n_fft,
                                      votes.bins_per_octave, TuningVotes::kHistogramBins);
        votes.magnitudes.push_back(here + 0.5 * b * shift);
        votes.bins.push_back(bin < 0 ? TuningVotes::kNoBin : static_cast<std::uint8_t>(bin));
      }
    }
  }
}

double tuning_from_votes(const TuningVotes& votes) {
  if (votes.magnitudes.empty()) return 0.0;
  // Median of the peak magnitudes (mean of the two middle ones for an even count).
  std::vector<double> sorted = votes.magnitudes;
  const std::size_t mid = sorted.size() / 2;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(mid), sorted.end());
  double median = sorted[mid];
  if (sorted.size() % 2 == 0) {
    median = 0.5 * (median + *std::max_element(sorted.begin(),
                                               sorted.begin() + static_cast<std::ptrdiff_t>(mid)));
  }
  std::vector<long> counts(TuningVotes::kHistogramBins, 0);
  for (std::size_t i = 0; i < votes.magnitudes.size(); ++i) {
    if (votes.magnitudes[i] >= median && votes.bins[i] != TuningVotes::kNoBin)
      ++counts[votes.bins[i]];
  }
  return histogram_peak(counts);
}

double estimate_tuning(const FrameMatrix& magnitude, BinFrequencies bins, bool squared,
                       int bins_per_octave) {
  TuningVotes votes(squared, bins_per_octave);
  collect_tuning_votes(magnitude, bins, 0, magnitude.n_frames, votes);
  return tuning_from_votes(votes);
}

}  // namespace dynemo::features
