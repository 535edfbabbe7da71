// Comparing two feature tables of the same shape value by value, each difference relative to its
// column's spread over the first table (max - min + 1e-6): the measure the chunked, streamed and
// whole-file feature tests report.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>

#include "dynemo/features.h"

namespace dynemo::testing {

struct SpreadDifference {
  double worst = 0.0;  // largest relative difference
  double mean = 0.0;   // mean over every value
  std::string where;   // "<column> row <r>" of the largest
};

inline SpreadDifference difference_to_spread(const FeatureMatrix& a, const FeatureMatrix& b) {
  SpreadDifference d;
  double sum = 0.0;
  for (std::size_t c = 0; c < a.n_cols(); ++c) {
    float lo = a.at(0, c), hi = lo;
    for (std::size_t r = 0; r < a.n_rows(); ++r) {
      lo = std::min(lo, a.at(r, c));
      hi = std::max(hi, a.at(r, c));
    }
    for (std::size_t r = 0; r < a.n_rows(); ++r) {
      const double e = std::fabs(b.at(r, c) - a.at(r, c)) / (hi - lo + 1e-6);
      sum += e;
      if (e > d.worst) d.worst = e, d.where = a.columns[c] + " row " + std::to_string(r);
    }
  }
  d.mean = a.values.empty() ? 0.0 : sum / static_cast<double>(a.values.size());
  return d;
}

}  // namespace dynemo::testing
