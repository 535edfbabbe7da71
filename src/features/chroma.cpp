#include "features/chroma.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <tuple>
#include <vector>

#include "features/recent-cache.h"
#include "features/simd.h"
#include "features/windows.h"

namespace dynemo::features {
namespace {
constexpr int kChroma = 12;

// out[f][c] = sum_k by_bin[k][c] * m[f][k]^2 for 4 frames f and c < 12; by_bin rows are 16 floats
// (two lane vectors). Each filter row is loaded once for the 4 frames.
DYNEMO_SIMD_CLONES void project_frames(const float* by_bin, const float* const* m,
                                       std::size_t n_bins, float* const* out) {
  LaneVec lo[4] = {}, hi[4] = {};
  for (std::size_t k = 0; k < n_bins; ++k) {
    LaneVec a, b;
    std::memcpy(&a, by_bin + k * 16, sizeof a);
    std::memcpy(&b, by_bin + k * 16 + 8, sizeof b);
    for (int f = 0; f < 4; ++f) {
      const float power = m[f][k] * m[f][k];
      lo[f] += a * power;
      hi[f] += b * power;
    }
  }
  for (int f = 0; f < 4; ++f) {
    for (int c = 0; c < 8; ++c) out[f][c] = lo[f][c];
    for (int c = 8; c < kChroma; ++c) out[f][c] = hi[f][c - 8];
  }
}

// librosa.filters.chroma of the bins at this tuning, built (chroma_filterbank keeps recent ones).
std::vector<float> build_chroma_filterbank(BinFrequencies bins, double tuning) {
  constexpr double kCtrOct = 5.0, kOctWidth = 2.0;
  const int n_fft = bins.n_fft;
  const int n_bins = n_fft / 2 + 1;
  const double a440 = 440.0 * std::pow(2.0, tuning / kChroma);
  // Fractional chroma bin of every FFT bin; bin 0 is placed 1.5 octaves below bin 1.
  std::vector<double> frq(n_fft);
  for (int k = 1; k < n_fft; ++k) {
    frq[k] = kChroma * std::log2((k * bins.sample_rate_hz / n_fft) / (a440 / 16.0));
  }
  frq[0] = frq[1] - 1.5 * kChroma;
  std::vector<double> width(n_fft);
  for (int k = 0; k + 1 < n_fft; ++k) width[k] = std::max(frq[k + 1] - frq[k], 1.0);
  width[n_fft - 1] = 1.0;
  std::vector<double> w(static_cast<std::size_t>(kChroma) * n_fft);
  const double half = std::round(kChroma / 2.0);
  for (int c = 0; c < kChroma; ++c) {
    for (int k = 0; k < n_fft; ++k) {
      double d = std::fmod(frq[k] - c + half + 10.0 * kChroma, static_cast<double>(kChroma));
      if (d < 0) d += kChroma;
      d -= half;
      const double z = 2.0 * d / width[k];
      w[c * n_fft + k] = std::exp(-0.5 * z * z);
    }
  }
  // L2-normalise each FFT bin's column, weight by the octave Gaussian, rotate to start at C.
  std::vector<float> out(static_cast<std::size_t>(kChroma) * n_bins);
  for (int k = 0; k < n_fft; ++k) {
    double norm = 0.0;
    for (int c = 0; c < kChroma; ++c) norm += w[c * n_fft + k] * w[c * n_fft + k];
    norm = std::sqrt(norm);
    const double o = (frq[k] / kChroma - kCtrOct) / kOctWidth;
    const double octave_weight = std::exp(-0.5 * o * o);
    if (k >= n_bins) continue;
    for (int c = 0; c < kChroma; ++c) {
      const int row = (c - 3 + kChroma) % kChroma;  // np.roll(wts, -3, axis=0)
      const double v = norm > 0 ? w[c * n_fft + k] / norm : w[c * n_fft + k];
      out[row * n_bins + k] = static_cast<float>(v * octave_weight);
    }
  }
  return out;
}

// out[t][c] = sum over j of taps[half + j] quant[t + j][c], j from -half to half, frames outside
// the input left out, each sum in double from the lowest j up.
DYNEMO_SIMD_CLONES_UNFUSED void smooth_chroma(const FrameMatrix& quant, const double* taps,
                                              long half, FrameMatrix& out) {
  const long n_frames = static_cast<long>(quant.n_frames);
  for (long t = 0; t < n_frames; ++t) {
    double acc[kChroma] = {};
    for (long j = std::max(-half, -t); j <= half && t + j < n_frames; ++j) {
      const double w = taps[half + j];
      const float* q = quant.row(static_cast<std::size_t>(t + j));
      for (int c = 0; c < kChroma; ++c) acc[c] += w * q[c];
    }
    float* o = out.row(static_cast<std::size_t>(t));
    for (int c = 0; c < kChroma; ++c) o[c] = static_cast<float>(acc[c]);
  }
}

}  // namespace

void normalize_max(FrameMatrix& m) {
  for (std::size_t t = 0; t < m.n_frames; ++t) {
    float* r = m.row(t);
    float peak = 0.0f;
    for (std::size_t c = 0; c < m.n_values; ++c) peak = std::max(peak, std::fabs(r[c]));
    if (peak < std::numeric_limits<float>::min()) continue;
    for (std::size_t c = 0; c < m.n_values; ++c) r[c] /= peak;
  }
}

std::vector<float> chroma_filterbank(BinFrequencies bins, double tuning) {
  using Key = std::tuple<double, int, double>;
  thread_local RecentCache<Key, std::vector<float>, 8> recent;
  return recent.get(Key{bins.sample_rate_hz, bins.n_fft, tuning},
                    [&] { return build_chroma_filterbank(bins, tuning); });
}

FrameMatrix chroma_stft(const FrameMatrix& magnitude, BinFrequencies bins, double tuning) {
  const std::vector<float> fb = chroma_filterbank(bins, tuning);
  const std::size_t n_bins = magnitude.n_values;
  // Bin-major copy of the filterbank, padded to 16 pitch classes so the inner loop is two
  // whole 8-float vectors.
  constexpr int kPadded = 16;
  std::vector<float> by_bin(n_bins * kPadded, 0.0f);
  for (int c = 0; c < kChroma; ++c) {
    for (std::size_t k = 0; k < n_bins; ++k) by_bin[k * kPadded + c] = fb[c * n_bins + k];
  }
  FrameMatrix out(magnitude.n_frames, kChroma);
  std::vector<float> scratch(4 * kChroma);
  for (std::size_t t = 0; t < magnitude.n_frames; t += 4) {
    const float* p[4];
    float* o[4];
    for (std::size_t f = 0; f < 4; ++f) {
      const bool real = t + f < magnitude.n_frames;  // the last group repeats a frame into scratch
      p[f] = magnitude.row(real ? t + f : t);
      o[f] = real ? out.row(t + f) : scratch.data() + f * kChroma;
    }
    project_frames(by_bin.data(), p, n_bins, o);
  }
  normalize_max(out);
  return out;
}

FrameMatrix fold_cqt_to_chroma(const FrameMatrix& cqt_magnitude, int bins_per_octave) {
  // librosa.filters.cq_to_chroma with fmin = C1: pitch class c takes bins m*c - m/2 .. m*c + m/2
  // of every octave, m = bins_per_octave / 12.
  const int merge = bins_per_octave / kChroma;
  std::vector<int> pitch_class(cqt_magnitude.n_values);
  for (std::size_t b = 0; b < pitch_class.size(); ++b) {
    const int within = static_cast<int>(b % static_cast<std::size_t>(bins_per_octave));
    pitch_class[b] = ((within + merge / 2) / merge) % kChroma;
  }
  FrameMatrix out(cqt_magnitude.n_frames, kChroma);
  for (std::size_t t = 0; t < cqt_magnitude.n_frames; ++t) {
    const float* q = cqt_magnitude.row(t);
    float* o = out.row(t);
    for (std::size_t b = 0; b < pitch_class.size(); ++b) o[pitch_class[b]] += q[b];
  }
  return out;
}

FrameMatrix chroma_cens(const FrameMatrix& raw_chroma, int smoothing_frames) {
  constexpr float kSteps[] = {0.4f, 0.2f, 0.1f, 0.05f};
  const std::size_t n_frames = raw_chroma.n_frames;
  FrameMatrix quant(n_frames, kChroma);
  for (std::size_t t = 0; t < n_frames; ++t) {
    const float* r = raw_chroma.row(t);
    float l1 = 0.0f;
    for (int c = 0; c < kChroma; ++c) l1 += std::fabs(r[c]);
    if (l1 < std::numeric_limits<float>::min()) l1 = 1.0f;
    for (int c = 0; c < kChroma; ++c) {
      const float v = r[c] / l1;
      float q = 0.0f;
      for (float step : kSteps) q += v > step ? 0.25f : 0.0f;
      quant.at(t, c) = q;
    }
  }
  // Symmetric Hann of smoothing_frames + 2 points (zero ends), normalised to sum 1, centred.
  const std::vector<double> hann = hann_symmetric(smoothing_frames + 2);
  double total = 0.0;
  for (double v : hann) total += v;
  const long half = static_cast<long>(hann.size() / 2);
  std::vector<double> taps(hann.size());  // taps[half + j]: the weight of frame t + j
  for (long j = -half; j <= half; ++j) {
    taps[static_cast<std::size_t>(half + j)] = hann[static_cast<std::size_t>(half - j)] / total;
  }
  FrameMatrix smooth(n_frames, kChroma);
  smooth_chroma(quant, taps.data(), half, smooth);
  for (std::size_t t = 0; t < n_frames; ++t) {
    float* r = smooth.row(t);
    double l2 = 0.0;
    for (int c = 0; c < kChroma; ++c) l2 += static_cast<double>(r[c]) * r[c];
    l2 = std::sqrt(l2);
    if (l2 < std::numeric_limits<float>::min()) continue;
    for (int c = 0; c < kChroma; ++c) r[c] = static_cast<float>(r[c] / l2);
  }
  return smooth;
}

}  // namespace dynemo::features
