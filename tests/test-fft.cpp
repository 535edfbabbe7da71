// The batched real FFT against a direct DFT in double precision.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "features/fft-batch.h"
#include "features/sliding-dft.h"
#include "features/stft.h"

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

namespace {

// The sliding DFT over a band of bins equals an FFT per frame on those bins.
class SlidingDftHop : public ::testing::TestWithParam<int> {};

TEST_P(SlidingDftHop, MatchesTheFftOnItsBand) {
  const int hop = GetParam(), n_fft = 1024, lo = 91, hi = 203;
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> y(static_cast<std::size_t>(hop) * 300 + 17);
  for (float& v : y) v = uniform(rng);
  std::vector<float> fft_re, fft_im, band_re, band_im;
  auto keep = [&](std::vector<float>& re_out, std::vector<float>& im_out) {
    return [&re_out, &im_out, lo, hi](std::size_t, int lanes, const dynemo::features::LaneVec* re,
                                      const dynemo::features::LaneVec* im) {
      for (int j = 0; j < lanes; ++j) {
        for (int k = lo; k <= hi; ++k) re_out.push_back(re[k][j]), im_out.push_back(im[k][j]);
      }
    };
  };
  dynemo::features::for_each_stft_batch(y.data(), y.size(), n_fft, hop, {}, keep(fft_re, fft_im));
  dynemo::features::for_each_band_stft_batch(y.data(), y.size(), n_fft, hop, lo, hi,
                                             keep(band_re, band_im));
  ASSERT_EQ(band_re.size(), fft_re.size());
  ASSERT_EQ(fft_re.size(), dynemo::features::count_frames(y.size(), hop) * (hi - lo + 1));
  double max_err = 0.0;
  for (std::size_t i = 0; i < fft_re.size(); ++i) {
    max_err = std::max({max_err, std::fabs(double(fft_re[i]) - band_re[i]),
                        std::fabs(double(fft_im[i]) - band_im[i])});
  }
  // Values are O(sqrt(1024)) = 32; float FFT rounding dominates.
  EXPECT_LT(max_err, 1e-3) << "hop " << hop;
}

INSTANTIATE_TEST_SUITE_P(SmallHops, SlidingDftHop, ::testing::Values(1, 4, 8, 16, 64));

}  // namespace
