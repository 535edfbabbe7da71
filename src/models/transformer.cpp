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
#include <array>
#include <cmath>
#include <limits>

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
  const torch::Tensor frequency =
      torch::exp(torch::arange(0, dim, 2, options.dtype(torch::kFloat32)) *
                 (-std::log(10000.0) / static_cast<double>(dim)));  // [d/2]
  const torch::Tensor angle = position * frequency.unsqueeze(0);    // [T, d/2]
  // Interleave: [T, d/2, 2] -> [T, d] with sin on even and cos on odd columns.
  return torch::stack({torch::sin(angle), torch::cos(angle)}, -1)
      .reshape({n_frames, dim})
      .to(options.dtype());
}

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// One post-norm encoder layer without dropout (training at p = 0, or inference), the function of
// torch::nn::TransformerEncoderLayer with ReLU: packed in-projection, q scaled by head_dim^-1/2,
// softmax(q k^T) v per head, out-projection, x = LayerNorm(z + attention), y = LayerNorm(x +
// linear2(relu(linear1(x)))). Forward and backward are written out as whole-matrix products and
// in-place element passes: one autograd node per layer instead of about forty, one copy into and
// one out of the head layout each way, no [T, B, d] transposes, no self-attention test.
// z: [B*T, d] song-major rows; key_padding: [B, T] bool (true = pad), or empty for no padding
// (autograd functions take no undefined tensors) -> [B*T, d].
class EncoderLayerFunction : public torch::autograd::Function<EncoderLayerFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, torch::Tensor z, torch::Tensor key_padding,
                               std::int64_t b, double eps, torch::Tensor in_w, torch::Tensor in_b,
                               torch::Tensor out_w, torch::Tensor out_b, torch::Tensor ln1_w,
                               torch::Tensor ln1_b, torch::Tensor l1_w, torch::Tensor l1_b,
                               torch::Tensor l2_w, torch::Tensor l2_b, torch::Tensor ln2_w,
                               torch::Tensor ln2_b) {
    const std::int64_t n = z.size(0), d = z.size(1), n_frames = n / b, head_dim = d / kHeads;
    const double scaling = 1 / std::sqrt(head_dim);
    // [B*T, 3d] -> [3, B, heads, T, head_dim]: q, k, v per (song, head), q scaled in place.
    const torch::Tensor heads = torch::addmm(in_b, z, in_w.t())
                                    .view({b, n_frames, 3, kHeads, head_dim})
                                    .permute({2, 0, 3, 1, 4})
                                    .contiguous();
    const torch::Tensor q = heads[0].mul_(scaling).view({b * kHeads, n_frames, head_dim});
    const torch::Tensor k = heads[1].view({b * kHeads, n_frames, head_dim});
    const torch::Tensor v = heads[2].view({b * kHeads, n_frames, head_dim});
    torch::Tensor scores = torch::bmm(q, k.transpose(1, 2));  // [B*heads, T, T]
    if (key_padding.numel() > 0) {
      scores.view({b, kHeads, n_frames, n_frames})
          .masked_fill_(key_padding.view({b, 1, 1, n_frames}),
                        -std::numeric_limits<float>::infinity());
    }
    const torch::Tensor weights = torch::_softmax(scores, -1, false);
    const torch::Tensor context = torch::bmm(weights, v)
                                      .view({b, kHeads, n_frames, head_dim})
                                      .permute({0, 2, 1, 3})
                                      .reshape({n, d});
    const torch::Tensor r1 = torch::addmm(out_b, context, out_w.t()).add_(z);
    const auto ln1 = torch::native_layer_norm(r1, {d}, ln1_w, ln1_b, eps);
    const torch::Tensor& x = std::get<0>(ln1);
    const torch::Tensor hidden = torch::addmm(l1_b, x, l1_w.t()).relu_();
    const torch::Tensor r2 = torch::addmm(l2_b, hidden, l2_w.t()).add_(x);
    auto ln2 = torch::native_layer_norm(r2, {d}, ln2_w, ln2_b, eps);
    ctx->saved_data["b"] = b;
    ctx->saved_data["eps"] = eps;
    ctx->save_for_backward({z,
                            in_w,
                            out_w,
                            ln1_w,
                            ln1_b,
                            l1_w,
                            l2_w,
                            ln2_w,
                            ln2_b,
                            heads,
                            weights,
                            context,
                            r1,
                            std::get<1>(ln1),
                            std::get<2>(ln1),
                            x,
                            hidden,
                            r2,
                            std::get<1>(ln2),
                            std::get<2>(ln2)});
    return std::get<0>(ln2);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const variable_list s = ctx->get_saved_variables();
    const torch::Tensor &z = s[0], &in_w = s[1], &out_w = s[2], &ln1_w = s[3], &ln1_b = s[4],
                        &l1_w = s[5], &l2_w = s[6], &ln2_w = s[7], &ln2_b = s[8], &heads = s[9],
                        &weights = s[10], &context = s[11], &r1 = s[12], &mean1 = s[13],
                        &rstd1 = s[14], &x = s[15], &hidden = s[16], &r2 = s[17], &mean2 = s[18],
                        &rstd2 = s[19];
    const std::int64_t b = ctx->saved_data["b"].toInt();
    const std::int64_t n = z.size(0), d = z.size(1), n_frames = n / b, head_dim = d / kHeads;
    const double scaling = 1 / std::sqrt(head_dim);
    const std::array<bool, 3> all = {true, true, true};
    const torch::Tensor dy = grad_outputs[0].contiguous();
    // Feed-forward block and second norm.
    const auto ln2 =
        torch::native_layer_norm_backward(dy, r2, {d}, mean2, rstd2, ln2_w, ln2_b, all);
    const torch::Tensor& dr2 = std::get<0>(ln2);
    const torch::Tensor dl2_w = dr2.t().mm(hidden);
    const torch::Tensor dl2_b = dr2.sum(0);
    torch::Tensor dhidden = dr2.mm(l2_w);
    torch::threshold_backward_out(dhidden, dhidden, hidden, 0);  // relu': 0 where hidden <= 0
    const torch::Tensor dl1_w = dhidden.t().mm(x);
    const torch::Tensor dl1_b = dhidden.sum(0);
    const torch::Tensor dx = dhidden.mm(l1_w).add_(dr2);
    // Attention block and first norm.
    const auto ln1 =
        torch::native_layer_norm_backward(dx, r1, {d}, mean1, rstd1, ln1_w, ln1_b, all);
    const torch::Tensor& dr1 = std::get<0>(ln1);
    const torch::Tensor dout_w = dr1.t().mm(context);
    const torch::Tensor dout_b = dr1.sum(0);
    const torch::Tensor dcontext = dr1.mm(out_w)
                                       .view({b, n_frames, kHeads, head_dim})
                                       .permute({0, 2, 1, 3})
                                       .contiguous()
                                       .view({b * kHeads, n_frames, head_dim});
    const torch::Tensor q = heads[0].view({b * kHeads, n_frames, head_dim});  // scaled
    const torch::Tensor k = heads[1].view({b * kHeads, n_frames, head_dim});
    const torch::Tensor v = heads[2].view({b * kHeads, n_frames, head_dim});
    torch::Tensor dheads = torch::empty_like(heads);
    torch::Tensor dq = dheads[0].view({b * kHeads, n_frames, head_dim});
    torch::Tensor dk = dheads[1].view({b * kHeads, n_frames, head_dim});
    torch::Tensor dv = dheads[2].view({b * kHeads, n_frames, head_dim});
    torch::bmm_out(dv, weights.transpose(1, 2), dcontext);
    const torch::Tensor dscores = torch::_softmax_backward_data(
        torch::bmm(dcontext, v.transpose(1, 2)), weights, -1, torch::kFloat32);
    torch::bmm_out(dq, dscores, k);
    dq.mul_(scaling);
    torch::bmm_out(dk, dscores.transpose(1, 2), q);
    const torch::Tensor dqkv = dheads.view({3, b, kHeads, n_frames, head_dim})
                                   .permute({1, 3, 0, 2, 4})
                                   .reshape({n, 3 * d});
    const torch::Tensor din_w = dqkv.t().mm(z);
    const torch::Tensor din_b = dqkv.sum(0);
    const torch::Tensor dz = dqkv.mm(in_w).add_(dr1);
    return {dz,     torch::Tensor(), torch::Tensor(),  torch::Tensor(),  din_w, din_b,
            dout_w, dout_b,          std::get<1>(ln1), std::get<2>(ln1), dl1_w, dl1_b,
            dl2_w,  dl2_b,           std::get<1>(ln2), std::get<2>(ln2)};
  }
};

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
    encoder_ = register_module("encoder", torch::nn::TransformerEncoder(
                                              torch::nn::TransformerEncoderOptions(layer, layers)));
    out_ = register_module("out", torch::nn::Linear(kModelDim, options.n_outputs));
  }

  // x: [B, T, F], mask: [B, T] -> y: [B, T, D].
  Output forward(const Batch& batch) override {
    const std::int64_t b = batch.x.size(0), n_frames = batch.x.size(1);
    // Frames as rows of [B*T, d] matrices: every linear layer is one addmm with its bias.
    torch::Tensor z = input_->forward(batch.x.reshape({b * n_frames, batch.x.size(2)}));
    z = (z.view({b, n_frames, kModelDim}) + positions(n_frames, z.options()).unsqueeze(0))
            .view({b * n_frames, kModelDim});
    z = dropout(z);
    // Padded frames are excluded as keys; a batch of songs of one length has none, and then
    // no mask is applied at all (masking nothing is the identity).
    const torch::Tensor padding = batch.mask.to(torch::kBool).logical_not();  // [B, T], true = pad
    const torch::Tensor key_padding = padding.any().item<bool>() ? padding : torch::Tensor();
    const bool fused = (dropout_ == 0 || !is_training()) && z.scalar_type() == torch::kFloat32 &&
                       z.device().is_cpu();
    for (const auto& module : *encoder_->layers) {
      auto& layer = *module->as<torch::nn::TransformerEncoderLayer>();
      if (fused) {
        z = EncoderLayerFunction::apply(
            z, key_padding.defined() ? key_padding : torch::empty({0}, torch::kBool), b,
            layer.norm1->options.eps(), layer.self_attn->in_proj_weight,
            layer.self_attn->in_proj_bias, layer.self_attn->out_proj->weight,
            layer.self_attn->out_proj->bias, layer.norm1->weight, layer.norm1->bias,
            layer.linear1->weight, layer.linear1->bias, layer.linear2->weight, layer.linear2->bias,
            layer.norm2->weight, layer.norm2->bias);
      } else {
        z = encoder_layer(layer, z, b, key_padding);
      }
    }
    z = dropout(z);
    return {out_->forward(z).view({b, n_frames, -1}), {}, {}};
  }

  torch::Tensor dropout(const torch::Tensor& x) {
    return dropout_ > 0 ? torch::dropout(x, dropout_, is_training()) : x;
  }

  // The positional encodings of the last sequence length seen (a constant, not a parameter).
  const torch::Tensor& positions(std::int64_t n_frames, const torch::TensorOptions& options) {
    if (!positions_.defined() || positions_.size(0) != n_frames ||
        positions_.scalar_type() != options.dtype().toScalarType()) {
      positions_ = positional_encoding(n_frames, kModelDim, options);
    }
    return positions_;
  }

  // One post-norm encoder layer, the function of torch::nn::TransformerEncoderLayer (ReLU,
  // MultiheadAttention with packed in-projection, q scaled by head_dim^-1/2 before q k^T) with
  // the same parameters, computed batch-first: no [T, B, d] transposes, no self-attention test
  // (torch::equal of query, key and value), no averaged attention weights nobody reads, no
  // dropout calls at p = 0.
  // z: [B*T, d] (song-major rows); key_padding: [B, T] bool (true = pad) or undefined
  // -> [B*T, d].
  torch::Tensor encoder_layer(torch::nn::TransformerEncoderLayerImpl& layer, const torch::Tensor& z,
                              std::int64_t b, const torch::Tensor& key_padding) {
    const std::int64_t d = z.size(1), n_frames = z.size(0) / b;
    const std::int64_t head_dim = d / kHeads;
    auto& attention = *layer.self_attn;
    const std::vector<torch::Tensor> qkv =
        torch::linear(z, attention.in_proj_weight, attention.in_proj_bias).chunk(3, -1);
    const auto heads = [&](const torch::Tensor& x) {  // [B*T, d] -> [B, heads, T, head_dim]
      return x.reshape({b, n_frames, kHeads, head_dim}).transpose(1, 2);
    };
    const double scaling = 1 / std::sqrt(head_dim);
    const torch::Tensor q = heads(qkv[0] * scaling);
    const torch::Tensor k = heads(qkv[1]);
    const torch::Tensor v = heads(qkv[2]);
    torch::Tensor weights = torch::matmul(q, k.transpose(-2, -1));  // [B, heads, T, T]
    if (key_padding.defined()) {
      weights = weights.masked_fill(key_padding.view({b, 1, 1, n_frames}),
                                    -std::numeric_limits<float>::infinity());
    }
    weights = dropout(torch::softmax(weights, -1));
    const torch::Tensor context =
        torch::matmul(weights, v).transpose(1, 2).reshape({b * n_frames, d});  // [B*T, d]
    const torch::Tensor attended = attention.out_proj->forward(context);
    const torch::Tensor x = layer.norm1->forward(z + dropout(attended));
    const torch::Tensor ff =
        layer.linear2->forward(dropout(torch::relu(layer.linear1->forward(x))));
    return layer.norm2->forward(x + dropout(ff));
  }

  double dropout_;
  torch::nn::Linear input_{nullptr};
  torch::nn::TransformerEncoder encoder_{nullptr};
  torch::nn::Linear out_{nullptr};
  torch::Tensor positions_;
};

}  // namespace

std::shared_ptr<SequenceModel> make_transformer(std::int64_t layers, const ModelOptions& options) {
  return std::make_shared<Transformer>(layers, options);
}

}  // namespace dynemo::models
