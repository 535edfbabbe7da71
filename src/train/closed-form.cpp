// Closed-form members: MEAN (training mean everywhere) and RIDGE (per-frame linear regression on
// standardised features, alpha chosen by validation MSE, then refitted on train + validation).
#include <cstdio>
#include <limits>

#include "train/closed-form.h"

namespace dynemo::train {
namespace {

// All frames of `songs`: X [N, F + 1] with a trailing 1 column, Y [N, 2].
std::pair<torch::Tensor, torch::Tensor> design(const SongTensors& data,
                                               const std::vector<std::size_t>& songs) {
  std::vector<torch::Tensor> xs, ys;
  for (std::size_t s : songs) {
    xs.push_back(data.x[s]);
    ys.push_back(data.y[s]);
  }
  torch::Tensor x = torch::cat(xs).to(torch::kFloat64);
  x = torch::cat({x, torch::ones({x.size(0), 1}, torch::kFloat64)}, 1);
  return {x, torch::cat(ys).to(torch::kFloat64)};
}

// (X'X + alpha I') W = X'Y, the intercept not penalised.
torch::Tensor solve_ridge(const torch::Tensor& xtx, const torch::Tensor& xty, double alpha) {
  torch::Tensor penalty = torch::eye(xtx.size(0), torch::kFloat64) * alpha;
  penalty[xtx.size(0) - 1][xtx.size(0) - 1] = 0.0;
  return torch::linalg::solve(xtx + penalty, xty, true);
}

}  // namespace

models::Member fit_mean(const SongTensors& data, const std::vector<std::size_t>& songs,
                        std::int64_t n_features, EpochRecord* record) {
  const auto [x, y] = design(data, songs);
  models::Member m;
  m.linear = torch::zeros({n_features + 1, 2});
  m.linear[n_features].copy_(y.mean(0).to(torch::kFloat32));
  record->stage = "mean";
  record->train_loss = (y - y.mean(0)).pow(2).mean().item<double>();
  return m;
}

models::Member fit_ridge(const SongTensors& data, const std::vector<std::size_t>& train,
                         const std::vector<std::size_t>& val, const std::vector<double>& alphas,
                         EpochRecord* record) {
  torch::NoGradGuard no_grad;
  const auto [xt, yt] = design(data, train);
  const auto [xv, yv] = design(data, val);
  const torch::Tensor xtx = xt.t().matmul(xt), xty = xt.t().matmul(yt);
  double best_alpha = alphas.front();
  double best_loss = std::numeric_limits<double>::infinity();
  double best_train = 0;
  for (double alpha : alphas) {
    const torch::Tensor w = solve_ridge(xtx, xty, alpha);
    const double loss = (xv.matmul(w) - yv).pow(2).mean().item<double>();
    if (loss < best_loss) {
      best_loss = loss;
      best_alpha = alpha;
      best_train = (xt.matmul(w) - yt).pow(2).mean().item<double>();
    }
  }
  // Refit on every training song with the chosen alpha.
  const torch::Tensor xtx_all = xtx + xv.t().matmul(xv);
  const torch::Tensor xty_all = xty + xv.t().matmul(yv);
  models::Member m;
  m.linear = solve_ridge(xtx_all, xty_all, best_alpha).to(torch::kFloat32);
  char stage[48];
  std::snprintf(stage, sizeof stage, "ridge(alpha=%g)", best_alpha);
  record->stage = stage;
  record->train_loss = best_train;
  record->val_loss = best_loss;
  return m;
}

}  // namespace dynemo::train
