// LSTM_NAT: stacked unidirectional LSTM with a per-frame linear output, the no-attention baseline
// (Weninger et al. 2014, as re-run by Chaki et al., ISMIR 2020).
#include "models/families.h"

namespace dynemo::models {
namespace {

class LstmNat : public SequenceModel {
 public:
  LstmNat(const std::vector<std::int64_t>& hidden, const ModelOptions& options)
      : dropout_(options.dropout) {
    std::int64_t in = options.n_features;
    for (std::size_t i = 0; i < hidden.size(); ++i) {
      layers_.push_back(register_module(
          "lstm" + std::to_string(i),
          torch::nn::LSTM(torch::nn::LSTMOptions(in, hidden[i]).batch_first(true))));
      in = hidden[i];
    }
    out_ = register_module("out", torch::nn::Linear(in, options.n_outputs));
  }

  // x: [B, T, F] -> y: [B, T, D]. Unidirectional, so padding after a sequence's end never
  // reaches its real frames.
  Output forward(const Batch& batch) override {
    torch::Tensor h = batch.x;
    for (auto& lstm : layers_) {
      h = std::get<0>(lstm->forward(h));
      h = torch::dropout(h, dropout_, is_training());
    }
    return {out_->forward(h), {}, {}};
  }

 private:
  double dropout_;
  std::vector<torch::nn::LSTM> layers_;
  torch::nn::Linear out_{nullptr};
};

}  // namespace

std::shared_ptr<SequenceModel> make_lstm_nat(const std::vector<std::int64_t>& hidden,
                                             const ModelOptions& options) {
  return std::make_shared<LstmNat>(hidden, options);
}

}  // namespace dynemo::models
