#include "features/compare/auditory.h"

#include <algorithm>
#include <cmath>

namespace dynemo::features::compare {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kLowHz = 20.0, kHighHz = 8000.0;
constexpr double kMelFloor = 9.3e-10;  // openSMILE's melfloor for the non-HTK mel spectrum
constexpr double kCompression = 0.33;

double mel_of(double f) { return 1127.0 * std::log(1.0 + f / 700.0); }
double hz_of(double m) { return 700.0 * (std::exp(m / 1127.0) - 1.0); }

}  // namespace

MelBank::MelBank(double fs, std::size_t frame_len, int nfft) {
  const double frame_s = static_cast<double>(frame_len) / fs;
  const double df = static_cast<double>(frame_len) / (frame_s * nfft);
  const long k_lo = std::lround(kLowHz / df), k_hi = std::lround(kHighHz / df);
  // M + 2 equally spaced mel points; band b has feet c_b, c_{b+2} and its peak at c_{b+1}.
  std::vector<double> c(kMelBands + 2);
  const double m_lo = mel_of(kLowHz), m_hi = mel_of(kHighHz);
  for (std::size_t j = 0; j < c.size(); ++j) {
    c[j] = m_lo + static_cast<double>(j) * (m_hi - m_lo) / static_cast<double>(kMelBands + 1);
  }
  bands_.resize(kMelBands);
  centres_hz_.resize(kMelBands);
  for (std::size_t b = 0; b < kMelBands; ++b) {
    centres_hz_[b] = hz_of(c[b + 1]);
    Band& band = bands_[b];
    for (long k = k_lo + 1; k < k_hi && k <= nfft / 2; ++k) {
      const double m = mel_of(static_cast<double>(k) * df);
      const double w = std::max(
          0.0, std::min((m - c[b]) / (c[b + 1] - c[b]), (c[b + 2] - m) / (c[b + 2] - c[b + 1])));
      if (w <= 0.0) {
        if (!band.weights.empty()) break;
        continue;
      }
      if (band.weights.empty()) band.first_bin = static_cast<std::size_t>(k);
      band.weights.push_back(static_cast<float>(w));
    }
  }
}

void MelBank::apply(const float* magnitude, float* mel) const {
  for (std::size_t b = 0; b < bands_.size(); ++b) {
    const Band& band = bands_[b];
    const float* m = magnitude + band.first_bin;
    double sum = 0.0;
    for (std::size_t i = 0; i < band.weights.size(); ++i) {
      sum += static_cast<double>(band.weights[i]) * m[i] * m[i];
    }
    mel[b] = static_cast<float>(sum);
  }
}

double equal_loudness(double f_hz) {
  const double w = 2.0 * kPi * f_hz;
  const double w2 = w * w;
  const double c = w2 + 6.3e6;
  return 1e32 * (w2 + 56.8e6) * w2 * w2 / (c * c * (w2 + 0.38e9) * (w2 * w2 * w2 * w + 1.7e31));
}

AuditoryLlds auditory_llds(const FrameMatrix& mel, const MelBank& bank, double frame_period_s,
                           RastaCarry* carry) {
  const std::size_t n = mel.n_frames;
  AuditoryLlds out;
  out.loudness.assign(n, 0.0f);
  out.rasta = FrameMatrix(n, kMelBands);
  out.rasta_loudness.assign(n, 0.0f);

  // RASTA coefficients (newRASTA, 1-29 Hz): a = 1 - sin(2 pi 1 T), b = [2, -4w, 0, 4w, -2] / g.
  const double a = 1.0 - std::sin(2.0 * kPi * 1.0 * frame_period_s);
  const double omega = std::cos(2.0 * kPi * 29.0 * frame_period_s);
  const double g = std::sqrt(10.0 * (32.0 * omega * omega + 8.0));
  const double b[5] = {2.0 / g, -4.0 * omega / g, 0.0, 4.0 * omega / g, -2.0 / g};
  constexpr std::size_t kStartup = 5;  // outputs of frames 0..4 are 0; feedback from frame 6

  for (std::size_t band = 0; band < kMelBands; ++band) {
    const double e = equal_loudness(bank.centre_hz(band));
    const double log_e = std::log(e);
    double y_prev = 0.0;
    double history[5] = {0, 0, 0, 0, 0};                     // L_t, L_{t-1}, ..., L_{t-4}
    const std::size_t first = carry ? carry->first_row : 0;  // global row of frame 0
    for (std::size_t t = 0; t < n; ++t) {
      const std::size_t global = first + t;
      if (carry && carry->start && global == carry->start_row) {
        const std::array<double, 5>& s = carry->start->bands[band];
        for (int k = 0; k < 4; ++k) history[k] = s[static_cast<std::size_t>(k)];
        y_prev = s[4];
      }
      if (carry && global == carry->capture_row) {
        std::array<double, 5>& s = carry->captured.bands[band];
        for (int k = 0; k < 4; ++k) s[static_cast<std::size_t>(k)] = history[k];
        s[4] = y_prev;
        carry->has_captured = true;
      }
      const double m = std::max(static_cast<double>(mel.at(t, band)), kMelFloor);
      out.loudness[t] += static_cast<float>(std::pow(m * e, kCompression) / kMelBands);
      for (int k = 4; k > 0; --k) history[k] = history[k - 1];
      history[0] = std::log(m);
      double y = 0.0;
      if (global >= kStartup) {
        for (int k = 0; k < 5; ++k) y += b[k] * history[k];
        if (global > kStartup) y += a * y_prev;
      }
      y_prev = y;
      const double r = std::exp(kCompression * (y + log_e));
      out.rasta.at(t, band) = static_cast<float>(r);
      out.rasta_loudness[t] += static_cast<float>(r / kMelBands);
    }
  }
  return out;
}

}  // namespace dynemo::features::compare
