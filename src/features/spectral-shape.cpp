#include "features/spectral-shape.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "features/mel.h"
#include "features/simd.h"

namespace dynemo::features {

namespace {

constexpr std::size_t kLanes = 8;  // independent partial sums, so the loops vectorise

struct FrameSums {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0;  // sum S, sum S f, sum S f^2
  double log_power = 0.0, power = 0.0;  // sum log max(amin, S^2), sum max(amin, S^2)
};

// The sums of one frame. Logs are taken of products of 8 powers (each >= 1e-10, so a product
// stays within double range), not per bin.
DYNEMO_SIMD_CLONES FrameSums frame_sums(const float* s, const double* freq, std::size_t n) {
  constexpr double kAmin = 1e-10;
  double s0[kLanes] = {}, s1[kLanes] = {}, s2[kLanes] = {}, pw[kLanes] = {};
  FrameSums out;
  std::size_t k = 0;
  for (; k + kLanes * kLanes <= n; k += kLanes * kLanes) {
    double prod[kLanes] = {1, 1, 1, 1, 1, 1, 1, 1};
    for (std::size_t b = 0; b < kLanes; ++b) {
      for (std::size_t q = 0; q < kLanes; ++q) {
        const double v = s[k + b * kLanes + q], f = freq[k + b * kLanes + q];
        const double p = std::max(kAmin, v * v);
        s0[q] += v;
        s1[q] += v * f;
        s2[q] += v * f * f;
        pw[q] += p;
        prod[q] *= p;
      }
    }
    for (std::size_t q = 0; q < kLanes; ++q) out.log_power += std::log(prod[q]);
  }
  for (std::size_t q = 0; q < kLanes; ++q) {
    out.s0 += s0[q], out.s1 += s1[q], out.s2 += s2[q], out.power += pw[q];
  }
  for (; k < n; ++k) {
    const double v = s[k], f = freq[k];
    const double p = std::max(kAmin, v * v);
    out.s0 += v, out.s1 += v * f, out.s2 += v * f * f, out.power += p;
    out.log_power += std::log(p);
  }
  return out;
}

}  // namespace

void spectral_shape_rows(const FrameMatrix& magnitude, BinFrequencies bins, std::size_t t0,
                         std::size_t t1, FrameMatrix& out) {
  const std::size_t n_bins = magnitude.n_values;
  std::vector<double> freq(n_bins);
  for (std::size_t k = 0; k < n_bins; ++k) freq[k] = bins.hz(k);
  for (std::size_t t = t0; t < t1; ++t) {
    const float* s = magnitude.row(t);
    const FrameSums sums = frame_sums(s, freq.data(), n_bins);
    // librosa normalises by the L1 norm only when it is above the smallest normal float.
    const bool silent = sums.s0 < std::numeric_limits<float>::min();
    const double centroid = silent ? 0.0 : sums.s1 / sums.s0;
    // sum S (f - c)^2 / sum S = sum S f^2 / sum S - c^2.
    const double spread = silent ? 0.0 : std::max(0.0, sums.s2 / sums.s0 - centroid * centroid);
    const double flatness = std::exp(sums.log_power / n_bins) / (sums.power / n_bins);
    // Roll-off: lowest frequency whose cumulative magnitude reaches 85 % of the total.
    const double threshold = 0.85 * sums.s0;
    double cumulative = 0.0, rolloff = 0.0;
    for (std::size_t k = 0; k < n_bins; ++k) {
      cumulative += s[k];
      if (cumulative >= threshold) {
        rolloff = freq[k];
        break;
      }
    }
    float* o = out.row(t);
    o[0] = static_cast<float>(centroid);
    o[1] = static_cast<float>(std::sqrt(spread));
    o[2] = static_cast<float>(flatness);
    o[3] = static_cast<float>(rolloff);
  }
}

FrameMatrix spectral_shape(const FrameMatrix& magnitude, BinFrequencies bins) {
  FrameMatrix out(magnitude.n_frames, 4);
  spectral_shape_rows(magnitude, bins, 0, magnitude.n_frames, out);
  return out;
}

namespace {

// Bins [begin, end) whose lowest / highest n_take values are averaged.
struct ContrastBand {
  std::size_t begin, end, n_take;
};

std::vector<ContrastBand> contrast_bands(const FrameMatrix& magnitude, BinFrequencies bins) {
  constexpr int kBands = 6;
  constexpr double kFminHz = 200.0;
  constexpr double kQuantile = 0.02;
  const std::size_t n_bins = magnitude.n_values;
  // Band edges [0, 200, 400, ..., 12800] Hz; each band takes the bin just below it (except the
  // first), the last band runs to Nyquist, and all bands but the last drop their top bin.
  std::vector<ContrastBand> bands;
  for (int b = 0; b <= kBands; ++b) {
    const double lo = b == 0 ? 0.0 : kFminHz * std::pow(2.0, b - 1);
    const double hi = kFminHz * std::pow(2.0, b);
    std::size_t first = n_bins, last = 0;
    for (std::size_t k = 0; k < n_bins; ++k) {
      const double f = bins.hz(k);
      if (f >= lo && f <= hi) {
        first = std::min(first, k);
        last = std::max(last, k);
      }
    }
    if (b > 0 && first > 0) --first;
    if (b == kBands) last = n_bins - 1;
    const std::size_t count = last - first + 1;
    const std::size_t n_take =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::nearbyint(kQuantile * count)));
    const std::size_t end = b < kBands ? last : last + 1;
    bands.push_back({first, end, n_take});
  }
  return bands;
}

}  // namespace

