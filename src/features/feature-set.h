// Internal registry entry of a feature set: its public info, what shared intermediates it needs
// and how it computes its frame-level groups (averaged per window) or its rows directly.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dynemo/features.h"
#include "features/analysis.h"
#include "features/frame-matrix.h"

namespace dynemo::features {

struct PieceState;

// Frame-level values of some columns (names without the set prefix).
struct FrameGroup {
  std::vector<std::string> names;
  FrameMatrix frames;
};

struct FeatureSetDef {
  FeatureSetInfo info;
  std::vector<std::string> columns;  // without the "<set>." prefix
  bool needs_tuned_cqt = false;
  bool needs_untuned_cqt = false;
  std::function<std::vector<FrameGroup>(Analysis&)> compute;

  // Sets whose rows are not means of frame-level values set compute_rows instead of compute:
  // it returns [starts_s.size(), columns.size()], row k for the window starting at starts_s[k]
  // (seconds from the first sample). samples are mono at config.sample_rate_hz, in [-1, 1].
  // piece: non-null for a piece of a longer input (extract-with.h).
  using RowsFn =
      std::function<FrameMatrix(const float* samples, std::size_t n, const FeatureConfig& config,
                                const std::vector<double>& starts_s, PieceState* piece)>;
  RowsFn compute_rows;
  // > 0: each row summarises [start, start + row_span_s) rather than [start, start + window_s);
  // combined with other sets, only the windows whole for every set are kept.
  double row_span_s = 0.0;
  // If set: the duration (s) of an input of n samples the set can summarise completely; windows
  // ending after it are dropped (e.g. the LLD rows of openSMILE stop before the end of input).
  std::function<double(std::size_t n, const FeatureConfig& config)> usable_s;
  // If set: the set has rows at its own times (seconds) instead of the window grid, and cannot be
  // combined with other sets. compute_rows then receives these times as starts_s.
  std::function<std::vector<double>(std::size_t n, const FeatureConfig& config)> own_rows_s;
  // How a long input is analysed in pieces (file-features.cpp): a set using the chromagram
  // tunings (and dB maxima) gets them from the whole input first; the psychoacoustic set's rows
  // depend on the whole input (its onset scale, the clip tempo), so its frame-level values are
  // gathered piece by piece first and its rows computed from all of them.
  bool uses_tunings = false;
  bool whole_input_frames = false;
  // For sets with own rows: their period (s); row i is at i * own_row_period_s.
  double own_row_period_s = 0.0;
  // Whether the column names are openSMILE's, so that they may be written without the prefix.
  bool opensmile_names = false;
  // Bumped when the set's definition changes after it was first released: part of the feature
  // hash (as "<name>@<revision>" when > 0), so caches and models of the old definition are refused.
  int revision = 0;
};

// Every registered set, in registration order.
const std::vector<FeatureSetDef>& feature_set_defs();

// The revision of the set `name` (0 for an unknown name: parse_feature_spec reports those).
int feature_set_revision(const std::string& name);

// Appends the openSMILE-based sets (compare-lld, mediaeval2015, compare-lld-stats) and
// psychoacoustic (compare-sets.cpp).
void append_compare_sets(std::vector<FeatureSetDef>& defs);

// Numbered names: indexed_names("mfcc", 3) = {"mfcc_0", "mfcc_1", "mfcc_2"}.
std::vector<std::string> indexed_names(const std::string& stem, std::size_t n);

}  // namespace dynemo::features
