// The openSMILE-based feature sets: the ComParE 2016 LLDs at 100 Hz (compare-lld), their mean
// and standard deviation per window (compare-lld-stats; mediaeval2015 with the INTERSPEECH 2013
// LLDs over 1 s windows, the MediaEval 2015 "Emotion in Music" baseline), and Coutinho et al.'s
// psychoacoustic features. Definitions: ../shared/docs/compare-lld-spec.md §1-§12, §16.
#include <optional>
#include <utility>

#include "features/compare/functional-set.h"
#include "features/compare/llds.h"
#include "features/compare/names.h"
#include "features/compare/window-stats.h"
#include "features/extract-with.h"
#include "features/feature-set.h"
#include "features/psychoacoustic.h"

namespace dynemo::features {
namespace {

using compare::LldVariant;

constexpr const char* kCompareRef =
    "openSMILE 3.0 ComParE 2016 LLDs (Schuller et al., INTERSPEECH 2016; Eyben et al., "
    "openSMILE), reimplemented from ../shared/docs/compare-lld-spec.md";
constexpr const char* kMediaEvalRef =
    "MediaEval 2015 Emotion in Music baseline (Aljanaki et al., 2015; Coutinho et al., 2015): "
    "INTERSPEECH 2013 ComParE LLDs, mean and stddev over 1 s windows, step hop_s";
constexpr double kMediaEvalSpan_s = 1.0;

// The LLDs of the input being extracted: computed by the first set that needs them, shared with
// the others (extract-with.h).
const FrameMatrix& llds_of(const float* samples, std::size_t n, const FeatureConfig& c,
                           LldVariant variant, PieceState* piece, FrameMatrix* own) {
  SharedRows* shared = current_shared_rows();
  std::optional<FrameMatrix>* slot =
      shared ? &shared->compare_llds[static_cast<int>(variant)] : nullptr;
  if (slot && *slot) return **slot;
  const std::vector<float> x = compare::opensmile_scaled(samples, n);
  compare::DeltaNormaliser* normaliser =
      piece ? &piece->normaliser[static_cast<int>(variant)] : nullptr;
  FrameMatrix llds =
      compare::compare_llds(x.data(), n, c.sample_rate_hz, variant, nullptr, normaliser);
  if (slot) return slot->emplace(std::move(llds));
  *own = std::move(llds);
  return *own;
}

// Duration covered by whole LLD rows: 0.01 s * rows (44.96 s for 45 s at 44.1 kHz).
double lld_duration_s(std::size_t n, const FeatureConfig& c) {
  return compare::kRowPeriod_s * static_cast<double>(compare::lld_row_count(n, c.sample_rate_hz));
}

FeatureSetDef compare_lld_set() {
  FeatureSetDef d;
  d.columns = compare::lld_columns();
  d.info = {"compare-lld",
            "the 65 ComParE 2016 LLDs smoothed (_sma) and their 65 deltas (_sma_de), one row per "
            "10 ms (time_s = 0.01 t, rows = complete 60 ms frames + 1), not on the window grid: "
            "cannot be combined with other sets",
            kCompareRef, d.columns.size()};
  d.opensmile_names = true;
  d.own_row_period_s = compare::kRowPeriod_s;
  d.own_rows_s = [](std::size_t n, const FeatureConfig& c) {
    std::vector<double> t(compare::lld_row_count(n, c.sample_rate_hz));
    for (std::size_t i = 0; i < t.size(); ++i)
      t[i] = compare::kRowPeriod_s * static_cast<double>(i);
    return t;
  };
  d.compute_rows = [](const float* y, std::size_t n, const FeatureConfig& c,
                      const std::vector<double>&, PieceState* piece) {
    FrameMatrix own;
    return FrameMatrix(llds_of(y, n, c, LldVariant::compare2016, piece, &own));
  };
  return d;
}

FeatureSetDef mediaeval_set() {
  FeatureSetDef d;
  d.columns = compare::lld_stats_columns();
  d.info = {
      "mediaeval2015",
      "mean (_amean) and standard deviation (_stddev, divisor N) of the 130 INTERSPEECH 2013 "
      "ComParE LLD columns over 1 s windows starting every hop_s (rows at 2 Hz); only windows "
      "whose LLD rows all exist (88 for 45 s); combined with other sets, only the rows "
      "common to all are kept",
      kMediaEvalRef, d.columns.size()};
  d.opensmile_names = true;
  d.row_span_s = kMediaEvalSpan_s;
  d.usable_s = lld_duration_s;
  d.compute_rows = [](const float* y, std::size_t n, const FeatureConfig& c,
                      const std::vector<double>& starts, PieceState* piece) {
    FrameMatrix own;
    return compare::window_mean_stddev(llds_of(y, n, c, LldVariant::is13, piece, &own),
                                       compare::kRowPeriod_s, starts, kMediaEvalSpan_s);
  };
  return d;
}

FeatureSetDef compare_stats_set() {
  FeatureSetDef d;
  d.columns = compare::lld_stats_columns();
  d.info = {"compare-lld-stats",
            "mean (_amean) and standard deviation (_stddev, divisor N) of the 130 ComParE 2016 LLD "
            "columns over each summary window (the LLD rows starting in it; the last window of an "
            "input may hold a few rows fewer, as the LLD rows end 40 ms before the input)",
            kCompareRef, d.columns.size()};
  d.opensmile_names = true;
  d.compute_rows = [](const float* y, std::size_t n, const FeatureConfig& c,
                      const std::vector<double>& starts, PieceState* piece) {
    FrameMatrix own;
    return compare::window_mean_stddev(llds_of(y, n, c, LldVariant::compare2016, piece, &own),
                                       compare::kRowPeriod_s, starts, c.window_s);
  };
  return d;
}

FeatureSetDef compare_functionals_set() {
  FeatureSetDef d;
  d.columns = compare::functional_columns();
  d.info = {"compare",
            "the 6373 ComParE 2016 functionals (openSMILE 3.0 ComParE_2016.conf: percentiles, "
            "moments, segments, times, LPC, means, peaks and slopes, regression) of the LLDs and "
            "their deltas over each summary window (the LLD rows starting in it); only windows "
            "whose LLD rows all exist",
            kCompareRef, d.columns.size()};
  d.opensmile_names = true;
  d.usable_s = lld_duration_s;
  d.compute_rows = [](const float* y, std::size_t n, const FeatureConfig& c,
                      const std::vector<double>& starts, PieceState* piece) {
    FrameMatrix own;
    return compare::compare_functionals(llds_of(y, n, c, LldVariant::compare2016, piece, &own),
                                        starts, c.window_s);
  };
  return d;
}

FeatureSetDef psychoacoustic_set() {
  FeatureSetDef d;
  d.columns = psychoacoustic_columns();
  d.info = {"psychoacoustic",
            "sensory dissonance (Sethares), roughness (Vassilakis), tempo (BPM), event density "
            "(onsets per second) and tempo confidence per summary window: Coutinho et al.'s "
            "MIRtoolbox features, tempo and onsets as beat trackers estimate them",
            "Coutinho et al., MediaEval 2015; MIRtoolbox 1.6.1 definitions "
            "(../shared/docs/compare-lld-spec.md §16; options not verified)",
            d.columns.size()};
  d.compute_rows = [](const float* y, std::size_t n, const FeatureConfig& c,
                      const std::vector<double>& starts, PieceState* piece) {
    if (piece && piece->psychoacoustic_rows) {
      // A piece of a long input: its rows of the ones computed from the whole input.
      const FrameMatrix& all = *piece->psychoacoustic_rows;
      FrameMatrix rows(starts.size(), all.n_values);
      for (std::size_t k = 0; k < starts.size(); ++k) {
        const std::size_t row = piece->first_row + k;
        if (row < all.n_frames) std::copy(all.row(row), all.row(row) + all.n_values, rows.row(k));
      }
      return rows;
    }
    return psychoacoustic_windows(y, n, c.sample_rate_hz, c, starts);
  };
  d.whole_input_frames = true;
  d.revision = 1;  // 0.2.0: prior-weighted tempo + confidence, onset-detector event density
  return d;
}

}  // namespace

void append_compare_sets(std::vector<FeatureSetDef>& defs) {
  defs.push_back(compare_lld_set());
  defs.push_back(mediaeval_set());
  defs.push_back(compare_stats_set());
  defs.push_back(compare_functionals_set());
  defs.push_back(psychoacoustic_set());
}

}  // namespace dynemo::features
