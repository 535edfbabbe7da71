// compare_functionals and its columns (functional-set.h).
#include "features/compare/functional-set.h"

#include <algorithm>
#include <cmath>

#include "features/compare/functionals.h"
#include "features/compare/llds.h"
#include "features/compare/names.h"

namespace dynemo::features::compare {
namespace {

// The LLD groups by index into the 65 smoothed LLDs (names.h): the voicing LLDs, the energy LLDs
// (A) and the spectral LLDs (B).
constexpr std::size_t kGroupA = kVoicingCount;  // 4 LLDs from here
constexpr std::size_t kGroupB = kGroupA + 4;    // to the end

enum class Component { a_or_b, nz, f0, lld, delta };

struct ComponentDef {
  Component kind;
  std::vector<std::size_t> columns;  // of the 130 LLD columns
  std::vector<std::string> functionals;
};

std::vector<std::size_t> span_of(std::size_t first, std::size_t last, bool with_deltas) {
  std::vector<std::size_t> out;
  for (std::size_t c = first; c < last; ++c) out.push_back(c);
  if (with_deltas) {
    for (std::size_t c = first; c < last; ++c) out.push_back(kLldCount + c);
  }
  return out;
}

std::vector<std::string> concat(std::initializer_list<std::vector<std::string>> parts) {
  std::vector<std::string> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

const std::vector<std::string> kExtremes = {"range", "maxPos", "minPos"};
const std::vector<std::string> kPercentiles = {"quartile1",     "quartile2",      "quartile3",
                                               "iqr1-2",        "iqr2-3",         "iqr1-3",
                                               "percentile1.0", "percentile99.0", "pctlrange0-1"};
const std::vector<std::string> kMoments = {"stddev", "skewness", "kurtosis"};
const std::vector<std::string> kSegments = {"meanSegLen", "maxSegLen", "minSegLen", "segLenStddev"};
const std::vector<std::string> kTimes = {"upleveltime25", "upleveltime50", "upleveltime75",
                                         "upleveltime90", "risetime",      "leftctime"};
const std::vector<std::string> kLpc = {"lpgain", "lpc0", "lpc1", "lpc2", "lpc3", "lpc4"};
const std::vector<std::string> kRegression = {"linregc1", "linregc2", "linregerrQ", "qregc1",
                                              "qregc2",   "qregc3",   "qregerrQ",   "centroid"};
const std::vector<std::string> kPeaks = {
    "meanPeakDist",    "peakDistStddev",    "peakRangeAbs",     "peakRangeRel",
    "peakMeanAbs",     "peakMeanMeanDist",  "peakMeanRel",      "minRangeRel",
    "meanRisingSlope", "stddevRisingSlope", "meanFallingSlope", "stddevFallingSlope"};

// The six components in the order of the output (is13_funcconcat).
const std::vector<ComponentDef>& components() {
  static const std::vector<ComponentDef> defs = [] {
    const auto a_b_functionals =
        concat({kExtremes, kPercentiles, kMoments, kSegments, kTimes, kLpc});
    std::vector<ComponentDef> d;
    d.push_back({Component::a_or_b, span_of(kGroupA, kGroupB, true), a_b_functionals});
    d.push_back({Component::a_or_b, span_of(kGroupB, kLldCount, true), a_b_functionals});
    d.push_back({Component::nz, span_of(0, kVoicingCount, true),
                 concat({{"amean", "flatness", "posamean", "rqmean"},
                         kExtremes,
                         kRegression,
                         kPercentiles,
                         kMoments,
                         kTimes,
                         kLpc})});
    d.push_back(
        {Component::f0,
         {0},
         {"ff0_nnz", "ff0_meanSegLen", "ff0_maxSegLen", "ff0_minSegLen", "ff0_segLenStddev"}});
    std::vector<std::size_t> a_b = span_of(kGroupA, kLldCount, false);
    d.push_back(
        {Component::lld, a_b, concat({{"amean", "flatness", "rqmean"}, kPeaks, kRegression})});
    for (std::size_t& c : a_b) c += kLldCount;
    d.push_back({Component::delta, a_b, concat({{"flatness", "posamean", "rqmean"}, kPeaks})});
    return d;
  }();
  return defs;
}

// The functionals of one component over one window of one column, appended at *out.
float* compute(Component kind, const float* x, std::size_t n, std::vector<float>& nonzero,
               float* out) {
  if (kind == Component::nz) {
    // nonZeroFuncts: the functionals of the non-zero frames only; none -> zeros.
    nonzero.clear();
    for (std::size_t i = 0; i < n; ++i) {
      if (x[i] != 0.0f) nonzero.push_back(x[i]);
    }
    const std::size_t count = 4 + kExtremesCount + kRegressionCount + kPercentilesCount +
                              kMomentsCount + kTimesCount + kLpcCount;
    if (nonzero.empty()) {
      std::fill(out, out + count, 0.0f);
      return out + count;
    }
    const FunctionalInput in = functional_input(nonzero.data(), nonzero.size());
    const MeanValues m = means(in);
    *out++ = m.amean;
    *out++ = m.flatness;
    *out++ = m.posamean;
    *out++ = m.rqmean;
    extremes(in, out);
    out += kExtremesCount;
    regression(in, 0, out);
    out += kRegressionCount;
    percentiles(in, out);
    out += kPercentilesCount;
    moments(in, out);
    out += kMomentsCount;
    times(in, out);
    out += kTimesCount;
    lpc(in, out);
    return out + kLpcCount;
  }
  const FunctionalInput in = functional_input(x, n);
  switch (kind) {
    case Component::a_or_b:
      extremes(in, out);
      out += kExtremesCount;
      percentiles(in, out);
      out += kPercentilesCount;
      moments(in, out);
      out += kMomentsCount;
      segments(in, out);
      out += kSegmentsCount;
      times(in, out);
      out += kTimesCount;
      lpc(in, out);
      return out + kLpcCount;
    case Component::f0:
      f0_segments(in, out);
      return out + kF0SegmentsCount;
    case Component::lld: {
      const MeanValues m = means(in);
      *out++ = m.amean;
      *out++ = m.flatness;
      *out++ = m.rqmean;
      peaks(in, out);
      out += kPeaksCount;
      regression(in, 2, out);
      return out + kRegressionCount;
    }
    case Component::delta: {
      const MeanValues m = means(in);
      *out++ = m.flatness;
      *out++ = m.posamean;
      *out++ = m.rqmean;
      peaks(in, out);
      return out + kPeaksCount;
    }
    case Component::nz:
      break;
  }
  return out;
}

}  // namespace

const std::vector<std::string>& functional_columns() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const ComponentDef& d : components()) {
      for (const std::size_t c : d.columns) {
        for (const std::string& f : d.functionals) out.push_back(lld_columns()[c] + "_" + f);
      }
    }
    return out;
  }();
  return names;
}

