// A trained model as dynemo ships it: the standardisation of its training songs and one or more
// ensemble members (seeds), each a network (joint head or one per dimension) or a closed-form
// linear map (RIDGE, MEAN). A model file is <name>.pt (the weights, written and read here) and
// <name>.json (the sidecar, models/model-file.h). Used by the trainer and by Predictor; internal
// (LibTorch).
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "dynemo/train.h"
#include "models/model-file.h"
#include "models/model.h"

namespace dynemo::models {

// Per-feature mean and standard deviation the inputs are standardised with.
struct Normaliser {
  std::vector<float> mean, std;
};

struct Member {
  std::vector<std::shared_ptr<SequenceModel>> nets;  // 1 joint, or 2 per dimension
  torch::Tensor linear;  // closed form: [F + 1, 2] (last row = intercept); MEAN: zeros + mean
};

struct Ensemble {
  TrainConfig config;
  std::int64_t n_features = 0;
  Normaliser norm;
  std::vector<Member> members;
};

// Builds the (untrained) networks of one member for `config`, initialised from `seed`; with
// initialise false, LSTM weights are left undrawn for weights about to be loaded.
Member make_member(const TrainConfig& config, std::int64_t n_features, std::uint64_t seed,
                   bool initialise = true);

// Averaged prediction of every member: y [B, T, 2]; *attention (if given) gets the members'
// mean attention [B, T, T] when the model has one (else undefined); *spread (if given) the
// members' population std [B, T, 2] (zeros for one member). No gradients; the networks must be
// in eval mode (fit_member and load_weights leave them so). Safe from several threads.
torch::Tensor predict_batch(Ensemble& model, const Batch& batch, torch::Tensor* attention = nullptr,
                            torch::Tensor* spread = nullptr);

// Ma et al.'s triangle smoothing (triangle_smooth) applied to each dimension of interleaved
// [T * 2] predictions (arousal, valence); width <= 1 leaves them unchanged.
void smooth_interleaved(std::vector<float>& y, int width);

// True when the model's networks return attention weights (or, for CTX_MLP, the context window
// they average) that `--attention` and the explain page can show.
bool has_attention(const Ensemble& model);

// Writes path + ".pt" (the weights) and path + ".json" (the sidecar), each atomically.
void save_model_file(Ensemble& model, const std::string& path, const ModelSidecar& sidecar);

// Reads the weights path + ".pt" of the model the parsed sidecar describes: config, feature
// count and normalisation from the sidecar. IoError naming the file when it cannot be read or a
// weight does not have the shape the sidecar's model has; ConfigError for a bad train_config.
Ensemble load_weights(const ModelSidecar& sidecar, const std::string& path);

// A whole model file: the sidecar and the ensemble.
struct ModelFile {
  ModelSidecar sidecar;
  Ensemble ensemble;
};
// Reads path + ".json" and path + ".pt" (path without extension).
ModelFile read_model_file(const std::string& path);

}  // namespace dynemo::models
