// LSTM_NAT: stacked unidirectional LSTM with a per-frame linear output, the no-attention baseline
// (Weninger et al. 2014, as re-run by Chaki et al., ISMIR 2020).
#include "models/families.h"
#include "models/lstm-layer.h"

namespace dynemo::models {
namespace {

class LstmNat : public SequenceModel {
 public:
  LstmNat(const std::vector<std::int64_t>& hidden, const ModelOptions& options)
      : dropout_(options.dropout) {
    layers_ = register_lstm_stack(*this, options.n_features, hidden, options.initialise);
    out_ = register_module("out", torch::nn::Linear(hidden.back(), options.n_outputs));
  }

  // x: [B, T, F] -> y: [B, T, D]. Unidirectional, so padding after a sequence's end never
  // reaches its real frames.
  Output forward(const Batch& batch) override {
    // Dropout after every layer: between layers and before the output.
    const torch::Tensor h = stacked_lstm(layers_, batch.x, dropout_, is_training(), true);
    return {out_->forward(h), {}, {}};
  }

 private:
  double dropout_;
  std::vector<LstmWeights> layers_;
  torch::nn::Linear out_{nullptr};
};

}  // namespace

std::shared_ptr<SequenceModel> make_lstm_nat(const std::vector<std::int64_t>& hidden,
                                             const ModelOptions& options) {
  return std::make_shared<LstmNat>(hidden, options);
}

}  // namespace dynemo::models
