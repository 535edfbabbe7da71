// The batched real FFT against a direct DFT in double precision.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "features/fft-batch.h"

namespace {

using dynemo::features::BatchRealFft;
using dynemo::features::kFftLanes;
using dynemo::features::LaneBuffer;

class BatchFftSize : public ::testing::TestWithParam<int> {};

TEST_P(BatchFftSize, MatchesDirectDftInEveryLane) {
  const int n = GetParam();
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  LaneBuffer x(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < kFftLanes; ++j) x[i][j] = uniform(rng);
  }
  const BatchRealFft fft(n);
  LaneBuffer re(static_cast<std::size_t>(fft.n_bins())), im(re.size());
  fft.forward(x.data(), re.data(), im.data());
  double max_err = 0.0;
  for (int j = 0; j < kFftLanes; ++j) {
    for (int k = 0; k <= n / 2; ++k) {
      double sr = 0.0, si = 0.0;
      for (int i = 0; i < n; ++i) {
        const double a = -2.0 * M_PI * static_cast<double>(k) * i / n;
        sr += x[i][j] * std::cos(a);
        si += x[i][j] * std::sin(a);
      }
      max_err = std::max({max_err, std::fabs(sr - re[k][j]), std::fabs(si - im[k][j])});
    }
  }
  // Float rounding grows like sqrt(n) log n; the values themselves are O(sqrt(n)).
  EXPECT_LT(max_err, 2e-5 * n) << "n=" << n;
}

INSTANTIATE_TEST_SUITE_P(PowersOfTwo, BatchFftSize,
                         ::testing::Values(4, 8, 16, 64, 512, 1024, 2048));

TEST(BatchFft, SineLandsInItsBin) {
  const int n = 1024;
  LaneBuffer x(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < kFftLanes; ++j)
      x[i][j] = static_cast<float>(std::cos(2.0 * M_PI * (10 + j) * i / n));
  }
  const BatchRealFft fft(n);
  LaneBuffer re(fft.n_bins()), im(fft.n_bins());
  fft.forward(x.data(), re.data(), im.data());
  for (int j = 0; j < kFftLanes; ++j) {
    EXPECT_NEAR(re[10 + j][j], n / 2.0, 1e-2);
    EXPECT_NEAR(re[11 + j][j], 0.0, 1e-2);
  }
}

}  // namespace
