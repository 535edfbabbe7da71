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
// Allowed j: LSTM_AT every real frame of the sequence; BAT the real frames j <= t-1. At t = 0
// BAT has nothing to attend: c_0 = 0 and attention row 0 is all zeros.
// The attention dimension (rows of W_a, U_a) equals the last encoder layer's size.
#include <algorithm>

#include "dynemo/error.h"
#include "models/families.h"

namespace dynemo::models {
namespace {

// Energies below this are "not allowed": exp underflows to exactly 0 in float32, and a row with
// no allowed column stays finite (it is zeroed afterwards) instead of producing NaN.
constexpr double kMaskedEnergy = -1e9;
// Largest [rows, T, H] block of attention pre-activations formed at once (1 MB float32): the
// energies and their gradients are computed block by block in cache, never as a [B, T, T, H]
// tensor in memory.
constexpr std::int64_t kEnergyBlockElements = std::int64_t{1} << 18;

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// One unidirectional LSTM layer with zero initial state: PyTorch's equations and gate order
// (i, f, g, o), the same parameters as torch::nn::LSTM, and a hand-written backward pass.
// Autograd through torch::lstm records every step's matrix product and accumulates a [4H, H]
// weight gradient per step; here the steps only propagate dh, and the weight gradients are two
// matrix products over all frames at once.
//   i, f, o = sigmoid(.), g = tanh(.) of x_t W_ih^T + h_{t-1} W_hh^T + b_ih + b_hh
//   c_t = f * c_{t-1} + i * g,  h_t = o * tanh(c_t)
// x: [B, T, F] float32 -> h: [B, T, H].
class LstmLayerFunction : public torch::autograd::Function<LstmLayerFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, torch::Tensor x, torch::Tensor w_ih,
                               torch::Tensor w_hh, torch::Tensor b_ih, torch::Tensor b_hh) {
    const std::int64_t b = x.size(0), n_frames = x.size(1), f = x.size(2), h = w_hh.size(1);
    const torch::Tensor x_tm = x.transpose(0, 1).contiguous();  // [T, B, F]
    // Activated gates [T, B, 4H]: the input part for every frame at once, then per step.
    torch::Tensor gates = torch::addmm(b_ih + b_hh, x_tm.view({n_frames * b, f}), w_ih.t())
                              .view({n_frames, b, 4 * h});
    torch::Tensor cells = torch::empty({n_frames, b, h}, x.options());
    torch::Tensor tanh_cells = torch::empty({n_frames, b, h}, x.options());
    torch::Tensor out = torch::empty({n_frames, b, h}, x.options());
    const torch::Tensor w_hh_t = w_hh.t();
    for (std::int64_t t = 0; t < n_frames; ++t) {
      torch::Tensor g_t = gates[t];  // [B, 4H]
      if (t > 0) g_t.addmm_(out[t - 1], w_hh_t);
      g_t.narrow(1, 0, 2 * h).sigmoid_();
      g_t.narrow(1, 2 * h, h).tanh_();
      g_t.narrow(1, 3 * h, h).sigmoid_();
      const float* gp = g_t.data_ptr<float>();
      float* cp = cells[t].data_ptr<float>();
      const float* prev = t > 0 ? cells[t - 1].data_ptr<float>() : nullptr;
      for (std::int64_t r = 0; r < b; ++r) {
        const float* gi = gp + r * 4 * h;
        const float* gf = gi + h;
        const float* gg = gi + 2 * h;
        float* c = cp + r * h;
        if (prev) {
          const float* cprev = prev + r * h;
          for (std::int64_t j = 0; j < h; ++j) c[j] = gf[j] * cprev[j] + gi[j] * gg[j];
        } else {
          for (std::int64_t j = 0; j < h; ++j) c[j] = gi[j] * gg[j];
        }
      }
      torch::Tensor tc = tanh_cells[t];
      torch::tanh_out(tc, cells[t]);
      const float* tcp = tc.data_ptr<float>();
      float* hp = out[t].data_ptr<float>();
      for (std::int64_t r = 0; r < b; ++r) {
        const float* go = gp + r * 4 * h + 3 * h;
        for (std::int64_t j = 0; j < h; ++j) hp[r * h + j] = go[j] * tcp[r * h + j];
      }
    }
    ctx->save_for_backward({x_tm, w_ih, w_hh, gates, cells, tanh_cells, out});
    return out.transpose(0, 1).contiguous();
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor &x_tm = saved[0], &w_ih = saved[1], &w_hh = saved[2], &gates = saved[3],
                        &cells = saved[4], &tanh_cells = saved[5], &out = saved[6];
    const std::int64_t n_frames = x_tm.size(0), b = x_tm.size(1), f = x_tm.size(2),
                       h = w_hh.size(1);
    torch::Tensor dh_tm = grad_outputs[0].defined()
                              ? grad_outputs[0].transpose(0, 1).contiguous()
                              : torch::zeros({n_frames, b, h}, x_tm.options());
    torch::Tensor dgates = torch::empty({n_frames, b, 4 * h}, x_tm.options());
    torch::Tensor dh_next = torch::zeros({b, h}, x_tm.options());  // from step t + 1
    std::vector<float> dc(static_cast<std::size_t>(b * h), 0.0f);  // dL/dc_t through c_{t+1}
    for (std::int64_t t = n_frames - 1; t >= 0; --t) {
      const float* gp = gates[t].data_ptr<float>();
      const float* tcp = tanh_cells[t].data_ptr<float>();
      const float* prev = t > 0 ? cells[t - 1].data_ptr<float>() : nullptr;
      const float* dhp = dh_tm[t].data_ptr<float>();
      const float* dnp = dh_next.data_ptr<float>();
      float* dgp = dgates[t].data_ptr<float>();
      for (std::int64_t r = 0; r < b; ++r) {
        const float* gi = gp + r * 4 * h;
        const float* gf = gi + h;
        const float* gg = gi + 2 * h;
        const float* go = gi + 3 * h;
        float* di = dgp + r * 4 * h;
        float* df = di + h;
        float* dg = di + 2 * h;
        float* dout = di + 3 * h;
        float* dcr = dc.data() + r * h;
        const float* tc = tcp + r * h;
        for (std::int64_t j = 0; j < h; ++j) {
          const float dh = dhp[r * h + j] + dnp[r * h + j];
          const float dcell = dh * go[j] * (1.0f - tc[j] * tc[j]) + dcr[j];
          dout[j] = dh * tc[j] * go[j] * (1.0f - go[j]);
          di[j] = dcell * gg[j] * gi[j] * (1.0f - gi[j]);
          dg[j] = dcell * gi[j] * (1.0f - gg[j] * gg[j]);
          df[j] = prev ? dcell * prev[r * h + j] * gf[j] * (1.0f - gf[j]) : 0.0f;
          dcr[j] = dcell * gf[j];
        }
      }
      if (t > 0) torch::mm_out(dh_next, dgates[t], w_hh);
    }
    const torch::Tensor dg_all = dgates.view({n_frames * b, 4 * h});
    const torch::Tensor dw_ih = dg_all.t().mm(x_tm.view({n_frames * b, f}));
    const torch::Tensor dw_hh =
        n_frames > 1 ? dgates.narrow(0, 1, n_frames - 1)
                           .view({(n_frames - 1) * b, 4 * h})
                           .t()
                           .mm(out.narrow(0, 0, n_frames - 1).view({(n_frames - 1) * b, h}))
                     : torch::zeros_like(w_hh);
    const torch::Tensor db = dg_all.sum(0);
    torch::Tensor dx;
    if (ctx->needs_input_grad(0)) dx = dg_all.mm(w_ih).view({n_frames, b, f}).transpose(0, 1);
    return {dx, dw_ih, dw_hh, db, db.clone()};
  }
};

