// Kendall's tau-b with ties in O(n log n): Knight's algorithm, as scipy.stats.kendalltau.
// ref: W. R. Knight 1966, "A computer method for calculating Kendall's tau with ungrouped data",
// JASA 61(314):436-439; tie correction of tau-b: Kendall 1945, Biometrika 33(3):239-251.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

#include "dynemo/metrics.h"
#include "metrics/check.h"

namespace dynemo {

namespace {

// Number of pairs within runs of equal values of a sorted sequence: sum over runs of t(t-1)/2.
template <typename Equal>
std::uint64_t tied_pairs(std::size_t n, Equal equal) {
  std::uint64_t pairs = 0, run = 1;
  for (std::size_t i = 1; i < n; ++i) {
    if (equal(i - 1, i)) {
      ++run;
    } else {
      pairs += run * (run - 1) / 2;
      run = 1;
    }
  }
  return pairs + run * (run - 1) / 2;
}

// Sorts values[lo, hi) ascending and returns the number of inversions (i < j, values[i] >
// values[j] strictly) it removed; equal values are not inversions. scratch has values' size.
std::uint64_t merge_sort_inversions(std::vector<double>& values, std::vector<double>& scratch,
                                    std::size_t lo, std::size_t hi) {
  if (hi - lo < 2) return 0;
  const std::size_t mid = lo + (hi - lo) / 2;
  std::uint64_t inversions = merge_sort_inversions(values, scratch, lo, mid) +
                             merge_sort_inversions(values, scratch, mid, hi);
  std::size_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi) {
    if (values[j] < values[i]) {
      inversions += mid - i;  // values[j] precedes every remaining left value
      scratch[k++] = values[j++];
    } else {
      scratch[k++] = values[i++];
    }
  }
  while (i < mid) scratch[k++] = values[i++];
  while (j < hi) scratch[k++] = values[j++];
  std::copy(scratch.begin() + static_cast<std::ptrdiff_t>(lo),
            scratch.begin() + static_cast<std::ptrdiff_t>(hi),
            values.begin() + static_cast<std::ptrdiff_t>(lo));
  return inversions;
}

}  // namespace

double kendall_tau_b(const double* a, const double* b, std::size_t n) {
  metrics::check_pairs("kendall_tau_b", "a", a, "b", b, n);
  // Pairs sorted by a, then by b: within a run of equal a the b values ascend, so every
  // remaining inversion of b is a pair with a_i < a_j and b_i > b_j, i.e. discordant.
  std::vector<std::pair<double, double>> pairs(n);
  for (std::size_t i = 0; i < n; ++i) pairs[i] = {a[i], b[i]};
  std::sort(pairs.begin(), pairs.end());

  const std::uint64_t n0 = static_cast<std::uint64_t>(n) * (n - 1) / 2;
  const std::uint64_t n1 =
      tied_pairs(n, [&](std::size_t i, std::size_t j) { return pairs[i].first == pairs[j].first; });
  const std::uint64_t n3 =
      tied_pairs(n, [&](std::size_t i, std::size_t j) { return pairs[i] == pairs[j]; });

  std::vector<double> sorted_b(n), scratch(n);
  for (std::size_t i = 0; i < n; ++i) sorted_b[i] = pairs[i].second;
  const std::uint64_t n_d = merge_sort_inversions(sorted_b, scratch, 0, n);
  const std::uint64_t n2 =
      tied_pairs(n, [&](std::size_t i, std::size_t j) { return sorted_b[i] == sorted_b[j]; });

  if (n1 == n0 || n2 == n0) return std::numeric_limits<double>::quiet_NaN();  // a constant side
  // Every pair is concordant, discordant, or tied in a and/or b: n_c = n0 - n1 - n2 + n3 - n_d.
  // Integer arithmetic, and one root of the product, so that a == b gives exactly 1.
  const auto n_c_minus_n_d =
      static_cast<std::int64_t>(n0 - n1 - n2 + n3) - 2 * static_cast<std::int64_t>(n_d);
  const double tau = static_cast<double>(n_c_minus_n_d) /
                     std::sqrt(static_cast<double>(n0 - n1) * static_cast<double>(n0 - n2));
  return std::clamp(tau, -1.0, 1.0);
}

}  // namespace dynemo
