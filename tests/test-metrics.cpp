// Metrics against values computed by hand from the definitions (each derivation in a comment),
// Kendall's tau-b against an O(n^2) count of pairs, and the messages of invalid input.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "dynemo/error.h"
#include "dynemo/metrics.h"

namespace {

using dynemo::SongSeries;
using Series = std::vector<double>;

// The message of the MetricsError `f` throws, or "<no MetricsError>".
std::string metrics_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const dynemo::MetricsError& e) {
    return e.what();
  }
  return "<no MetricsError>";
}

double pearson(const Series& a, const Series& b) {
  return dynemo::pearson(a.data(), b.data(), a.size());
}
double ccc(const Series& t, const Series& p) {
  return dynemo::concordance(t.data(), p.data(), t.size());
}
double r2(const Series& t, const Series& p) {
  return dynemo::r_squared(t.data(), p.data(), t.size());
}
double rmse(const Series& t, const Series& p) { return dynemo::rmse(t.data(), p.data(), t.size()); }
double mae(const Series& t, const Series& p) { return dynemo::mae(t.data(), p.data(), t.size()); }
double tau(const Series& a, const Series& b) {
  return dynemo::kendall_tau_b(a.data(), b.data(), a.size());
}

// tau-b by counting every pair: the definition the O(n log n) code must reproduce.
double tau_by_pairs(const Series& a, const Series& b) {
  const std::size_t n = a.size();
  double n_c = 0, n_d = 0, n1 = 0, n2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double da = a[j] - a[i], db = b[j] - b[i];
      if (da == 0) ++n1;
      if (db == 0) ++n2;
      if (da * db > 0) ++n_c;
      if (da * db < 0) ++n_d;
    }
  }
  const double n0 = n * (n - 1) / 2.0;
  return (n_c - n_d) / std::sqrt((n0 - n1) * (n0 - n2));
}

const Series kRamp = {1, 2, 3, 4};  // mean 2.5, population variance 5/4

TEST(Metrics, PerfectPredictionIsPerfect) {
  const Series t = {0.1, -0.3, 0.25, 0.5, -0.05, 0.25};
  EXPECT_DOUBLE_EQ(r2(t, t), 1.0);
  EXPECT_DOUBLE_EQ(rmse(t, t), 0.0);
  EXPECT_DOUBLE_EQ(mae(t, t), 0.0);
  EXPECT_DOUBLE_EQ(pearson(t, t), 1.0);
  EXPECT_DOUBLE_EQ(ccc(t, t), 1.0);
  EXPECT_DOUBLE_EQ(tau(t, t), 1.0);  // with a tie (0.25 twice) on both sides
}

TEST(Metrics, ReversedPrediction) {
  // t = [1,2,3,4], p = [4,3,2,1]: means 2.5 and 2.5, var_t = var_p = (2.25+0.25+0.25+2.25)/4 =
  // 1.25, cov = (-2.25-0.25-0.25-2.25)/4 = -1.25 -> r = -1, CCC = 2(-1.25)/(1.25+1.25+0) = -1.
  // Residuals t - p = [-3,-1,1,3]: SS_res = 20, SS_tot = 5 -> R^2 = 1 - 20/5 = -3,
  // RMSE = sqrt(20/4) = sqrt(5), MAE = 8/4 = 2. All 6 pairs discordant -> tau = -6/6 = -1.
  const Series p = {4, 3, 2, 1};
  EXPECT_DOUBLE_EQ(pearson(kRamp, p), -1.0);
  EXPECT_DOUBLE_EQ(ccc(kRamp, p), -1.0);
  EXPECT_DOUBLE_EQ(r2(kRamp, p), -3.0);
  EXPECT_DOUBLE_EQ(rmse(kRamp, p), std::sqrt(5.0));
  EXPECT_DOUBLE_EQ(mae(kRamp, p), 2.0);
  EXPECT_DOUBLE_EQ(tau(kRamp, p), -1.0);
}

// Values near the top of the double range overflow the centred sums: r and CCC are undefined
// (NaN), not the 0 that cov / inf would give; the errors are huge, not wrapped.
TEST(Metrics, OverflowingValuesGiveUndefinedCorrelations) {
  const std::vector<double> truth{0.1, 0.2, 0.3}, prediction{1e308, 0.2, 0.1};
  EXPECT_TRUE(std::isnan(dynemo::pearson(truth.data(), prediction.data(), 3)));
  EXPECT_TRUE(std::isnan(dynemo::concordance(truth.data(), prediction.data(), 3)));
  EXPECT_NEAR(dynemo::mae(truth.data(), prediction.data(), 3) / (1e308 / 3), 1.0, 1e-12);
}

