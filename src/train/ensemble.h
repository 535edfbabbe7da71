// A trained model as dynemo ships it: the standardisation of its training songs and one or more
// ensemble members (seeds), each a network (joint head or one per dimension) or a closed-form
// linear map (RIDGE, MEAN). Saved as <name>.pt + <name>.json (the sidecar). Internal (LibTorch).
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "dynemo/train.h"
#include "models/model.h"
#include "train/tensors.h"

namespace dynemo::train {

struct Member {
  std::vector<std::shared_ptr<models::SequenceModel>> nets;  // 1 joint, or 2 per dimension
  torch::Tensor linear;  // closed form: [F + 1, 2] (last row = intercept); MEAN: zeros + mean
};

struct Ensemble {
  TrainConfig config;
  std::int64_t n_features = 0;
  Normaliser norm;
  std::vector<Member> members;
};

// Builds the (untrained) networks of one member for `config`, initialised from `seed`.
Member make_member(const TrainConfig& config, std::int64_t n_features, std::uint64_t seed);

// Averaged prediction of every member: y [B, T, 2]; *attention (if given) gets the members'
// mean attention [B, T, T] when the model has one (else undefined); *spread (if given) the
// members' population std [B, T, 2] (zeros for one member). No gradients; the networks must be
// in eval mode (fit_member and load_ensemble leave them so). Safe from several threads.
torch::Tensor predict_batch(Ensemble& model, const models::Batch& batch,
                            torch::Tensor* attention = nullptr, torch::Tensor* spread = nullptr);

// Per song of `songs`: predictions [T_i * 2] (arousal, valence interleaved), smoothed with
// config.smoothing_frames; *spread (if given) gets the members' std the same way. Batches of
// songs of equal length.
std::vector<std::vector<float>> predict_songs(Ensemble& model, const SongTensors& data,
                                              const std::vector<std::size_t>& songs,
                                              std::vector<std::vector<float>>* spread = nullptr);

// Ma et al.'s triangle smoothing (triangle_smooth) applied to each dimension of interleaved
// [T * 2] predictions (arousal, valence); width <= 1 leaves them unchanged.
void smooth_interleaved(std::vector<float>& y, int width);

// Writes path + ".pt" and path + ".json" atomically; `sidecar_json` is the full sidecar text.
void save_ensemble(Ensemble& model, const std::string& path, const std::string& sidecar_json);
// Reads a model saved by save_ensemble; the sidecar gives the config and the normaliser.
Ensemble load_ensemble(const std::string& path);

}  // namespace dynemo::train
