// Vertex of the parabola through three points, in the closed form openSMILE uses for its pitch
// candidates and jitter periods (spec compare-lld-spec.md §13): Cramer's rule on
// y = a x^2 + b x + c with den = x1^2 x2 + x2^2 x3 + x3^2 x1 - x3^2 x2 - x2^2 x1 - x1^2 x3,
// vertex -b / 2a, value c - a x*^2. This form is ill-conditioned; it is kept so that rounding
// follows the reference.
#pragma once

namespace dynemo::features::compare {

struct ParabolaPeak {
  double x;  // abscissa of the vertex
  double y;  // value at the vertex
};

// Collinear points (a = 0) or coincident abscissae give the middle point (x2, y2).
inline ParabolaPeak parabola_peak(double x1, double x2, double x3, double y1, double y2,
                                  double y3) {
  const double den =
      x1 * x1 * x2 + x2 * x2 * x3 + x3 * x3 * x1 - x3 * x3 * x2 - x2 * x2 * x1 - x1 * x1 * x3;
  if (den == 0.0) return {x2, y2};
  const double a = (y1 * (x2 - x3) - x1 * (y2 - y3) + (y2 * x3 - y3 * x2)) / den;
  if (a == 0.0) return {x2, y2};
  const double b =
      (x1 * x1 * (y2 - y3) - y1 * (x2 * x2 - x3 * x3) + (x2 * x2 * y3 - x3 * x3 * y2)) / den;
  const double c = (x1 * x1 * (x2 * y3 - x3 * y2) - x1 * (x2 * x2 * y3 - x3 * x3 * y2) +
                    y1 * (x2 * x2 * x3 - x3 * x3 * x2)) /
                   den;
  const double xv = -b / (2.0 * a);
  return {xv, c - a * xv * xv};
}

}  // namespace dynemo::features::compare
