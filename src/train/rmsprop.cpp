// release_grads and rmsprop_step (rmsprop.h).
#include "train/rmsprop.h"

#include <cmath>
#include <memory>
#include <string>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace dynemo::train {

void release_grads(models::SequenceModel& net) {
  for (auto& p : net.parameters()) p.mutable_grad() = torch::Tensor();
}

void rmsprop_step(torch::optim::RMSprop& opt) {
  for (auto& group : opt.param_groups()) {
    const auto& o = static_cast<const torch::optim::RMSpropOptions&>(group.options());
    if (o.momentum() != 0 || o.centered()) {
      opt.step();
      return;
    }
    for (const auto& p : group.params()) {
      const torch::Tensor& g = p.grad();
      if (g.defined() &&
          (p.scalar_type() != torch::kFloat32 || g.scalar_type() != torch::kFloat32 ||
           !p.is_contiguous() || !g.is_contiguous() || !p.device().is_cpu())) {
        opt.step();
        return;
      }
    }
  }
  torch::NoGradGuard no_grad;
  for (auto& group : opt.param_groups()) {
    const auto& o = static_cast<const torch::optim::RMSpropOptions&>(group.options());
    const auto alpha = static_cast<float>(o.alpha());
    const auto one_minus_alpha = static_cast<float>(1 - o.alpha());
    const auto eps = static_cast<float>(o.eps());
    const auto neg_lr = static_cast<float>(-o.lr());
    const auto decay = static_cast<float>(o.weight_decay());
    for (auto& p : group.params()) {
      const std::string key = c10::guts::to_string(p.unsafeGetTensorImpl());
      auto it = opt.state().find(key);
      if (!p.grad().defined()) {
        // Released gradient (release_grads) of a parameter that has had one: what a zeroed
        // gradient does, square_avg * alpha and p unchanged.
        if (it != opt.state().end()) {
          auto& state = static_cast<torch::optim::RMSpropParamState&>(*it->second);
          state.step(state.step() + 1);
          state.square_avg().mul_(alpha);
        }
        continue;
      }
      if (it == opt.state().end()) {
        auto fresh = std::make_unique<torch::optim::RMSpropParamState>();
        fresh->step(0);
        fresh->square_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        it = opt.state().emplace(key, std::move(fresh)).first;
      }
      auto& state = static_cast<torch::optim::RMSpropParamState&>(*it->second);
      state.step(state.step() + 1);
      float* w = p.data_ptr<float>();
      const float* grad = p.grad().data_ptr<float>();
      float* avg = state.square_avg().data_ptr<float>();
      const std::int64_t n = p.numel();
      std::int64_t i = 0;
#if defined(__SSE2__)
      const __m128 v_alpha = _mm_set1_ps(alpha), v_one_minus = _mm_set1_ps(one_minus_alpha);
      const __m128 v_eps = _mm_set1_ps(eps), v_lr = _mm_set1_ps(neg_lr),
                   v_decay = _mm_set1_ps(decay);
      for (; i + 4 <= n; i += 4) {
        __m128 gv = _mm_loadu_ps(grad + i);
        const __m128 wv = _mm_loadu_ps(w + i);
        if (decay != 0) gv = _mm_add_ps(gv, _mm_mul_ps(v_decay, wv));
        const __m128 sq = _mm_add_ps(_mm_mul_ps(_mm_loadu_ps(avg + i), v_alpha),
                                     _mm_mul_ps(_mm_mul_ps(v_one_minus, gv), gv));
        _mm_storeu_ps(avg + i, sq);
        const __m128 denom = _mm_add_ps(_mm_sqrt_ps(sq), v_eps);
        _mm_storeu_ps(w + i, _mm_add_ps(wv, _mm_div_ps(_mm_mul_ps(v_lr, gv), denom)));
      }
#endif
      for (; i < n; ++i) {
        float gi = grad[i];
        if (decay != 0) gi = gi + decay * w[i];
        const float sq = avg[i] * alpha + one_minus_alpha * gi * gi;
        avg[i] = sq;
        w[i] = w[i] + neg_lr * gi / (std::sqrt(sq) + eps);
      }
    }
  }
}

}  // namespace dynemo::train
