// The uncertainty of a cross-validated model: its sd model (dynemo/uncertainty.h) fitted on the
// held-out predictions of every fold, and how well calibrated it is on songs it was not fitted
// on. Internal; no LibTorch.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "dynemo/train.h"
#include "dynemo/uncertainty.h"

namespace dynemo::train {

using SongOutputs = std::map<std::string, std::vector<float>>;  // song id -> [T * 2] interleaved

struct CvUncertainty {
  Uncertainty fit;               // on every fold's held-out frames: what the shipped model uses
  Calibration arousal, valence;  // cross-fitted: each fold's sds from a fit on the other folds
  SongOutputs sd;                // the cross-fitted sds, [T * 2] per song
};

// `prediction` and `member_sd` (held-out, per song of `data`), `folds` the song ids of each fold.
CvUncertainty calibrate_cv(const SequenceSet& data,
                           const std::vector<std::vector<std::string>>& folds,
                           const SongOutputs& prediction, const SongOutputs& member_sd);

// {"method", "arousal": {"base", "scale"}, "valence": {...}} — the sidecar's "uncertainty", read
// back by uncertainty_from_json; with "calibration" ({"arousal": {within_1sd, within_2sd, nll,
// mean_sd, n_frames}, ...}) when `calibration` is true.
std::string uncertainty_json(const CvUncertainty& u, bool calibration);

}  // namespace dynemo::train
