// Held-out predictions of a trained ensemble over songs of the training data (cross-validation,
// evaluation of a run). Internal (LibTorch).
#pragma once

#include <cstddef>
#include <vector>

#include "models/ensemble.h"
#include "train/tensors.h"

namespace dynemo::train {

// Per song of `songs`: predictions [T_i * 2] (arousal, valence interleaved), smoothed with
// config.smoothing_frames; *spread (if given) gets the members' std the same way. Batches of
// songs of equal length.
std::vector<std::vector<float>> predict_songs(models::Ensemble& model, const SongTensors& data,
                                              const std::vector<std::size_t>& songs,
                                              std::vector<std::vector<float>>* spread = nullptr);

}  // namespace dynemo::train
