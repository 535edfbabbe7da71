// The valence-arousal plane (Russell's circumplex model): x = valence, y = arousal, both on
// [-1, 1]; the unit circle, the axes through the origin, the four quadrants named as
// quadrant_name names them, and the track's path through the plane in time order.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "dynemo/error.h"
#include "dynemo/predict.h"
#include "explain/axes.h"
#include "explain/figures.h"

namespace dynemo::explain {
namespace {

void draw(Canvas& c, const std::vector<float>& valence, const std::vector<float>& arousal) {
  Panel p{70, 40, 400, 400, -1.0, 1.0, -1.0, 1.0};
  begin_panel(c, p, {"Valence-arousal trajectory", "valence", "arousal", 0.5, 0.5}, "plane");
  std::vector<Point> ring;
  for (int k = 0; k <= 96; ++k) {
    const double a = 2.0 * M_PI * k / 96.0;
    ring.push_back(p.at(std::cos(a), std::sin(a)));
  }
  c.polyline(ring, {palette::axis, 1, true}, "unit-circle");
  c.polyline({p.at(-1, 0), p.at(1, 0)}, {palette::axis, 1}, "origin-axis");
  c.polyline({p.at(0, -1), p.at(0, 1)}, {palette::axis, 1}, "origin-axis");
  c.begin_group("quadrants");
  const struct {
    double v, a;
    Anchor anchor;
  } corners[] = {{0.95, 0.9, Anchor::end},
                 {-0.95, 0.9, Anchor::start},
                 {-0.95, -0.93, Anchor::start},
                 {0.95, -0.93, Anchor::end}};
  for (const auto& q : corners) {
    c.text(p.at(q.v, q.a), quadrant_name(q.v, q.a), 12, q.anchor, "quadrant-label");
  }
  c.end_group();

  const std::size_t n = std::min(valence.size(), arousal.size());
  std::vector<Point> path;
  double sum_v = 0, sum_a = 0;
  for (std::size_t i = 0; i < n; ++i) {
    path.push_back(p.at(valence[i], arousal[i]));
    sum_v += valence[i];
    sum_a += arousal[i];
  }
  c.polyline(path, {palette::peak, 1.5}, "trajectory");
  if (n > 0) {
    c.circle(path.front(), 5, {0.2, 0.65, 0.3}, "start", "first window");
    c.circle(path.back(), 5, {0.8, 0.2, 0.2}, "end", "last window");
    const double mv = sum_v / static_cast<double>(n), ma = sum_a / static_cast<double>(n);
    char title[96];
    std::snprintf(title, sizeof title, "mean: valence %.3f, arousal %.3f", mv, ma);
    c.circle(p.at(mv, ma), 7, {0.05, 0.05, 0.05}, "mean", title);
  }
  end_panel(c);
  c.text({500, 80}, "green: start", 11, Anchor::start, "legend-label");
  c.text({500, 98}, "red: end", 11, Anchor::start, "legend-label");
  c.text({500, 116}, "black: mean", 11, Anchor::start, "legend-label");
}

}  // namespace

Figure circumplex(const std::vector<float>& valence, const std::vector<float>& arousal) {
  if (valence.size() != arousal.size()) {
    throw Error("circumplex: " + std::to_string(valence.size()) + " valence values but " +
                std::to_string(arousal.size()) + " arousal values");
  }
  return {"circumplex", 620, 490, [&valence, &arousal](Canvas& c) { draw(c, valence, arousal); }};
}

}  // namespace dynemo::explain
