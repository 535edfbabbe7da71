// Internal registry entry of a feature set: its public info, what shared intermediates it needs
// and how it computes its frame-level groups.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dynemo/features.h"
#include "features/analysis.h"
#include "features/frame-matrix.h"

namespace dynemo::features {

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
};

// Every registered set, in registration order.
const std::vector<FeatureSetDef>& feature_set_defs();

// Numbered names: indexed_names("mfcc", 3) = {"mfcc_0", "mfcc_1", "mfcc_2"}.
std::vector<std::string> indexed_names(const std::string& stem, std::size_t n);

}  // namespace dynemo::features
