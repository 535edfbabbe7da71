// The listener set (listener.h): ComParE 2016 LLD statistics, log-mel statistics, onset flux,
// chroma and key clarity of the input band-limited to 8 kHz, power-like values in dB above a
// fixed floor.
#include "features/listener.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

#include "dynemo/audio.h"
#include "features/chroma.h"
#include "features/compare/llds.h"
#include "features/compare/names.h"
#include "features/compare/window-stats.h"
#include "features/mel.h"
#include "features/stft.h"

namespace dynemo::features {
namespace {

constexpr double kMelLow_hz = 30.0;
constexpr double kMelHigh_hz = 8000.0;
constexpr std::size_t kSlope = 48;     // pcm_fftMag_spectralSlope_sma: scales with the gain, dropped
constexpr std::size_t kKurtosis = 47;  // pcm_fftMag_spectralKurtosis_sma: heavy-tailed, log10

// The LLDs whose values are powers or amplitudes (energy, auditory spectra, band energies, flux,
// harmonicity): in dB above the floor.
bool is_power_lld(std::size_t i) {
  return i == 6 || i == 7 || i == 8 || (i >= 10 && i <= 37) || i == 42 || i == 50;
}

double noise_power() { return std::pow(10.0, kListenerFloor_dbfs / 10.0); }

// The floor of each LLD: its mean over one second of white noise at kListenerFloor_dbfs
// (uniform, from a fixed-seed mt19937, so the same on every platform).
const std::vector<float>& lld_floors() {
  static const std::vector<float> floors = [] {
    const auto n = static_cast<std::size_t>(kListenerRate_hz);
    const double amplitude = std::sqrt(3.0 * noise_power());  // uniform on [-a, a]: a^2 / 3
    std::mt19937 rng(20261202);
    std::vector<float> noise(n);
    for (float& s : noise) {
      s = static_cast<float>(amplitude * (2.0 * (rng() / 4294967295.0) - 1.0));
    }
    const FrameMatrix llds = compare::compare_llds(noise.data(), n, kListenerRate_hz,
                                                   compare::LldVariant::compare2016);
    std::vector<float> out(compare::kLldCount, 0.0f);
    for (std::size_t c = 0; c < compare::kLldCount; ++c) {
      double sum = 0.0;
      for (std::size_t t = 0; t < llds.n_frames; ++t) sum += llds.at(t, c);
      out[c] = static_cast<float>(std::max(1e-30, sum / static_cast<double>(llds.n_frames)));
    }
    return out;
  }();
  return floors;
}

// The 64 kept LLDs (no deltas, no slope), power-like ones in dB: [rows, 64].
FrameMatrix transformed_llds(const float* y, std::size_t n) {
  const std::vector<float> x = compare::opensmile_scaled(y, n);
  const FrameMatrix llds =
      compare::compare_llds(x.data(), n, kListenerRate_hz, compare::LldVariant::compare2016);
  const std::vector<float>& floor = lld_floors();
  FrameMatrix out(llds.n_frames, compare::kLldCount - 1);
  for (std::size_t t = 0; t < llds.n_frames; ++t) {
    float* o = out.row(t);
    for (std::size_t c = 0, k = 0; c < compare::kLldCount; ++c) {
      if (c == kSlope) continue;
      const float v = llds.at(t, c);
      if (is_power_lld(c)) {
        o[k++] = 10.0f * std::log10(std::max(v, floor[c]));
      } else if (c == kKurtosis) {
        o[k++] = std::log10(std::max(v, 1.0f));
      } else {
        o[k++] = v;
      }
    }
  }
  return out;
}

// Log-mel frames [T, 64] in dB, each band floored at the power white noise at the floor level
// gives it (E|X_k|^2 = sigma^2 * sum(w^2) = sigma^2 * 3N/8 for a periodic Hann window).
FrameMatrix log_mel(const FrameMatrix& magnitude) {
  static const std::vector<SparseFilter> filters =
      mel_filterbank(kListenerRate_hz, kListenerFft, kListenerMels, kMelLow_hz, kMelHigh_hz);
  static const std::vector<float> floors = [] {
    std::vector<float> f;
    for (const SparseFilter& filter : filters) {
      double w = 0.0;
      for (float v : filter.weights) w += v;
      f.push_back(static_cast<float>(noise_power() * 3.0 * kListenerFft / 8.0 * w));
    }
    return f;
  }();
  FrameMatrix power(magnitude.n_frames, filters.size());
  apply_filters_to_power(magnitude, filters, 0, magnitude.n_frames, power);
  for (std::size_t t = 0; t < power.n_frames; ++t) {
    float* r = power.row(t);
    for (std::size_t b = 0; b < filters.size(); ++b) {
      r[b] = 10.0f * std::log10(std::max(r[b], floors[b]));
    }
  }
  return power;
}

// Onset strength: mean over bands of the rise in dB from the previous frame (0 for frame 0).
FrameMatrix onset_flux(const FrameMatrix& mel_db) {
  FrameMatrix out(mel_db.n_frames, 1);
  for (std::size_t t = 1; t < mel_db.n_frames; ++t) {
    double sum = 0.0;
    for (std::size_t b = 0; b < mel_db.n_values; ++b) {
      sum += std::max(0.0f, mel_db.at(t, b) - mel_db.at(t - 1, b));
    }
    out.at(t, 0) = static_cast<float>(sum / static_cast<double>(mel_db.n_values));
  }
  return out;
}

// Krumhansl & Kessler (1982) key profiles, C major and C minor.
constexpr std::array<double, 12> kMajor = {6.35, 2.23, 3.48, 2.33, 4.38, 4.09,
                                           2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
constexpr std::array<double, 12> kMinor = {6.33, 2.68, 3.52, 5.38, 2.60, 3.53,
                                           2.54, 4.75, 3.98, 2.69, 3.34, 3.17};

// Largest Pearson correlation of chroma with the profile over the 12 keys (0 for flat chroma).
double key_clarity(const float* chroma, const std::array<double, 12>& profile) {
  double mc = 0.0, mp = 0.0;
  for (int i = 0; i < 12; ++i) {
    mc += chroma[i] / 12.0;
    mp += profile[i] / 12.0;
  }
  double vc = 0.0, vp = 0.0;
  for (int i = 0; i < 12; ++i) {
    vc += (chroma[i] - mc) * (chroma[i] - mc);
    vp += (profile[i] - mp) * (profile[i] - mp);
  }
  if (vc <= 1e-12) return 0.0;
  double best = -1.0;
  for (int key = 0; key < 12; ++key) {
    double cov = 0.0;
    for (int i = 0; i < 12; ++i) cov += (chroma[i] - mc) * (profile[(i - key + 12) % 12] - mp);
    best = std::max(best, cov / std::sqrt(vc * vp));
  }
  return best;
}

std::vector<std::string> make_columns() {
  std::vector<std::string> c;
  const std::vector<std::string>& names = compare::lld_names();
  for (std::size_t i = 0; i < compare::kLldCount; ++i) {
    if (i == kSlope) continue;
    const std::string name = names[i] + (is_power_lld(i) ? "_db" : i == kKurtosis ? "_log10" : "");
    c.push_back(name + "_amean");
    c.push_back(name + "_stddev");
  }
  for (int b = 0; b < kListenerMels; ++b) {
    c.push_back("logmel_" + std::to_string(b) + "_amean");
    c.push_back("logmel_" + std::to_string(b) + "_stddev");
  }
  c.push_back("onset_flux_amean");
  c.push_back("onset_flux_stddev");
  for (int i = 0; i < 12; ++i) c.push_back("chroma_" + std::to_string(i));
  c.push_back("key_major_r");
  c.push_back("key_minor_r");
  return c;
}

// Copies m's columns into row k of out from column `at`; returns the next column.
std::size_t put(const FrameMatrix& m, std::size_t k, FrameMatrix& out, std::size_t at,
                std::size_t stride = 1) {
  for (std::size_t c = 0; c < m.n_values; c += stride) out.at(k, at++) = m.at(k, c);
  return at;
}

}  // namespace

const std::vector<std::string>& listener_columns() {
  static const std::vector<std::string> columns = make_columns();
  return columns;
}

FrameMatrix listener_windows(const float* samples, std::size_t n, const FeatureConfig& config,
                             const std::vector<double>& starts_s) {
  std::vector<float> resampled;
  if (config.sample_rate_hz != kListenerRate_hz) {
    resampled = resample(samples, n, config.sample_rate_hz, kListenerRate_hz);
    samples = resampled.data();
    n = resampled.size();
  }
  const double frame_period_s = kListenerHop / kListenerRate_hz;
  const FrameMatrix lld_stats = compare::window_mean_stddev(
      transformed_llds(samples, n), compare::kRowPeriod_s, starts_s, config.window_s);
  const FrameMatrix magnitude = stft_magnitude(samples, n, kListenerFft, kListenerHop);
  const FrameMatrix mel_db = log_mel(magnitude);
  const FrameMatrix mel_stats =
      compare::window_mean_stddev(mel_db, frame_period_s, starts_s, config.window_s);
  const FrameMatrix flux_stats =
      compare::window_mean_stddev(onset_flux(mel_db), frame_period_s, starts_s, config.window_s);
  const FrameMatrix chroma = compare::window_mean_stddev(
      chroma_stft(magnitude, {kListenerRate_hz, kListenerFft}, 0.0), frame_period_s, starts_s,
      config.window_s);

  FrameMatrix out(starts_s.size(), listener_columns().size());
  for (std::size_t k = 0; k < starts_s.size(); ++k) {
    std::size_t at = put(lld_stats, k, out, 0);
    at = put(mel_stats, k, out, at);
    at = put(flux_stats, k, out, at);
    const std::size_t chroma_at = at;
    at = put(chroma, k, out, at, 2);  // the means only
    out.at(k, at++) = static_cast<float>(key_clarity(out.row(k) + chroma_at, kMajor));
    out.at(k, at++) = static_cast<float>(key_clarity(out.row(k) + chroma_at, kMinor));
  }
  return out;
}

}  // namespace dynemo::features