TEST(Metrics, ConstantPrediction) {
  // t = [1,2,3,6]: mean 3, SS_tot = 4+1+0+9 = 14. Predicting the mean gives SS_res = SS_tot,
  // R^2 = 0 exactly; cov = 0 so CCC = 0 / (3.5 + 0 + 0) = 0; r and tau undefined.
  const Series t = {1, 2, 3, 6};
  const Series mean = {3, 3, 3, 3};
  EXPECT_EQ(r2(t, mean), 0.0);
  EXPECT_EQ(ccc(t, mean), 0.0);
  EXPECT_TRUE(std::isnan(pearson(t, mean)));
  EXPECT_TRUE(std::isnan(tau(t, mean)));
  EXPECT_DOUBLE_EQ(rmse(t, mean), std::sqrt(3.5));  // sqrt(14/4)
  EXPECT_DOUBLE_EQ(mae(t, mean), 1.5);              // (2+1+0+3)/4
  // Another constant, 0: SS_res = 1+4+9+36 = 50 -> R^2 = 1 - 50/14 = -18/7; CCC still 0, since
  // (mean_t - mean_p)^2 = 9 only adds to the denominator.
  const Series zero = {0, 0, 0, 0};
  EXPECT_DOUBLE_EQ(r2(t, zero), -18.0 / 7.0);
  EXPECT_EQ(ccc(t, zero), 0.0);
}

TEST(Metrics, ConstantTruth) {
  const Series c = {2, 2, 2};
  EXPECT_TRUE(std::isnan(r2(c, {1, 2, 3})));  // SS_tot = 0
  EXPECT_TRUE(std::isnan(pearson(c, {1, 2, 3})));
  EXPECT_EQ(ccc(c, {1, 2, 3}), 0.0);           // cov 0, var_p = 2/3 > 0
  EXPECT_EQ(ccc(c, {5, 5, 5}), 0.0);           // 0 / (0 + 0 + 9)
  EXPECT_TRUE(std::isnan(ccc(c, c)));          // 0 / 0
  EXPECT_TRUE(std::isnan(pearson({1}, {2})));  // a single frame is constant
  EXPECT_TRUE(std::isnan(tau({1}, {2})));
}

TEST(Metrics, OffsetPrediction) {
  // p = t + 0.5: every residual is -0.5 -> RMSE 0.5, MAE 0.5; same deviations -> r = 1, tau = 1.
  // CCC = 2(1.25) / (1.25 + 1.25 + 0.5^2) = 2.5 / 2.75 = 10/11. R^2 = 1 - (4 * 0.25)/5 = 0.8.
  const Series p = {1.5, 2.5, 3.5, 4.5};
  EXPECT_DOUBLE_EQ(rmse(kRamp, p), 0.5);
  EXPECT_DOUBLE_EQ(mae(kRamp, p), 0.5);
  EXPECT_DOUBLE_EQ(pearson(kRamp, p), 1.0);
  EXPECT_DOUBLE_EQ(tau(kRamp, p), 1.0);
  EXPECT_DOUBLE_EQ(ccc(kRamp, p), 10.0 / 11.0);
  EXPECT_DOUBLE_EQ(r2(kRamp, p), 0.8);
}

TEST(Metrics, PearsonOfAnAffineMapAndAHandExample) {
  EXPECT_DOUBLE_EQ(pearson(kRamp, {-1, -3, -5, -7}), -1.0);
  // a = [1,2,3], b = [1,3,2]: means 2 and 2, deviations [-1,0,1] and [-1,1,0]: cov = 1/3,
  // var_a = var_b = 2/3 -> r = 0.5. CCC = 2(1/3) / (4/3) = 0.5 too (equal means and variances).
  EXPECT_NEAR(pearson({1, 2, 3}, {1, 3, 2}), 0.5, 1e-15);
  EXPECT_NEAR(ccc({1, 2, 3}, {1, 3, 2}), 0.5, 1e-15);
}

