// Curves over time: one track's predicted arousal and valence above its waveform and loudness
// (explain page), and one song's predicted vs annotated curves (report page), after Chaki et
// al. 2020, Fig. 1. Points sit at the window start (explain) or the rating time (report).
#include <algorithm>
#include <cstdio>
#include <string>

#include "explain/axes.h"
#include "explain/figures.h"

namespace dynemo::explain {
namespace {

constexpr double kLeft = 70, kWidth = 800;

template <class T>
std::vector<Point> series(const Panel& p, const std::vector<double>& x, const std::vector<T>& y) {
  std::vector<Point> points;
  const std::size_t n = std::min(x.size(), y.size());
  for (std::size_t i = 0; i < n; ++i) points.push_back(p.at(x[i], static_cast<double>(y[i])));
  return points;
}

void legend(Canvas& c, double x, double y,
            const std::vector<std::pair<std::string, Stroke>>& items) {
  c.begin_group("legend");
  for (const auto& [label, stroke] : items) {
    c.polyline({{x, y - 4}, {x + 22, y - 4}}, stroke, "legend-line");
    c.text({x + 27, y}, label, 11, Anchor::start, "legend-label");
    x += 40 + 7.0 * static_cast<double>(label.size());
  }
  c.end_group();
}

std::string seconds(double t) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", t);
  return text;
}

// The +-1 sd band around a curve (clamped to the scale), drawn under it.
template <class T>
void sd_band(Canvas& c, const Panel& p, const std::vector<double>& t, const std::vector<T>& y,
             const std::vector<T>& sd, Rgb color, const std::string& cls) {
  const std::size_t n = std::min({t.size(), y.size(), sd.size()});
  if (n == 0) return;
  std::vector<Point> shape;
  for (std::size_t i = 0; i < n; ++i)
    shape.push_back(p.at(t[i], std::min(1.0, static_cast<double>(y[i]) + sd[i])));
  for (std::size_t i = n; i-- > 0;)
    shape.push_back(p.at(t[i], std::max(-1.0, static_cast<double>(y[i]) - sd[i])));
  c.polygon(shape, color, 0.15, cls);
}

void draw_track(Canvas& c, const TrackExplanation& e) {
  const TrackPrediction& pr = e.prediction;
  const double end_s =
      std::max(pr.duration_s, pr.time_s.empty() ? pr.window_s : pr.time_s.back() + pr.window_s);
  Panel top{kLeft, 40, kWidth, 230, 0.0, end_s, -1.0, 1.0};
  begin_panel(c, top, {"", "", "value", 0, 0.5}, "emotion");
  sd_band(c, top, pr.time_s, pr.arousal, pr.arousal_sd, palette::arousal, "arousal-band");
  sd_band(c, top, pr.time_s, pr.valence, pr.valence_sd, palette::valence, "valence-band");
  c.polyline(series(top, pr.time_s, pr.arousal), {palette::arousal, 2}, "arousal");
  c.polyline(series(top, pr.time_s, pr.valence), {palette::valence, 2}, "valence");
  c.begin_group("attention-peaks");
  for (std::size_t rank = 0; rank < e.attention_peaks.size(); ++rank) {
    const std::size_t w = e.attention_peaks[rank];
    if (w >= pr.n_windows()) continue;
    const double x = top.px(pr.time_s[w]);
    const std::string title = "attended frame #" + std::to_string(rank + 1) + ": window " +
                              std::to_string(w) + " at " + seconds(pr.time_s[w]);
    c.polyline({{x, top.top_px}, {x, top.top_px + top.height_px}}, {palette::peak, 1, true},
               "attention-peak-line");
    c.circle(top.at(pr.time_s[w], pr.arousal[w]), 5, palette::peak, "attention-peak", title);
    c.circle(top.at(pr.time_s[w], pr.valence[w]), 5, palette::peak, "attention-peak", title);
  }
  c.end_group();
  end_panel(c);
  std::vector<std::pair<std::string, Stroke>> items = {{"arousal", {palette::arousal, 2}},
                                                       {"valence", {palette::valence, 2}}};
  if (!pr.arousal_sd.empty()) items.push_back({"±1 sd (shaded)", {palette::waveform, 6}});
  if (!e.attention_peaks.empty())
    items.push_back({"most attended frames", {palette::peak, 1, true}});
  legend(c, kLeft, 22, items);

  Panel strip{kLeft, 300, kWidth, 100, 0.0, end_s, -1.0, 1.0};
  begin_panel(c, strip, {"", "time (s)", "amplitude", 0, 1.0, false}, "audio");
  const std::size_t bins = std::min(e.envelope_min.size(), e.envelope_max.size());
  if (bins > 0) {
    std::vector<Point> shape;
    const double bin_s = pr.duration_s / static_cast<double>(bins);
    for (std::size_t b = 0; b < bins; ++b)
      shape.push_back(strip.at((b + 0.5) * bin_s, e.envelope_max[b]));
    for (std::size_t b = bins; b-- > 0;)
      shape.push_back(strip.at((b + 0.5) * bin_s, e.envelope_min[b]));
    c.polygon(shape, palette::waveform, 0.8, "waveform");
  }
  // Loudness on the strip's own scale: -60 dBFS at the bottom, 0 dBFS at the top.
  std::vector<double> level;
  for (double db : e.loudness_db) level.push_back(std::clamp(1.0 + db / 30.0, -1.0, 1.0));
  c.polyline(series(strip, pr.time_s, level), {palette::loudness, 1.5}, "loudness");
  end_panel(c);
  legend(c, kLeft, 452,
         {{"waveform", {palette::waveform, 4}},
          {"loudness of each window (-60..0 dBFS)", {palette::loudness, 1.5}}});
}

void draw_song(Canvas& c, const SongReport& s) {
  const double t0 = s.time_s.empty() ? 0.0 : s.time_s.front();
  const double t1 = s.time_s.empty() ? 1.0 : std::max(s.time_s.back(), t0 + 0.5);
  const struct {
    const char* name;
    const std::vector<double>* truth;
    const std::vector<double>* pred;
    const std::vector<double>* sd;
    Rgb color;
    double rmse;
  } dims[] = {
      {"arousal", &s.arousal, &s.arousal_pred, &s.arousal_sd, palette::arousal, s.rmse_arousal},
      {"valence", &s.valence, &s.valence_pred, &s.valence_sd, palette::valence, s.rmse_valence}};
  for (int d = 0; d < 2; ++d) {
    Panel p{kLeft + d * 420.0, 40, 370, 200, t0, t1, -1.0, 1.0};
    char title[96];
    std::snprintf(title, sizeof title, "Song %s: %s (RMSE %.3f)", s.song_id.c_str(), dims[d].name,
                  dims[d].rmse);
    begin_panel(c, p, {title, "time in the song (s)", dims[d].name, 0, 0.5}, dims[d].name);
    sd_band(c, p, s.time_s, *dims[d].pred, *dims[d].sd, dims[d].color,
            std::string(dims[d].name) + "-band");
    c.polyline(series(p, s.time_s, *dims[d].truth), {palette::annotated, 2, true},
               std::string("annotated ") + dims[d].name);
    c.polyline(series(p, s.time_s, *dims[d].pred), {dims[d].color, 2},
               std::string("predicted ") + dims[d].name);
    end_panel(c);
  }
  legend(c, kLeft, 300,
         {{"annotated", {palette::annotated, 2, true}},
          {"predicted arousal", {palette::arousal, 2}},
          {"predicted valence", {palette::valence, 2}}});
}

}  // namespace

Figure track_curves(const TrackExplanation& e) {
  return {"curves", 900, 462, [&e](Canvas& c) { draw_track(c, e); }};
}

Figure song_curves(const SongReport& song) {
  return {"song-" + song.song_id, 900, 310, [&song](Canvas& c) { draw_song(c, song); }};
}

}  // namespace dynemo::explain
