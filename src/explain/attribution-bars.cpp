// Why the model said it (explain page): the track's group attributions as one bar per group and
// dimension, and each group's attribution over time (TrackPrediction::attribution).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "explain/axes.h"
#include "explain/figures.h"

namespace dynemo::explain {
namespace {

constexpr double kLeft = 150, kBarWidth = 300;

// One colour per group, in feature_groups() order.
Rgb group_color(std::size_t g) {
  static const Rgb colors[] = {{0.93, 0.60, 0.10},   // loudness: orange
                               {0.45, 0.20, 0.65},   // rhythm: purple
                               {0.20, 0.60, 0.55},   // timbre: teal
                               {0.13, 0.40, 0.75},   // harmony: blue
                               {0.84, 0.24, 0.16}};  // voice: red
  return colors[g % 5];
}

std::string label_of(const std::string& id) {
  for (const FeatureGroup& g : feature_groups()) {
    if (g.id == id) return g.label;
  }
  return id;
}

std::size_t index_of(const std::string& id) {
  const std::vector<FeatureGroup>& all = feature_groups();
  for (std::size_t g = 0; g < all.size(); ++g) {
    if (all[g].id == id) return g;
  }
  return 0;
}

std::string signed3(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.3f", v);
  return text;
}

void draw(Canvas& c, const TrackPrediction& p) {
  const GroupAttribution& a = p.attribution;
  const std::size_t n = a.groups.size();
  // Bars: the track means, on a symmetric scale that holds the largest.
  double largest = 0.05;
  std::vector<double> mean[2] = {mean_attribution(a, false), mean_attribution(a, true)};
  for (const auto& m : mean)
    for (double v : m) largest = std::max(largest, std::fabs(v));
  const char* dims[] = {"arousal", "valence"};
  for (int d = 0; d < 2; ++d) {
    Panel panel{kLeft + d * (kBarWidth + 130), 40, kBarWidth, 30.0 * n, -largest, largest, 0.0,
                static_cast<double>(n)};
    begin_panel(c, panel, {std::string(dims[d]) + ": track mean", "", "", 0, -1, true},
                std::string("attribution-") + dims[d]);
    for (std::size_t g = 0; g < n; ++g) {
      const double v = mean[d][g];
      const double y = panel.py(static_cast<double>(n - g) - 0.2);
      const double x0 = panel.px(std::min(0.0, v)), x1 = panel.px(std::max(0.0, v));
      c.begin_group("attribution-bar", "",
                    {{"group", a.groups[g]}, {"dimension", dims[d]}, {"value", signed3(v)}});
      c.rect(x0, y, std::max(1.0, x1 - x0), 18, group_color(index_of(a.groups[g])), "bar",
             label_of(a.groups[g]) + ": " + signed3(v));
      c.end_group();
      if (d == 0) {
        c.text({kLeft - 8, y + 13}, label_of(a.groups[g]), 12, Anchor::end, "group-label");
      }
      c.text({panel.px(0.0) + (v < 0 ? -4 : 4), y + 13}, signed3(v), 10,
             v < 0 ? Anchor::end : Anchor::start, "bar-value");
    }
    end_panel(c);
  }
  // Over time: each group's arousal and valence attribution per window.
  const double top = 95 + 30.0 * n;
  const double end_s =
      std::max(p.duration_s, p.time_s.empty() ? p.window_s : p.time_s.back() + p.window_s);
  double range = 0.05;
  for (const std::vector<float>* v : {&a.arousal, &a.valence})
    for (float x : *v) range = std::max(range, static_cast<double>(std::fabs(x)));
  for (int d = 0; d < 2; ++d) {
    Panel panel{70, top + d * 190.0, 800, 150, 0.0, end_s, -range, range};
    begin_panel(
        c, panel,
        {std::string(dims[d]) + " attribution over time", d == 1 ? "time (s)" : "", "", 0, 0},
        std::string("attribution-time-") + dims[d]);
    const std::vector<float>& v = d == 0 ? a.arousal : a.valence;
    for (std::size_t g = 0; g < n; ++g) {
      std::vector<Point> line;
      for (std::size_t r = 0; r < p.n_windows() && r * n + g < v.size(); ++r) {
        line.push_back(panel.at(p.time_s[r], v[r * n + g]));
      }
      if (!line.empty()) {
        c.polyline(line, {group_color(index_of(a.groups[g])), 1.5},
                   "attribution-line " + a.groups[g]);
      }
    }
    end_panel(c);
  }
}

}  // namespace

Figure attribution_bars(const TrackPrediction& p) {
  const double n = static_cast<double>(p.attribution.groups.size());
  return {"attribution", 900, 135 + 30.0 * n + 380, [&p](Canvas& c) { draw(c, p); }};
}

}  // namespace dynemo::explain
