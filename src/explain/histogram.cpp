// Error histograms (Chaki et al. 2020, Fig. 2): how many songs fall in each bin of per-song
// error. Bins [k w, (k+1) w) from 0; the last bin holds the largest error.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "explain/axes.h"
#include "explain/figures.h"

namespace dynemo::explain {
namespace {

void draw(Canvas& c, const std::vector<double>& errors, double w, const std::string& title,
          Rgb color) {
  const double largest = errors.empty() ? w : *std::max_element(errors.begin(), errors.end());
  const std::size_t n_bins = std::max<std::size_t>(1, static_cast<std::size_t>(largest / w) + 1);
  std::vector<std::size_t> counts(n_bins, 0);
  for (double e : errors) {
    counts[std::min(n_bins - 1, static_cast<std::size_t>(std::max(0.0, e) / w))] += 1;
  }
  const std::size_t top = std::max<std::size_t>(1, *std::max_element(counts.begin(), counts.end()));
  Panel p{70, 40, 340, 220, 0.0, n_bins * w, 0.0, static_cast<double>(top) * 1.1};
  begin_panel(c, p, {title, "per-song RMSE", "songs", n_bins > 12 ? 0 : w, 0}, "histogram");
  c.begin_group("bars", "", {{"bin-width", tick_label(w)}, {"n", std::to_string(errors.size())}});
  for (std::size_t k = 0; k < n_bins; ++k) {
    char tip[96];
    std::snprintf(tip, sizeof tip, "%zu songs with RMSE in [%.3g, %.3g)", counts[k], k * w,
                  (k + 1) * w);
    const double x0 = p.px(k * w), x1 = p.px((k + 1) * w), y = p.py(static_cast<double>(counts[k]));
    c.begin_group("", "", {{"count", std::to_string(counts[k])}});
    c.rect(x0 + 1, y, x1 - x0 - 2, p.py(0) - y, color, "bar", tip);
    c.end_group();
  }
  c.end_group();
  end_panel(c);
}

}  // namespace

Figure error_histogram(const std::string& id, const std::vector<double>& errors, double bin_width,
                       const std::string& title, Rgb color) {
  return {id, 440, 310, [&errors, bin_width, title, color](Canvas& c) {
            draw(c, errors, bin_width, title, color);
          }};
}

}  // namespace dynemo::explain
