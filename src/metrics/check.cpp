// Input checks and moments shared by the metric functions.
#include "metrics/check.h"

#include <cmath>
#include <cstdio>

#include "dynemo/metrics.h"

namespace dynemo::metrics {

std::string number_text(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  return buf;
}

namespace {

void check_finite(const char* function, const char* name, const double* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i])) {
      throw MetricsError(std::string(function) + ": " + name + "[" + std::to_string(i) + "] is " +
                         number_text(x[i]) + ", expected a finite value");
    }
  }
}

double mean_of(const double* x, std::size_t n) {
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += x[i];
  return sum / static_cast<double>(n);
}

}  // namespace

void check_pairs(const char* function, const char* name_a, const double* a, const char* name_b,
                 const double* b, std::size_t n) {
  if (n == 0)
    throw MetricsError(std::string(function) + ": empty input, expected at least one pair");
  check_finite(function, name_a, a, n);
  check_finite(function, name_b, b, n);
}

bool is_constant(const double* x, std::size_t n) {
  for (std::size_t i = 1; i < n; ++i) {
    if (x[i] != x[0]) return false;
  }
  return true;
}

Moments moments(const double* a, const double* b, std::size_t n) {
  Moments m;
  m.constant_a = is_constant(a, n);
  m.constant_b = is_constant(b, n);
  m.mean_a = m.constant_a ? a[0] : mean_of(a, n);
  m.mean_b = m.constant_b ? b[0] : mean_of(b, n);
  double saa = 0.0, sbb = 0.0, sab = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double da = m.constant_a ? 0.0 : a[i] - m.mean_a;
    const double db = m.constant_b ? 0.0 : b[i] - m.mean_b;
    saa += da * da;
    sbb += db * db;
    sab += da * db;
  }
  const double count = static_cast<double>(n);
  m.var_a = saa / count;
  m.var_b = sbb / count;
  m.cov = sab / count;
  return m;
}

}  // namespace dynemo::metrics
