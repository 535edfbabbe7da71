// Additive (Bahdanau) attention, as LSTM_AT and BAT (Chaki et al., ISMIR 2020, eqs. 2-4) and
// the ALSTM encoder (Ma et al. 2017, eqs. 11-13) use it: energies, and softmax weights over the
// allowed steps. Internal to src/models (LibTorch).
#pragma once

#include <torch/torch.h>

namespace dynemo::models {

// Energies of steps that may not be attended: exp underflows to exactly 0 in float32, and a row
// with no allowed step stays finite (it is zeroed afterwards) instead of producing NaN.
inline constexpr double kMaskedEnergy = -1e9;

// e[b, t, j] = v . tanh(q[b, t] + k[b, j]): q, k [B, T, H], v [1, H] -> [B, T, T]. float32 on
// the CPU is computed in blocks of rows with a hand-written backward pass (tanh recomputed, never
// a [B, T, T, H] tensor in memory); anything else directly.
torch::Tensor additive_energy(const torch::Tensor& q, const torch::Tensor& k,
                              const torch::Tensor& v);

// Softmax of `energy` over its last dimension restricted to the `allowed` steps (bool, same
// shape); a row with no allowed step is all zeros.
torch::Tensor attention_weights(const torch::Tensor& energy, const torch::Tensor& allowed);

}  // namespace dynemo::models
