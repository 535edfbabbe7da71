// The interface every sequence model of the zoo implements, and the registry that builds a model
// from its name ("LSTM_AT_400", "TRANSFORMER_2", "MCA_ALSTM_150x3"): the name is the config.
// Includes LibTorch: include it only from src/models and src/train, never from public headers.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dynemo::models {

// A padded batch of feature sequences.
struct Batch {
  torch::Tensor x;        // [B, T, F] float32, zero after each sequence's end
  torch::Tensor mask;     // [B, T] bool, true on real frames (a prefix of each row)
  torch::Tensor context;  // [B, C, F] frames before frame 0 (audio before the first rating),
                          // or undefined when there are none; only context models read it
};

// What a forward pass returns.
struct Output {
  torch::Tensor y;          // [B, T, D] predictions (D = n_outputs; arousal, valence order)
  torch::Tensor attention;  // [B, T, T] rows = output frame t, cols = attended frame j, rows sum
                            // to 1 over the frames the model may attend (undefined if none)
  torch::Tensor scale_weights;  // [B, T, S] weights over context scales (MCA), else undefined
};

// Settings shared by every family; the family-specific sizes come from the name.
struct ModelOptions {
  std::int64_t n_features = 0;
  std::int64_t n_outputs = 2;  // 2 = joint arousal+valence head, 1 = one model per dimension
  double dropout = 0.0;        // between stacked layers / before the output layer
  // Models that feed back y_{t-1} (LSTM_AT, BAT): in training, feed the annotated previous value
  // (teacher forcing, true) or the model's own previous prediction (false).
  bool teacher_forcing = true;
  double pretrain_noise_std = 0.1;  // DLSTM autoencoder input noise, in standardised units
  // false: the LSTM weights are left undrawn, as the network's weights are about to be loaded
  // (load_weights); training draws them from the seed.
  bool initialise = true;
};

class SequenceModel : public torch::nn::Module {
 public:
  // Inference: batch -> predictions, attention where the model has it. Padded frames never
  // change the outputs of real frames. Models that feed back y_{t-1} feed their own prediction.
  virtual Output forward(const Batch& batch) = 0;

  // Training pass. Models that feed back y_{t-1} receive the true previous values
  // (teacher forcing) through `target` [B, T, D]; other models ignore it.
  virtual Output forward_train(const Batch& batch, const torch::Tensor& target) {
    (void)target;
    return forward(batch);
  }

  // Unsupervised pre-training step (DLSTM's denoising autoencoder): returns a scalar loss over
  // the parameters that pre-training updates, or an undefined tensor for models without it.
  virtual torch::Tensor pretrain_loss(const Batch& batch) {
    (void)batch;
    return {};
  }

  // Frames of context before frame 0 the model can use (MCA: its largest scale), else 0.
  virtual std::int64_t context_frames() const { return 0; }

  // True when forward() fills Output::attention (LSTM_AT, BAT, ALSTM, MCA; CTX_MLP its uniform
  // context window), which `--attention` and the explain page show.
  virtual bool has_attention() const { return false; }

  // The registered name this model was built from.
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

 private:
  std::string name_;
};

// One registry entry: the name pattern, a description and the paper it comes from.
struct ModelInfo {
  std::string pattern;      // "LSTM_AT_<h1>[_<h2>...]"
  std::string example;      // "LSTM_AT_400"
  std::string description;  // one line
  std::string reference;    // "Chaki et al., ISMIR 2020, eqs. 1-4"
};

// Every registered family (RIDGE included: it is listed here but trained in closed form by the
// trainer, so make_model rejects it).
const std::vector<ModelInfo>& model_infos();

// Builds the model a name describes. Throws ConfigError naming the problem for an unknown
// family or malformed sizes ("LSTM_AT_x" -> "hidden size 'x' is not a positive integer").
std::shared_ptr<SequenceModel> make_model(const std::string& name, const ModelOptions& options);

// True for names the trainer fits in closed form instead of by gradient descent (RIDGE, MEAN).
bool is_closed_form(const std::string& name);

}  // namespace dynemo::models
