// Panels: data -> pixel mapping, frame, grid, ticks, labels; nice tick steps; the heat map.
#include "explain/axes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "dynemo/error.h"

namespace dynemo::explain {

double Panel::px(double x) const { return left_px + (x - x_min) / (x_max - x_min) * width_px; }

double Panel::py(double y) const {
  return top_px + height_px - (y - y_min) / (y_max - y_min) * height_px;
}

std::vector<double> ticks(double lo, double hi, double step, int target) {
  std::vector<double> out;
  if (!(hi > lo)) return out;
  if (step <= 0) {
    const double raw = (hi - lo) / std::max(1, target);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    const double unit = raw / power;
    step = (unit < 1.5 ? 1.0 : unit < 3.5 ? 2.0 : unit < 7.5 ? 5.0 : 10.0) * power;
  }
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (double v = first; v <= hi + step * 1e-9; v += step) {
    out.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  }
  return out;
}

std::string tick_label(double value) {
  char text[32];
  if (std::fabs(value - std::round(value)) < 1e-9) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else {
    std::snprintf(text, sizeof text, "%.3g", value);
  }
  return text;
}

void begin_panel(Canvas& canvas, const Panel& p, const PanelLabels& labels,
                 const std::string& cls) {
  if (!(p.x_max > p.x_min) || !(p.y_max > p.y_min)) {
    throw Error("plot: empty axis range x [" + tick_label(p.x_min) + ", " + tick_label(p.x_max) +
                "], y [" + tick_label(p.y_min) + ", " + tick_label(p.y_max) + "]");
  }
  canvas.begin_group(cls.empty() ? "panel" : "panel " + cls, "",
                     {{"box", fmt_px(p.left_px) + " " + fmt_px(p.top_px) + " " +
                                  fmt_px(p.width_px) + " " + fmt_px(p.height_px)},
                      {"xlim", tick_label(p.x_min) + " " + tick_label(p.x_max)},
                      {"ylim", tick_label(p.y_min) + " " + tick_label(p.y_max)}});
  const double right = p.left_px + p.width_px, bottom = p.top_px + p.height_px;
  const std::vector<double> xs =
      labels.x_tick_step < 0 ? std::vector<double>{} : ticks(p.x_min, p.x_max, labels.x_tick_step);
  const std::vector<double> ys =
      labels.y_tick_step < 0 ? std::vector<double>{} : ticks(p.y_min, p.y_max, labels.y_tick_step);
  canvas.begin_group("axes");
  for (double x : xs) {
    if (labels.grid)
      canvas.polyline({{p.px(x), p.top_px}, {p.px(x), bottom}}, {palette::grid, 1}, "grid");
    canvas.polyline({{p.px(x), bottom}, {p.px(x), bottom + 4}}, {palette::axis, 1}, "tick");
    canvas.text({p.px(x), bottom + 16}, tick_label(x), 11, Anchor::middle, "tick-label");
  }
  for (double y : ys) {
    if (labels.grid)
      canvas.polyline({{p.left_px, p.py(y)}, {right, p.py(y)}}, {palette::grid, 1}, "grid");
    canvas.polyline({{p.left_px - 4, p.py(y)}, {p.left_px, p.py(y)}}, {palette::axis, 1}, "tick");
    canvas.text({p.left_px - 7, p.py(y) + 4}, tick_label(y), 11, Anchor::end, "tick-label");
  }
  canvas.polyline({{p.left_px, p.top_px},
                   {right, p.top_px},
                   {right, bottom},
                   {p.left_px, bottom},
                   {p.left_px, p.top_px}},
                  {palette::axis, 1}, "frame");
  if (!labels.title.empty()) {
    canvas.text({p.left_px + p.width_px / 2, p.top_px - 8}, labels.title, 13, Anchor::middle,
                "panel-title");
  }
  if (!labels.x_label.empty()) {
    canvas.text({p.left_px + p.width_px / 2, bottom + 34}, labels.x_label, 12, Anchor::middle,
                "axis-label");
  }
  if (!labels.y_label.empty()) {
    canvas.text({p.left_px - 38, p.top_px + p.height_px / 2}, labels.y_label, 12, Anchor::middle,
                "axis-label", true);
  }
  canvas.end_group();
}

void end_panel(Canvas& canvas) { canvas.end_group(); }

Rgb heat_color(double v) {
  // Stops of a dark-blue -> teal -> green -> yellow ramp, linearly interpolated.
  static const Rgb stops[] = {{0.10, 0.05, 0.30},
                              {0.20, 0.30, 0.55},
                              {0.13, 0.56, 0.55},
                              {0.40, 0.78, 0.35},
                              {0.98, 0.90, 0.15}};
  constexpr int n = sizeof stops / sizeof stops[0];
  if (!(v > 0)) v = 0;
  if (v > 1) v = 1;
  const double pos = v * (n - 1);
  const int i = std::min(n - 2, static_cast<int>(pos));
  const double f = pos - i;
  return {stops[i].r + f * (stops[i + 1].r - stops[i].r),
          stops[i].g + f * (stops[i + 1].g - stops[i].g),
          stops[i].b + f * (stops[i + 1].b - stops[i].b)};
}

}  // namespace dynemo::explain
