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
#include "features/compare/smoothing.h"
#include "features/compare/window-stats.h"
#include "features/extract-with.h"
#include "features/mel.h"
#include "features/stft.h"

namespace dynemo::features {
namespace {

constexpr double kMelLow_hz = 30.0;
constexpr double kMelHigh_hz = 8000.0;
constexpr std::size_t kSlope = kListenerDroppedLld;
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
    const FrameMatrix llds =
        compare::compare_llds(noise.data(), n, kListenerRate_hz, compare::LldVariant::compare2016);
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
FrameMatrix transformed_llds(const float* y, std::size_t n, compare::LldCarry* carry) {
  const std::vector<float> x = compare::opensmile_scaled(y, n);
  const FrameMatrix llds =
      compare::compare_llds(x.data(), n, kListenerRate_hz, compare::LldVariant::compare2016, carry);
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

// Spectral contrast of octave bands below 8 kHz: per frame and band, the dB difference between the
// mean power of the top and of the bottom 20 % of its bins (each bin floored at white noise at the
// floor level), as in Jiang et al. 2002: [T, 7].
FrameMatrix octave_contrast(const FrameMatrix& magnitude) {
  static const double kEdges_hz[] = {0, 200, 400, 800, 1600, 3200, 6400, 8000.01};
  constexpr std::size_t kBands = 7;
  constexpr double kQuantile = 0.2;
  // Bins [first[b], first[b + 1]) of band b, from bin 1 (DC left out).
  static const std::array<std::size_t, kBands + 1> first = [] {
    std::array<std::size_t, kBands + 1> f{};
    const double bin_hz = kListenerRate_hz / kListenerFft;
    const std::size_t n_bins = kListenerFft / 2 + 1;
    std::size_t k = 1;
    for (std::size_t b = 0; b <= kBands; ++b) {
      while (k < n_bins && static_cast<double>(k) * bin_hz < kEdges_hz[b]) ++k;
      f[b] = k;
    }
    return f;
  }();
  const float floor = static_cast<float>(noise_power() * 3.0 * kListenerFft / 8.0);
  FrameMatrix out(magnitude.n_frames, kBands);
  std::vector<float> band;
  for (std::size_t t = 0; t < magnitude.n_frames; ++t) {
    const float* m = magnitude.row(t);
    for (std::size_t b = 0; b < kBands; ++b) {
      band.clear();
      for (std::size_t k = first[b]; k < first[b + 1]; ++k) {
        band.push_back(std::max(m[k] * m[k], floor));
      }
      const std::size_t n =
          std::max<std::size_t>(1, static_cast<std::size_t>(kQuantile * band.size()));
      // The n smallest to the front and the n largest to the back (their order does not matter
      // to the sums beyond double rounding); a band of one bin is both.
      const auto low_end = band.begin() + static_cast<std::ptrdiff_t>(n);
      const auto high_begin = band.end() - static_cast<std::ptrdiff_t>(n);
      if (high_begin >= low_end) {
        std::nth_element(band.begin(), low_end - 1, band.end());
        if (high_begin > low_end) std::nth_element(low_end, high_begin, band.end());
      } else {
        std::sort(band.begin(), band.end());
      }
      double low = 0.0, high = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        low += band[i];
        high += band[band.size() - 1 - i];
      }
      out.at(t, b) = static_cast<float>(10.0 * std::log10(high / low));
    }
  }
  return out;
}

// Rhythm of each window from the onset flux over the kListenerPulseContext_s ending at the window's
// end (less at the start of the input), mean removed: [K, 5] =
//   pulse clarity: the largest normalised autocorrelation at lags 0.25-1.5 s (40-240 BPM);
//   the mean normalised autocorrelation at lags 0.25-0.5 s, 0.5-0.75 s and 0.75-1.5 s;
//   onset rate: local maxima of the flux above its mean + 1 std in that span, per second.
// Zeros without onsets.
FrameMatrix rhythm(const FrameMatrix& flux, const std::vector<double>& starts_s, double window_s) {
  const double fps = kListenerRate_hz / kListenerHop;
  const auto lag_of = [fps](double s) { return static_cast<std::size_t>(std::lround(s * fps)); };
  const std::size_t bands[4] = {lag_of(0.25), lag_of(0.5), lag_of(0.75), lag_of(1.5)};
  FrameMatrix out(starts_s.size(), 5);
  std::vector<double> x;
  for (std::size_t k = 0; k < starts_s.size(); ++k) {
    const double end_s = starts_s[k] + window_s;
    const auto end = std::min(
        flux.n_frames, static_cast<std::size_t>(std::max(0.0, std::ceil(end_s * fps - 1e-9))));
    const auto first = static_cast<std::size_t>(
        std::max(0.0, std::ceil((end_s - kListenerPulseContext_s) * fps - 1e-9)));
    x.clear();
    for (std::size_t t = first; t < end; ++t) x.push_back(flux.at(t, 0));
    if (x.size() < 3) continue;
    double mean = 0.0;
    for (double v : x) mean += v / static_cast<double>(x.size());
    for (double& v : x) v -= mean;
    double r0 = 0.0;
    for (double v : x) r0 += v * v;
    if (r0 <= 1e-12) continue;
    double best = 0.0, band_sum[3] = {0, 0, 0};
    std::size_t band_n[3] = {0, 0, 0};
    for (std::size_t lag = bands[0]; lag <= bands[3] && lag < x.size(); ++lag) {
      double r = 0.0;
      for (std::size_t i = lag; i < x.size(); ++i) r += x[i] * x[i - lag];
      r /= r0;
      best = std::max(best, r);
      const int b = lag < bands[1] ? 0 : lag < bands[2] ? 1 : 2;
      band_sum[b] += r;
      ++band_n[b];
    }
    const double sd = std::sqrt(r0 / static_cast<double>(x.size()));
    std::size_t peaks = 0;
    for (std::size_t i = 1; i + 1 < x.size(); ++i) {
      if (x[i] > sd && x[i] > x[i - 1] && x[i] >= x[i + 1]) ++peaks;
    }
    out.at(k, 0) = static_cast<float>(best);
    for (int b = 0; b < 3; ++b) {
      out.at(k, 1 + b) = band_n[b] ? static_cast<float>(band_sum[b] / band_n[b]) : 0.0f;
    }
    out.at(k, 4) = static_cast<float>(peaks / (static_cast<double>(x.size()) / fps));
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
  for (const std::string& name : listener_lld_names()) {
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
  for (int b = 0; b < 7; ++b) c.push_back("contrast_" + std::to_string(b));
  for (const char* r :
       {"pulse_clarity", "rhythm_ac_fast", "rhythm_ac_mid", "rhythm_ac_slow", "onset_rate_hz"}) {
    c.push_back(r);
  }
  for (const std::string& name : listener_lld_names()) {
    c.push_back(compare::delta_name(name) + "_stddev");
  }
  return c;
}

// Copies row k of m (columns first, first + stride, ...) into row k of out from column `at`;
// returns the next column.
std::size_t put(const FrameMatrix& m, std::size_t k, FrameMatrix& out, std::size_t at,
                std::size_t stride = 1, std::size_t first = 0) {
  for (std::size_t c = first; c < m.n_values; c += stride) out.at(k, at++) = m.at(k, c);
  return at;
}

}  // namespace

const std::vector<std::string>& listener_lld_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    const std::vector<std::string>& compare_names = compare::lld_names();
    for (std::size_t i = 0; i < compare::kLldCount; ++i) {
      if (i == kSlope) continue;
      out.push_back(compare_names[i] + (is_power_lld(i) ? "_db" : i == kKurtosis ? "_log10" : ""));
    }
    return out;
  }();
  return names;
}

const std::vector<std::string>& listener_columns() {
  static const std::vector<std::string> columns = make_columns();
  return columns;
}

ListenerLldFrames listener_lld_frames(const float* y, std::size_t n, compare::LldCarry* carry) {
  ListenerLldFrames f;
  f.llds = transformed_llds(y, n, carry);
  f.deltas = compare::delta_regression(f.llds);
  return f;
}

const ListenerLldFrames& shared_listener_lld_frames(const float* y, std::size_t n,
                                                    ListenerLldFrames* own) {
  SharedRows* shared = current_shared_rows();
  if (shared && shared->listener_llds) return *shared->listener_llds;
  ListenerLldFrames f = listener_lld_frames(y, n);
  if (shared) return shared->listener_llds.emplace(std::move(f));
  *own = std::move(f);
  return *own;
}

ListenerSpectrumFrames listener_spectrum_frames(const float* y, std::size_t n) {
  const FrameMatrix magnitude = stft_magnitude(y, n, kListenerFft, kListenerHop);
  ListenerSpectrumFrames f;
  f.mel_db = log_mel(magnitude);
  f.flux = onset_flux(f.mel_db);
  f.contrast = octave_contrast(magnitude);
  f.chroma = chroma_stft(magnitude, {kListenerRate_hz, kListenerFft}, 0.0);
  return f;
}

FrameMatrix listener_rows(const ListenerLldFrames& lld, double lld_t0_s,
                          const ListenerSpectrumFrames& spectrum, double spectrum_t0_s,
                          const std::vector<double>& starts_s, double window_s) {
  std::vector<double> lld_starts(starts_s), spectrum_starts(starts_s);
  for (double& s : lld_starts) s -= lld_t0_s;
  for (double& s : spectrum_starts) s -= spectrum_t0_s;
  const double frame_period_s = kListenerHop / kListenerRate_hz;
  const FrameMatrix lld_stats =
      compare::window_mean_stddev(lld.llds, compare::kRowPeriod_s, lld_starts, window_s);
  const FrameMatrix delta_stats =
      compare::window_mean_stddev(lld.deltas, compare::kRowPeriod_s, lld_starts, window_s);
  const auto stats = [&](const FrameMatrix& m) {
    return compare::window_mean_stddev(m, frame_period_s, spectrum_starts, window_s);
  };
  const FrameMatrix mel_stats = stats(spectrum.mel_db);
  const FrameMatrix flux_stats = stats(spectrum.flux);
  const FrameMatrix contrast = stats(spectrum.contrast);
  const FrameMatrix chroma = stats(spectrum.chroma);
  const FrameMatrix rhythms = rhythm(spectrum.flux, spectrum_starts, window_s);

  FrameMatrix out(starts_s.size(), listener_columns().size());
  for (std::size_t k = 0; k < starts_s.size(); ++k) {
    std::size_t at = put(lld_stats, k, out, 0);
    at = put(mel_stats, k, out, at);
    at = put(flux_stats, k, out, at);
    const std::size_t chroma_at = at;
    at = put(chroma, k, out, at, 2);  // the means only
    out.at(k, at++) = static_cast<float>(key_clarity(out.row(k) + chroma_at, kMajor));
    out.at(k, at++) = static_cast<float>(key_clarity(out.row(k) + chroma_at, kMinor));
    at = put(contrast, k, out, at, 2);  // the means only
    at = put(rhythms, k, out, at);
    at = put(delta_stats, k, out, at, 2, 1);  // the standard deviations only
  }
  return out;
}

ListenerInput at_listener_rate(const float* samples, std::size_t n, double rate_hz,
                               std::vector<float>* storage) {
  if (rate_hz == kListenerRate_hz) return {samples, n};
  *storage = resample(samples, n, rate_hz, kListenerRate_hz);
  return {storage->data(), storage->size()};
}

FrameMatrix listener_windows(const float* samples, std::size_t n, const FeatureConfig& config,
                             const std::vector<double>& starts_s) {
  std::vector<float> resampled;
  const ListenerInput in = at_listener_rate(samples, n, config.sample_rate_hz, &resampled);
  ListenerLldFrames own;
  return listener_rows(shared_listener_lld_frames(in.y, in.n, &own), 0.0,
                       listener_spectrum_frames(in.y, in.n), 0.0, starts_s, config.window_s);
}

}  // namespace dynemo::features
