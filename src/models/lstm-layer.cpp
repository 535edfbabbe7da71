// lstm_layer, register_lstm_stack, stacked_lstm (lstm-layer.h).
#include "models/lstm-layer.h"

#include <cmath>
#include <string>
#include <vector>

namespace dynemo::models {
namespace {

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
      // One sequence (prediction): a matrix-vector product reads W_hh once, where a one-row
      // matrix product would pack all of it at every step.
      if (t > 0 && b == 1) {
        g_t[0].addmv_(w_hh, out[t - 1][0]);
      } else if (t > 0) {
        g_t.addmm_(out[t - 1], w_hh_t);
      }
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

}  // namespace

torch::Tensor lstm_layer(const torch::Tensor& x, const torch::Tensor& w_ih,
                         const torch::Tensor& w_hh, const torch::Tensor& b_ih,
                         const torch::Tensor& b_hh) {
  if (x.scalar_type() == torch::kFloat32 && x.device().is_cpu()) {
    return LstmLayerFunction::apply(x, w_ih, w_hh, b_ih, b_hh);
  }
  const torch::Tensor h0 = torch::zeros({1, x.size(0), w_hh.size(1)}, x.options());
  return std::get<0>(torch::lstm(x, {h0, h0}, {w_ih, w_hh, b_ih, b_hh}, /*has_biases=*/true,
                                 /*num_layers=*/1, /*dropout=*/0.0, /*train=*/false,
                                 /*bidirectional=*/false, /*batch_first=*/true));
}

LstmWeightsImpl::LstmWeightsImpl(std::int64_t n_inputs, std::int64_t hidden, bool initialise) {
  w_ih = register_parameter("weight_ih_l0", torch::empty({4 * hidden, n_inputs}));
  w_hh = register_parameter("weight_hh_l0", torch::empty({4 * hidden, hidden}));
  b_ih = register_parameter("bias_ih_l0", torch::empty({4 * hidden}));
  b_hh = register_parameter("bias_hh_l0", torch::empty({4 * hidden}));
  if (!initialise) return;
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden));
  torch::NoGradGuard no_grad;
  for (torch::Tensor* p : {&w_ih, &w_hh, &b_ih, &b_hh}) p->uniform_(-bound, bound);
}

std::vector<LstmWeights> register_lstm_stack(torch::nn::Module& owner, std::int64_t n_features,
                                             const std::vector<std::int64_t>& hidden,
                                             bool initialise) {
  std::vector<LstmWeights> stack;
  std::int64_t in = n_features;
  for (std::size_t i = 0; i < hidden.size(); ++i) {
    stack.push_back(
        owner.register_module("lstm" + std::to_string(i), LstmWeights(in, hidden[i], initialise)));
    in = hidden[i];
  }
  return stack;
}

torch::Tensor stacked_lstm(const std::vector<LstmWeights>& stack, torch::Tensor x, double dropout,
                           bool training, bool dropout_after_last) {
  for (std::size_t layer = 0; layer < stack.size(); ++layer) {
    const LstmWeights& w = stack[layer];
    x = lstm_layer(x, w->w_ih, w->w_hh, w->b_ih, w->b_hh);
    if (layer + 1 < stack.size() || dropout_after_last) x = torch::dropout(x, dropout, training);
  }
  return x;
}

torch::Tensor lstm_module(const torch::nn::LSTM& module, torch::Tensor x, double dropout,
                          bool training) {
  const std::vector<torch::Tensor> w = module->all_weights();  // per layer: w_ih, w_hh, b_ih, b_hh
  for (std::size_t k = 0; k + 3 < w.size(); k += 4) {
    if (k > 0) x = torch::dropout(x, dropout, training);
    x = lstm_layer(x, w[k], w[k + 1], w[k + 2], w[k + 3]);
  }
  return x;
}

}  // namespace dynemo::models
