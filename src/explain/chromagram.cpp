// The chromagram (Chaki et al. 2020, Fig. 5): the energy of each pitch class per 500 ms window,
// C at the bottom, one cell per (window, pitch class), coloured by the chroma value in [0, 1].
#include <algorithm>
#include <cstdio>

#include "dynemo/error.h"
#include "explain/axes.h"
#include "explain/figures.h"

namespace dynemo::explain {
namespace {

constexpr std::size_t kMaxColumns = 400;  // 2 px each in the 800 px panel

const char* const kPitchClasses[12] = {"C",  "C#", "D",  "D#", "E",  "F",
                                       "F#", "G",  "G#", "A",  "A#", "B"};

void draw(Canvas& c, const std::vector<float>& chroma, const std::vector<double>& time_s,
          double window_s) {
  const std::size_t n = time_s.size();
  const double t0 = n ? time_s.front() : 0.0, t1 = n ? time_s.back() + window_s : window_s;
  Panel p{70, 40, 800, 240, t0, t1, 0.0, 12.0};
  begin_panel(c, p, {"Chromagram", "time (s)", "", 0, -1, false}, "chroma");
  const double row_px = p.height_px / 12.0;
  const double px_per_window = p.width_px / static_cast<double>(std::max<std::size_t>(n, 1));
  // Long tracks: columns of `block` windows (their mean), at most kMaxColumns of them.
  const std::size_t block = std::max<std::size_t>(1, (n + kMaxColumns - 1) / kMaxColumns);
  c.begin_group("cells", "",
                {{"n", std::to_string(n)}, {"rows", "12"}, {"block", std::to_string(block)}});
  for (std::size_t i0 = 0; i0 < n; i0 += block) {
    const std::size_t i1 = std::min(n, i0 + block);
    for (int k = 0; k < 12; ++k) {
      double sum = 0.0;
      for (std::size_t i = i0; i < i1; ++i) sum += chroma[i * 12 + static_cast<std::size_t>(k)];
      const double v = sum / static_cast<double>(i1 - i0);
      char tip[64];
      std::snprintf(tip, sizeof tip, "%.1f s %s: %.3f", time_s[i0], kPitchClasses[k], v);
      c.rect(p.left_px + static_cast<double>(i0) * px_per_window, p.top_px + (11 - k) * row_px,
             static_cast<double>(i1 - i0) * px_per_window + 0.3, row_px + 0.3, heat_color(v),
             "cell", n <= 120 ? tip : "");
    }
  }
  c.end_group();
  for (int k = 0; k < 12; ++k) {
    c.text({p.left_px - 6, p.top_px + (11.5 - k) * row_px + 4}, kPitchClasses[k], 11, Anchor::end,
           "pitch-label");
  }
  end_panel(c);
}

}  // namespace

Figure chromagram(const std::vector<float>& chroma, const std::vector<double>& time_s,
                  double window_s) {
  if (chroma.size() != time_s.size() * 12) {
    throw Error("chromagram: " + std::to_string(chroma.size()) + " values for " +
                std::to_string(time_s.size()) + " windows; expected 12 per window");
  }
  return {"chromagram", 900, 330,
          [&chroma, &time_s, window_s](Canvas& c) { draw(c, chroma, time_s, window_s); }};
}

}  // namespace dynemo::explain
