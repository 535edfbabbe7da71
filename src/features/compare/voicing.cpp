// Voicing LLDs (voicing.h): 60 ms Gaussian frames -> magnitude spectrum -> octave-scale
// spectrum -> SHS candidates -> Viterbi -> energy gate -> jitter/shimmer/HNR -> smoothing and
// deltas (spec compare-lld-spec.md §1, §7-§9).
#include "features/compare/voicing.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "dynemo/error.h"
#include "features/compare/voicing-jitter.h"
#include "features/compare/voicing-lanes.h"
#include "features/compare/voicing-octave-spectrum.h"
#include "features/compare/voicing-shs.h"
#include "features/compare/voicing-smoothing.h"
#include "features/compare/voicing-viterbi.h"
#include "features/fft-batch.h"

namespace dynemo::features::compare {
namespace {

constexpr double kHopS = 0.010, kFrameS = 0.060;
constexpr double kGaussSigma = 0.4;
constexpr double kGateRms = 0.001;  // cValbasedSelector: voiced only if the RMS is above this
constexpr double kMinSampleRateHz = 2000.0;

int next_power_of_two(std::size_t n) {
  int p = 1;
  while (static_cast<std::size_t>(p) < n) p *= 2;
  return p;
}

// Gaussian window, unnormalised: exp(-0.5 ((i - (N-1)/2) / (sigma (N-1)/2))^2), float32.
std::vector<float> gauss_window(std::size_t len) {
  std::vector<float> w(len);
  const double half = (static_cast<double>(len) - 1.0) / 2.0;
  for (std::size_t i = 0; i < len; ++i) {
    const double z = (static_cast<double>(i) - half) / (kGaussSigma * half);
    w[i] = static_cast<float>(std::exp(-0.5 * z * z));
  }
  return w;
}

// Windowed frames of one batch into the FFT buffer at offset pad (frames[pad + i][j] = sample i
// of frame j times w[i]) and their kFftLanes energies, sums of squares in double, left to right.
// src[j]: the first sample of frame j.
DYNEMO_SIMD_CLONES_UNFUSED void window_frames(const float* const* src, const float* w,
                                              std::size_t len, LaneVec* frames, double* energy) {
  Double4 sum[2] = {};
  std::size_t i = 0;
  // Eight samples of the eight frames at a time: load them as rows, transpose in registers.
  for (; i + kFftLanes <= len; i += kFftLanes) {
    LaneVec r[kFftLanes], c[kFftLanes];
    for (int j = 0; j < kFftLanes; ++j) std::memcpy(&r[j], src[j] + i, sizeof r[j]);
    transpose8(r, c);
    for (int k = 0; k < kFftLanes; ++k) {
      const LaneVec v = c[k] * w[i + static_cast<std::size_t>(k)];
      frames[i + static_cast<std::size_t>(k)] = v;
      Double4 d[2];
      widen(v, d[0], d[1]);
      for (int h = 0; h < 2; ++h) sum[h] += d[h] * d[h];
    }
  }
  for (; i < len; ++i) {
    LaneVec v;
    for (int j = 0; j < kFftLanes; ++j) v[j] = src[j][i];
    v *= w[i];
    frames[i] = v;
    Double4 d[2];
    widen(v, d[0], d[1]);
    for (int h = 0; h < 2; ++h) sum[h] += d[h] * d[h];
  }
  for (int h = 0; h < 2; ++h) std::memcpy(energy + 4 * h, &sum[h], sizeof sum[h]);
}

// mag[k] = |X_k| from the real and imaginary parts, float32.
DYNEMO_SIMD_CLONES_UNFUSED void magnitudes(const LaneVec* re, const LaneVec* im, std::size_t n,
                                           LaneVec* mag) {
  for (std::size_t k = 1; k + 1 < n; ++k) {
    const LaneVec p = re[k] * re[k] + im[k] * im[k];
    LaneVec m;
    for (int j = 0; j < kFftLanes; ++j) m[j] = std::sqrt(p[j]);
    mag[k] = m;
  }
  for (int j = 0; j < kFftLanes; ++j) {
    mag[0][j] = std::fabs(re[0][j]);
    mag[n - 1][j] = std::fabs(re[n - 1][j]);
  }
}

// Per frame: SHS candidates and the RMS of the windowed frame (for the energy gate).
struct FrameAnalysis {
  std::vector<PitchCandidates> candidates;
  std::vector<double> rms;
};

FrameAnalysis analyse_frames(const float* x, std::size_t n_frames, std::size_t hop, std::size_t len,
                             LldVariant variant) {
  const int nfft = next_power_of_two(len);
  const std::size_t n_mag = static_cast<std::size_t>(nfft / 2 + 1);
  // openSMILE derives the bin spacing from the frame length in seconds (spec §7.1, §15).
  const float frame_period_s = static_cast<float>(kFrameS * nfft / static_cast<double>(len));
  const OctaveSpectrum octave(static_cast<int>(n_mag), 1.0 / static_cast<double>(frame_period_s));
  const SubharmonicSummation shs(octave);
  const std::vector<float> window = gauss_window(len);
  // ComParE 2016 centres the frame in the FFT buffer, IS13 pads at the end (spec §1).
  const std::size_t pad =
      variant == LldVariant::compare2016 ? (static_cast<std::size_t>(nfft) - len) / 2 : 0;

  const BatchRealFft fft(nfft);
  LaneBuffer frames(static_cast<std::size_t>(nfft));
  LaneBuffer re(n_mag), im(n_mag), mag(n_mag), oct(n_mag);
  const std::vector<float> silence(len, 0.0f);  // the lanes past the last frame
  FrameAnalysis out;
  out.candidates.resize(n_frames);
  out.rms.resize(n_frames);
  for (std::size_t first = 0; first < n_frames; first += kFftLanes) {
    const int lanes = static_cast<int>(std::min<std::size_t>(kFftLanes, n_frames - first));
    const float* src[kFftLanes];
    for (int j = 0; j < kFftLanes; ++j) {
      src[j] = j < lanes ? x + (first + static_cast<std::size_t>(j)) * hop : silence.data();
    }
    double energy[kFftLanes];
    window_frames(src, window.data(), len, frames.data() + pad, energy);
    for (int j = 0; j < lanes; ++j) {
      out.rms[first + static_cast<std::size_t>(j)] =
          std::sqrt(energy[j] / static_cast<double>(len));
    }
    fft.forward(frames.data(), re.data(), im.data());
    magnitudes(re.data(), im.data(), n_mag, mag.data());
    octave.compute(mag.data(), oct.data());
    shs.compute(oct.data(), lanes, out.candidates.data() + first);
  }
  return out;
}

}  // namespace

FrameMatrix voicing_llds(const float* x, std::size_t n, double fs, LldVariant variant,
                         std::size_t n_rows, PeriodCarry* carry, DeltaNormaliser* normaliser) {
  if (!(fs >= kMinSampleRateHz) || !std::isfinite(fs)) {
    throw ConfigError("voicing_llds: sample rate must be at least " +
                      std::to_string(kMinSampleRateHz) + " Hz, got " + std::to_string(fs));
  }
  if (n > 0 && x == nullptr) throw ConfigError("voicing_llds: null samples with n > 0");
  const std::size_t hop = static_cast<std::size_t>(std::lround(kHopS * fs));
  const std::size_t len = static_cast<std::size_t>(std::lround(kFrameS * fs));
  const std::size_t n_frames = n >= len ? (n - len) / hop + 1 : 0;

  const FrameAnalysis frames = analyse_frames(x, n_frames, hop, len, variant);
  SmoothedPitch pitch = smooth_pitch_viterbi(frames.candidates);
  for (std::size_t t = 0; t < n_frames; ++t) {
    if (frames.rms[t] <= kGateRms) pitch.f0_hz[t] = pitch.voicing[t] = 0.0f;
  }

  PeriodConfig config;
  config.fs_hz = fs;
  config.hop = static_cast<int>(hop);
  config.frame_length = static_cast<int>(len);
  config.broken_threshold = variant == LldVariant::is13;
  const FrameMatrix periods = period_measures(x, n, pitch.f0_hz, config, carry);

  FrameMatrix llds(n_frames, 6);
  for (std::size_t t = 0; t < n_frames; ++t) {
    float* row = llds.row(t);
    row[0] = pitch.f0_hz[t];
    row[1] = pitch.voicing[t];
    for (std::size_t k = 0; k < 4; ++k) row[2 + k] = periods.at(t, k);
  }
  return voicing_smooth_and_delta(llds, n_rows, normaliser);
}

}  // namespace dynemo::features::compare
