// LSTM_AT and BAT: a stacked LSTM encoder with additive (Bahdanau) attention and the previous
// output fed back (Chaki et al., ISMIR 2020, eqs. 1-4; BAT = "backward attention", section 3.2
// of the ISMIR paper: attention over h_j with j <= t-1 only).
//
// For output frame t (0-based):
//   e_tj = v^T tanh(W_a h_{t-1} + U_a h_j)          (eq. 2; h_{-1} = 0)
//   alpha_t = softmax_j(e_t) over the allowed j      (eq. 3)
//   c_t = sum_j alpha_tj h_j                         (eq. 4)
//   y_t = g(h_t, y_{t-1}, c_t) = W_hc [h_t; c_t] + W_y y_{t-1} + b   (eq. 1; y_{-1} = 0)
// g is one linear layer on the concatenation [h_t; c_t; y_{t-1}], written as two blocks so that
// the non-recurrent block is computed for all t at once and only W_y y_{t-1} is sequential.
// Allowed j: LSTM_AT every real frame of the sequence (LSTM_AT_..._W<w>: those with |t - j| <= w,
// so that a change in the music moves the context within w frames instead of being averaged
// over the whole track); BAT the real frames j <= t-1. At t = 0 BAT has nothing to attend:
// c_0 = 0 and attention row 0 is all zeros.
// The attention dimension (rows of W_a, U_a) equals the last encoder layer's size.
#include "dynemo/error.h"
#include "models/additive-attention.h"
#include "models/families.h"
#include "models/lstm-layer.h"

namespace dynemo::models {
namespace {

class AttentionLstm : public SequenceModel {
 public:
  AttentionLstm(const std::vector<std::int64_t>& hidden, bool backward_only, std::int64_t window,
                const ModelOptions& options)
      : backward_only_(backward_only),
        window_(window),
        dropout_(options.dropout),
        teacher_forcing_(options.teacher_forcing) {
    if (hidden.empty()) throw ConfigError("attention LSTM: expected at least one hidden size");
    layers_ = register_lstm_stack(*this, options.n_features, hidden, options.initialise);
    const std::int64_t h = hidden.back();
    w_a_ = register_module("w_a", torch::nn::Linear(torch::nn::LinearOptions(h, h).bias(false)));
    u_a_ = register_module("u_a", torch::nn::Linear(h, h));
    v_ = register_module("v", torch::nn::Linear(torch::nn::LinearOptions(h, 1).bias(false)));
    out_hc_ = register_module("out_hc", torch::nn::Linear(2 * h, options.n_outputs));
    out_y_ = register_module(
        "out_y", torch::nn::Linear(
                     torch::nn::LinearOptions(options.n_outputs, options.n_outputs).bias(false)));
    // The feedback starts as a contraction (|W_y| entries <= 0.1) so that free-running
    // predictions cannot blow up over long sequences before training has shaped W_y.
    torch::NoGradGuard no_grad;
    out_y_->weight.uniform_(-0.1, 0.1);
  }

  // x: [B, T, F] -> y: [B, T, D], attention: [B, T, T]. Feeds back its own predictions.
  Output forward(const Batch& batch) override { return run(batch, torch::Tensor()); }
  bool has_attention() const override { return true; }

  // As forward; with teacher forcing y_{t-1} is target[:, t-1] (0 at t = 0).
  // target: [B, T, D].
  Output forward_train(const Batch& batch, const torch::Tensor& target) override {
    if (!teacher_forcing_) return run(batch, torch::Tensor());
    if (!target.defined() || target.dim() != 3 || target.size(0) != batch.x.size(0) ||
        target.size(1) != batch.x.size(1) || target.size(2) != out_y_->weight.size(0)) {
      throw ConfigError("attention LSTM: teacher forcing needs a target of shape [B, T, " +
                        std::to_string(out_y_->weight.size(0)) + "] matching x");
    }
    return run(batch, target);
  }

 private:
  // previous: [B, T, D] true values fed back (teacher forcing), or undefined to feed back the
  // model's own predictions.
  Output run(const Batch& batch, const torch::Tensor& previous) {
    // Encoder. x: [B, T, F] -> h: [B, T, H]; unidirectional, so frame t sees frames <= t only.
    const torch::Tensor h = stacked_lstm(layers_, batch.x, dropout_, is_training(), false);
    const std::int64_t n_frames = h.size(1);

    // Energies for all t at once. h_prev: [B, T, H] = h shifted right by one (h_{-1} = 0).
    const torch::Tensor h_prev =
        torch::cat({torch::zeros_like(h.narrow(1, 0, 1)), h.narrow(1, 0, n_frames - 1)}, 1);
    const torch::Tensor query = w_a_->forward(h_prev);                      // [B, T, H]
    const torch::Tensor keys = u_a_->forward(h);                            // [B, T, H]
    const torch::Tensor energy = additive_energy(query, keys, v_->weight);  // [B, T, T]

    // allowed: [B, T, T], row t = output frame, column j = attended frame.
    torch::Tensor allowed = batch.mask.to(torch::kBool).unsqueeze(1).expand_as(energy);
    if (backward_only_) {
      const torch::Tensor causal =
          torch::ones({n_frames, n_frames}, allowed.options()).tril(-1);  // j <= t-1
      allowed = allowed.logical_and(causal.unsqueeze(0));
    }
    if (window_ > 0 && n_frames > window_ + 1) {
      const torch::Tensor band = torch::ones({n_frames, n_frames}, allowed.options())
                                     .triu(-window_)
                                     .tril(window_);  // |t - j| <= window
      allowed = allowed.logical_and(band.unsqueeze(0));
    }
    const torch::Tensor alpha = attention_weights(energy, allowed);
    const torch::Tensor context = torch::bmm(alpha, h);  // [B, T, H]

    // Non-recurrent part of g for all t: [B, T, D].
    const torch::Tensor hc = torch::dropout(torch::cat({h, context}, -1), dropout_, is_training());
    const torch::Tensor base = out_hc_->forward(hc);

    torch::Tensor y;
    if (previous.defined()) {
      const torch::Tensor y_prev = torch::cat(
          {torch::zeros_like(previous.narrow(1, 0, 1)), previous.narrow(1, 0, n_frames - 1)}, 1);
      y = base + out_y_->forward(y_prev.to(base.dtype()));
    } else {
      // Sequential feedback: y_t = base_t + W_y y_{t-1}, [B, D] per step.
      std::vector<torch::Tensor> steps;
      steps.reserve(static_cast<std::size_t>(n_frames));
      torch::Tensor y_t = base.select(1, 0);  // y_{-1} = 0
      steps.push_back(y_t);
      for (std::int64_t t = 1; t < n_frames; ++t) {
        y_t = base.select(1, t) + out_y_->forward(y_t);
        steps.push_back(y_t);
      }
      y = torch::stack(steps, 1);
    }
    return {y, alpha, {}};
  }

  bool backward_only_;
  std::int64_t window_;  // 0: every frame
  double dropout_;
  bool teacher_forcing_;
  std::vector<LstmWeights> layers_;
  torch::nn::Linear w_a_{nullptr}, u_a_{nullptr}, v_{nullptr};
  torch::nn::Linear out_hc_{nullptr}, out_y_{nullptr};
};

}  // namespace

std::shared_ptr<SequenceModel> make_attention_lstm(const std::vector<std::int64_t>& hidden,
                                                   bool backward_only, std::int64_t window,
                                                   const ModelOptions& options) {
  return std::make_shared<AttentionLstm>(hidden, backward_only, window, options);
}

}  // namespace dynemo::models
