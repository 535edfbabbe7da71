#include "features/compare/llds.h"

#include <algorithm>
#include <cstring>

#include "features/compare/auditory.h"
#include "features/compare/energy.h"
#include "features/compare/framing.h"
#include "features/compare/mfcc.h"
#include "features/compare/names.h"
#include "features/compare/smoothing.h"
#include "features/compare/spectral.h"

namespace dynemo::features::compare {
namespace {

// Columns of the 59 non-voicing LLDs (LLD index 6..64), before smoothing.
constexpr std::size_t kFirstOwn = kVoicingCount;
constexpr std::size_t kOwnCount = kLldCount - kVoicingCount;
constexpr std::size_t kLoudness = 0, kRastaLoudness = 1, kRms = 2, kZcr = 3, kRasta = 4,
                      kSpectral = kRasta + kMelBands, kMfcc = kSpectral + kSpectralLlds;
static_assert(kMfcc + kMfccCount == kOwnCount, "LLD layout must cover the 59 non-voicing LLDs");

// The 20 ms LLDs of every short frame: [n_frames, kOwnCount] (the zcr column left at 0).
FrameMatrix short_frame_llds(const float* x, std::size_t n_frames, double fs,
                             const FrameGeometry& g, LldVariant variant, RastaCarry* carry) {
  FrameMatrix raw(n_frames, kOwnCount);
  if (n_frames == 0) return raw;
  const int nfft = g.short_nfft;
  const std::size_t n_bins = static_cast<std::size_t>(nfft / 2 + 1);
  const std::size_t pad_left =
      variant == LldVariant::compare2016 ? (static_cast<std::size_t>(nfft) - g.short_len) / 2 : 0;
  const MelBank bank(fs, g.short_len, nfft);
  const CompareMfcc mfcc;
  const SpectralLlds spectral(fs, g.short_len, nfft);
  FrameMatrix mel(n_frames, kMelBands);
  std::vector<float> previous(n_bins);
  for_each_magnitude_batch(
      x, n_frames, g.short_len, g.hop, nfft, pad_left, hamming_window(g.short_len),
      [&](std::size_t first, int lanes, const float* const* mags) {
        for (int j = 0; j < lanes; ++j) {
          const std::size_t t = first + static_cast<std::size_t>(j);
          const float* before = j > 0 ? mags[j - 1] : (t > 0 ? previous.data() : nullptr);
          bank.apply(mags[j], mel.row(t));
          mfcc.apply(mel.row(t), raw.row(t) + kMfcc);
          spectral.compute(mags[j], before, raw.row(t) + kSpectral);
        }
        std::memcpy(previous.data(), mags[lanes - 1], n_bins * sizeof(float));
      });
  const AuditoryLlds aud = auditory_llds(mel, bank, kRowPeriod_s, carry);
  const std::vector<float> rms = rms_energy(x, n_frames, g.short_len, g.hop);
  for (std::size_t t = 0; t < n_frames; ++t) {
    float* r = raw.row(t);
    r[kLoudness] = aud.loudness[t];
    r[kRastaLoudness] = aud.rasta_loudness[t];
    r[kRms] = rms[t];
    std::memcpy(r + kRasta, aud.rasta.row(t), kMelBands * sizeof(float));
  }
  return raw;
}

// Row t of m, or the last row past its end (zeros when m is empty).
const float* row_or_last(const FrameMatrix& m, std::size_t t, const std::vector<float>& zeros) {
  if (m.n_frames == 0) return zeros.data();
  return m.row(std::min(t, m.n_frames - 1));
}

}  // namespace

std::size_t lld_row_count(std::size_t n, double fs) {
  const FrameGeometry g = frame_geometry(fs);
  return count_complete_frames(n, g.long_len, g.hop) + 1;
}

std::vector<float> opensmile_scaled(const float* y, std::size_t n) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = static_cast<float>(static_cast<double>(y[i]) * (32768.0 / 32767.0));
  }
  return x;
}

FrameMatrix compare_llds(const float* x, std::size_t n, double fs, LldVariant variant,
                         LldCarry* carry, DeltaNormaliser* normaliser) {
  const FrameGeometry g = frame_geometry(fs);
  const std::size_t n_rows = lld_row_count(n, fs);
  const std::size_t n_short = count_complete_frames(n, g.short_len, g.hop);
  const std::size_t n_long = n_rows - 1;

  const FrameMatrix smooth =
      smooth_sma(short_frame_llds(x, n_short, fs, g, variant, carry ? &carry->rasta : nullptr));
  const FrameMatrix delta = delta_regression(smooth);
  FrameMatrix zcr(n_long, 1);
  const std::vector<float> z = zero_crossing_rate(x, n_long, g.long_len, g.hop);
  std::copy(z.begin(), z.end(), zcr.data.begin());
  const FrameMatrix zcr_smooth = smooth_sma(zcr);
  const FrameMatrix zcr_delta = delta_regression(zcr_smooth);
  const FrameMatrix voicing =
      voicing_llds(x, n, fs, variant, n_rows, carry ? &carry->period : nullptr, normaliser);

  FrameMatrix out(n_rows, kColumnCount);
  const std::vector<float> zeros(kOwnCount, 0.0f);
  for (std::size_t t = 0; t < n_rows; ++t) {
    float* o = out.row(t);
    const float* v = voicing.row(t);
    std::copy(v, v + kVoicingCount, o);
    std::copy(v + kVoicingCount, v + 2 * kVoicingCount, o + kLldCount);
    const float* s = row_or_last(smooth, t, zeros);
    const float* d = row_or_last(delta, t, zeros);
    std::copy(s, s + kOwnCount, o + kFirstOwn);
    std::copy(d, d + kOwnCount, o + kLldCount + kFirstOwn);
    o[kFirstOwn + kZcr] = row_or_last(zcr_smooth, t, zeros)[0];
    o[kLldCount + kFirstOwn + kZcr] = row_or_last(zcr_delta, t, zeros)[0];
  }
  return out;
}

}  // namespace dynemo::features::compare
