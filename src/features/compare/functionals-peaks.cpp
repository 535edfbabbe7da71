// Peaks2 (functionals.h; docs/compare-functionals.md#peaks).
#include <algorithm>
#include <cmath>
#include <vector>

#include "features/compare/functionals.h"

namespace dynemo::features::compare {
namespace {

struct Extremum {
  bool is_max = false;
  float y = 0.0f;
  long at = 0;  // frame
};

// openSMILE's soft limit of a ratio: linear in [-10, 10], then towards +-20.
double ratio_limit(double r) {
  constexpr double kLinear = 10.0, kSoft = 10.0;
  if (r > kLinear)
    return std::tanh((std::sqrt(r - kLinear + 1.0) - 1.0) / (kSoft * 0.5)) * kSoft + kLinear;
  if (r < -kLinear) {
    return std::tanh(-(std::sqrt(-(r + kLinear) + 1.0) - 1.0) / (kSoft * 0.5)) * kSoft - kLinear;
  }
  return r;
}

std::vector<Extremum> kept(const std::vector<Extremum>& list, const std::vector<bool>& keep) {
  std::vector<Extremum> out;
  for (std::size_t k = 0; k < list.size(); ++k) {
    if (keep[k]) out.push_back(list[k]);
  }
  return out;
}

// The peaks and valleys of the window: strict local extrema of frames 2 .. n-3, pruned with the
// absolute threshold h = 0.1 range, then made to alternate.
std::vector<Extremum> extrema(const FunctionalInput& in, float h) {
  const float* x = in.x;
  std::vector<Extremum> list;
  for (std::size_t i = 2; i + 2 < in.n; ++i) {
    if (x[i] > x[i - 1] && x[i] > x[i + 1]) list.push_back({true, x[i], static_cast<long>(i)});
    if (x[i] < x[i - 1] && x[i] < x[i + 1]) list.push_back({false, x[i], static_cast<long>(i)});
  }
  const auto below = [h](float d) { return d < h; };
  // Maxima too close to what precedes them. last_value follows every candidate, deleted too.
  std::vector<bool> keep(list.size(), true);
  double last_value = x[0], last_min = x[0], last_max = x[0];
  bool after_min = false;
  long last_max_index = -1;
  for (std::size_t k = 0; k < list.size(); ++k) {
    const Extremum& e = list[k];
    const double y = e.y;
    if (e.is_max) {
      if (below(std::fabs(static_cast<float>(y - last_value)))) {
        if (below(static_cast<float>(y - last_min))) {
          keep[k] = false;
        } else if (y > last_max * 1.05) {
          if (last_max_index >= 0) keep[static_cast<std::size_t>(last_max_index)] = false;
          last_max = y;
          last_max_index = static_cast<long>(k);
        } else if (after_min) {
          last_max = y;
          last_max_index = static_cast<long>(k);
        } else {
          keep[k] = false;
        }
      } else {
        last_max = y;
        last_max_index = static_cast<long>(k);
      }
      after_min = false;
    } else if (!below(std::fabs(static_cast<float>(y - last_value)))) {
      after_min = true;
      last_min = y;
    }
    last_value = y;
  }
  list = kept(list, keep);
  // Minima not deep enough below the maximum before them.
  keep.assign(list.size(), true);
  last_max = x[0];
  for (std::size_t k = 0; k < list.size(); ++k) {
    if (!list[k].is_max) {
      if (below(static_cast<float>(last_max - list[k].y))) keep[k] = false;
    } else {
      last_max = list[k].y;
    }
  }
  list = kept(list, keep);
  // Alternation: of a run of maxima (minima) the highest (lowest) stays, the first on ties.
  keep.assign(list.size(), true);
  bool first = true, last_was_min = false;
  std::size_t run_best = 0;
  for (std::size_t k = 0; k < list.size(); ++k) {
    const Extremum& e = list[k];
    const bool same_kind = !first && (e.is_max ? !last_was_min : last_was_min);
    if (!same_kind) {
      run_best = k;
      last_was_min = !e.is_max;
      first = false;
    } else if (e.is_max ? e.y <= list[run_best].y : e.y >= list[run_best].y) {
      keep[k] = false;
    } else {
      keep[run_best] = false;
      run_best = k;
    }
  }
  return kept(list, keep);
}

double mean_of(const std::vector<double>& v) {
  double s = 0.0;
  for (const double a : v) s += a;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

// openSMILE's slope spread: squared deviations of the inner slopes, divided by the count of all
// slopes (the end slope included) when there is more than one.
double slope_stddev(const std::vector<double>& inner, std::size_t count, double mean) {
  double s = 0.0;
  for (const double a : inner) s += (a - mean) * (a - mean);
  if (count > 1) s /= static_cast<double>(count);
  return s > 0.0 ? std::sqrt(s) : 0.0;
}

}  // namespace

void peaks(const FunctionalInput& in, float* out) {
  std::fill(out, out + kPeaksCount, 0.0f);
  const float h = 0.1f * in.range;  // Peaks2.relThresh
  const std::vector<Extremum> list = extrema(in, h);
  const double period = kFunctionalPeriod_s;

  std::vector<double> peak_y, valley_y;
  std::vector<long> peak_at;
  for (const Extremum& e : list) {
    if (e.is_max) {
      peak_y.push_back(e.y);
      peak_at.push_back(e.at);
    } else {
      valley_y.push_back(e.y);
    }
  }
  const std::size_t n_peaks = peak_y.size();
  double peak_dist = 0.0;
  if (n_peaks > 1) {
    peak_dist =
        static_cast<double>(peak_at.back() - peak_at.front()) / static_cast<double>(n_peaks - 1);
  }
  // The spread of the distances measures each peak from the valley before it (as openSMILE
  // does), against the mean peak-to-peak distance.
  double dist_spread = 0.0;
  long last_valley = 0;
  bool seen_peak = false;
  for (const Extremum& e : list) {
    if (!e.is_max) {
      last_valley = e.at;
    } else {
      if (seen_peak) {
        const double d = static_cast<double>(e.at - last_valley) - peak_dist;
        dist_spread += d * d;
      }
      seen_peak = true;
    }
  }
  if (n_peaks > 2) dist_spread /= static_cast<double>(n_peaks - 1);
  dist_spread = dist_spread > 0.0 ? std::sqrt(dist_spread) : 0.0;

  const auto span = [](const std::vector<double>& v) {
    return v.empty()
               ? 0.0
               : *std::max_element(v.begin(), v.end()) - *std::min_element(v.begin(), v.end());
  };
  const double peak_range = span(peak_y);
  const double valley_range = span(valley_y);
  const double peak_mean = mean_of(peak_y);
  const double range = in.range;
  const double mean = in.mean;
  const auto relative = [range](double v) {
    return range != 0.0 ? std::min(1.0, std::fabs(v / range)) : v;
  };

  // Slopes between consecutive extrema, starting from frame 0, per second.
  std::vector<double> rising, falling;
  double last_max = in.x[0], last_min = in.x[0];
  long last_max_at = 0, last_min_at = 0;
  int last_kind = -1;  // 1 after a slope into a peak, 0 into a valley
  for (const Extremum& e : list) {
    if (e.is_max) {
      last_max = e.y;
      last_max_at = e.at;
      if (last_max_at > last_min_at) {
        rising.push_back((last_max - last_min) /
                         (static_cast<double>(last_max_at - last_min_at) * period));
        last_kind = 1;
      }
    } else {
      last_min = e.y;
      last_min_at = e.at;
      if (last_min_at > last_max_at) {
        falling.push_back((last_max - last_min) /
                          (static_cast<double>(last_min_at - last_max_at) * period));
        last_kind = 0;
      }
    }
  }
  const std::vector<double> inner_rising = rising, inner_falling = falling;
  const auto end = static_cast<long>(in.n) - 1;
  const double x_end = in.x[in.n - 1];
  if (last_kind == 1) {
    if (end > last_max_at) {
      falling.push_back((x_end - last_max) / (static_cast<double>(end - last_max_at) * period));
    }
  } else if (last_kind == 0) {
    if (end > last_min_at) {
      rising.push_back((x_end - last_min) / (static_cast<double>(end - last_min_at) * period));
    }
  } else {
    // No extremum: the overall slope per frame (not per second), as openSMILE has it.
    const double s = (x_end - in.x[0]) / static_cast<double>(in.n);
    if (s > 0) rising = {s};
    if (s < 0) falling = {s};
  }
  const double mean_rising = mean_of(rising), mean_falling = mean_of(falling);

  out[0] = static_cast<float>(peak_dist * period);
  out[1] = static_cast<float>(dist_spread * period);
  out[2] = static_cast<float>(peak_range);
  out[3] = static_cast<float>(relative(peak_range));
  out[4] = static_cast<float>(peak_mean);
  out[5] = static_cast<float>(peak_mean - mean);
  out[6] = static_cast<float>(mean != 0.0 ? ratio_limit(peak_mean / mean) : 20.0);
  out[7] = static_cast<float>(relative(valley_range));
  out[8] = static_cast<float>(mean_rising);
  out[9] = static_cast<float>(slope_stddev(inner_rising, rising.size(), mean_rising));
  out[10] = static_cast<float>(mean_falling);
  out[11] = static_cast<float>(slope_stddev(inner_falling, falling.size(), mean_falling));
}

}  // namespace dynemo::features::compare
