// Training data as tensors: standardisation fitted on training songs, padded batches grouped by
// length, and batched inference over songs. Internal to dynemo::ml (includes LibTorch).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <random>
#include <vector>

#include "common/hash.h"
#include "dynemo/train.h"
#include "models/ensemble.h"
#include "models/model.h"

namespace dynemo::train {

// Per-feature mean and standard deviation of the songs' frames (population; 1 where a feature is
// constant).
models::Normaliser fit_normaliser(const SequenceSet& data, const std::vector<std::size_t>& songs);

// Every song of a set as standardised tensors: x[i] [T_i, F], y[i] [T_i, 2].
struct SongTensors {
  std::vector<torch::Tensor> x, y;
};
SongTensors to_tensors(const SequenceSet& data, const models::Normaliser& norm);

// Batch of songs `idx` padded to the longest; *target (if given) gets y padded [B, T, 2].
models::Batch make_batch(const SongTensors& t, const std::vector<std::size_t>& idx,
                         torch::Tensor* target = nullptr);

// The same with each sequence made of songs joined in time: sequence k is parts[k][0], then
// parts[k][1], ... (x and y concatenated), padded to the longest.
models::Batch make_joined_batch(const SongTensors& t,
                                const std::vector<std::vector<std::size_t>>& parts,
                                torch::Tensor* target = nullptr);

// Songs grouped into batches of up to `batch_size` songs of similar length: a shuffled order is
// sorted by length (stable), cut into batches, and the batches shuffled. rng fixes both shuffles.
std::vector<std::vector<std::size_t>> batches_by_length(const SongTensors& t,
                                                        std::vector<std::size_t> songs,
                                                        int batch_size, std::mt19937& rng);

}  // namespace dynemo::train
