// Predictive spread: the sd model's fit by maximum likelihood and the calibration of sds
// against annotations (dynemo/uncertainty.h).
#include "dynemo/uncertainty.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "dynemo/error.h"
#include "metrics/check.h"

namespace dynemo {
namespace {

constexpr double kLog2Pi = 1.8378770664093453;  // log(2 pi)

double gaussian_nll(double residual, double sd) {
  const double z = residual / sd;
  return 0.5 * (kLog2Pi + z * z) + std::log(sd);
}

// Minimum of a function of one variable on [lo, hi], assumed unimodal there: golden-section
// search to a relative width of 1e-6.
double golden_minimum(const std::function<double(double)>& f, double lo, double hi) {
  const double r = 0.5 * (std::sqrt(5.0) - 1.0);
  double a = lo, b = hi;
  double c = b - r * (b - a), d = a + r * (b - a);
  double fc = f(c), fd = f(d);
  for (int i = 0; i < 200 && (b - a) > 1e-6 * std::max(1e-12, hi - lo); ++i) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  return 0.5 * (a + b);
}

}  // namespace

double SpreadModel::sd(double member_sd) const {
  return std::sqrt(base * base + scale * scale * member_sd * member_sd);
}

SpreadModel fit_spread(const double* residual, const double* member_sd, std::size_t n) {
  metrics::check_pairs("fit_spread", "residual", residual, "member_sd", member_sd, n);
  double sum_r2 = 0.0, sum_s = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    sum_r2 += residual[k] * residual[k];
    sum_s += std::abs(member_sd[k]);
  }
  const double rms = std::sqrt(sum_r2 / static_cast<double>(n));
  const double mean_s = sum_s / static_cast<double>(n);
  SpreadModel m;
  m.base = std::max(rms, 1e-9);  // the maximum-likelihood constant sd
  m.scale = 0.0;
  if (mean_s <= 0.0 || rms <= 0.0) return m;  // one member, or a perfect fit: a constant sd

  const auto nll = [&](const SpreadModel& s) {
    double total = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      const double sd = s.sd(member_sd[k]);
      if (!(sd > 0.0)) return std::numeric_limits<double>::infinity();
      total += gaussian_nll(residual[k], sd);
    }
    return total / static_cast<double>(n);
  };
  // Coordinate descent: the best base for the current scale, then the best scale for that base.
  // The scale may reach 20 times what would explain the whole error by disagreement alone.
  const double scale_max = 20.0 * rms / mean_s;
  for (int round = 0; round < 30; ++round) {
    const SpreadModel before = m;
    m.base = golden_minimum(
        [&](double b) {
          SpreadModel s = m;
          s.base = b;
          return nll(s);
        },
        0.0, 2.0 * rms);
    m.scale = golden_minimum(
        [&](double c) {
          SpreadModel s = m;
          s.scale = c;
          return nll(s);
        },
        0.0, scale_max);
    if (std::abs(m.base - before.base) < 1e-7 && std::abs(m.scale - before.scale) < 1e-6) break;
  }
  // Golden-section search never returns an end point exactly: a constant sd wins when it fits
  // as well.
  SpreadModel constant;
  constant.base = rms;
  if (nll(constant) <= nll(m)) return constant;
  return m;
}

Calibration calibration(const double* truth, const double* prediction, const double* sd,
                        std::size_t n) {
  metrics::check_pairs("calibration", "truth", truth, "prediction", prediction, n);
  metrics::check_pairs("calibration", "truth", truth, "sd", sd, n);
  Calibration c;
  c.n_frames = n;
  std::size_t in1 = 0, in2 = 0;
  double nll = 0.0, total_sd = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    if (!(sd[k] > 0.0)) {
      throw MetricsError("calibration: sd[" + std::to_string(k) + "] is " +
                         metrics::number_text(sd[k]) + ", expected > 0");
    }
    const double r = std::abs(truth[k] - prediction[k]);
    in1 += r <= sd[k];
    in2 += r <= 2.0 * sd[k];
    nll += gaussian_nll(r, sd[k]);
    total_sd += sd[k];
  }
  const auto count = static_cast<double>(n);
  c.within_1sd = static_cast<double>(in1) / count;
  c.within_2sd = static_cast<double>(in2) / count;
  c.nll = nll / count;
  c.mean_sd = total_sd / count;
  return c;
}

}  // namespace dynemo
