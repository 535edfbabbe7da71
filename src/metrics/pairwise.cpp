// Frame-wise metrics of two equally long series: Pearson r, Lin's CCC, R^2, RMSE, MAE.
#include <algorithm>
#include <cmath>
#include <limits>

#include "dynemo/metrics.h"
#include "metrics/check.h"

namespace dynemo {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Values near the double range (1e308) overflow the centred sums: the statistic is then undefined
// at this precision (NaN), not the 0 that cov / inf would give.
bool finite_moments(const metrics::Moments& m) {
  return std::isfinite(m.var_a) && std::isfinite(m.var_b) && std::isfinite(m.cov) &&
         std::isfinite(m.mean_a) && std::isfinite(m.mean_b);
}
}  // namespace

double pearson(const double* a, const double* b, std::size_t n) {
  metrics::check_pairs("pearson", "a", a, "b", b, n);
  const metrics::Moments m = metrics::moments(a, b, n);
  if (m.constant_a || m.constant_b || !finite_moments(m)) return kNaN;
  // sqrt(var_a * var_b) rather than the product of two roots: equals var exactly when a == b,
  // so a perfect prediction gives exactly 1. Clamped against rounding just outside [-1, 1].
  const double r = m.cov / std::sqrt(m.var_a * m.var_b);
  return std::clamp(r, -1.0, 1.0);
}

// ref: Lin 1989, "A concordance correlation coefficient to evaluate reproducibility",
// Biometrics 45(1):255-268, eq. 2a (population moments).
double concordance(const double* truth, const double* prediction, std::size_t n) {
  metrics::check_pairs("concordance", "truth", truth, "prediction", prediction, n);
  const metrics::Moments m = metrics::moments(truth, prediction, n);
  if (!finite_moments(m)) return kNaN;
  const double shift = m.mean_a - m.mean_b;
  const double denominator = m.var_a + m.var_b + shift * shift;
  if (denominator == 0.0) return kNaN;  // both sides the same constant
  return 2.0 * m.cov / denominator;
}

double r_squared(const double* truth, const double* prediction, std::size_t n) {
  metrics::check_pairs("r_squared", "truth", truth, "prediction", prediction, n);
  if (metrics::is_constant(truth, n)) return kNaN;
  const metrics::Moments m = metrics::moments(truth, prediction, n);
  double ss_res = 0.0, ss_tot = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double residual = truth[i] - prediction[i];
    const double centred = truth[i] - m.mean_a;
    ss_res += residual * residual;
    ss_tot += centred * centred;
  }
  return 1.0 - ss_res / ss_tot;
}

double rmse(const double* truth, const double* prediction, std::size_t n) {
  metrics::check_pairs("rmse", "truth", truth, "prediction", prediction, n);
  double ss = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double residual = truth[i] - prediction[i];
    ss += residual * residual;
  }
  return std::sqrt(ss / static_cast<double>(n));
}

double mae(const double* truth, const double* prediction, std::size_t n) {
  metrics::check_pairs("mae", "truth", truth, "prediction", prediction, n);
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += std::abs(truth[i] - prediction[i]);
  return sum / static_cast<double>(n);
}

}  // namespace dynemo