// Additive attention energies e[b, t, j] = v . tanh(q[b, t] + k[b, j]) (eq. 2) and their
// gradients, in blocks of rows: tanh is recomputed in the backward pass instead of keeping
// [B, T, T, H] activations, and the products with v are matrix-vector products, not
// matrix products with one column.
// q, k: [B, T, H] float32, v: [1, H] -> e: [B, T, T].
class AdditiveEnergyFunction : public torch::autograd::Function<AdditiveEnergyFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, torch::Tensor q, torch::Tensor k,
                               torch::Tensor v) {
    q = q.contiguous();
    k = k.contiguous();
    const std::int64_t b = q.size(0), n_frames = q.size(1), h = q.size(2);
    const torch::Tensor vv = v.reshape({h});
    torch::Tensor energy = torch::empty({b, n_frames, n_frames}, q.options());
    const std::int64_t block = row_block(n_frames, h);
    for (std::int64_t s = 0; s < b; ++s) {
      const torch::Tensor keys = k[s].unsqueeze(0);  // [1, T, H]
      for (std::int64_t t = 0; t < n_frames; t += block) {
        const std::int64_t n = std::min(block, n_frames - t);
        torch::Tensor z = torch::add(q[s].narrow(0, t, n).unsqueeze(1), keys).tanh_();
        torch::Tensor e = energy[s].narrow(0, t, n).view({n * n_frames});
        torch::mv_out(e, z.view({n * n_frames, h}), vv);
      }
    }
    ctx->save_for_backward({q, k, v});
    return energy;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor &q = saved[0], &k = saved[1], &v = saved[2];
    const std::int64_t b = q.size(0), n_frames = q.size(1), h = q.size(2);
    const torch::Tensor vv = v.reshape({h});
    const torch::Tensor ge = grad_outputs[0].contiguous();  // [B, T, T]
    torch::Tensor dq = torch::empty_like(q), dk = torch::zeros_like(k);
    torch::Tensor dv = torch::zeros({h}, q.options());
    const std::int64_t block = row_block(n_frames, h);
    for (std::int64_t s = 0; s < b; ++s) {
      const torch::Tensor keys = k[s].unsqueeze(0);
      for (std::int64_t t = 0; t < n_frames; t += block) {
        const std::int64_t n = std::min(block, n_frames - t);
        const torch::Tensor z = torch::add(q[s].narrow(0, t, n).unsqueeze(1), keys).tanh_();
        const torch::Tensor g = ge[s].narrow(0, t, n).reshape({n * n_frames});
        dv.addmv_(z.view({n * n_frames, h}).t(), g);
        // dL/d(q + k) = (g v) * (1 - tanh^2): [n, T, H]
        const torch::Tensor dz = torch::tanh_backward(g.view({n, n_frames, 1}) * vv, z);
        torch::Tensor dq_rows = dq[s].narrow(0, t, n);
        torch::sum_out(dq_rows, dz, {1});
        dk[s].add_(dz.sum(0));
      }
    }
    return {dq, dk, dv.view_as(v)};
  }

 private:
  static std::int64_t row_block(std::int64_t n_frames, std::int64_t h) {
    return std::max<std::int64_t>(1,
                                  kEnergyBlockElements / std::max<std::int64_t>(1, n_frames * h));
  }
};

