#include "features/psychoacoustic-dissonance.h"

#include <algorithm>
#include <cmath>

#include "features/psychoacoustic-peaks.h"
#include "features/stft.h"

namespace dynemo::features {
namespace {

// Sethares (1993, "Local consonance and the relationship between timbre and scale"), with the
// constants of his published code, as MIRtoolbox uses them (compare-lld-spec.md §16.1).
constexpr double kXStar = 0.24;
constexpr double kS1 = 0.0207;
constexpr double kS2 = 18.96;
constexpr double kB1 = 3.51;
constexpr double kB2 = 5.75;
// Pairs with b1 s |df| > 30 are skipped: their Z < exp(-30) = 9e-14, against Z's maximum of
// 0.18 (at s |df| = 0.22). Peaks are sorted by frequency, so the inner loop stops there.
constexpr double kMaxExponent = 30.0;

// Framing of MIRtoolbox mirroughness (compare-lld-spec.md §16.1): 50 ms frames, hop 25 ms.
constexpr double kFrameS = 0.05;
constexpr double kHopS = 0.025;
// Peaks must stand out by 1 % of the frame's largest magnitude (mirpeaks 'Contrast' 0.01).
constexpr float kContrast = 0.01f;

// Symmetric Blackman window. MIRtoolbox's mirspectrum uses Hamming; its sidelobes (-43 dB,
// 0.7 %) come within reach of the 1 % contrast where two partials' sidelobes add, and each such
// spurious peak next to a strong partial would add a near-maximal Plomp-Levelt term. Blackman's
// sidelobes are below -58 dB (0.13 %), at the price of a main lobe of +-3 bins of the frame
// (+-60 Hz at 50 ms): partials closer than that merge into one peak, as they do in MIRtoolbox.
std::vector<double> blackman(int n) {
  std::vector<double> w(static_cast<std::size_t>(n), 1.0);
  if (n < 2) return w;
  for (int i = 0; i < n; ++i) {
    const double phase = 2.0 * M_PI * i / (n - 1);
    w[static_cast<std::size_t>(i)] = 0.42 - 0.5 * std::cos(phase) + 0.08 * std::cos(2.0 * phase);
  }
  return w;
}

int next_power_of_two(int n) {
  int p = 4;
  while (p < n) p *= 2;
  return p;
}

// Peaks of one magnitude spectrum (bins k at k * bin_hz), the strongest max_peaks of them.
void spectral_peaks(const std::vector<float>& mag, double bin_hz, std::size_t max_peaks,
                    std::vector<std::size_t>& scratch, std::vector<SpectralPeak>& peaks) {
  peaks.clear();
  const float top = *std::max_element(mag.begin(), mag.end());
  if (!(top > 0.0f)) return;
  find_prominent_peaks(mag.data(), mag.size(), kContrast * top, scratch);
  for (const std::size_t k : scratch) {
    const ParabolicPeak p = parabolic_peak(mag[k - 1], mag[k], mag[k + 1]);
    peaks.push_back({(static_cast<double>(k) + p.offset) * bin_hz, p.height});
  }
  if (peaks.size() > max_peaks) {
    std::nth_element(
        peaks.begin(), peaks.begin() + static_cast<std::ptrdiff_t>(max_peaks), peaks.end(),
        [](const SpectralPeak& a, const SpectralPeak& b) { return a.amplitude > b.amplitude; });
    peaks.resize(max_peaks);
  }
}

}  // namespace

PairSums dissonance_pair_sums(std::vector<SpectralPeak>& peaks) {
  std::sort(peaks.begin(), peaks.end(),
            [](const SpectralPeak& a, const SpectralPeak& b) { return a.hz < b.hz; });
  // Single precision in the pair loop (the exponentials dominate the cost of the set); sums in
  // double. a^0.1 per peak: (A_min A_max)^0.1 = a_i^0.1 a_j^0.1.
  const std::size_t n = peaks.size();
  std::vector<float> hz(n), amp(n), tenth(n);
  for (std::size_t i = 0; i < n; ++i) {
    hz[i] = static_cast<float>(peaks[i].hz);
    amp[i] = static_cast<float>(peaks[i].amplitude);
    tenth[i] = std::pow(amp[i], 0.1f);
  }
  const float b1 = static_cast<float>(kB1), b2 = static_cast<float>(kB2);
  const float max_x = static_cast<float>(kMaxExponent / kB1);
  PairSums sums;
  for (std::size_t i = 0; i < n; ++i) {
    const float s = static_cast<float>(kXStar / (kS1 * peaks[i].hz + kS2));  // min f = f_i
    double dissonance = 0.0, roughness = 0.0;
    for (std::size_t j = i + 1; j < n; ++j) {
      const float x = s * (hz[j] - hz[i]);
      if (x > max_x) break;
      const float z = std::exp(-b1 * x) - std::exp(-b2 * x);
      dissonance += amp[i] * amp[j] * z;
      const float y = 2.0f * std::min(amp[i], amp[j]) / (amp[i] + amp[j]);  // in (0, 1]
      roughness += tenth[i] * tenth[j] * 0.5f * std::exp(3.11f * std::log(y)) * z;
    }
    sums.dissonance += dissonance;
    sums.roughness += roughness;
  }
  return sums;
}

std::size_t dissonance_hop(double fs) {
  return static_cast<std::size_t>(std::max(1, static_cast<int>(std::lround(kHopS * fs))));
}

std::size_t dissonance_frame_count(std::size_t n, double fs) {
  return count_frames(n, static_cast<int>(dissonance_hop(fs)));
}

void add_dissonance_frames(const SignalPiece& x, double fs, std::size_t t0, std::size_t t1,
                           DissonanceFrames& out) {
  const int frame_len = std::max(3, static_cast<int>(std::lround(kFrameS * fs)));
  const int hop = static_cast<int>(dissonance_hop(fs));
  const int n_fft = next_power_of_two(frame_len);  // zero padded, as mirspectrum does
  const std::size_t n_bins = static_cast<std::size_t>(n_fft / 2 + 1);
  const double bin_hz = fs / n_fft;

  // The frame's window sits centred in the n_fft buffer: frame t covers the samples
  // [t * hop - frame_len / 2, t * hop - frame_len / 2 + frame_len).
  const std::vector<double> w = blackman(frame_len);
  double w_sum = 0.0;
  for (const double v : w) w_sum += v;
  const std::size_t lead = static_cast<std::size_t>(n_fft / 2 - frame_len / 2);
  std::vector<float> window(static_cast<std::size_t>(n_fft), 0.0f);
  // Scaled by 2 / sum(w): a sine of amplitude A then has a magnitude peak of A.
  for (std::size_t i = 0; i < w.size(); ++i)
    window[lead + i] = static_cast<float>(2.0 * w[i] / w_sum);

  out.hop_s = hop / fs;
  const std::size_t base = out.valid.size();  // frame t0 goes here
  out.valid.resize(base + (t1 - t0), 0);
  out.dissonance.resize(out.valid.size(), 0.0f);
  out.roughness.resize(out.valid.size(), 0.0f);
  const std::size_t half = static_cast<std::size_t>(frame_len / 2);
  for (std::size_t t = t0; t < t1; ++t) {
    const std::size_t centre = t * static_cast<std::size_t>(hop);
    out.valid[base + t - t0] =
        centre >= half && centre - half + static_cast<std::size_t>(frame_len) <= x.total;
  }

  std::vector<float> mag(n_bins);
  std::vector<std::size_t> scratch;
  std::vector<SpectralPeak> peaks;
  for_each_stft_batch(x, n_fft, hop, window, t0, t1,
                      [&](std::size_t first, int lanes, const LaneVec* re, const LaneVec* im) {
                        for (int j = 0; j < lanes; ++j) {
                          const std::size_t t = base + first + static_cast<std::size_t>(j) - t0;
                          if (!out.valid[t]) continue;
                          for (std::size_t k = 0; k < n_bins; ++k) {
                            mag[k] = std::sqrt(re[k][j] * re[k][j] + im[k][j] * im[k][j]);
                          }
                          spectral_peaks(mag, bin_hz, kMaxDissonancePeaks, scratch, peaks);
                          const PairSums s = dissonance_pair_sums(peaks);
                          out.dissonance[t] = static_cast<float>(s.dissonance);
                          out.roughness[t] = static_cast<float>(s.roughness);
                        }
                      });
}

DissonanceFrames dissonance_frames(const float* x, std::size_t n, double fs) {
  DissonanceFrames out;
  add_dissonance_frames(SignalPiece{x, 0, n, n}, fs, 0, dissonance_frame_count(n, fs), out);
  return out;
}

}  // namespace dynemo::features
