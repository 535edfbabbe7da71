#include "features/psychoacoustic-onsets.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "features/psychoacoustic-peaks.h"
#include "features/stft.h"
#include "features/windows.h"

namespace dynemo::features {
namespace {

constexpr int kBands = 10;               // as MIRtoolbox's 10-channel Gammatone bank
constexpr double kLowestHz = 50.0;       // lower edge of the lowest band
constexpr double kFrameS = 0.023;        // frame length before rounding up to a power of two
constexpr float kGate = 1e-3f;           // relative to the clip's largest total envelope
constexpr double kOnsetDelta = 0.07;     // of the clip's largest curve value
constexpr float kCompression = 1000.0f;  // envelope compression (about 60 dB of range)
constexpr double kSmoothS = 0.05;        // Hann smoothing of the curve

// ERB-rate (number of ERBs below f), Glasberg & Moore (1990): 21.4 log10(1 + 0.00437 f).
double erb_rate(double hz) { return 21.4 * std::log10(1.0 + 0.00437 * hz); }
double erb_rate_to_hz(double e) { return (std::pow(10.0, e / 21.4) - 1.0) / 0.00437; }

// band[k] = band of FFT bin k, or -1 for bins below kLowestHz.
std::vector<int> bin_bands(int n_fft, double fs) {
  const std::size_t n_bins = static_cast<std::size_t>(n_fft / 2 + 1);
  const double lo = erb_rate(kLowestHz), hi = erb_rate(fs / 2.0);
  std::vector<double> edges_hz(kBands + 1);
  for (int b = 0; b <= kBands; ++b) edges_hz[b] = erb_rate_to_hz(lo + (hi - lo) * b / kBands);
  std::vector<int> band(n_bins, -1);
  for (std::size_t k = 0; k < n_bins; ++k) {
    const double hz = static_cast<double>(k) * fs / n_fft;
    if (hz < edges_hz[0]) continue;
    int b = 0;
    while (b + 1 < kBands && hz >= edges_hz[static_cast<std::size_t>(b) + 1]) ++b;
    band[k] = b;
  }
  return band;
}

// y convolved with a centred Hann window of about kSmoothS (odd length, unit sum), zero outside.
std::vector<float> smoothed(const std::vector<float>& y, double rate_hz) {
  const int half = std::max(1, static_cast<int>(std::lround(0.5 * kSmoothS * rate_hz)));
  std::vector<float> w(static_cast<std::size_t>(2 * half + 1));
  double sum = 0.0;
  for (int i = 0; i <= 2 * half; ++i) {
    w[static_cast<std::size_t>(i)] =
        static_cast<float>(0.5 - 0.5 * std::cos(M_PI * (i + 1) / (half + 1)));
    sum += w[static_cast<std::size_t>(i)];
  }
  for (float& v : w) v = static_cast<float>(v / sum);
  const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(y.size());
  std::vector<float> out(y.size(), 0.0f);
  for (std::ptrdiff_t t = 0; t < n; ++t) {
    float acc = 0.0f;
    for (int i = -half; i <= half; ++i) {
      const std::ptrdiff_t u = t + i;
      if (u >= 0 && u < n)
        acc += w[static_cast<std::size_t>(i + half)] * y[static_cast<std::size_t>(u)];
    }
    out[static_cast<std::size_t>(t)] = acc;
  }
  return out;
}

}  // namespace

// Differences from mironsets 'Envelope' (MIRtoolbox 1.6.1), all ours:
// - bands are sums of STFT magnitudes over ERB-spaced bins instead of Gammatone filters, and the
//   envelope is the band magnitude per 23 ms frame (the frame itself is the low-pass, in place
//   of the 20 ms one-pole filter and the down-sampling by 16: 172 Hz here, 2756 Hz there);
// - each band's difference is half-wave rectified before the sum (mironsets' 'HalfwaveDiff';
//   mirtempo's default keeps the negative part), so decays do not cancel other bands' attacks
//   and the curve's peaks are attacks only;
// - the gate at 0.1 % of the loudest frame keeps float rounding in a steady tone from making
//   periodicities or events;
// - the band envelopes are log-compressed (about 60 dB of range), so soft attacks count as a
//   listener hears them next to loud ones;
// - the curve is smoothed by a centred Hann window of 50 ms (unit sum): unsmoothed, the flux of
//   sustained music has a bump every few frames.
int onset_n_fft(double fs) {
  int n_fft = 4;
  while (n_fft < std::lround(kFrameS * fs)) n_fft *= 2;
  return n_fft;
}

std::size_t onset_hop(double fs) { return static_cast<std::size_t>(onset_n_fft(fs) / 4); }

std::size_t onset_frame_count(std::size_t n, double fs) {
  return count_frames(n, static_cast<int>(onset_hop(fs)));
}

void add_onset_envelopes(const SignalPiece& x, double fs, std::size_t t0, std::size_t t1,
                         std::vector<float>& env) {
  const int n_fft = onset_n_fft(fs);
  const int hop = n_fft / 4;
  const std::size_t n_bins = static_cast<std::size_t>(n_fft / 2 + 1);
  const std::vector<int> band = bin_bands(n_fft, fs);
  const std::size_t base = env.size() / kBands;  // frame t0 goes here
  env.resize((base + t1 - t0) * kBands, 0.0f);   // env[t * kBands + b]
  for_each_stft_batch(x, n_fft, hop, hann_periodic(n_fft), t0, t1,
                      [&](std::size_t first, int lanes, const LaneVec* re, const LaneVec* im) {
                        for (int j = 0; j < lanes; ++j) {
                          float* e = env.data() +
                                     (base + first + static_cast<std::size_t>(j) - t0) * kBands;
                          for (std::size_t k = 0; k < n_bins; ++k) {
                            if (band[k] < 0) continue;
                            e[band[k]] += std::sqrt(re[k][j] * re[k][j] + im[k][j] * im[k][j]);
                          }
                        }
                      });
}

OnsetCurve onset_curve(const float* x, std::size_t n, double fs) {
  std::vector<float> env;
  add_onset_envelopes(SignalPiece{x, 0, n, n}, fs, 0, onset_frame_count(n, fs), env);
  return onset_curve_from_envelopes(std::move(env), fs);
}

OnsetCurve onset_curve_from_envelopes(std::vector<float> env, double fs) {
  const std::size_t hop = onset_hop(fs);
  const std::size_t n_frames = env.size() / kBands;
  float loudest = 0.0f;
  for (std::size_t t = 0; t < n_frames; ++t) {
    float total = 0.0f;
    for (int b = 0; b < kBands; ++b) total += env[t * kBands + b];
    loudest = std::max(loudest, total);
  }
  OnsetCurve curve;
  curve.rate_hz = fs / hop;
  curve.values.assign(n_frames, 0.0f);
  // Log-compressed envelopes, log(1 + kCompression e / loudest): a soft note's attack counts as
  // a listener hears it next to a loud one (as onset detectors work on dB or log spectra).
  if (loudest > 0.0f) {
    for (float& e : env) e = std::log1p(kCompression * e / loudest);
  }
  const float gate = std::log1p(kCompression * kGate);
  for (std::size_t t = 1; t < n_frames; ++t) {
    float rise = 0.0f;
    for (int b = 0; b < kBands; ++b) {
      rise += std::max(0.0f, env[t * kBands + b] - env[(t - 1) * kBands + b]);
    }
    curve.values[t] = rise >= gate ? rise : 0.0f;
  }
  curve.values = smoothed(curve.values, curve.rate_hz);
  return curve;
}

std::vector<double> onset_times_s(const OnsetCurve& curve) {
  const std::vector<float>& y = curve.values;
  std::vector<double> times;
  if (y.empty()) return times;
  const float top = *std::max_element(y.begin(), y.end());
  if (!(top > 0.0f)) return times;
  // Peak picking as onset detectors do it (Boeck et al. 2012; librosa's onset_detect defaults):
  // on the curve scaled to [0, 1], a frame is an onset when it is the largest of the 30 ms before
  // it and the next frame, stands kOnsetDelta above the mean of the 100 ms around it, rises
  // kOnsetDelta above the lowest value of the 100 ms before it, and comes at least 30 ms after the
  // previous onset. None in the first and last 50 ms of the input: the abrupt start and end of
  // an excerpt (the frames half outside it) are not events of the music.
  const double rate = curve.rate_hz;
  const auto frames = [rate](double s) { return std::max<std::size_t>(1, std::lround(s * rate)); };
  const std::size_t pre_max = frames(0.03), avg = frames(0.10), wait = frames(0.03);
  const std::size_t edge = frames(0.05);  // a 23 ms frame half outside the input, smoothed
  const std::size_t n = y.size();
  std::vector<double> prefix(n + 1, 0.0);
  for (std::size_t t = 0; t < n; ++t) prefix[t + 1] = prefix[t] + y[t] / top;
  std::vector<std::size_t> peaks;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const double v = y[i] / top;
    const std::size_t a = i > pre_max ? i - pre_max : 0;
    if (*std::max_element(y.begin() + static_cast<std::ptrdiff_t>(a),
                          y.begin() + static_cast<std::ptrdiff_t>(i + 2)) > y[i]) {
      continue;
    }
    const std::size_t lo = i > avg ? i - avg : 0, hi = std::min(n, i + avg + 1);
    if (v < (prefix[hi] - prefix[lo]) / static_cast<double>(hi - lo) + kOnsetDelta) continue;
    if (i < edge || i + edge >= n) continue;  // the input's first and last 50 ms: its edges
    const double dip = *std::min_element(y.begin() + static_cast<std::ptrdiff_t>(lo),
                                         y.begin() + static_cast<std::ptrdiff_t>(i)) /
                       top;
    if (v - dip < kOnsetDelta) continue;
    if (!peaks.empty() && i - peaks.back() < wait) continue;
    peaks.push_back(i);
  }
  for (const std::size_t i : peaks) {
    const double offset = parabolic_peak(y[i - 1], y[i], y[i + 1]).offset;
    times.push_back((static_cast<double>(i) + offset) / curve.rate_hz);
  }
  return times;
}

}  // namespace dynemo::features
