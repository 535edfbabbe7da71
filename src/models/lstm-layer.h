// The LSTM every recurrent family of the zoo runs (LSTM_NAT, LSTM_AT, BAT, DLSTM, ALSTM, MCA):
// torch::nn::LSTM modules hold the parameters (PyTorch's names, layout and initialisation, so
// model files keep loading), and one hand-written layer with its own backward pass runs them.
// Internal to src/models (LibTorch).
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

// Registers one single-layer LSTM module per size on `owner`, named "lstm0", "lstm1", ... (the
// first takes n_features inputs, each next one the previous size).
std::vector<torch::nn::LSTM> register_lstm_stack(torch::nn::Module& owner, std::int64_t n_features,
                                                 const std::vector<std::int64_t>& hidden);

// Runs x [B, T, F] through every layer of `stack` in order (a module built with num_layers > 1
// counts as that many layers): each through lstm_layer, dropout p between two layers when
// training, and after the last one too when dropout_after_last. -> [B, T, H_last].
torch::Tensor stacked_lstm(const std::vector<torch::nn::LSTM>& stack, torch::Tensor x,
                           double dropout, bool training, bool dropout_after_last);

}  // namespace dynemo::models