const std::vector<std::size_t>& functional_sources() {
  static const std::vector<std::size_t> sources = [] {
    std::vector<std::size_t> out;
    for (const ComponentDef& d : components()) {
      for (const std::size_t c : d.columns) out.insert(out.end(), d.functionals.size(), c);
    }
    return out;
  }();
  return sources;
}

FrameMatrix compare_functionals(const FrameMatrix& llds, const std::vector<double>& starts_s,
                                double span_s) {
  const std::size_t n_columns = functional_columns().size();
  FrameMatrix out(starts_s.size(), n_columns);
  const auto length = static_cast<std::size_t>(std::lround(span_s / kRowPeriod_s));
  std::vector<float> column(length), nonzero;
  for (std::size_t k = 0; k < starts_s.size(); ++k) {
    const auto first =
        std::min(llds.n_frames,
                 static_cast<std::size_t>(std::max(0L, std::lround(starts_s[k] / kRowPeriod_s))));
    const std::size_t n = std::min(length, llds.n_frames - first);
    float* o = out.row(k);
    if (n == 0) continue;
    for (const ComponentDef& d : components()) {
      for (const std::size_t c : d.columns) {
        for (std::size_t i = 0; i < n; ++i) column[i] = llds.row(first + i)[c];
        o = compute(d.kind, column.data(), n, nonzero, o);
      }
    }
  }
  return out;
}

}  // namespace dynemo::features::compare
