// Attention maps (Chaki et al. 2020, Fig. 3): row i (from the bottom) = the prediction at window
// i, column j = the weight it gives window j, one cell each, coloured between the smallest and
// the largest weight of the map. And the windows attended most over the track, relative to an
// even share of each row's weight.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <numeric>

#include "dynemo/error.h"
#include "dynemo/explain.h"
#include "explain/axes.h"
#include "explain/figures.h"

namespace dynemo {

std::vector<std::size_t> attention_peaks(const std::vector<float>& attention, std::size_t n,
                                         std::size_t k) {
  return attention_peaks(AttentionRows::from_map(attention, n), k);
}

std::vector<std::size_t> attention_peaks(const AttentionRows& attention, std::size_t k) {
  // A row that can attend m frames gives each 1/m if it favours none: weight * m is 1 for an
  // even share. Rows also weigh by position (context models favour the latest frames in a fixed
  // pattern), and rows at the start of a track see only part of their context: so weight * m is
  // divided by its mean at the same lag i - j, both over the rows that see at least the median
  // number of frames. A column's score is the mean of that ratio over those rows: above 1 only
  // for windows given more than is usual where they sit (not the first or last windows by
  // construction). Weights outside a row's span are 0 and count for nothing.
  const std::size_t n = attention.n_rows();
  const std::size_t n_cols = std::max(attention.n_columns, n);
  const auto for_each_weight = [&](std::size_t i, auto&& visit) {
    const std::size_t first = attention.first[i];
    for (std::size_t at = attention.begin[i]; at < attention.begin[i + 1]; ++at) {
      const float w = attention.weights[at];
      if (w > 0) visit(first + (at - attention.begin[i]), w);
    }
  };
  std::vector<double> m(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) for_each_weight(i, [&](std::size_t, float) { m[i] += 1.0; });
  std::vector<double> sorted = m;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n / 2),
                   sorted.end());
  const double median_m = n > 0 ? sorted[n / 2] : 0.0;
  // Lag i - j at index n_cols + i - j.
  std::vector<double> lag_sum(n_cols + n + 1, 0.0), lag_count(n_cols + n + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (m[i] < median_m) continue;
    for_each_weight(i, [&](std::size_t j, float w) {
      lag_sum[n_cols + i - j] += w * m[i];
      lag_count[n_cols + i - j] += 1.0;
    });
  }
  std::vector<double> score(n_cols, 0.0), rows(n_cols, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (m[i] < median_m) continue;
    for_each_weight(i, [&](std::size_t j, float w) {
      score[j] += w * m[i] / (lag_sum[n_cols + i - j] / lag_count[n_cols + i - j]);
      rows[j] += 1.0;
    });
  }
  std::vector<std::size_t> order;
  for (std::size_t j = 0; j < n_cols; ++j) {
    if (rows[j] > 0) score[j] /= rows[j];
    if (score[j] > 1.0 + 1e-4) order.push_back(j);  // more than an even share
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  order.resize(std::min(k, order.size()));
  return order;
}