namespace {

// Inserts v into best[0..take), which holds, lane by lane, the `take` smallest (Largest = false)
// or largest values seen so far, ordered from best to worst: a min/max exchange chain, so every
// lane (frame) is updated at once without branches. Bins that no lane keeps (most of them, once
// the list is full) are rejected by one compare with the worst kept values.
template <bool Largest>
inline void keep_extremes(LaneVec* best, std::size_t take, LaneVec v) {
  typedef std::int32_t MaskVec __attribute__((vector_size(sizeof(std::int32_t) * kFftLanes)));
  const MaskVec enters = Largest ? v > best[take - 1] : v < best[take - 1];
  std::uint64_t words[sizeof(MaskVec) / sizeof(std::uint64_t)];
  std::memcpy(words, &enters, sizeof words);
  std::uint64_t any = 0;
  for (std::uint64_t w : words) any |= w;
  if (any == 0) return;
  for (std::size_t i = 0; i < take; ++i) {
    for (int q = 0; q < kFftLanes; ++q) {  // vminps / vmaxps
      const float b = best[i][q], x = v[q];
      best[i][q] = Largest ? std::max(x, b) : std::min(x, b);
      v[q] = Largest ? std::min(x, b) : std::max(x, b);
    }
  }
}

// The band extremes of frames [t, t + lanes) (lanes <= 8), lane q = frame t + q: the frames'
// magnitudes are first gathered bin-major into `column`.
DYNEMO_SIMD_CLONES void contrast_lanes(const FrameMatrix& magnitude,
                                       const std::vector<ContrastBand>& bands, std::size_t t,
                                       std::size_t lanes, LaneVec* column, LaneVec* low,
                                       LaneVec* high, FrameMatrix& peak, FrameMatrix& valley) {
  const std::size_t n_bins = magnitude.n_values;
  const float* rows[kFftLanes];
  for (std::size_t q = 0; q < static_cast<std::size_t>(kFftLanes); ++q) {
    rows[q] = magnitude.row(t + std::min(q, lanes - 1));  // spare lanes repeat the last
  }
  std::size_t k = 0;
  for (; k + kFftLanes <= n_bins; k += kFftLanes) {  // 8 x 8 blocks, transposed in registers
    LaneVec r[kFftLanes];
    for (int q = 0; q < kFftLanes; ++q) std::memcpy(&r[q], rows[q] + k, sizeof r[q]);
    transpose8(r, column + k);
  }
  for (; k < n_bins; ++k) {
    for (int q = 0; q < kFftLanes; ++q) column[k][q] = rows[q][k];
  }
  const float inf = std::numeric_limits<float>::infinity();
  for (std::size_t b = 0; b < bands.size(); ++b) {
    const ContrastBand& band = bands[b];
    const std::size_t take = std::min(band.n_take, band.end - band.begin);
    for (std::size_t i = 0; i < take; ++i) {
      for (int q = 0; q < kFftLanes; ++q) low[i][q] = inf, high[i][q] = -inf;
    }
    for (std::size_t k = band.begin; k < band.end; ++k) {
      keep_extremes<false>(low, take, column[k]);
      keep_extremes<true>(high, take, column[k]);
    }
    // Summed from the best kept value to the worst.
    for (std::size_t q = 0; q < lanes; ++q) {
      double low_sum = 0.0, high_sum = 0.0;
      for (std::size_t i = 0; i < take; ++i) low_sum += low[i][q], high_sum += high[i][q];
      valley.at(t + q, b) = static_cast<float>(low_sum / take);
      peak.at(t + q, b) = static_cast<float>(high_sum / take);
    }
  }
}

}  // namespace

void contrast_extremes(const FrameMatrix& magnitude, BinFrequencies bins, std::size_t t0,
                       std::size_t t1, FrameMatrix& peak, FrameMatrix& valley) {
  const std::vector<ContrastBand> bands = contrast_bands(magnitude, bins);
  std::size_t most = 1;
  for (const ContrastBand& band : bands) most = std::max(most, band.n_take);
  LaneBuffer column(magnitude.n_values), low(most), high(most);
  for (std::size_t t = t0; t < t1; t += kFftLanes) {
    contrast_lanes(magnitude, bands, t, std::min<std::size_t>(kFftLanes, t1 - t), column.data(),
                   low.data(), high.data(), peak, valley);
  }
}

FrameMatrix contrast_from_extremes(const FrameMatrix& peak, const FrameMatrix& valley,
                                   const float* max_db) {
  const FrameMatrix peak_db = power_to_db(peak, 1e-10, 80.0, max_db ? &max_db[0] : nullptr);
  const FrameMatrix valley_db = power_to_db(valley, 1e-10, 80.0, max_db ? &max_db[1] : nullptr);
  FrameMatrix contrast(peak.n_frames, peak.n_values);
  for (std::size_t i = 0; i < contrast.data.size(); ++i) {
    contrast.data[i] = peak_db.data[i] - valley_db.data[i];
  }
  return contrast;
}

FrameMatrix spectral_contrast(const FrameMatrix& magnitude, BinFrequencies bins) {
  FrameMatrix peak(magnitude.n_frames, 7), valley(magnitude.n_frames, 7);
  contrast_extremes(magnitude, bins, 0, magnitude.n_frames, peak, valley);
  return contrast_from_extremes(peak, valley);
}

}  // namespace dynemo::features
