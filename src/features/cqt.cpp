#include "features/cqt.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>

#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "features/cqt-kernel.h"
#include "features/fft-batch.h"
#include "features/sliding-dft.h"
#include "features/stft.h"

namespace dynemo::features {
namespace {

constexpr double kHannBandwidth = 1.50018310546875;  // librosa window_bandwidth("hann")
constexpr double kResampleBandwidth = 0.85;          // librosa BW_FASTEST

int count_two_factors(int x) {
  int n = 0;
  while (x > 0 && x % 2 == 0) {
    x /= 2;
    ++n;
  }
  return n;
}

std::vector<double> bin_frequencies(const CqtConfig& c, double tuning) {
  const double fmin = c.fmin_hz * std::pow(2.0, tuning / c.bins_per_octave);
  std::vector<double> f(static_cast<std::size_t>(c.n_bins));
  for (int k = 0; k < c.n_bins; ++k)
    f[k] = fmin * std::pow(2.0, static_cast<double>(k) / c.bins_per_octave);
  return f;
}

// How many times the signal is halved before the first octave (librosa __early_downsample_count).
int early_downsample_count(const CqtConfig& c, double sample_rate_hz, double cutoff_hz,
                           int n_octaves) {
  const double nyquist = sample_rate_hz / 2.0;
  const int by_bandwidth = std::max(
      0, static_cast<int>(std::ceil(std::log2(kResampleBandwidth * nyquist / cutoff_hz))) - 2);
  const int by_hop = std::max(0, count_two_factors(c.hop_length) - n_octaves + 1);
  return std::min(by_bandwidth, by_hop);
}

// Halves the rate of y[0, n) (soxr HQ) and multiplies by sqrt(2), as
// librosa.resample(scale=True).
std::vector<float> halve(const float* y, std::size_t n) {
  std::vector<float> out = resample(y, n, 2.0, 1.0);
  const float gain = static_cast<float>(std::sqrt(2.0));
  for (float& v : out) v *= gain;
  return out;
}

// acc += kernel[j] . spectrum[bins[j]] for j in [from, to), in order.
inline void accumulate_kernel(const SparseKernel& kernel, std::size_t from, std::size_t to,
                              const LaneVec* re, const LaneVec* im, LaneVec& acc_r,
                              LaneVec& acc_i) {
  for (std::size_t j = from; j < to; ++j) {
    const float wr = kernel.weights[j].real(), wi = kernel.weights[j].imag();
    const LaneVec xr = re[kernel.bins[j]], xi = im[kernel.bins[j]];
    acc_r += wr * xr - wi * xi;
    acc_i += wr * xi + wi * xr;
  }
}

// |kernel . spectrum| of every filter for a batch of frames: out[(first + lane) * n + k]. Filters
// go in pairs, their sums side by side (each in its own order), so the two chains of additions
// overlap instead of waiting on each other.
DYNEMO_SIMD_CLONES void apply_kernels(const KernelBank& bank, const LaneVec* re, const LaneVec* im,
                                      std::size_t first, int lanes, float* out) {
  const std::size_t n_out = bank.filters.size();
  const auto store = [&](std::size_t k, LaneVec acc_r, LaneVec acc_i) {
    const LaneVec power = acc_r * acc_r + acc_i * acc_i;
    for (int lane = 0; lane < lanes; ++lane) {
      out[(first + static_cast<std::size_t>(lane)) * n_out + k] = std::sqrt(power[lane]);
    }
  };
  std::size_t k = 0;
  for (; k + 2 <= n_out; k += 2) {
    const SparseKernel& a = bank.filters[k];
    const SparseKernel& b = bank.filters[k + 1];
    const std::size_t common = std::min(a.bins.size(), b.bins.size());
    LaneVec a_r = {}, a_i = {}, b_r = {}, b_i = {};
    for (std::size_t j = 0; j < common; ++j) {
      const float awr = a.weights[j].real(), awi = a.weights[j].imag();
      const float bwr = b.weights[j].real(), bwi = b.weights[j].imag();
      const LaneVec axr = re[a.bins[j]], axi = im[a.bins[j]];
      const LaneVec bxr = re[b.bins[j]], bxi = im[b.bins[j]];
      a_r += awr * axr - awi * axi;
      a_i += awr * axi + awi * axr;
      b_r += bwr * bxr - bwi * bxi;
      b_i += bwr * bxi + bwi * bxr;
    }
    accumulate_kernel(a, common, a.bins.size(), re, im, a_r, a_i);
    accumulate_kernel(b, common, b.bins.size(), re, im, b_r, b_i);
    store(k, a_r, a_i);
    store(k + 1, b_r, b_i);
  }
  for (; k < n_out; ++k) {
    LaneVec acc_r = {}, acc_i = {};
    accumulate_kernel(bank.filters[k], 0, bank.filters[k].bins.size(), re, im, acc_r, acc_i);
    store(k, acc_r, acc_i);
  }
}

}  // namespace

std::vector<FrameMatrix> cqt_magnitude(const float* y, std::size_t n, double sample_rate_hz,
                                       const CqtConfig& config,
                                       const std::vector<double>& tunings) {
  const int bpo = config.bins_per_octave;
  const int n_octaves = (config.n_bins + bpo - 1) / bpo;
  const int n_filters = std::min(bpo, config.n_bins);
  const double q = cqt_quality(bpo, config.filter_scale);

  std::vector<std::vector<double>> freqs;
  int early = -1;
  for (double tuning : tunings) {
    freqs.push_back(bin_frequencies(config, tuning));
    const double cutoff = freqs.back().back() * (1.0 + 0.5 * kHannBandwidth / q);
    if (cutoff > sample_rate_hz / 2.0) {
      throw ConfigError("cqt: the top filter reaches " + std::to_string(cutoff) +
                        " Hz, above the Nyquist frequency " + std::to_string(sample_rate_hz / 2.0) +
                        " Hz; lower n_bins or raise the sample rate");
    }
    const int count = early_downsample_count(config, sample_rate_hz, cutoff, n_octaves);
    if (early >= 0 && count != early) {
      // Different decimation plans: compute each tuning on its own.
      std::vector<FrameMatrix> out;
      for (double t : tunings) out.push_back(cqt_magnitude(y, n, sample_rate_hz, config, {t})[0]);
      return out;
    }
    early = count;
  }

  // The signal of the current octave: the caller's samples until the first decimation, then
  // `decimated` (no copy of a full-rate signal).
  std::vector<float> decimated;
  const float* signal = y;
  std::size_t signal_n = n;
  const auto halve_signal = [&] {
    decimated = halve(signal, signal_n);
    signal = decimated.data();
    signal_n = decimated.size();
  };
  double sr = sample_rate_hz;
  int hop = config.hop_length;
  for (int i = 0; i < early; ++i) {
    halve_signal();
    sr /= 2.0;
    hop /= 2;
  }
  const double base_sr = sr;

  // magnitudes[tuning][octave]: [frames][filters of the octave], |response|.
  const std::size_t n_tunings = tunings.size();
  std::vector<std::vector<std::vector<float>>> magnitudes(n_tunings);
  std::size_t n_frames = static_cast<std::size_t>(-1);
  std::vector<KernelBank> first_banks;  // octave 0, gain 1
  for (int octave = 0; octave < n_octaves; ++octave) {
    const int hi = config.n_bins - n_filters * octave;
    const int lo = std::max(0, hi - n_filters);
    // Each octave halves both the rate and the frequencies, so the kernels only change by the
    // gain sqrt(base_sr / sr): they are built once (for full octaves) and rescaled.
    const double gain = std::sqrt(base_sr / sr);
    std::vector<KernelBank> banks;
    for (std::size_t u = 0; u < n_tunings; ++u) {
      const bool reuse = octave > 0 && hi - lo == n_filters &&
                         first_banks[u].filters.size() == static_cast<std::size_t>(n_filters) &&
                         sr * (1 << octave) == base_sr;
      if (reuse) {
        KernelBank bank = first_banks[u];
        for (SparseKernel& k : bank.filters) {
          for (auto& w : k.weights) w *= static_cast<float>(gain);
        }
        banks.push_back(std::move(bank));
        continue;
      }
      std::vector<double> f(freqs[u].begin() + lo, freqs[u].begin() + hi);
      banks.push_back(make_kernel_bank(f, sr, q, config.sparsity, gain));
      if (octave == 0) first_banks.push_back(banks.back());
    }
    const std::size_t frames = count_frames(signal_n, hop);
    n_frames = std::min(n_frames, frames);
    for (std::size_t u = 0; u < n_tunings; ++u) {
      magnitudes[u].emplace_back(frames * static_cast<std::size_t>(hi - lo));
    }
    // One STFT serves every tuning whose kernels have the same length.
    std::vector<bool> done(n_tunings, false);
    for (std::size_t u0 = 0; u0 < n_tunings; ++u0) {
      if (done[u0]) continue;
      std::vector<std::size_t> group;
      for (std::size_t u = u0; u < n_tunings; ++u) {
        if (!done[u] && banks[u].n_fft == banks[u0].n_fft) group.push_back(u), done[u] = true;
      }
      const StftBatchVisitor visit = [&](std::size_t first, int lanes, const LaneVec* re,
                                         const LaneVec* im) {
        for (std::size_t u : group) {
          apply_kernels(banks[u], re, im, first, lanes, magnitudes[u][octave].data());
        }
      };
      // The kernels only touch a band of bins; at small hops, slide a DFT over that band.
      int bin_lo = banks[u0].n_fft, bin_hi = 0;
      for (std::size_t u : group) {
        for (const SparseKernel& k : banks[u].filters) {
          if (k.bins.empty()) continue;
          bin_lo = std::min(bin_lo, k.bins.front());
          bin_hi = std::max(bin_hi, k.bins.back());
        }
      }
      if (bin_lo <= bin_hi &&
          sliding_dft_cost_ratio(banks[u0].n_fft, hop, bin_hi - bin_lo + 1) < 0.8) {
        for_each_band_stft_batch(signal, signal_n, banks[u0].n_fft, hop, bin_lo, bin_hi, visit);
      } else {
        for_each_stft_batch(signal, signal_n, banks[u0].n_fft, hop, {}, visit);
      }
    }
    if (octave + 1 < n_octaves && hop % 2 == 0) {
      halve_signal();
      sr /= 2.0;
      hop /= 2;
    }
  }

  // Stack octaves (top octave last), trim to the shortest, scale by 1 / sqrt(filter length).
  std::vector<FrameMatrix> result;
  for (std::size_t u = 0; u < n_tunings; ++u) {
    FrameMatrix m(n_frames, static_cast<std::size_t>(config.n_bins));
    std::vector<float> inv_sqrt_length(static_cast<std::size_t>(config.n_bins));
    for (int k = 0; k < config.n_bins; ++k) {
      inv_sqrt_length[k] =
          static_cast<float>(1.0 / std::sqrt(cqt_filter_length(q, base_sr, freqs[u][k])));
    }
    for (int octave = 0; octave < n_octaves; ++octave) {
      const int hi = config.n_bins - n_filters * octave;
      const int lo = std::max(0, hi - n_filters);
      const std::size_t n_out = static_cast<std::size_t>(hi - lo);
      const std::vector<float>& r = magnitudes[u][octave];
      for (std::size_t t = 0; t < n_frames; ++t) {
        float* row = m.row(t);
        for (std::size_t k = 0; k < n_out; ++k) {
          row[lo + k] = r[t * n_out + k] * inv_sqrt_length[lo + k];
        }
      }
    }
    result.push_back(std::move(m));
  }
  return result;
}

}  // namespace dynemo::features
