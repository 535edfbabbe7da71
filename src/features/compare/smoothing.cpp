#include "features/compare/smoothing.h"

#include <algorithm>

namespace dynemo::features::compare {

FrameMatrix smooth_sma(const FrameMatrix& x) {
  const std::size_t n = x.n_frames, v = x.n_values;
  if (n == 0) return FrameMatrix(0, v);
  FrameMatrix y(n + 1, v);
  auto at = [&](std::ptrdiff_t t) {
    return x.row(static_cast<std::size_t>(
        std::clamp<std::ptrdiff_t>(t, 0, static_cast<std::ptrdiff_t>(n) - 1)));
  };
  for (std::size_t t = 0; t <= n; ++t) {
    const std::ptrdiff_t i = static_cast<std::ptrdiff_t>(t);
    const float* a = at(i - 1);
    const float* b = at(i);
    const float* c = at(i + 1);
    float* o = y.row(t);
    for (std::size_t k = 0; k < v; ++k) {
      o[k] = static_cast<float>((static_cast<double>(a[k]) + b[k] + c[k]) / 3.0);
    }
  }
  return y;
}

FrameMatrix delta_regression(const FrameMatrix& s) {
  const std::size_t n = s.n_frames, v = s.n_values;
  FrameMatrix d(n, v);
  if (n == 0) return d;
  const std::ptrdiff_t last = static_cast<std::ptrdiff_t>(n) - 1;
  auto at = [&](std::ptrdiff_t t) {
    return s.row(static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(t, 0, last)));
  };
  for (std::size_t t = 0; t < n; ++t) {
    const std::ptrdiff_t i = static_cast<std::ptrdiff_t>(t);
    const float *m2 = at(i - 2), *m1 = at(i - 1), *p1 = at(i + 1), *p2 = at(i + 2);
    float* o = d.row(t);
    for (std::size_t k = 0; k < v; ++k) {
      const double num =
          (static_cast<double>(p1[k]) - m1[k]) + 2.0 * (static_cast<double>(p2[k]) - m2[k]);
      o[k] = static_cast<float>(num / 10.0);
    }
  }
  return d;
}

}  // namespace dynemo::features::compare
