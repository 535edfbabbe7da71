// Closed-form reference members (RIDGE, MEAN). Internal (LibTorch).
#pragma once

#include <vector>

#include "models/ensemble.h"
#include "train/fit.h"
#include "train/tensors.h"

namespace dynemo::train {

// Mean arousal and valence of the frames of `songs`, predicted everywhere.
models::Member fit_mean(const SongTensors& data, const std::vector<std::size_t>& songs,
                        std::int64_t n_features, EpochRecord* record);

// Ridge regression: each alpha fitted on `train`, the one with the lowest MSE on `val` refitted
// on train + val. record gets the chosen alpha and the losses.
models::Member fit_ridge(const SongTensors& data, const std::vector<std::size_t>& train,
                         const std::vector<std::size_t>& val, const std::vector<double>& alphas,
                         EpochRecord* record);

}  // namespace dynemo::train
