// Factories of the model families, one per src/models/<family>.cpp. The registry
// (registry.cpp) parses a model name and calls one of these; nothing else should.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/model.h"

namespace dynemo::models {

// LSTM_NAT_<h1>[_<h2>...]: stacked unidirectional LSTM, per-frame linear output.
std::shared_ptr<SequenceModel> make_lstm_nat(const std::vector<std::int64_t>& hidden,
                                             const ModelOptions& options);

// LSTM_AT_<h...> (backward_only = false) and BAT_<h...> (true): LSTM encoder + additive
// attention with y_{t-1} feedback (Chaki et al. ISMIR 2020 eqs. 1-4); BAT attends j <= t-1 only.
// window > 0 (LSTM_AT_<h...>_W<w>): frame t attends only the frames j with |t - j| <= window.
std::shared_ptr<SequenceModel> make_attention_lstm(const std::vector<std::int64_t>& hidden,
                                                   bool backward_only, std::int64_t window,
                                                   const ModelOptions& options);

// TRANSFORMER_<layers>: encoder-only Transformer, input projection, sinusoidal positions.
std::shared_ptr<SequenceModel> make_transformer(std::int64_t layers, const ModelOptions& options);

// ALSTM_<h>x<n>_L<l>: Ma et al.'s sequence-to-one attention LSTM (n layers of h units) over the
// l frames ending at each frame.
std::shared_ptr<SequenceModel> make_alstm(std::int64_t hidden, std::int64_t layers,
                                          std::int64_t context, const ModelOptions& options);

// MCA_ALSTM_<h>x<n>[_S<s1>_<s2>...] and UMCA_ALSTM_... (uniform = true): multi-scale context
// attention over ALSTM contexts of the given scales (default 5, 10, 20 frames).
std::shared_ptr<SequenceModel> make_mca(std::int64_t hidden, std::int64_t layers,
                                        const std::vector<std::int64_t>& scales, bool uniform,
                                        const ModelOptions& options);

// DLSTM_<h1>_<h2>_<h3>: Coutinho et al.'s deep LSTM; the first layer is pre-trained as a
// denoising LSTM autoencoder (pretrain_loss), then the stack is trained jointly.
std::shared_ptr<SequenceModel> make_dlstm(const std::vector<std::int64_t>& hidden,
                                          const ModelOptions& options);

// CTX_MLP_<h>x<n>_C<c1>[_<c2>...]: per-frame MLP over each frame with the mean and std of its
// causal windows of c1, c2, ... frames, inputs clipped at +-5 sigma (context-mlp.cpp).
std::shared_ptr<SequenceModel> make_context_mlp(std::int64_t hidden, std::int64_t layers,
                                                const std::vector<std::int64_t>& contexts,
                                                const ModelOptions& options);

}  // namespace dynemo::models