class AttentionLstm : public SequenceModel {
 public:
  AttentionLstm(const std::vector<std::int64_t>& hidden, bool backward_only,
                const ModelOptions& options)
      : backward_only_(backward_only),
        dropout_(options.dropout),
        teacher_forcing_(options.teacher_forcing) {
    if (hidden.empty()) throw ConfigError("attention LSTM: expected at least one hidden size");
    std::int64_t in = options.n_features;
    for (std::size_t i = 0; i < hidden.size(); ++i) {
      layers_.push_back(register_module(
          "lstm" + std::to_string(i),
          torch::nn::LSTM(torch::nn::LSTMOptions(in, hidden[i]).batch_first(true))));
      in = hidden[i];
    }
    const std::int64_t h = in;
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
    torch::Tensor h = batch.x;
    const bool fused = h.scalar_type() == torch::kFloat32 && h.device().is_cpu();
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      if (fused) {
        const std::vector<torch::Tensor> w = layers_[i]->all_weights();  // w_ih, w_hh, b_ih, b_hh
        h = LstmLayerFunction::apply(h, w.at(0), w.at(1), w.at(2), w.at(3));
      } else {
        h = std::get<0>(layers_[i]->forward(h));
      }
      if (i + 1 < layers_.size()) h = torch::dropout(h, dropout_, is_training());
    }
    const std::int64_t n_frames = h.size(1);

    // Energies for all t at once. h_prev: [B, T, H] = h shifted right by one (h_{-1} = 0).
    const torch::Tensor h_prev =
        torch::cat({torch::zeros_like(h.narrow(1, 0, 1)), h.narrow(1, 0, n_frames - 1)}, 1);
    const torch::Tensor query = w_a_->forward(h_prev);  // [B, T, H]
    const torch::Tensor keys = u_a_->forward(h);        // [B, T, H]
    torch::Tensor energy;                               // [B, T, T]
    if (fused) {
      energy = AdditiveEnergyFunction::apply(query, keys, v_->weight);
    } else {
      energy = v_->forward(torch::tanh(query.unsqueeze(2) + keys.unsqueeze(1))).squeeze(-1);
    }

    // allowed: [B, T, T], row t = output frame, column j = attended frame.
    torch::Tensor allowed = batch.mask.to(torch::kBool).unsqueeze(1).expand_as(energy);
    if (backward_only_) {
      const torch::Tensor causal =
          torch::ones({n_frames, n_frames}, allowed.options()).tril(-1);  // j <= t-1
      allowed = allowed.logical_and(causal.unsqueeze(0));
    }
    energy = energy.masked_fill(allowed.logical_not(), kMaskedEnergy);
    const torch::Tensor alpha = torch::softmax(energy, -1) * allowed.to(energy.dtype());
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
  double dropout_;
  bool teacher_forcing_;
  std::vector<torch::nn::LSTM> layers_;
  torch::nn::Linear w_a_{nullptr}, u_a_{nullptr}, v_{nullptr};
  torch::nn::Linear out_hc_{nullptr}, out_y_{nullptr};
};

}  // namespace

std::shared_ptr<SequenceModel> make_attention_lstm(const std::vector<std::int64_t>& hidden,
                                                   bool backward_only,
                                                   const ModelOptions& options) {
  return std::make_shared<AttentionLstm>(hidden, backward_only, options);
}

}  // namespace dynemo::models
