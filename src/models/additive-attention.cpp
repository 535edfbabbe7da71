// additive_energy and attention_weights (additive-attention.h).
#include "models/additive-attention.h"

#include <algorithm>
#include <cstdint>

namespace dynemo::models {
namespace {

// Largest [rows, T, H] block of attention pre-activations formed at once (1 MB float32): the
// energies and their gradients are computed block by block in cache.
constexpr std::int64_t kEnergyBlockElements = std::int64_t{1} << 18;

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

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

}  // namespace

torch::Tensor additive_energy(const torch::Tensor& q, const torch::Tensor& k,
                              const torch::Tensor& v) {
  if (q.scalar_type() == torch::kFloat32 && q.device().is_cpu()) {
    return AdditiveEnergyFunction::apply(q, k, v);
  }
  return torch::matmul(torch::tanh(q.unsqueeze(2) + k.unsqueeze(1)), v.reshape({-1}));
}

torch::Tensor attention_weights(const torch::Tensor& energy, const torch::Tensor& allowed) {
  return torch::softmax(energy.masked_fill(allowed.logical_not(), kMaskedEnergy), -1) *
         allowed.to(energy.dtype());
}

}  // namespace dynemo::models