TEST(Metrics, KendallTauBWithTies) {
  // a = [1,2,2,3], b = [1,2,3,3]; the 6 pairs (i,j):
  //   (1,2) c  (1,3) c  (1,4) c  (2,3) tie in a only  (2,4) c  (3,4) tie in b only
  // n0 = 6, n_c = 4, n_d = 0, n1 = 1, n2 = 1 -> tau-b = 4 / sqrt(5 * 5) = 0.8.
  EXPECT_DOUBLE_EQ(tau({1, 2, 2, 3}, {1, 2, 3, 3}), 0.8);
  EXPECT_DOUBLE_EQ(tau({1, 2, 3, 3}, {1, 2, 2, 3}), 0.8);  // symmetric in a and b
  // Pairs tied in both count in n1 and in n2: a = [1,1,2], b = [5,5,6]: (1,2) tied in both,
  // (1,3), (2,3) concordant -> n_c = 2, n1 = n2 = 1 -> 2 / sqrt(2 * 2) = 1.
  EXPECT_DOUBLE_EQ(tau({1, 1, 2}, {5, 5, 6}), 1.0);
}

TEST(Metrics, KendallTauBMatchesScipy) {
  // scipy.stats.kendalltau([1,2,3,4,5], [2,1,2,4,3]) (variant "b", scipy's default), by hand
  // from its formula: with a ascending, pair (i,j) has the sign of b_j - b_i:
  //   (1,2) d (1,3) tie-b (1,4) c (1,5) c (2,3) c (2,4) c (2,5) c (3,4) c (3,5) c (4,5) d
  // n_c = 7, n_d = 2, n0 = 10, n1 = 0, n2 = 1 -> 5 / sqrt(10 * 9) = 0.5270462766947299.
  const double expected = 5.0 / std::sqrt(90.0);
  EXPECT_NEAR(expected, 0.5270462766947299, 1e-16);
  EXPECT_NEAR(tau({1, 2, 3, 4, 5}, {2, 1, 2, 4, 3}), expected, 1e-15);
}

TEST(Metrics, KendallTauBEqualsThePairCountOnRandomSeriesWithTies) {
  std::mt19937 rng(42);
  for (std::size_t n : {2u, 3u, 5u, 17u, 64u, 200u}) {
    for (int levels : {3, 10, 1000}) {
      std::uniform_int_distribution<int> level(0, levels - 1);
      Series a(n), b(n);
      for (std::size_t i = 0; i < n; ++i) a[i] = level(rng) * 0.1, b[i] = level(rng) * 0.1;
      const double expected = tau_by_pairs(a, b);
      if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(tau(a, b))) << "n=" << n << " levels=" << levels;
      } else {
        EXPECT_NEAR(tau(a, b), expected, 1e-12) << "n=" << n << " levels=" << levels;
      }
    }
  }
}

// Songs A (perfect), B (reversed), C (offset +0.5) on t = [1,2,3,4], D (predicts its mean).
std::vector<SongSeries> four_songs() {
  return {{"A", kRamp, kRamp},
          {"B", kRamp, {4, 3, 2, 1}},
          {"C", kRamp, {1.5, 2.5, 3.5, 4.5}},
          {"D", {1, 2, 3, 6}, {3, 3, 3, 3}}};
}

