// Axes of a plot: a panel maps data coordinates to pixels and draws its frame, ticks and labels;
// colour maps for heatmaps; the palette shared by every figure. Private to src/explain.
#pragma once

#include <string>
#include <vector>

#include "explain/canvas.h"

namespace dynemo::explain {

// The colours of the data series, the same in every figure.
namespace palette {
inline constexpr Rgb arousal{0.84, 0.24, 0.16};    // red
inline constexpr Rgb valence{0.13, 0.40, 0.75};    // blue
inline constexpr Rgb annotated{0.15, 0.15, 0.15};  // ground truth: dark grey
inline constexpr Rgb waveform{0.55, 0.58, 0.62};
inline constexpr Rgb loudness{0.93, 0.60, 0.10};
inline constexpr Rgb peak{0.45, 0.20, 0.65};  // attention peaks: purple
inline constexpr Rgb grid{0.88, 0.88, 0.88};
inline constexpr Rgb axis{0.25, 0.25, 0.25};
inline constexpr Rgb bar{0.35, 0.55, 0.35};
}  // namespace palette

// A rectangle of pixels showing [x_min, x_max] x [y_min, y_max] of the data (y up).
struct Panel {
  double left_px = 0, top_px = 0, width_px = 100, height_px = 100;
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;

  double px(double x) const;  // data x -> pixel x
  double py(double y) const;  // data y -> pixel y
  Point at(double x, double y) const { return {px(x), py(y)}; }
};

// Labels and ticks of a panel; a tick step of 0 chooses "nice" ticks (about 6), < 0 draws none.
struct PanelLabels {
  std::string title;
  std::string x_label, y_label;
  double x_tick_step = 0, y_tick_step = 0;
  bool grid = true;
};

// Opens <g class="panel <cls>" data-box="left top width height" data-xlim="x_min x_max"
// data-ylim="y_min y_max"> (so a reader can map the pixels back to data) and draws grid, frame,
// ticks and labels. Close it with end_panel. Throws Error for an empty range.
void begin_panel(Canvas& canvas, const Panel& panel, const PanelLabels& labels,
                 const std::string& cls);
void end_panel(Canvas& canvas);

// Tick values in [lo, hi] with a step of 1, 2 or 5 times a power of ten (about `target` of them),
// or with `step` when it is > 0.
std::vector<double> ticks(double lo, double hi, double step = 0, int target = 6);

// A tick label: integers without decimals, otherwise up to 3 significant decimals.
std::string tick_label(double value);

// Sequential colour map of v in [0, 1] (clamped) from dark blue through teal to yellow.
Rgb heat_color(double v);

}  // namespace dynemo::explain
