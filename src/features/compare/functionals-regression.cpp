// Regression and Lpc (functionals.h; docs/compare-functionals.md).
#include <algorithm>
#include <cmath>

#include "features/compare/functionals.h"

namespace dynemo::features::compare {
namespace {

// openSMILE's soft limit: identity in [-limit, limit], beyond it a tanh towards limit + excess.
double ratio_limit(double x, double limit, double excess) {
  if (x > limit)
    return std::tanh((std::sqrt(x - limit + 1.0) - 1.0) / (excess * 0.5)) * excess + limit;
  if (x < -limit) {
    return std::tanh(-(std::sqrt(-(x + limit) + 1.0) - 1.0) / (excess * 0.5)) * excess - limit;
  }
  return x;
}

double finite_or_zero(double v) { return std::isfinite(v) ? v : 0.0; }

}  // namespace

void regression(const FunctionalInput& in, int coefficient_scale, float* out) {
  const auto n = static_cast<double>(in.n);
  double range = in.range, inverse_range = 0.0;
  if (range <= 0.0) {
    range = 1.0;
  } else {
    inverse_range = 1.0 / range;
  }
  const double sum = static_cast<double>(in.mean) * n;
  double abs_sum = 0.0, abs_moment = 0.0, moment1 = 0.0, moment2 = 0.0;
  for (std::size_t i = 0; i < in.n; ++i) {
    const double v = in.x[i], t = static_cast<double>(i);
    abs_sum += std::fabs(v);
    abs_moment += std::fabs(v) * t;
    moment1 += v * t;
    moment2 += v * t * t;
  }
  double centroid = abs_sum != 0.0 ? abs_moment / abs_sum : 0.0;
  centroid = ratio_limit(centroid, n, n) / n;

  // Least squares over t = 0 .. n-1 from the sums of powers of t.
  double slope = 0.0, offset = in.x[0], a = 0.0, b = 0.0, c = in.x[0];
  if (in.n > 1) {
    const double s1 = n * (n - 1.0) / 2.0;
    const double s2 = n * (n - 1.0) * (2.0 * n - 1.0) / 6.0;
    const double s3 = s1 * s1;
    const double s4 = s2 * (3.0 * ((n - 1.0) * (n - 1.0) + (n - 1.0)) - 1.0) / 5.0;
    const double s1_over_s2 = s1 / s2;
    const double d = n - s1 * s1_over_s2;
    offset = d == 0.0 ? 0.0 : (sum - moment1 * s1_over_s2) / d;
    slope = (moment1 - offset * s1) / s2;
    const double det = s4 * s2 * n + 2.0 * s3 * s1 * s2 - s2 * s2 * s2 - s3 * s3 * n - s3 * s4;
    if (det != 0.0) {
      a = ((s2 * n - s3) * moment2 + (s1 * s2 - s3 * n) * moment1 + (s3 * s1 - s2 * s2) * sum) /
          det;
      b = ((s1 * s2 - s3 * n) * moment2 + (s4 * n - s2 * s2) * moment1 +
           (s3 * s2 - s4 * s1) * sum) /
          det;
      c = ((s3 * s1 - s2 * s2) * moment2 + (s3 * s2 - s4 * s1) * moment1 +
           (s4 * s2 - s3 * s3) * sum) /
          det;
    } else {
      a = b = c = 0.0;
    }
  }
  double linear_error = 0.0, quadratic_error = 0.0;
  for (std::size_t i = 0; i < in.n; ++i) {
    const double v = in.x[i], t = static_cast<double>(i);
    const double el = (v - (slope * t + offset)) * inverse_range;
    const double eq = (v - (a * t * t + b * t + c)) * inverse_range;
    linear_error += el * el;
    quadratic_error += eq * eq;
  }
  slope = ratio_limit(slope, range / 10.0, range / 10.0 + 0.01);
  a = ratio_limit(a, std::sqrt(range / 10.0), std::sqrt(range / 10.0) + 0.01);
  b = ratio_limit(b, range / 10.0, range / 10.0 + 0.01);
  if (coefficient_scale == 2) {  // per second
    const double per_second = 1.0 / static_cast<double>(kFunctionalPeriod_s);
    slope *= per_second;
    a *= per_second * per_second;
    b *= per_second;
  }
  const double lo = in.min;
  const double values[kRegressionCount] = {
      slope * inverse_range, (offset - lo) * inverse_range, linear_error / n,    a * inverse_range,
      b * inverse_range,     (c - lo) * inverse_range,      quadratic_error / n, centroid};
  for (std::size_t k = 0; k < kRegressionCount; ++k) {
    out[k] = static_cast<float>(finite_or_zero(values[k]));
  }
}

void lpc(const FunctionalInput& in, float* out) {
  constexpr int kOrder = 5;
  float acf[kOrder + 1] = {};
  for (int lag = 0; lag <= kOrder; ++lag) {
    float s = 0.0f;
    for (std::size_t i = static_cast<std::size_t>(lag); i < in.n; ++i) {
      s += in.x[i] * in.x[i - static_cast<std::size_t>(lag)];
    }
    acf[lag] = s;
  }
  float coefficients[kOrder] = {};
  float error = 0.0f;
  if (acf[0] != 0.0f) {
    // Levinson-Durbin in float.
    error = acf[0];
    for (int m = 1; m <= kOrder; ++m) {
      float s = acf[m];
      for (int i = 1; i < m; ++i) s += coefficients[i - 1] * acf[m - i];
      const float k = (-1.0f / error) * s;
      coefficients[m - 1] = k;
      for (int i = 1; i <= m / 2; ++i) {
        const float old = coefficients[i - 1];
        coefficients[i - 1] += k * coefficients[m - i - 1];
        if (i < m / 2 || (m & 1) == 1) coefficients[m - i - 1] += k * old;
      }
      error *= 1.0f - k * k;
      if (error == 0.0f) {
        std::fill(coefficients + m, coefficients + kOrder, 0.0f);
        break;
      }
    }
  }
  out[0] = in.n ? error / static_cast<float>(in.n) : 0.0f;
  std::copy(coefficients, coefficients + kOrder, out + 1);
}

}  // namespace dynemo::features::compare
