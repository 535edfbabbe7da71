#include "features/compare/mfcc.h"

#include <algorithm>
#include <cmath>

#include "features/compare/auditory.h"

namespace dynemo::features::compare {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kLifter = 22.0;
constexpr double kHtkScale = 32767.0 * 32767.0;  // mel power in 16-bit sample units

}  // namespace

CompareMfcc::CompareMfcc() : basis_(kMfccCount * kMelBands) {
  const double norm = std::sqrt(2.0 / static_cast<double>(kMelBands));
  for (std::size_t i = 1; i <= kMfccCount; ++i) {
    const double lifter = 1.0 + kLifter / 2.0 * std::sin(kPi * static_cast<double>(i) / kLifter);
    for (std::size_t b = 0; b < kMelBands; ++b) {
      basis_[(i - 1) * kMelBands + b] =
          norm * lifter *
          std::cos(kPi * static_cast<double>(i) * (static_cast<double>(b) + 0.5) / kMelBands);
    }
  }
}

void CompareMfcc::apply(const float* mel, float* out) const {
  double log_mel[kMelBands];
  for (std::size_t b = 0; b < kMelBands; ++b) {
    log_mel[b] = std::log(std::max(kHtkScale * static_cast<double>(mel[b]), 1.0));
  }
  for (std::size_t i = 0; i < kMfccCount; ++i) {
    const double* row = basis_.data() + i * kMelBands;
    double sum = 0.0;
    for (std::size_t b = 0; b < kMelBands; ++b) sum += row[b] * log_mel[b];
    out[i] = static_cast<float>(sum);
  }
}

}  // namespace dynemo::features::compare
