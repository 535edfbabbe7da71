// Checks shared by the attribution tests: the group values add up to the prediction.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "dynemo/predict.h"

namespace dynemo::testing {

// Per window and dimension, baseline + the groups' values = the prediction (within 1e-5: float
// rounding), with the five groups of the listener set.
inline void expect_attribution_adds_up(const dynemo::TrackPrediction& p) {
  const dynemo::GroupAttribution& a = p.attribution;
  const std::size_t n = a.groups.size();
  ASSERT_EQ(n, 5u);
  ASSERT_EQ(a.arousal.size(), p.n_windows() * n);
  double worst = 0.0;
  for (std::size_t r = 0; r < p.n_windows(); ++r) {
    double sa = a.baseline_arousal[r], sv = a.baseline_valence[r];
    for (std::size_t g = 0; g < n; ++g) {
      sa += a.arousal[r * n + g];
      sv += a.valence[r * n + g];
    }
    worst = std::max({worst, std::fabs(sa - p.arousal[r]), std::fabs(sv - p.valence[r])});
  }
  EXPECT_LT(worst, 1e-3);
  EXPECT_LT(worst, 1e-5);  // in fact float rounding only
}

}  // namespace dynemo::testing
