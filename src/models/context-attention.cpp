// ALSTM, MCA_ALSTM and UMCA_ALSTM: sequence-to-one attention LSTMs over the frames preceding each
// output frame, at one scale (ALSTM) or fused over several scales (MCA) (Ma et al. 2017,
// sections 3.1-3.2).
//
// ALSTM_<h>x<n>_L<l>: for each frame t, an n-layer LSTM of h units runs over frames t-l+1 .. t,
//   c_t = attention-weighted sum of its hidden states (eqs. 11-13), y_t = tanh(W c_t + b) (eq. 10).
// MCA: one ALSTM context c_t^i per scale s_i, each scale with its own LSTM and attention (the
//   "sub-networks" of Ma et al., Fig. 3; exact, at the cost of sum(s_i) LSTM steps per frame),
//   beta_t^i = softmax_i(tanh(W_FA c_t^i + b_FA)) (eqs. 16-17), m_t = sum_i beta_t^i c_t^i (eq.
//   15), y_t = tanh(W m_t + b) (eq. 14). UMCA: beta_t^i = 1/N.
// All windows of a batch are unfolded at once ([B*T, l, F]) and each LSTM runs once over them;
// frames before frame 0 come from batch.context or are zeros excluded from the attention
// (alstm-encoder.h). A window never reaches past its own frame, so padding after a sequence's
// end cannot change a real frame's output.
#include <algorithm>

#include "dynemo/error.h"
#include "models/alstm-encoder.h"
#include "models/families.h"

namespace dynemo::models {
namespace {

void check_sizes(const char* family, std::int64_t hidden, std::int64_t layers,
                 const std::vector<std::int64_t>& scales) {
  if (hidden <= 0 || layers <= 0) {
    throw ConfigError(std::string(family) + ": hidden size " + std::to_string(hidden) +
                      " and layer count " + std::to_string(layers) + " must be positive");
  }
  if (scales.empty()) throw ConfigError(std::string(family) + ": expected at least one scale");
  for (std::int64_t s : scales) {
    if (s <= 0) {
      throw ConfigError(std::string(family) + ": context length " + std::to_string(s) +
                        " is not a positive integer");
    }
  }
}

class Alstm : public SequenceModel {
 public:
  Alstm(std::int64_t hidden, std::int64_t layers, std::int64_t length, const ModelOptions& options)
      : length_(length), dropout_(options.dropout) {
    check_sizes("ALSTM", hidden, layers, {length});
    encoder_ = register_module(
        "encoder", detail::AlstmEncoder(options.n_features, hidden, layers, options.dropout));
    out_ = register_module("out", torch::nn::Linear(hidden, options.n_outputs));
  }

  // x: [B, T, F] (+ context [B, C, F]) -> y: [B, T, D], attention: [B, T, T].
  // Attention row t holds the window weights on frames t-l+1 .. t of x; it sums to 1 over the
  // real frames, less the weight on context frames when batch.context is given.
  Output forward(const Batch& batch) override {
    const std::int64_t n_batch = batch.x.size(0);
    const std::int64_t n_frames = batch.x.size(1);
    const auto [windows, valid] = detail::unfold_windows(batch, length_);
    const auto [context, alpha] = encoder_->forward(windows, valid);  // [B*T, h], [B*T, l]
    const torch::Tensor hidden = torch::dropout(context, dropout_, is_training());
    const torch::Tensor y = torch::tanh(out_->forward(hidden)).reshape({n_batch, n_frames, -1});

    return {
        y, detail::window_attention(alpha.reshape({n_batch, n_frames, length_}), batch.mask), {}};
  }

  // The window of frame 0 reaches l-1 frames back; l is reported so that a caller asking for
  // context_frames() frames always covers it.
  std::int64_t context_frames() const override { return length_; }
  bool has_attention() const override { return true; }

