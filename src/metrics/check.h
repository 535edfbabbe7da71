// Input checks and moments shared by the metric functions (internal to src/metrics).
#pragma once

#include <cstddef>
#include <string>

namespace dynemo::metrics {

// Text of a double for error messages: "nan", "inf", "-inf" or the shortest round-trip form.
std::string number_text(double value);

// Throws MetricsError "<function>: <name_a>[i] is nan, expected a finite value" for the first
// non-finite value of a or b, and "<function>: empty input, expected at least one pair" when
// n = 0. Called once per call of a public metric, never per frame.
void check_pairs(const char* function, const char* name_a, const double* a, const char* name_b,
                 const double* b, std::size_t n);

// True when every x[i] compares equal to x[0] (n >= 1).
bool is_constant(const double* x, std::size_t n);

// Population moments of two finite series of n >= 1 values, two-pass (mean first, then centred
// sums) for accuracy. A constant side has its mean equal to its value and its variance and the
// covariance exactly 0, so that a constant prediction gives CCC 0 and R^2 0 without rounding.
struct Moments {
  double mean_a = 0.0;
  double mean_b = 0.0;
  double var_a = 0.0;
  double var_b = 0.0;
  double cov = 0.0;
  bool constant_a = false;
  bool constant_b = false;
};
Moments moments(const double* a, const double* b, std::size_t n);

}  // namespace dynemo::metrics
