// Internal to src/models (context-attention.cpp, context-mlp.cpp): the windows of preceding
// frames of every frame, their attention maps, and the sequence-to-one attention LSTM of Ma et al.
// 2017 (section 3.1, eqs. 11-13) run on every window at once.
// Includes LibTorch; include it only from src/models.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>

#include "models/additive-attention.h"
#include "models/lstm-layer.h"
#include "models/model.h"

namespace dynemo::models::detail {

// The windows of `length` frames ending at each frame, built in one go.
//   windows: [B*T, length, F], row b*T + t holds frames t-length+1 .. t of sequence b
//   valid:   [B*T, length] bool, false where the window step is padding
// Frames before frame 0 come from batch.context when it is defined (its last C frames precede
// frame 0; steps before the context are zeros); without context they are zero vectors (the
// standardised mean). Both kinds of made-up zero frames are invalid: the LSTM still reads them,
// but the attention softmax excludes them. Context frames are valid. Window steps after a
// sequence's end only occur in windows of padded frames.
inline std::pair<torch::Tensor, torch::Tensor> unfold_windows(const Batch& batch,
                                                              std::int64_t length) {
  const std::int64_t n_batch = batch.x.size(0);
  const std::int64_t n_frames = batch.x.size(1);
  const std::int64_t n_features = batch.x.size(2);
  const std::int64_t before = length - 1;
  torch::Tensor prefix = torch::zeros({n_batch, before, n_features}, batch.x.options());
  torch::Tensor prefix_valid =
      torch::zeros({n_batch, before}, batch.mask.options().dtype(torch::kBool));
  if (before > 0 && batch.context.defined() && batch.context.size(1) > 0) {
    const std::int64_t n_context = std::min(before, batch.context.size(1));
    const torch::Tensor tail =
        batch.context.narrow(1, batch.context.size(1) - n_context, n_context);
    prefix.narrow(1, before - n_context, n_context).copy_(tail);
    prefix_valid.narrow(1, before - n_context, n_context).fill_(true);
  }
  const torch::Tensor padded = torch::cat({prefix, batch.x}, 1);  // [B, T+l-1, F]
  const torch::Tensor padded_valid =
      torch::cat({prefix_valid, batch.mask.to(torch::kBool)}, 1);  // [B, T+l-1]
  // unfold(1, l, 1): [B, T, F, l] -> [B, T, l, F]
  torch::Tensor windows = padded.unfold(1, length, 1)
                              .permute({0, 1, 3, 2})
                              .reshape({n_batch * n_frames, length, n_features});
  torch::Tensor valid = padded_valid.unfold(1, length, 1).reshape({n_batch * n_frames, length});
  return {windows, valid};
}

// Window weights -> attention map. weights: [B, T, l], step k of frame t's window = frame
// t - l + 1 + k. Returns [B, T, T] (row t = output frame, column j = attended frame); weight on
// frames before 0 (padding or context) has no column.
inline torch::Tensor window_attention(const torch::Tensor& weights, const torch::Tensor& mask) {
  const std::int64_t n_batch = weights.size(0);
  const std::int64_t n_frames = weights.size(1);
  const std::int64_t length = weights.size(2);
  const auto index = mask.options().dtype(torch::kLong);
  const torch::Tensor columns = torch::arange(n_frames, index).unsqueeze(1) +
                                torch::arange(length, index).unsqueeze(0);  // [T, l]
  return torch::zeros({n_batch, n_frames, n_frames + length - 1}, weights.options())
      .scatter(2, columns.unsqueeze(0).expand({n_batch, n_frames, length}), weights)
      .narrow(2, length - 1, n_frames);
}

// n-layer LSTM of h units + scalar attention over its hidden states (Ma et al. 2017, eqs. 11-13):
//   e_k = tanh(W_A h_k + b_A), alpha = softmax_k(e) over the valid steps, c = sum_k alpha_k h_k.
struct AlstmEncoderImpl : torch::nn::Module {
  AlstmEncoderImpl(std::int64_t n_features, std::int64_t hidden, std::int64_t layers,
                   double dropout)
      : dropout_(dropout) {
    lstm = register_module(
        "lstm",
        torch::nn::LSTM(
            torch::nn::LSTMOptions(n_features, hidden).num_layers(layers).batch_first(true)));
    attention = register_module("attention", torch::nn::Linear(hidden, 1));
  }

  // windows: [N, l, F], valid: [N, l] bool -> {context c: [N, h], alpha: [N, l]}.
  // A window with no valid step gets alpha = 0 and c = 0.
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& windows,
                                                  const torch::Tensor& valid) {
    const torch::Tensor h = lstm_module(lstm, windows, dropout_, is_training());
    const torch::Tensor energy = torch::tanh(attention->forward(h)).squeeze(-1);  // [N, l]
    const torch::Tensor alpha = attention_weights(energy, valid);
    const torch::Tensor context = torch::bmm(alpha.unsqueeze(1), h).squeeze(1);  // [N, h]
    return {context, alpha};
  }

  // One module of `layers` layers (parameter names as saved in v1 and v2), run by lstm_module
  // with dropout between its layers.
  torch::nn::LSTM lstm{nullptr};
  torch::nn::Linear attention{nullptr};
  double dropout_;
};
TORCH_MODULE(AlstmEncoder);

}  // namespace dynemo::models::detail
