// Training losses over the real frames of a padded batch.
#include <cstdint>
#include <string>
#include <vector>

#include "train/fit.h"

namespace dynemo::train {
namespace {

const std::vector<std::int64_t> kFrameDims = {0, 1};  // batch and time

}  // namespace

// y, target: [B, T, D]; mask: [B, T] bool.
torch::Tensor masked_loss(const torch::Tensor& y, const torch::Tensor& target,
                          const torch::Tensor& mask, const std::string& loss) {
  if (loss == "mse" && mask.all().item<bool>()) {
    // No padded frame (a batch of songs of one length): the mask multiplies by 1, the same loss
    // without two [B, T, D] passes and their gradients.
    return (y - target).pow(2).sum() / static_cast<double>(y.numel());
  }
  const torch::Tensor m = mask.unsqueeze(-1).to(y.dtype());  // [B, T, 1]
  const torch::Tensor n = m.sum().clamp_min(1.0);
  if (loss == "mse") return ((y - target).pow(2) * m).sum() / (n * y.size(2));
  // 1 - CCC per dimension over all real frames of the batch (Weninger et al.'s CCC loss).
  const torch::Tensor mean_y = (y * m).sum(kFrameDims) / n;
  const torch::Tensor mean_t = (target * m).sum(kFrameDims) / n;
  const torch::Tensor dy = (y - mean_y) * m;
  const torch::Tensor dt = (target - mean_t) * m;
  const torch::Tensor var_y = dy.pow(2).sum(kFrameDims) / n;
  const torch::Tensor var_t = dt.pow(2).sum(kFrameDims) / n;
  const torch::Tensor cov = (dy * dt).sum(kFrameDims) / n;
  const torch::Tensor ccc = 2 * cov / (var_y + var_t + (mean_y - mean_t).pow(2) + 1e-8);
  return (1 - ccc).mean();
}

}  // namespace dynemo::train
