// TRANSFORMER_<layers>: an encoder-only Transformer over the frames of a song (Chaki et al.,
// AffCon 2020 and ISMIR 2020 section 3.3, with 1, 2 or 4 layers; Vaswani et al. 2017).
//
//   x: [B, T, F] -> linear projection to d_model -> + sinusoidal positions -> dropout
//   -> TransformerEncoder (post-norm layers, ReLU feed-forward) -> linear -> y: [B, T, D]
//
// The papers do not give the sizes; we use d_model = 128, 4 heads, feed-forward 4 x d_model and
// the dropout of ModelOptions. Attention is bidirectional over the real frames: padded frames
// are excluded through src_key_padding_mask, so they never change a real frame's output.
// The attention weights are not returned (Output::attention is undefined).
#include <cmath>

#include "dynemo/error.h"
#include "models/families.h"

namespace dynemo::models {
namespace {

constexpr std::int64_t kModelDim = 128;
constexpr std::int64_t kHeads = 4;
constexpr std::int64_t kFeedForwardFactor = 4;

// Sinusoidal positional encoding (Vaswani et al. 2017, section 3.5):
// pe[t, 2i] = sin(t / 10000^(2i/d)), pe[t, 2i+1] = cos(t / 10000^(2i/d)). Returns [T, d].
torch::Tensor positional_encoding(std::int64_t n_frames, std::int64_t dim,
                                  const torch::TensorOptions& options) {
  const torch::Tensor position =
      torch::arange(n_frames, options.dtype(torch::kFloat32)).unsqueeze(1);  // [T, 1]
  const torch::Tensor frequency = torch::exp(
      torch::arange(0, dim, 2, options.dtype(torch::kFloat32)) *
      (-std::log(10000.0) / static_cast<double>(dim)));  // [d/2]
  const torch::Tensor angle = position * frequency.unsqueeze(0);  // [T, d/2]
  // Interleave: [T, d/2, 2] -> [T, d] with sin on even and cos on odd columns.
  return torch::stack({torch::sin(angle), torch::cos(angle)}, -1)
      .reshape({n_frames, dim})
      .to(options.dtype());
}

class Transformer : public SequenceModel {
 public:
  Transformer(std::int64_t layers, const ModelOptions& options) : dropout_(options.dropout) {
    if (layers <= 0) {
      throw ConfigError("transformer: layer count " + std::to_string(layers) +
                        " is not a positive integer");
    }
    input_ = register_module("input", torch::nn::Linear(options.n_features, kModelDim));
    const auto layer = torch::nn::TransformerEncoderLayerOptions(kModelDim, kHeads)
                           .dim_feedforward(kFeedForwardFactor * kModelDim)
                           .dropout(options.dropout);
    encoder_ = register_module(
        "encoder", torch::nn::TransformerEncoder(torch::nn::TransformerEncoderOptions(layer, layers)));
    out_ = register_module("out", torch::nn::Linear(kModelDim, options.n_outputs));
  }

  // x: [B, T, F], mask: [B, T] -> y: [B, T, D].
  Output forward(const Batch& batch) override {
    const std::int64_t n_frames = batch.x.size(1);
    torch::Tensor z = input_->forward(batch.x);  // [B, T, d]
    z = z + positional_encoding(n_frames, kModelDim, z.options()).unsqueeze(0);
    z = torch::dropout(z, dropout_, is_training());
    // LibTorch 1.13 has no batch_first: [B, T, d] -> [T, B, d] and back.
    const torch::Tensor padding = batch.mask.to(torch::kBool).logical_not();  // [B, T], true = pad
    z = encoder_->forward(z.transpose(0, 1), torch::Tensor(), padding).transpose(0, 1);
    z = torch::dropout(z, dropout_, is_training());
    return {out_->forward(z), {}, {}};
  }

 private:
  double dropout_;
  torch::nn::Linear input_{nullptr};
  torch::nn::TransformerEncoder encoder_{nullptr};
  torch::nn::Linear out_{nullptr};
};

}  // namespace

std::shared_ptr<SequenceModel> make_transformer(std::int64_t layers, const ModelOptions& options) {
  return std::make_shared<Transformer>(layers, options);
}

}  // namespace dynemo::models
