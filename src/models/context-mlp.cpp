// CTX_MLP_<h>x<n>_C<c1>[_<c2>...]: a per-frame network that hears each frame next to its recent
// past, at one or more context lengths.
//
// Over 10 s excerpts almost all of the rating variance is between songs (../shared/data/README),
// so what matters is the level of the music around a frame; a listener's rating follows a change
// within seconds. For every frame t the input is x_t and, for each context length c,
// mean(x_{t-c+1..t}) and std(x_{t-c+1..t}) (the causal window of c frames, fewer at the start of
// a track: only real frames count), then
// n fully connected layers of h units (GELU, dropout) and y_t = tanh(W m_t + b).
// A change reaches the context mean linearly over c frames, so the output crosses half-way after
// about c/2 frames at most: c = 6 keeps the step response under 2 s (docs/results.md).
//
// Robust inputs: the standardised features are clipped at +-5 (a value thousands of sigma away,
// from an unusual song or decoder, cannot dominate), and training adds Gaussian noise of 0.1
// sigma to them. Streamable: a frame never sees a later frame.
// The attention map is the longest context window: row t weighs the frames it averages equally.
#include <algorithm>

#include "dynemo/error.h"
#include "models/alstm-encoder.h"
#include "models/families.h"

namespace dynemo::models {
namespace {

constexpr double kClip = 5.0;        // standardised inputs are clipped to [-kClip, kClip]
constexpr double kTrainNoise = 0.1;  // input noise std in training, standardised units

class ContextMlp : public SequenceModel {
 public:
  ContextMlp(std::int64_t hidden, std::int64_t layers, std::vector<std::int64_t> contexts,
             const ModelOptions& options)
      : contexts_(std::move(contexts)), dropout_(options.dropout) {
    if (hidden <= 0 || layers <= 0 || contexts_.empty()) {
      throw ConfigError("CTX_MLP: hidden size " + std::to_string(hidden) + " and layer count " +
                        std::to_string(layers) + " must be positive, with a context length");
    }
    for (std::int64_t c : contexts_) {
      if (c <= 0)
        throw ConfigError("CTX_MLP: context length " + std::to_string(c) + " must be positive");
    }
    context_ = *std::max_element(contexts_.begin(), contexts_.end());
    std::int64_t in = (1 + 2 * static_cast<std::int64_t>(contexts_.size())) * options.n_features;
    for (std::int64_t i = 0; i < layers; ++i) {
      layers_.push_back(
          register_module("layer" + std::to_string(i), torch::nn::Linear(in, hidden)));
      in = hidden;
    }
    out_ = register_module("out", torch::nn::Linear(hidden, options.n_outputs));
  }

  // x: [B, T, F] (+ context [B, C, F]) -> y: [B, T, D], attention: [B, T, T].
  Output forward(const Batch& batch) override {
    const std::int64_t n_batch = batch.x.size(0);
    const std::int64_t n_frames = batch.x.size(1);
    Batch clipped = batch;
    clipped.x = robust(batch.x);
    if (batch.context.defined()) clipped.context = robust(batch.context);
    const auto [windows, valid] = detail::unfold_windows(clipped, context_);  // [B*T, C, F]
    std::vector<torch::Tensor> inputs = {clipped.x.reshape({n_batch * n_frames, -1})};
    torch::Tensor w, count;  // of the longest context
    for (std::int64_t c : contexts_) {
      // The last c steps of each window: frames t-c+1 .. t.
      w = valid.narrow(1, context_ - c, c).to(windows.dtype()).unsqueeze(-1);  // [B*T, c, 1]
      count = w.sum(1).clamp_min(1.0);                                         // [B*T, 1]
      const torch::Tensor steps = windows.narrow(1, context_ - c, c);
      const torch::Tensor mean = (steps * w).sum(1) / count;  // [B*T, F]
      inputs.push_back(mean);
      inputs.push_back((((steps - mean.unsqueeze(1)) * w).pow(2).sum(1) / count).sqrt());
    }
    w = valid.to(windows.dtype()).unsqueeze(-1);
    count = w.sum(1).clamp_min(1.0);
    torch::Tensor h = torch::cat(inputs, 1);  // [B*T, (1 + 2 * n_contexts) F]
    for (auto& layer : layers_) {
      h = torch::dropout(torch::gelu(layer->forward(h)), dropout_, is_training());
    }
    const torch::Tensor y = torch::tanh(out_->forward(h));
    const torch::Tensor weights = (w.squeeze(-1) / count).reshape({n_batch, n_frames, context_});
    return {y.reshape({n_batch, n_frames, -1}), detail::window_attention(weights, batch.mask), {}};
  }

  std::int64_t context_frames() const override { return context_; }
  bool has_attention() const override { return true; }

 private:
  torch::Tensor robust(const torch::Tensor& x) const {
    torch::Tensor v = x.clamp(-kClip, kClip);
    if (is_training()) v = v + kTrainNoise * torch::randn_like(v);
    return v;
  }

  std::vector<std::int64_t> contexts_;
  std::int64_t context_ = 0;  // the longest
  double dropout_;
  std::vector<torch::nn::Linear> layers_;
  torch::nn::Linear out_{nullptr};
};

}  // namespace

std::shared_ptr<SequenceModel> make_context_mlp(std::int64_t hidden, std::int64_t layers,
                                                const std::vector<std::int64_t>& contexts,
                                                const ModelOptions& options) {
  return std::make_shared<ContextMlp>(hidden, layers, contexts, options);
}

}  // namespace dynemo::models