 private:
  std::int64_t length_;
  double dropout_;
  detail::AlstmEncoder encoder_{nullptr};
  torch::nn::Linear out_{nullptr};
};

class MultiScaleContextAttention : public SequenceModel {
 public:
  MultiScaleContextAttention(std::int64_t hidden, std::int64_t layers,
                             const std::vector<std::int64_t>& scales, bool uniform,
                             const ModelOptions& options)
      : scales_(scales), uniform_(uniform), dropout_(options.dropout) {
    check_sizes(uniform ? "UMCA_ALSTM" : "MCA_ALSTM", hidden, layers, scales);
    for (std::size_t i = 0; i < scales.size(); ++i) {
      encoders_.push_back(register_module(
          "encoder" + std::to_string(i),
          detail::AlstmEncoder(options.n_features, hidden, layers, options.dropout)));
    }
    if (!uniform) fusion_ = register_module("fusion", torch::nn::Linear(hidden, 1));
    out_ = register_module("out", torch::nn::Linear(hidden, options.n_outputs));
  }

  // x: [B, T, F] (+ context [B, C, F]) -> y: [B, T, D], attention: [B, T, T] (the scales'
  // window weights combined by beta), scale_weights: [B, T, S].
  Output forward(const Batch& batch) override {
    const std::int64_t n_batch = batch.x.size(0);
    const std::int64_t n_frames = batch.x.size(1);
    const std::int64_t largest = context_frames();
    // Unfold once at the largest scale; scale s reads the last s steps of each window.
    const auto [windows, valid] = detail::unfold_windows(batch, largest);
    std::vector<torch::Tensor> contexts, alphas;
    for (std::size_t i = 0; i < scales_.size(); ++i) {
      const std::int64_t start = largest - scales_[i];
      auto [context, alpha] = encoders_[i]->forward(windows.narrow(1, start, scales_[i]),
                                                    valid.narrow(1, start, scales_[i]));
      contexts.push_back(context);
      // Scale i's weights on the last s_i steps of the largest window: [B*T, largest].
      alphas.push_back(torch::constant_pad_nd(alpha, {start, 0}));
    }
    const torch::Tensor c = torch::stack(contexts, 1);  // [B*T, S, h]
    const auto n_scales = static_cast<std::int64_t>(scales_.size());
    torch::Tensor beta;  // [B*T, S]
    if (uniform_) {
      beta = torch::full({c.size(0), n_scales}, 1.0 / static_cast<double>(n_scales), c.options());
    } else {
      beta = torch::softmax(torch::tanh(fusion_->forward(c)).squeeze(-1), -1);
    }
    const torch::Tensor m = torch::bmm(beta.unsqueeze(1), c).squeeze(1);  // [B*T, h]
    const torch::Tensor y = torch::tanh(out_->forward(torch::dropout(m, dropout_, is_training())));
    // What frame t attends, all scales together: sum_i beta_i alpha_i over the largest window
    // (rows sum to 1 over the real frames, as each alpha_i does).
    const torch::Tensor combined =
        torch::bmm(beta.unsqueeze(1), torch::stack(alphas, 1)).squeeze(1);  // [B*T, largest]
    return {y.reshape({n_batch, n_frames, -1}),
            detail::window_attention(combined.reshape({n_batch, n_frames, largest}), batch.mask),
            beta.reshape({n_batch, n_frames, n_scales})};
  }

  bool has_attention() const override { return true; }
  std::int64_t context_frames() const override {
    return *std::max_element(scales_.begin(), scales_.end());
  }

 private:
  std::vector<std::int64_t> scales_;
  bool uniform_;
  double dropout_;
  std::vector<detail::AlstmEncoder> encoders_;
  torch::nn::Linear fusion_{nullptr};
  torch::nn::Linear out_{nullptr};
};

}  // namespace

std::shared_ptr<SequenceModel> make_alstm(std::int64_t hidden, std::int64_t layers,
                                          std::int64_t context, const ModelOptions& options) {
  return std::make_shared<Alstm>(hidden, layers, context, options);
}

std::shared_ptr<SequenceModel> make_mca(std::int64_t hidden, std::int64_t layers,
                                        const std::vector<std::int64_t>& scales, bool uniform,
                                        const ModelOptions& options) {
  return std::make_shared<MultiScaleContextAttention>(hidden, layers, scales, uniform, options);
}

}  // namespace dynemo::models
