#include "features/compare/voicing-jitter.h"

#include "dynemo/error.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "features/compare/voicing-lanes.h"
#include "features/compare/voicing-parabola.h"
#include "features/simd.h"

namespace dynemo::features::compare {
namespace {

constexpr double kMinCorrelation = 0.5;
constexpr float kLogHnrFloorDb = -100.0f;
constexpr float kUnsetCorrelation = -2.0f;

constexpr long kLagsAtOnce = 3;  // lags sharing each load of the first period

// Finishes the sum of a[i] * b[i], i < len, from blocks [0, done) already in acc: sixteen
// interleaved double partial sums (four vector chains, so the multiply-adds do not wait on each
// other), then the rest of the four-sample blocks into acc[0], the reduction and the tail.
// Inlined into its callers so that it rounds, fused or not, as they do.
__attribute__((always_inline)) inline double finish_dot(const double* a, const double* b, long len,
                                                        long done, Double4* acc) {
  long i = done;
  for (; i + 16 <= len; i += 16) {
    for (int q = 0; q < 4; ++q) {
      Double4 va, vb;
      std::memcpy(&va, a + i + 4 * q, sizeof va);
      std::memcpy(&vb, b + i + 4 * q, sizeof vb);
      acc[q] += va * vb;
    }
  }
  for (; i + 4 <= len; i += 4) {
    Double4 va, vb;
    std::memcpy(&va, a + i, sizeof va);
    std::memcpy(&vb, b + i, sizeof vb);
    acc[0] += va * vb;
  }
  const Double4 total = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  double sum = (total[0] + total[1]) + (total[2] + total[3]);
  for (; i < len; ++i) sum += a[i] * b[i];
  return sum;
}

// dots[tau - tmin] = sum of a[i] a[i + tau], i < tau, for tmin <= tau < tend. kLagsAtOnce lags
// share the sixteen-sample blocks they have in common; each lag keeps its own partial sums.
DYNEMO_SIMD_CLONES void lag_dots(const double* a, long tmin, long tend, double* dots) {
  long tau = tmin;
  for (; tau + kLagsAtOnce <= tend; tau += kLagsAtOnce) {
    Double4 acc[kLagsAtOnce][4] = {};
    long i = 0;
    for (; i + 16 <= tau; i += 16) {
      for (int q = 0; q < 4; ++q) {
        Double4 va;
        std::memcpy(&va, a + i + 4 * q, sizeof va);
        for (long l = 0; l < kLagsAtOnce; ++l) {
          Double4 vb;
          std::memcpy(&vb, a + tau + l + i + 4 * q, sizeof vb);
          acc[l][q] += va * vb;
        }
      }
    }
    for (long l = 0; l < kLagsAtOnce; ++l) {
      dots[tau + l - tmin] = finish_dot(a, a + tau + l, tau + l, i, acc[l]);
    }
  }
  for (; tau < tend; ++tau) {
    Double4 acc[4] = {};
    dots[tau - tmin] = finish_dot(a, a + tau, tau, 0, acc);
  }
}

// Pearson correlations of p[0, len) with p[len, 2 len) for len = first, first + 1, first + 2
// (the three lags around a peak), every sum of each taken left to right, means first, as the
// reference does. The three are run side by side so that their nine sequential sums do not wait
// on each other; each rounds exactly as it would alone (a's sums share their prefix).
void pearson_three(const double* p, long first, double* out) {
  double sa = 0, sb0 = 0, sb1 = 0, sb2 = 0;
  for (long i = 0; i < first; ++i) {
    sa += p[i];
    sb0 += p[first + i];
    sb1 += p[first + 1 + i];
    sb2 += p[first + 2 + i];
  }
  sb1 += p[2 * first + 1];
  sb2 += p[2 * first + 2];
  sb2 += p[2 * first + 3];
  double ma[3], mb[3];
  ma[0] = sa / static_cast<double>(first);
  sa += p[first];
  ma[1] = sa / static_cast<double>(first + 1);
  sa += p[first + 1];
  ma[2] = sa / static_cast<double>(first + 2);
  mb[0] = sb0 / static_cast<double>(first);
  mb[1] = sb1 / static_cast<double>(first + 1);
  mb[2] = sb2 / static_cast<double>(first + 2);
  double sab[3] = {0, 0, 0}, saa[3] = {0, 0, 0}, sbb[3] = {0, 0, 0};
  const auto add = [&](int k, long i) {
    const double da = p[i] - ma[k], db = p[first + k + i] - mb[k];
    sab[k] += da * db;
    saa[k] += da * da;
    sbb[k] += db * db;
  };
  for (long i = 0; i < first; ++i) {
    add(0, i);
    add(1, i);
    add(2, i);
  }
  add(1, first);
  add(2, first);
  add(2, first + 1);
  for (int k = 0; k < 3; ++k) {
    out[k] = saa[k] > 0 && sbb[k] > 0 ? sab[k] / std::sqrt(saa[k] * sbb[k]) : 0.0;
  }
}

// The product sums of lags [tmin, tend) at the period start `at` (absolute sample index): they
// depend on the samples only, so a frame re-uses those of the previous frame's starts.
struct LagDots {
  std::size_t at = 0;
  long tmin = 0, tend = 0;
  std::vector<double> dots;
};

// Per-frame working memory, grown as needed and reused.
struct Scratch {
  std::vector<LagDots> previous, current;  // of the previous frame and of this one
  std::vector<double> seg, sum1, sum2, cc;
  std::vector<float> avg_wf;
  std::vector<long> starts;
};

// The frame's segment x[from, from + len), the last sample repeated past the end, with prefix
// sums of values and squares (sum1[k] = sum of seg[i], i < k).
void load_segment(const float* x, std::size_t n, std::size_t from, long len, Scratch& s) {
  const std::size_t count = static_cast<std::size_t>(len);
  if (s.seg.size() < count) {
    s.seg.resize(count);
    s.sum1.resize(count + 1);
    s.sum2.resize(count + 1);
  }
  const double pad = n ? static_cast<double>(x[n - 1]) : 0.0;
  double sum1 = 0.0, sum2 = 0.0;
  s.sum1[0] = s.sum2[0] = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    const double v = from + i < n ? static_cast<double>(x[from + i]) : pad;
    s.seg[i] = v;
    s.sum1[i + 1] = sum1 += v;
    s.sum2[i + 1] = sum2 += v * v;
  }
}

// cc[tau - tmin] = Pearson correlation of seg[start, start + tau) with the next tau samples for
// tmin <= tau < tend, from prefix sums and the product sums lag_dots leaves in cc (fast; rounding
// differs from pearson_three's by a few units in the last place).
DYNEMO_SIMD_CLONES_UNFUSED void normalise_lags(const double* sum1, const double* sum2, long start,
                                               long tmin, long tend, double* cc) {
  for (long tau = tmin; tau < tend; ++tau) {
    const double inv_n = 1.0 / static_cast<double>(tau);
    const double sa = sum1[start + tau] - sum1[start];
    const double sb = sum1[start + 2 * tau] - sum1[start + tau];
    const double va = (sum2[start + tau] - sum2[start]) - sa * sa * inv_n;
    const double vb = (sum2[start + 2 * tau] - sum2[start + tau]) - sb * sb * inv_n;
    const double cov = cc[tau - tmin] - sa * sb * inv_n;
    cc[tau - tmin] = va > 0 && vb > 0 ? cov / std::sqrt(va * vb) : 0.0;
  }
}

// The correlations of lags tmin .. tmax - 1 (the search never reads lag tmax) at the segment's
// `start`, which is sample `at` of the input.
void lag_correlations(Scratch& s, long start, std::size_t at, long tmin, long tmax, double* cc) {
  const double* seg = s.seg.data() + start;
  long lo = tmax, hi = tmax;  // lags [lo, hi) come from the previous frame
  for (const LagDots& old : s.previous) {
    if (old.at != at || std::max(tmin, old.tmin) >= std::min(tmax, old.tend)) continue;
    lo = std::max(tmin, old.tmin);
    hi = std::min(tmax, old.tend);
    std::copy(old.dots.begin() + (lo - old.tmin), old.dots.begin() + (hi - old.tmin),
              cc + (lo - tmin));
    break;
  }
  lag_dots(seg, tmin, lo, cc);
  lag_dots(seg, hi, tmax, cc + (hi - tmin));
  s.current.push_back({at, tmin, tmax, std::vector<double>(cc, cc + (tmax - tmin))});
  normalise_lags(s.sum1.data(), s.sum2.data(), start, tmin, tmax, cc);
}

// max - min of p[1 .. len - 2] in float32 (the period's amplitude, its end samples excluded).
float amplitude(const double* p, long len) {
  float lo = static_cast<float>(p[1]), hi = lo;
  for (long i = 2; i + 1 < len; ++i) {
    const float v = static_cast<float>(p[i]);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return hi - lo;
}

// State carried from frame to frame (spec §7.5).
struct Carry {
  std::size_t read_at = 0;  // lastIdx
  long missing = 0;         // lastMis
  float last_t0 = 0, last_diff = 0;
  float last_jl = 0, last_jd = 0, last_sh = 0;
};

// logHNR of the frame from its period starts b_0..b_K (b_K = start + pp) and the mean
// waveform of the T0 samples after each start (spec §7.5, HNR).
float log_hnr_db(Scratch& s, long nt, long t0) {
  const std::vector<long>& b = s.starts;
  const std::size_t k_count = b.size() - 1;
  for (long i = 0; i < t0; ++i) s.avg_wf[i] /= static_cast<float>(k_count);
  double eh = 0;
  for (long i = 3; i <= t0 - 3; ++i) eh += static_cast<double>(s.avg_wf[i]) * s.avg_wf[i];
  eh = t0 > 4 ? std::sqrt(eh / static_cast<double>(t0 - 4)) : 0.0;
  double en = 0;
  long count = 0;
  for (std::size_t k = 0; k < k_count; ++k) {
    const long hi = std::min({b[k + 1], b[k] + t0, nt + 2}) - 3;
    for (long j = b[k] + 2; j <= hi; ++j) {
      const double e = s.seg[j] - s.avg_wf[j - b[k]];
      en += e * e;
      ++count;
    }
  }
  en = count ? std::sqrt(en / static_cast<double>(count)) : 0.0;
  if (en == 0.0) return 0.0f;
  const double db = eh > 0 ? 20.0 * std::log10(eh / en) : -1e9;
  return static_cast<float>(std::max(db, static_cast<double>(kLogHnrFloorDb)));
}

}  // namespace

FrameMatrix period_measures(const float* x, std::size_t n, const std::vector<float>& f0_hz,
                            const PeriodConfig& config, PeriodCarry* carry) {
  const long hop = config.hop;
  const double fs = config.fs_hz;
  FrameMatrix out(f0_hz.size(), 4);
  Scratch s;
  Carry c;
  const std::size_t first = carry ? carry->first_row : 0;
  const std::size_t origin = first * static_cast<std::size_t>(hop);  // global index of x[0]
  for (std::size_t t = 0; t < f0_hz.size(); ++t) {
    if (carry && carry->start && first + t == carry->start_row) {
      const PeriodState& p = *carry->start;
      if (p.read_at < origin) {
        throw Error("period_measures: the carried read position lies before this piece");
      }
      c = Carry{p.read_at - origin, p.missing, p.last_t0, p.last_diff,
                p.last_jl,          p.last_jd, p.last_sh};
      s.previous.clear();  // cached dot products: a cache only, the values do not change
      s.current.clear();
    }
    if (carry && first + t == carry->capture_row) {
      carry->captured = {origin + c.read_at, c.missing, c.last_t0, c.last_diff,
                         c.last_jl,          c.last_jd, c.last_sh};
      carry->has_captured = true;
    }
    float* row = out.row(t);
    const double f = f0_hz[t];
    const long to_read0 = hop + c.missing;
    long to_read = to_read0, t0 = 0, tmin = 0, tmax = 0;
    if (f > 0) {
      const double tf = (1.0 / f) / (1.0 / fs);
      t0 = std::lround(tf);
      tmin = static_cast<long>(std::floor(0.75 * tf));
      tmax = static_cast<long>(std::ceil(1.25 * tf));
      to_read = std::max(to_read0, 2 * tmax + 2);
    }
    to_read = std::min(to_read, c.missing + config.frame_length);
    const long nt = to_read;
    long last_period = to_read0;
    if (f <= 0 || tmin < 2) {
      c.missing = 0;
      c.last_t0 = c.last_diff = 0;
      c.last_jl = c.last_jd = c.last_sh = 0;
      row[0] = row[1] = row[2] = 0.0f;
      row[3] = kLogHnrFloorDb;
      c.read_at += static_cast<std::size_t>(last_period);
      continue;
    }
    std::swap(s.previous, s.current);
    s.current.clear();
    load_segment(x, n, c.read_at, nt, s);
    const long n_lags = tmax - tmin + 1;
    if (static_cast<long>(s.cc.size()) < n_lags) s.cc.resize(static_cast<std::size_t>(n_lags));
    s.avg_wf.assign(static_cast<std::size_t>(t0), 0.0f);
    s.starts.clear();
    last_period = 0;
    long start = 0, pp = t0;
    float min_cc = kUnsetCorrelation, avg_p = 0, jl = 0, jd = 0, avg_amp = 0, avg_amp_diff = 0;
    int n_p = 0, n_jl = 0, n_jd = 0;
    while (start < nt - 2 * tmax - 1) {
      double* cc = s.cc.data();
      lag_correlations(s, start, c.read_at + static_cast<std::size_t>(start), tmin, tmax, cc);
      long best = 0;
      for (long i = 1; i <= tmax - tmin - 2; ++i) {
        if (cc[i] > cc[i - 1] && cc[i] > cc[i + 1] && (best == 0 || cc[i] > cc[best])) best = i;
      }
      // IS13's threshold is a float32 rounding test on the interpolated peak (spec §7.5): its
      // three values are summed left to right, as the reference does.
      if (config.broken_threshold && best > 0) {
        pearson_three(s.seg.data() + start, tmin + best - 1, cc + best - 1);
      }
      if (best == 0) {
        pp = t0;
        start += t0;
      } else {
        pp = tmin + best;
        const double* p0 = s.seg.data() + start;
        const float a0 = amplitude(p0, pp), a1 = amplitude(p0 + pp, pp);
        const float ad = std::fabs(a0 - a1);
        s.starts.push_back(start);
        for (long i = 0; i < t0; ++i) s.avg_wf[i] += static_cast<float>(p0[i]);
        const ParabolaPeak top =
            parabola_peak(best - 1, best, best + 1, cc[best - 1], cc[best], cc[best + 1]);
        const float period = static_cast<float>(std::fabs(tmin + top.x) / fs);
        const float cc_f = static_cast<float>(top.y);
        min_cc = min_cc == kUnsetCorrelation ? cc_f : std::min(min_cc, cc_f);
        const double threshold = config.broken_threshold ? min_cc : kMinCorrelation;
        if (top.y > threshold) {
          avg_p += period;
          ++n_p;
          if (c.last_t0 > 0) {
            const float d = std::fabs(c.last_t0 - period);
            jl += d;
            ++n_jl;
            if (c.last_diff > 0) {
              jd += std::fabs(c.last_diff - d);
              ++n_jd;
            }
            c.last_diff = d;
          }
          c.last_t0 = period;
          avg_amp += (a0 + a1) / 2.0f;
          avg_amp_diff += ad;
        }
        start += pp;
      }
      if (start < to_read0 - 1) last_period = start;
    }
    s.starts.push_back(start);
    for (long i = 0; i < t0 && start + i < nt; ++i) {
      s.avg_wf[i] += static_cast<float>(s.seg[start + i]);
    }
    s.starts.push_back(start + pp);
    row[3] = log_hnr_db(s, nt, t0);
    if (n_p > 0) {
      const float mean_period = avg_p / static_cast<float>(n_p);
      row[0] = 0.0f;
      row[1] = 0.0f;
      if (n_jl > 0) row[0] = c.last_jl = (jl / static_cast<float>(n_jl)) / mean_period;
      if (n_jd > 0) row[1] = c.last_jd = (jd / static_cast<float>(n_jd)) / mean_period;
      row[2] = c.last_sh = avg_amp > 0 ? avg_amp_diff / avg_amp : 0.0f;
    } else {
      row[0] = c.last_jl;
      row[1] = c.last_jd;
      row[2] = c.last_sh;
    }
    for (int k = 0; k < 3; ++k) row[k] = std::min(row[k], 1.0f);
    c.missing = to_read0 - last_period;
    c.read_at += static_cast<std::size_t>(last_period);
  }
  return out;
}

}  // namespace dynemo::features::compare
