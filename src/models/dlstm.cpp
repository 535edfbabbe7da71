// DLSTM_<h1>_<h2>_<h3>: the deep LSTM of Coutinho et al. (MediaEval 2015): stacked
// unidirectional LSTM layers and a linear output predicting arousal and valence jointly.
// The first layer is pre-trained as a denoising LSTM autoencoder (pretrain_loss): input plus
// Gaussian noise -> layer 1 -> linear decoder -> the clean input. The decoder only serves
// pre-training; forward never uses it.
#include "dynemo/error.h"
#include "models/families.h"
#include "models/lstm-layer.h"

namespace dynemo::models {
namespace {

class DeepLstm : public SequenceModel {
 public:
  DeepLstm(const std::vector<std::int64_t>& hidden, const ModelOptions& options)
      : dropout_(options.dropout), noise_std_(options.pretrain_noise_std) {
    if (hidden.empty()) throw ConfigError("DLSTM: expected at least one hidden size");
    if (options.pretrain_noise_std < 0.0) {
      throw ConfigError("DLSTM: pretrain_noise_std " + std::to_string(options.pretrain_noise_std) +
                        " is negative");
    }
    layers_ = register_lstm_stack(*this, options.n_features, hidden, options.initialise);
    out_ = register_module("out", torch::nn::Linear(hidden.back(), options.n_outputs));
    decoder_ = register_module("decoder", torch::nn::Linear(hidden[0], options.n_features));
  }

  // x: [B, T, F] -> y: [B, T, D]. Unidirectional: padding never reaches real frames.
  Output forward(const Batch& batch) override {
    // Dropout between layers and before the output.
    const torch::Tensor h = stacked_lstm(layers_, batch.x, dropout_, is_training(), true);
    return {out_->forward(h), {}, {}};
  }

  // Denoising autoencoder loss of layer 1 (Coutinho et al. 2015, section 2): x + n,
  // n ~ N(0, pretrain_noise_std^2) per value -> LSTM layer 1: [B, T, h1] -> decoder: [B, T, F];
  // mean squared error against the clean x over the real frames (mask) and all features.
  // Noise is drawn on every call (this is a training loss); gradients reach layer 1 and the
  // decoder only.
  torch::Tensor pretrain_loss(const Batch& batch) override {
    const torch::Tensor noisy = batch.x + torch::randn_like(batch.x) * noise_std_;
    const torch::Tensor h = stacked_lstm({layers_.front()}, noisy, 0.0, false, false);
    const torch::Tensor reconstruction = decoder_->forward(h);                  // [B, T, F]
    const torch::Tensor weight = batch.mask.to(batch.x.dtype()).unsqueeze(-1);  // [B, T, 1]
    const torch::Tensor squared = (reconstruction - batch.x).pow(2) * weight;
    const torch::Tensor count = weight.sum() * static_cast<double>(batch.x.size(2));
    return squared.sum() / count.clamp_min(1.0);
  }

 private:
  double dropout_;
  double noise_std_;
  std::vector<LstmWeights> layers_;
  torch::nn::Linear out_{nullptr};
  torch::nn::Linear decoder_{nullptr};
};

}  // namespace

std::shared_ptr<SequenceModel> make_dlstm(const std::vector<std::int64_t>& hidden,
                                          const ModelOptions& options) {
  return std::make_shared<DeepLstm>(hidden, options);
}

}  // namespace dynemo::models
