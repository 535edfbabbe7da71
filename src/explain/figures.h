// The figures of the explain and report pages. Each builder returns a Figure: an id, a size and
// the drawing code, rendered to SVG text (for the page) or to a PNG file by the same code.
// A Figure refers to the data it was built from, which must outlive it. Private to src/explain.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dynemo/explain.h"
#include "explain/canvas.h"

namespace dynemo::explain {

struct Figure {
  std::string id;  // the <svg> id, also the PNG file stem
  double width_px = 900, height_px = 400;
  std::function<void(Canvas&)> draw;
};

std::string render_svg(const Figure& figure);
void render_png(const Figure& figure, const std::string& path);  // IoError naming the file

// Curves over time (Chaki et al. Fig. 1): arousal and valence of the prediction on [-1, 1] at
// the window start times, attention peaks marked; below, the waveform envelope and the window
// loudness. id "curves".
Figure track_curves(const TrackExplanation& e);

// The track's group attributions (TrackPrediction::attribution): one bar per group and
// dimension (the means over the windows; g class "attribution-bar" with data-group, data-dimension
// and data-value), and each group's attribution over time below. id "attribution".
Figure attribution_bars(const TrackPrediction& p);

// The valence-arousal plane (Russell's circumplex): unit circle, quadrant labels, the trajectory
// in time order, start, end and mean. id "circumplex".
Figure circumplex(const std::vector<float>& valence, const std::vector<float>& arousal);

// Attention map (Chaki et al. Fig. 3): rows = prediction windows (first at the bottom), columns =
// attended windows, colour = weight between the map's smallest and largest; one rect class "cell"
// per (row, column) with data-n on the group. `time_s` gives the axis values (window i at
// time_s[i], window_s long). Throws Error when attention.size() != n * n.
Figure attention_map(const std::string& id, const std::vector<float>& attention,
                     const std::vector<double>& time_s, double window_s, const std::string& title);
// The same from a map kept row by row (AttentionRows: one row per window of time_s).
Figure attention_map(const std::string& id, const AttentionRows& attention,
                     const std::vector<double>& time_s, double window_s, const std::string& title);

// Chromagram (Chaki et al. Fig. 5): 12 rows (C at the bottom), one column per window.
// chroma is [n, 12] row-major. id "chromagram".
Figure chromagram(const std::vector<float>& chroma, const std::vector<double>& time_s,
                  double window_s);

// Predicted vs annotated (Chaki et al. Fig. 1) for one song of a run: two panels, arousal and
// valence, over annotation time. id "song-<song_id>".
Figure song_curves(const SongReport& song);

// Histogram of per-song errors (Chaki et al. Fig. 2): songs per bin of width `bin_width` from 0.
// id as given, one rect class "bar" per bin with data-count.
Figure error_histogram(const std::string& id, const std::vector<double>& errors, double bin_width,
                       const std::string& title, Rgb color);

}  // namespace dynemo::explain