namespace explain {
namespace {

constexpr std::size_t kMaxCells = 150;  // per side of the attention map

void draw(Canvas& c, const AttentionRows& w, const std::vector<double>& time_s, double window_s,
          const std::string& title) {
  const std::size_t n = time_s.size();
  const double t0 = n ? time_s.front() : 0.0, t1 = n ? time_s.back() + window_s : window_s;
  const double size = 420;
  // Both axes are time: row 0 (the first prediction) at the bottom, column 0 on the left.
  Panel p{80, 40, size, size, t0, t1, t0, t1};
  begin_panel(c, p, {title, "attended frame (s)", "prediction time (s)", 0, 0, false}, "attention");
  // Colours span the map's own range: attention is often close to uniform, and a scale from 0
  // would paint every cell alike. Windows outside a row's span weigh 0.
  bool any = false, gaps = false;
  float peak = 0.0f, low = 0.0f;
  for (std::size_t i = 0; i < w.n_rows(); ++i) {
    if (w.begin[i + 1] - w.begin[i] < n) gaps = true;
    for (std::size_t at = w.begin[i]; at < w.begin[i + 1]; ++at) {
      const float v = w.weights[at];
      peak = any ? std::max(peak, v) : v;
      low = any ? std::min(low, v) : v;
      any = true;
    }
  }
  if (gaps) peak = std::max(peak, 0.0f), low = std::min(low, 0.0f);
  const double range = peak > low ? peak - low : 1.0;
  // Long tracks: blocks of b x b windows drawn as one cell of their mean weight, at most
  // kMaxCells per side, so the page stays small (a 20 min track: 2400 x 2400 weights).
  const std::size_t b = (n + kMaxCells - 1) / std::max<std::size_t>(kMaxCells, 1);
  const std::size_t block = std::max<std::size_t>(b, 1);
  const std::size_t m = (n + block - 1) / block;
  std::vector<double> sum(m * m, 0.0);
  for (std::size_t i = 0; i < std::min(n, w.n_rows()); ++i) {
    for (std::size_t at = w.begin[i]; at < w.begin[i + 1]; ++at) {
      const std::size_t j = w.first[i] + (at - w.begin[i]);
      if (j < n) sum[(i / block) * m + j / block] += w.weights[at];
    }
  }
  const double px_per_window = size / static_cast<double>(std::max<std::size_t>(n, 1));
  c.begin_group("cells", "",
                {{"n", std::to_string(n)},
                 {"block", std::to_string(block)},
                 {"min", tick_label(low)},
                 {"max", tick_label(peak)}});
  for (std::size_t bi = 0; bi < m; ++bi) {
    const std::size_t i0 = bi * block, i1 = std::min(n, i0 + block);
    for (std::size_t bj = 0; bj < m; ++bj) {
      const std::size_t j0 = bj * block, j1 = std::min(n, j0 + block);
      const double v = sum[bi * m + bj] / static_cast<double>((i1 - i0) * (j1 - j0));
      char tip[96];
      if (block == 1) {
        std::snprintf(tip, sizeof tip, "prediction %zu attends %zu: %.4f", i0, j0, v);
      }
      c.rect(p.left_px + static_cast<double>(j0) * px_per_window,
             p.top_px + static_cast<double>(n - i1) * px_per_window,
             static_cast<double>(j1 - j0) * px_per_window + 0.3,
             static_cast<double>(i1 - i0) * px_per_window + 0.3, heat_color((v - low) / range),
             "cell", n <= 60 ? tip : "");
    }
  }
  c.end_group();
  end_panel(c);
  // Colour bar: 0 .. largest weight.
  c.begin_group("colorbar");
  for (int k = 0; k < 50; ++k) {
    c.rect(530, 40 + size - (k + 1) * size / 50, 16, size / 50 + 0.3, heat_color(k / 49.0), "");
  }
  c.text({552, 50}, "max " + tick_label(peak), 11, Anchor::start, "colorbar-label");
  c.text({552, 40 + size}, "min " + tick_label(low), 11, Anchor::start, "colorbar-label");
  c.end_group();
}

}  // namespace

Figure attention_map(const std::string& id, const std::vector<float>& attention,
                     const std::vector<double>& time_s, double window_s, const std::string& title) {
  const std::size_t n = time_s.size();
  if (attention.size() != n * n) {
    throw Error("attention map: " + std::to_string(attention.size()) + " weights for " +
                std::to_string(n) + " windows; expected " + std::to_string(n * n));
  }
  const auto rows = std::make_shared<const AttentionRows>(AttentionRows::from_map(attention, n));
  return {id, 640, 520,
          [rows, &time_s, window_s, title](Canvas& c) { draw(c, *rows, time_s, window_s, title); }};
}

Figure attention_map(const std::string& id, const AttentionRows& attention,
                     const std::vector<double>& time_s, double window_s, const std::string& title) {
  if (attention.n_rows() != time_s.size()) {
    throw Error("attention map: " + std::to_string(attention.n_rows()) + " rows for " +
                std::to_string(time_s.size()) + " windows");
  }
  return {id, 640, 520, [&attention, &time_s, window_s, title](Canvas& c) {
            draw(c, attention, time_s, window_s, title);
          }};
}

}  // namespace explain
}  // namespace dynemo
