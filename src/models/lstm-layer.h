// The LSTM every recurrent family of the zoo runs (LSTM_NAT, LSTM_AT, BAT, DLSTM, ALSTM, MCA):
// LstmWeights modules hold the parameters (torch::nn::LSTM's names, layout and initialisation,
// so model files keep loading and a seed draws the same network), and one hand-written layer
// with its own backward pass runs them. Internal to src/models (LibTorch).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace dynemo::models {

// One unidirectional LSTM layer with zero initial state, PyTorch's equations and gate order
// (i, f, g, o): x [B, T, F] -> h [B, T, H], with w_ih [4H, F], w_hh [4H, H], b_ih, b_hh [4H].
// float32 on the CPU runs the hand-written forward and backward passes (lstm-layer.cpp);
// anything else runs torch::lstm.
torch::Tensor lstm_layer(const torch::Tensor& x, const torch::Tensor& w_ih,
                         const torch::Tensor& w_hh, const torch::Tensor& b_ih,
                         const torch::Tensor& b_hh);

// The parameters of one single-layer LSTM under torch::nn::LSTM's names (weight_ih_l0 [4H, F],
// weight_hh_l0 [4H, H], bias_ih_l0, bias_hh_l0 [4H]). initialise: drawn as torch::nn::LSTM
// draws them (each uniform in +-1/sqrt(H), in that order, from the global generator); false
// leaves them uninitialised, for a network whose weights are about to be loaded (a model file's
// LSTMs hold tens of millions of weights: drawing them cost a quarter of loading v5).
class LstmWeightsImpl : public torch::nn::Module {
 public:
  LstmWeightsImpl(std::int64_t n_inputs, std::int64_t hidden, bool initialise);
  torch::Tensor w_ih, w_hh, b_ih, b_hh;
};
TORCH_MODULE(LstmWeights);

// Registers one LstmWeights per size on `owner`, named "lstm0", "lstm1", ... (the first takes
// n_features inputs, each next one the previous size).
std::vector<LstmWeights> register_lstm_stack(torch::nn::Module& owner, std::int64_t n_features,
                                             const std::vector<std::int64_t>& hidden,
                                             bool initialise);

// Runs x [B, T, F] through every layer of `stack` in order: each through lstm_layer, dropout p
// between two layers when training, and after the last one too when dropout_after_last.
// -> [B, T, H_last].
torch::Tensor stacked_lstm(const std::vector<LstmWeights>& stack, torch::Tensor x, double dropout,
                           bool training, bool dropout_after_last);

// Runs x [B, T, F] through a torch::nn::LSTM of one or more layers (the ALSTM encoders of v1
// and v2 keep that module's parameter names), each layer through lstm_layer, dropout p between
// two layers when training. -> [B, T, H].
torch::Tensor lstm_module(const torch::nn::LSTM& module, torch::Tensor x, double dropout,
                          bool training);

}  // namespace dynemo::models
