// Unit tests of src/models: every family's shapes, padding invariance, attention contracts
// (BAT never looks ahead), a tiny overfitting run, teacher forcing, DLSTM pre-training and the
// registry's parsing and error messages. Small sizes (F = 6, h = 8), one thread, seeded.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dynemo/error.h"
#include "file-helpers.h"
#include "models/model.h"

namespace dm = dynemo::models;

namespace {

constexpr std::int64_t kFeatures = 6;

dm::ModelOptions small_options() {
  dm::ModelOptions options;
  options.n_features = kFeatures;
  options.n_outputs = 2;
  options.dropout = 0.0;
  return options;
}

std::shared_ptr<dm::SequenceModel> build(const std::string& name, std::uint64_t seed = 1) {
  torch::set_num_threads(1);
  torch::manual_seed(seed);
  return dm::make_model(name, small_options());
}

// Random sequences of the given lengths, zero after each end. x: [B, T, F], mask: [B, T].
dm::Batch random_batch(const std::vector<std::int64_t>& lengths, std::int64_t n_frames,
                       std::uint64_t seed) {
  torch::manual_seed(seed);
  const auto n_batch = static_cast<std::int64_t>(lengths.size());
  const torch::Tensor frame = torch::arange(n_frames).unsqueeze(0);  // [1, T]
  const torch::Tensor length = torch::tensor(lengths).unsqueeze(1);  // [B, 1]
  const torch::Tensor mask = frame < length;
  const torch::Tensor x = torch::randn({n_batch, n_frames, kFeatures}) * mask.unsqueeze(-1);
  return {x, mask, {}};
}

// Row b of a batch, its first `n` frames, as a batch of one.
dm::Batch single(const dm::Batch& batch, std::int64_t b, std::int64_t n) {
  return {batch.x.narrow(0, b, 1).narrow(1, 0, n).clone(),
          batch.mask.narrow(0, b, 1).narrow(1, 0, n).clone(),
          {}};
}

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

bool has_prefix(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

// One small configuration of every family (LSTM_NAT included as the reference).
const std::vector<std::string> kFamilies = {"LSTM_NAT_8",
                                            "LSTM_AT_8",
                                            "BAT_8_6",
                                            "TRANSFORMER_1",
                                            "ALSTM_8x2_L3",
                                            "MCA_ALSTM_8x1_S2_4",
                                            "UMCA_ALSTM_8x1_S2_3_5",
                                            "DLSTM_8_6_4",
                                            "CTX_MLP_8x2_C3_5"};

class Family : public ::testing::TestWithParam<std::string> {};

TEST_P(Family, OutputShapes) {
  const auto model = build(GetParam());
  model->eval();
  const dm::Output out = model->forward(random_batch({7, 4}, 7, 2));
  ASSERT_TRUE(out.y.defined());
  EXPECT_EQ(out.y.sizes(), (std::vector<std::int64_t>{2, 7, 2}));
  const bool attends = has_prefix(GetParam(), "LSTM_AT") || has_prefix(GetParam(), "BAT") ||
                       GetParam().find("ALSTM") != std::string::npos ||
                       has_prefix(GetParam(), "CTX_MLP");
  ASSERT_EQ(out.attention.defined(), attends);
  if (attends) {
    EXPECT_EQ(out.attention.sizes(), (std::vector<std::int64_t>{2, 7, 7}));
  }
  const bool multi_scale = GetParam().find("MCA_") != std::string::npos;
  ASSERT_EQ(out.scale_weights.defined(), multi_scale);
  if (multi_scale) {
    const std::int64_t n_scales = has_prefix(GetParam(), "UMCA") ? 3 : 2;
    EXPECT_EQ(out.scale_weights.sizes(), (std::vector<std::int64_t>{2, 7, n_scales}));
  }
  EXPECT_TRUE(torch::isfinite(out.y).all().item<bool>());
}

// The 4 real frames of a short sequence give the same outputs alone as beside a longer one.
TEST_P(Family, PaddingNeverChangesRealFrames) {
  const auto model = build(GetParam());
  model->eval();
  torch::NoGradGuard no_grad;
  const dm::Batch batch = random_batch({7, 4}, 7, 3);
  const dm::Output both = model->forward(batch);
  const dm::Output alone = model->forward(single(batch, 1, 4));
  EXPECT_LT(max_abs_diff(both.y[1].narrow(0, 0, 4), alone.y[0]), 1e-5);
  if (alone.attention.defined()) {
    EXPECT_LT(max_abs_diff(both.attention[1].narrow(0, 0, 4).narrow(1, 0, 4), alone.attention[0]),
              1e-5);
  }
  if (alone.scale_weights.defined()) {
    EXPECT_LT(max_abs_diff(both.scale_weights[1].narrow(0, 0, 4), alone.scale_weights[0]), 1e-5);
  }
  // The longer row is really different input, so the comparison above is not vacuous.
  EXPECT_GT(max_abs_diff(both.y[0].narrow(0, 0, 4), alone.y[0]), 1e-4);
}

// y = tanh(x A) for a fixed A: a tiny model must fit 8 x 12 frames almost exactly.
TEST_P(Family, OverfitsTinySyntheticSet) {
  const auto model = build(GetParam(), 7);
  const dm::Batch batch = random_batch(std::vector<std::int64_t>(8, 12), 12, 11);
  const torch::Tensor a = torch::randn({kFeatures, 2}) * 0.6;
  const torch::Tensor target = torch::tanh(torch::matmul(batch.x, a));  // [8, 12, 2]
  torch::optim::Adam optimiser(model->parameters(), torch::optim::AdamOptions(1e-2));
  const auto mse = [&] { return (model->forward_train(batch, target).y - target).pow(2).mean(); };
  const double initial = mse().item<double>();
  for (int step = 0; step < 250; ++step) {
    optimiser.zero_grad();
    torch::Tensor loss = mse();
    loss.backward();
    optimiser.step();
  }
  model->eval();
  torch::NoGradGuard no_grad;
  // Inference: models with feedback now feed back their own predictions.
  const double final = (model->forward(batch).y - target).pow(2).mean().item<double>();
  EXPECT_LT(final, 0.01) << "initial " << initial;
  EXPECT_LT(final, initial / 10.0);
}

// Only DLSTM has an unsupervised pre-training loss.
TEST_P(Family, PretrainLossOnlyForDlstm) {
  const auto model = build(GetParam());
  const torch::Tensor loss = model->pretrain_loss(random_batch({5, 3}, 5, 4));
  if (has_prefix(GetParam(), "DLSTM")) {
    ASSERT_TRUE(loss.defined());
    EXPECT_EQ(loss.dim(), 0);
    EXPECT_GT(loss.item<double>(), 0.0);
  } else {
    EXPECT_FALSE(loss.defined());
  }
}

INSTANTIATE_TEST_SUITE_P(Models, Family, ::testing::ValuesIn(kFamilies),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// Perturbing frame 6 leaves BAT's outputs at frames <= 5 unchanged; LSTM_AT's change.
TEST(AttentionLstm, BackwardAttentionNeverLooksAhead) {
  const dm::Batch batch = random_batch({10}, 10, 5);
  dm::Batch perturbed = batch;
  perturbed.x = batch.x.clone();
  perturbed.x.select(0, 0).select(0, 6).add_(1.0);
  for (const std::string name : {"BAT_8", "LSTM_AT_8"}) {
    const auto model = build(name);
    model->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor y = model->forward(batch).y[0];
    const torch::Tensor y_perturbed = model->forward(perturbed).y[0];
    const double before = max_abs_diff(y.narrow(0, 0, 6), y_perturbed.narrow(0, 0, 6));
    if (name == "BAT_8") {
      EXPECT_EQ(before, 0.0) << name;
    } else {
      EXPECT_GT(before, 1e-4) << name;
    }
    EXPECT_GT(max_abs_diff(y[6], y_perturbed[6]), 1e-4) << name;
  }
}

// A long song takes the attention energies in blocks of rows (1500 frames x 8 units: two
// blocks, the second from row 1398; 1400 frames: one block). BAT is causal, so both must agree
// on the 1400 shared frames, rows of the second block included.
TEST(AttentionLstm, LongSequencesAgreeAcrossEnergyBlocks) {
  const auto model = build("BAT_8");
  model->eval();
  torch::NoGradGuard no_grad;
  const dm::Batch long_song = random_batch({1500}, 1500, 13);
  const dm::Output full = model->forward(long_song);
  const dm::Output cut = model->forward(single(long_song, 0, 1400));
  EXPECT_LT(max_abs_diff(full.y[0].narrow(0, 0, 1400), cut.y[0]), 1e-5);
  EXPECT_LT(max_abs_diff(full.attention[0].narrow(0, 1390, 10).narrow(1, 0, 1400),
                         cut.attention[0].narrow(0, 1390, 10)),
            1e-6);
}

// Rows sum to 1 over the frames each model may attend and are 0 everywhere else.
TEST(AttentionLstm, AttentionRowsAreDistributionsOverAllowedFrames) {
  const dm::Batch batch = random_batch({7, 4}, 7, 6);
  const torch::Tensor real = batch.mask.unsqueeze(1).expand({2, 7, 7});     // column is real
  const torch::Tensor before = torch::ones({7, 7}, torch::kBool).tril(-1);  // j <= t-1
  const torch::Tensor window =
      torch::ones({7, 7}, torch::kBool)
          .tril(0)
          .logical_and(torch::ones({7, 7}, torch::kBool).triu(-2));  // t-2 <= j <= t
  struct Case {
    std::string name;
    torch::Tensor allowed;  // [2, 7, 7]
    std::int64_t first_row;
  };
  const torch::Tensor window4 =
      torch::ones({7, 7}, torch::kBool)
          .tril(0)
          .logical_and(
              torch::ones({7, 7}, torch::kBool).triu(-3));  // t-3 <= j <= t (largest MCA scale 4)
  const torch::Tensor band2 =
      torch::ones({7, 7}, torch::kBool)
          .tril(2)
          .logical_and(torch::ones({7, 7}, torch::kBool).triu(-2));  // |t-j|<=2
  for (const Case& c : {Case{"LSTM_AT_8", real, 0}, Case{"BAT_8", real.logical_and(before), 1},
                        Case{"LSTM_AT_8_4_W2", real.logical_and(band2), 0},
                        Case{"ALSTM_8x1_L3", real.logical_and(window), 0},
                        Case{"MCA_ALSTM_8x1_S2_4", real.logical_and(window4), 0}}) {
    const auto model = build(c.name);
    model->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor attention = model->forward(batch).attention;
    EXPECT_EQ(attention.masked_select(c.allowed.logical_not()).abs().max().item<double>(), 0.0)
        << c.name;
    for (std::int64_t b = 0; b < 2; ++b) {
      const std::int64_t length = b == 0 ? 7 : 4;
      const torch::Tensor sums = attention[b].narrow(0, c.first_row, length - c.first_row).sum(-1);
      EXPECT_LT(max_abs_diff(sums, torch::ones_like(sums)), 1e-5) << c.name << " row " << b;
    }
    if (c.first_row == 1) {
      EXPECT_EQ(attention.select(1, 0).abs().max().item<double>(), 0.0) << "row 0";
    }
  }
}

// With the model's own predictions as target, teacher forcing reproduces inference exactly;
// with another target it changes frames t >= 1 but not frame 0 (y_{-1} = 0 in both).
TEST(AttentionLstm, TeacherForcingFeedsTheTargetBack) {
  const auto model = build("LSTM_AT_8");
  model->eval();
  torch::NoGradGuard no_grad;
  const dm::Batch batch = random_batch({9, 6}, 9, 8);
  const torch::Tensor own = model->forward(batch).y;
  EXPECT_LT(max_abs_diff(model->forward_train(batch, own).y, own), 1e-5);
  const torch::Tensor other = model->forward_train(batch, own + 0.5).y;
  EXPECT_LT(max_abs_diff(other.select(1, 0), own.select(1, 0)), 1e-6);
  EXPECT_GT(max_abs_diff(other.narrow(1, 1, 8), own.narrow(1, 1, 8)), 1e-4);

  dm::ModelOptions free_running = small_options();
  free_running.teacher_forcing = false;
  torch::manual_seed(1);
  const auto model2 = dm::make_model("LSTM_AT_8", free_running);
  model2->eval();
  EXPECT_LT(max_abs_diff(model2->forward_train(batch, own + 0.5).y, model2->forward(batch).y),
            1e-6);
}

TEST(ContextAttention, ScaleWeightsSumToOneAndUniformIsExact) {
  const dm::Batch batch = random_batch({7, 4}, 7, 9);
  torch::NoGradGuard no_grad;
  const torch::Tensor mca = build("MCA_ALSTM_8x1_S2_4")->forward(batch).scale_weights;
  EXPECT_LT(max_abs_diff(mca.sum(-1), torch::ones({2, 7})), 1e-6);
  EXPECT_GT(max_abs_diff(mca, torch::full_like(mca, 0.5)), 1e-4);  // learned, not uniform
  const torch::Tensor umca = build("UMCA_ALSTM_8x1_S2_3_5")->forward(batch).scale_weights;
  EXPECT_TRUE(torch::equal(umca, torch::full_like(umca, 1.0f / 3.0f)));
  EXPECT_EQ(build("MCA_ALSTM_8x1_S2_4")->context_frames(), 4);
  EXPECT_EQ(build("ALSTM_8x1_L3")->context_frames(), 3);
  EXPECT_EQ(build("LSTM_AT_8")->context_frames(), 0);
}

// Frames before frame 0 come from batch.context: giving it changes the first frames only.
TEST(ContextAttention, ContextFramesPrecedeFrameZero) {
  const auto model = build("ALSTM_8x1_L3");
  model->eval();
  torch::NoGradGuard no_grad;
  dm::Batch batch = random_batch({6}, 6, 10);
  const torch::Tensor without = model->forward(batch).y[0];
  batch.context = torch::randn({1, 5, kFeatures});
  const dm::Output with = model->forward(batch);
  EXPECT_GT(max_abs_diff(with.y[0].narrow(0, 0, 2), without.narrow(0, 0, 2)), 1e-4);
  EXPECT_LT(max_abs_diff(with.y[0].narrow(0, 2, 4), without.narrow(0, 2, 4)), 1e-6);
  // Row 0 puts part of its weight on the two context frames before it.
  EXPECT_LT(with.attention[0][0].sum().item<double>(), 1.0 - 1e-4);
}

// CTX_MLP: frame t depends on frames t-c+1 .. t only (c = its longest context); the attention
// row of frame t is uniform over the real frames of that window; inputs beyond 5 sigma are
// clipped, so a value 1000 sigma away acts as 5 sigma.
TEST(ContextMlp, SeesOnlyItsCausalWindowUniformlyAndClipsOutliers) {
  const auto model = build("CTX_MLP_8x2_C2_4");
  model->eval();
  torch::NoGradGuard no_grad;
  EXPECT_EQ(model->context_frames(), 4);
  dm::Batch batch = random_batch({10}, 10, 11);
  const dm::Output base = model->forward(batch);
  dm::Batch changed = batch;
  changed.x = batch.x.clone();
  changed.x[0][5] += 1.0;  // frame 5 reaches the outputs of frames 5..8 only
  const torch::Tensor y = model->forward(changed).y[0];
  EXPECT_LT(max_abs_diff(y.narrow(0, 0, 5), base.y[0].narrow(0, 0, 5)), 1e-7);
  EXPECT_GT(max_abs_diff(y.narrow(0, 5, 4), base.y[0].narrow(0, 5, 4)), 1e-5);
  EXPECT_LT(max_abs_diff(y.narrow(0, 9, 1), base.y[0].narrow(0, 9, 1)), 1e-7);
  // Row 1 averages frames 0 and 1; row 7 frames 4..7.
  EXPECT_NEAR(base.attention[0][1][0].item<double>(), 0.5, 1e-6);
  EXPECT_NEAR(base.attention[0][7][4].item<double>(), 0.25, 1e-6);
  EXPECT_NEAR(base.attention[0][7][3].item<double>(), 0.0, 1e-9);
  dm::Batch at_five = batch, far = batch;
  at_five.x = batch.x.clone();
  far.x = batch.x.clone();
  at_five.x[0][3][0] = 5.0;
  far.x[0][3][0] = 1000.0;
  EXPECT_LT(max_abs_diff(model->forward(far).y, model->forward(at_five).y), 1e-7);
}

// A few optimiser steps on the denoising loss lower it (same noise draw before and after), and
// only layer 1 and the decoder receive gradients.
TEST(DeepLstm, PretrainLossDecreases) {
  const auto model = build("DLSTM_8_6_4");
  const dm::Batch batch = random_batch({10, 7}, 10, 12);
  const auto loss_at = [&](std::uint64_t seed) {
    torch::manual_seed(seed);
    return model->pretrain_loss(batch);
  };
  const double initial = loss_at(99).item<double>();
  torch::optim::Adam optimiser(model->parameters(), torch::optim::AdamOptions(1e-2));
  for (std::uint64_t step = 0; step < 30; ++step) {
    optimiser.zero_grad();
    loss_at(step).backward();
    optimiser.step();
  }
  EXPECT_LT(loss_at(99).item<double>(), 0.7 * initial);
  const auto parameters = model->named_parameters();
  EXPECT_TRUE(parameters["lstm0.weight_ih_l0"].grad().defined());
  EXPECT_TRUE(parameters["decoder.weight"].grad().defined());
  EXPECT_FALSE(parameters["lstm1.weight_ih_l0"].grad().defined());
  EXPECT_FALSE(parameters["out.weight"].grad().defined());
}

TEST(ModelRegistry, BuildsEveryExample) {
  for (const dm::ModelInfo& info : dm::model_infos()) {
    if (dm::is_closed_form(info.example)) continue;
    const auto model = build(info.example);
    EXPECT_EQ(model->name(), info.example);
    model->eval();
    torch::NoGradGuard no_grad;
    EXPECT_EQ(model->forward(random_batch({3}, 3, 1)).y.sizes(),
              (std::vector<std::int64_t>{1, 3, 2}))
        << info.example;
  }
}

TEST(ModelRegistry, MalformedNamesNameTheProblem) {
  const dm::ModelOptions options = small_options();
  EXPECT_THROW_MSG(dm::make_model("LSTM_AT_x", options), dynemo::ConfigError,
                   "hidden size 'x' is not a positive integer");
  EXPECT_THROW_MSG(dm::make_model("TRANSFORMER", options), dynemo::ConfigError,
                   "expected TRANSFORMER_<layers>");
  EXPECT_THROW_MSG(dm::make_model("MCA_ALSTM_150", options), dynemo::ConfigError,
                   "expected <units>x<layers>, got '150'");
  EXPECT_THROW_MSG(dm::make_model("FOO_1", options), dynemo::ConfigError, "unknown model family");
  EXPECT_THROW_MSG(dm::make_model("ALSTM_8x2_L0", options), dynemo::ConfigError,
                   "context length '0' is not a positive integer");
  EXPECT_THROW_MSG(dm::make_model("BAT", options), dynemo::ConfigError,
                   "expected at least one hidden size");
  EXPECT_THROW_MSG(dm::make_model("RIDGE", options), dynemo::ConfigError, "closed form");
  EXPECT_THROW_MSG(dm::make_model("LSTM_AT_8_W0", options), dynemo::ConfigError,
                   "attention window '0' is not a positive integer");
  EXPECT_THROW_MSG(dm::make_model("LSTM_AT_W3", options), dynemo::ConfigError,
                   "hidden size 'W3' is not a positive integer");
}

// The attention window bounds how far a change reaches: frames more than w away from t do not
// move its output, and a window wider than the sequence is the plain model.
TEST(AttentionLstm, WindowedAttentionIgnoresFarFramesAndEqualsThePlainModelWhenWide) {
  const auto windowed = build("LSTM_AT_8_W2");  // the same seed: the same weights
  const auto plain = build("LSTM_AT_8");
  const auto wide = build("LSTM_AT_8_W9");
  for (const auto& m : {windowed, plain, wide}) m->eval();
  torch::NoGradGuard no_grad;
  const dm::Batch batch = random_batch({10}, 10, 1);
  EXPECT_LT(max_abs_diff(wide->forward(batch).y, plain->forward(batch).y), 1e-6);
  // Frames 6..9 changed: the (unidirectional) encoder and the window keep frames 0..3 as they were.
  dm::Batch changed = batch;
  changed.x = batch.x.clone();
  changed.x.narrow(1, 6, 4).add_(3.0);
  const torch::Tensor before = windowed->forward(batch).y, after = windowed->forward(changed).y;
  EXPECT_LT(max_abs_diff(before.narrow(1, 0, 4), after.narrow(1, 0, 4)), 1e-6);
  EXPECT_GT(max_abs_diff(before.narrow(1, 4, 6), after.narrow(1, 4, 6)), 1e-3);
  const torch::Tensor p0 = plain->forward(batch).y, p1 = plain->forward(changed).y;
  EXPECT_GT(max_abs_diff(p0.narrow(1, 0, 4), p1.narrow(1, 0, 4)), 1e-4);  // whole-track attention
}

}  // namespace
