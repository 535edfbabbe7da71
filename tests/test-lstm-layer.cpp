// The shared recurrent kernels of the zoo (src/models/lstm-layer.h, additive-attention.h): the
// hand-written forward and backward passes give what LibTorch's own LSTM and autograd give.
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "models/additive-attention.h"
#include "models/lstm-layer.h"

namespace {

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

TEST(LstmLayer, MatchesLibTorchsLstmForwardAndGradients) {
  // LstmWeights draws what torch::nn::LSTM draws from the same seed, under the same names.
  torch::manual_seed(3);
  torch::nn::LSTM reference(torch::nn::LSTMOptions(5, 6).batch_first(true));
  torch::manual_seed(3);
  dynemo::models::LstmWeights first(5, 6, /*initialise=*/true);
  const auto ours_named = first->named_parameters();
  const auto theirs_named = reference->named_parameters();
  ASSERT_EQ(ours_named.size(), theirs_named.size());
  for (std::size_t i = 0; i < ours_named.size(); ++i) {
    EXPECT_EQ(ours_named[i].key(), theirs_named[i].key());
    EXPECT_TRUE(torch::equal(ours_named[i].value(), theirs_named[i].value())) << i;
  }
  // A two-layer module (as ALSTM holds it) after a one-layer one (as LSTM_NAT stacks them).
  torch::nn::LSTM second(torch::nn::LSTMOptions(6, 4).num_layers(2).batch_first(true));
  const torch::Tensor x = torch::randn({3, 17, 5}).requires_grad_(true);
  const torch::Tensor r = torch::randn({3, 17, 4});

  const torch::Tensor ours = dynemo::models::lstm_module(
      second, dynemo::models::stacked_lstm({first}, x, 0.0, false, false), 0.0, false);
  const torch::Tensor theirs = std::get<0>(second->forward(std::get<0>(reference->forward(x))));
  ASSERT_EQ(ours.sizes(), theirs.sizes());
  EXPECT_LT(max_abs_diff(ours, theirs), 1e-6);

  // d(sum(h * r)) with respect to the input and every weight.
  std::vector<torch::Tensor> ours_in{x}, theirs_in{x};
  for (const torch::Tensor& w : first->parameters()) ours_in.push_back(w);
  for (const torch::Tensor& w : reference->all_weights()) theirs_in.push_back(w);
  for (const torch::Tensor& w : second->all_weights()) {
    ours_in.push_back(w);
    theirs_in.push_back(w);
  }
  const std::vector<torch::Tensor> g_ours = torch::autograd::grad({(ours * r).sum()}, ours_in);
  const std::vector<torch::Tensor> g_theirs =
      torch::autograd::grad({(theirs * r).sum()}, theirs_in);
  ASSERT_EQ(g_ours.size(), 1u + 4u + 8u);
  for (std::size_t i = 0; i < g_ours.size(); ++i) {
    EXPECT_LT(max_abs_diff(g_ours[i], g_theirs[i]), 1e-5) << "gradient " << i;
    EXPECT_GT(g_theirs[i].abs().max().item<double>(), 1e-3) << "gradient " << i;
  }
}

// One sequence (prediction) takes the matrix-vector path for the recurrent product: the same
// outputs as LibTorch's LSTM, and as that sequence inside a batch.
TEST(LstmLayer, OneSequenceMatchesLibTorchAndTheBatch) {
  torch::manual_seed(5);
  torch::nn::LSTM reference(torch::nn::LSTMOptions(7, 9).batch_first(true));
  const torch::Tensor x = torch::randn({3, 23, 7});
  torch::NoGradGuard no_grad;
  const std::vector<torch::Tensor> w = reference->all_weights();
  const torch::Tensor one = dynemo::models::lstm_layer(x.narrow(0, 1, 1), w[0], w[1], w[2], w[3]);
  const torch::Tensor batch = dynemo::models::lstm_layer(x, w[0], w[1], w[2], w[3]);
  const torch::Tensor theirs = std::get<0>(reference->forward(x.narrow(0, 1, 1)));
  ASSERT_EQ(one.sizes(), theirs.sizes());
  EXPECT_LT(max_abs_diff(one, theirs), 1e-6);
  EXPECT_LT(max_abs_diff(one, batch.narrow(0, 1, 1)), 1e-6);
  EXPECT_GT(theirs.abs().max().item<double>(), 0.1);
}

// Weights about to be loaded are not drawn: the generator is where it was, the shapes are set.
TEST(LstmLayer, WeightsToBeLoadedAreNotDrawn) {
  torch::manual_seed(7);
  const torch::Tensor expected = torch::rand({4});
  torch::manual_seed(7);
  dynemo::models::LstmWeights m(300, 16, /*initialise=*/false);
  EXPECT_TRUE(torch::equal(torch::rand({4}), expected));
  EXPECT_EQ(m->w_ih.sizes(), (std::vector<std::int64_t>{64, 300}));
  EXPECT_EQ(m->w_hh.sizes(), (std::vector<std::int64_t>{64, 16}));
  EXPECT_EQ(m->b_ih.sizes(), (std::vector<std::int64_t>{64}));
}

TEST(LstmLayer, OtherDtypesRunLibTorchsLstm) {
  torch::manual_seed(4);
  dynemo::models::LstmWeights m(3, 5, true);
  const torch::Tensor x = torch::randn({2, 9, 3});
  const torch::Tensor f32 = dynemo::models::stacked_lstm({m}, x, 0.0, false, false);
  m->to(torch::kFloat64);
  const torch::Tensor f64 =
      dynemo::models::stacked_lstm({m}, x.to(torch::kFloat64), 0.0, false, false);
  EXPECT_EQ(f64.scalar_type(), torch::kFloat64);
  EXPECT_LT(max_abs_diff(f64.to(torch::kFloat32), f32), 1e-6);
}

TEST(LstmLayer, DropoutOnlyBetweenLayersUnlessAskedAfterTheLast) {
  torch::manual_seed(5);
  torch::nn::LSTM reference(torch::nn::LSTMOptions(3, 4).batch_first(true));
  torch::manual_seed(5);
  dynemo::models::LstmWeights m(3, 4, true);
  const torch::Tensor x = torch::randn({2, 6, 3});
  const torch::Tensor plain = dynemo::models::stacked_lstm({m}, x, 0.5, true, false);
  EXPECT_LT(max_abs_diff(plain, std::get<0>(reference->forward(x))), 1e-6);  // none between
  const torch::Tensor dropped = dynemo::models::stacked_lstm({m}, x, 0.5, true, true);
  const double zeros = (dropped == 0).to(torch::kFloat64).mean().item<double>();
  EXPECT_GT(zeros, 0.25);
  EXPECT_LT(zeros, 0.75);
}

TEST(AdditiveEnergy, MatchesTheDirectFormulaAndItsGradients) {
  torch::manual_seed(6);
  const torch::Tensor q = torch::randn({2, 11, 7}).requires_grad_(true);
  const torch::Tensor k = torch::randn({2, 11, 7}).requires_grad_(true);
  const torch::Tensor v = torch::randn({1, 7}).requires_grad_(true);
  const torch::Tensor r = torch::randn({2, 11, 11});
  const torch::Tensor ours = dynemo::models::additive_energy(q, k, v);
  const torch::Tensor direct =
      torch::matmul(torch::tanh(q.unsqueeze(2) + k.unsqueeze(1)), v.reshape({7}));
  EXPECT_LT(max_abs_diff(ours, direct), 1e-5);
  const auto g_ours = torch::autograd::grad({(ours * r).sum()}, {q, k, v});
  const auto g_direct = torch::autograd::grad({(direct * r).sum()}, {q, k, v});
  for (std::size_t i = 0; i < 3; ++i) EXPECT_LT(max_abs_diff(g_ours[i], g_direct[i]), 1e-4) << i;
}

TEST(AdditiveEnergy, WeightsAreASoftmaxOverTheAllowedStepsOnly) {
  const torch::Tensor energy = torch::tensor({{1.0f, 2.0f, 3.0f}, {0.5f, 0.5f, 9.0f}});
  const torch::Tensor allowed = torch::tensor({{true, true, false}, {false, false, false}});
  const torch::Tensor w = dynemo::models::attention_weights(energy, allowed);
  const double e = std::exp(1.0);
  EXPECT_NEAR(w[0][0].item<double>(), 1.0 / (1.0 + e), 1e-6);
  EXPECT_NEAR(w[0][1].item<double>(), e / (1.0 + e), 1e-6);
  EXPECT_EQ(w[0][2].item<double>(), 0.0);
  EXPECT_EQ(w[1].abs().sum().item<double>(), 0.0);  // nothing allowed: all zeros, no NaN
}

}  // namespace