TEST(Metrics, PerSongMeanAndPopulationStd) {
  // r per song: 1, -1, 1, D skipped (constant prediction). Mean 1/3; population std
  // sqrt(((2/3)^2 + (4/3)^2 + (2/3)^2) / 3) = sqrt(24/27) = 2 sqrt(2) / 3. tau per song: the same.
  // RMSE per song: 0, sqrt(5), 0.5, sqrt(3.5): mean m = (sqrt(5) + 0.5 + sqrt(3.5)) / 4 and
  // std = sqrt((0 + 5 + 0.25 + 3.5) / 4 - m^2).
  const dynemo::PerSongMetrics m = dynemo::per_song_metrics(four_songs());
  EXPECT_EQ(m.n_songs, 4u);
  EXPECT_EQ(m.pearson_skipped, 1u);
  EXPECT_EQ(m.kendall_skipped, 1u);
  EXPECT_NEAR(m.pearson_mean, 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(m.pearson_std, 2.0 * std::sqrt(2.0) / 3.0, 1e-15);
  EXPECT_NEAR(m.kendall_mean, 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(m.kendall_std, 2.0 * std::sqrt(2.0) / 3.0, 1e-15);
  const double rmse_mean = (std::sqrt(5.0) + 0.5 + std::sqrt(3.5)) / 4.0;
  EXPECT_NEAR(m.rmse_mean, rmse_mean, 1e-15);
  EXPECT_NEAR(m.rmse_std, std::sqrt(8.75 / 4.0 - rmse_mean * rmse_mean), 1e-14);
}

TEST(Metrics, PerSongOfOneSongHasStdZeroAndAllSkippedIsNan) {
  const dynemo::PerSongMetrics one = dynemo::per_song_metrics({{"A", kRamp, {1.5, 2.5, 3.5, 4.5}}});
  EXPECT_DOUBLE_EQ(one.pearson_mean, 1.0);
  EXPECT_EQ(one.pearson_std, 0.0);
  EXPECT_DOUBLE_EQ(one.rmse_mean, 0.5);
  EXPECT_EQ(one.rmse_std, 0.0);
  const dynemo::PerSongMetrics none = dynemo::per_song_metrics({{"flat", {1, 1}, {1, 2}}});
  EXPECT_EQ(none.pearson_skipped, 1u);
  EXPECT_EQ(none.kendall_skipped, 1u);
  EXPECT_TRUE(std::isnan(none.pearson_mean));
  EXPECT_TRUE(std::isnan(none.kendall_std));
  EXPECT_DOUBLE_EQ(none.rmse_mean, std::sqrt(0.5));
}

TEST(Metrics, PooledOverAllFramesOfAllSongs) {
  // A + B: t = [1,2,3,4,1,2,3,4], p = [1,2,3,4,4,3,2,1]. Means 2.5 and 2.5, var 1.25 each,
  // cov = (5 - 5)/8 = 0 -> r = 0, CCC = 0. SS_res = 0 + 20, SS_tot = 10 -> R^2 = -1;
  // RMSE = sqrt(20/8) = sqrt(2.5); MAE = (0 + 8)/8 = 1. Per song the same data give r 1 and -1.
  std::vector<SongSeries> songs = four_songs();
  songs.resize(2);
  const dynemo::PooledMetrics m = dynemo::pooled_metrics(songs);
  EXPECT_EQ(m.n_frames, 8u);
  EXPECT_NEAR(m.pearson, 0.0, 1e-15);
  EXPECT_NEAR(m.ccc, 0.0, 1e-15);
  EXPECT_DOUBLE_EQ(m.r2, -1.0);
  EXPECT_DOUBLE_EQ(m.rmse, std::sqrt(2.5));
  EXPECT_DOUBLE_EQ(m.mae, 1.0);
  EXPECT_EQ(dynemo::pooled_metrics(four_songs()).n_frames, 16u);
}

TEST(Metrics, InvalidSongsAreRefusedWithTheSongAndValue) {
  const double nan = std::nan("");
  const double inf = HUGE_VAL;
  EXPECT_EQ(metrics_error([] { dynemo::pooled_metrics({}); }),
            "metrics: no songs, expected at least one");
  EXPECT_EQ(metrics_error([] {
              dynemo::per_song_metrics({{"1024", {1, 2, 3}, {1, 2}}});
            }),
            "metrics: song 1024 has 3 truth values but 2 predictions, expected equal lengths");
  EXPECT_EQ(metrics_error([] {
              dynemo::pooled_metrics({{"A", kRamp, kRamp}, {"7", {}, {}}});
            }),
            "metrics: song 7 has no frames, expected at least one");
  EXPECT_EQ(metrics_error([&] {
              dynemo::per_song_metrics({{"7", {1, 2, 3}, {1, 2, nan}}});
            }),
            "metrics: song 7: prediction[2] is nan, expected a finite value");
  EXPECT_EQ(metrics_error([&] {
              dynemo::pooled_metrics({{"", {1, -inf}, {1, 2}}});
            }),
            "metrics: song #0: truth[1] is -inf, expected a finite value");
  EXPECT_EQ(metrics_error([] { dynemo::validate_songs(four_songs()); }), "<no MetricsError>");
}

TEST(Metrics, InvalidSeriesAreRefusedWithTheFunctionAndIndex) {
  const Series with_inf = {1, HUGE_VAL};
  EXPECT_EQ(metrics_error([] { dynemo::pearson(nullptr, nullptr, 0); }),
            "pearson: empty input, expected at least one pair");
  EXPECT_EQ(metrics_error([&] {
              rmse({1, 2}, with_inf);
            }),
            "rmse: prediction[1] is inf, expected a finite value");
  EXPECT_EQ(metrics_error([&] {
              tau(with_inf, {1, 2});
            }),
            "kendall_tau_b: a[1] is inf, expected a finite value");
  // MetricsError is a dynemo::Error, so the CLI's one handler catches it.
  EXPECT_THROW(r2({}, {}), dynemo::Error);
}

}  // namespace
