// Standardisation, padding and length-grouped batching of training sequences.
#include "train/tensors.h"

#include <algorithm>
#include <cmath>

namespace dynemo::train {

models::Normaliser fit_normaliser(const SequenceSet& data, const std::vector<std::size_t>& songs) {
  const std::size_t f = data.n_features();
  std::vector<double> sum(f, 0.0), sum2(f, 0.0);
  std::size_t n = 0;
  for (std::size_t s : songs) {
    const SongSequence& seq = data.songs[s];
    for (std::size_t t = 0; t < seq.n_frames(); ++t) {
      const float* row = seq.features.data() + t * f;
      for (std::size_t c = 0; c < f; ++c) {
        sum[c] += row[c];
        sum2[c] += static_cast<double>(row[c]) * row[c];
      }
    }
    n += seq.n_frames();
  }
  models::Normaliser norm;
  norm.mean.resize(f);
  norm.std.resize(f);
  for (std::size_t c = 0; c < f; ++c) {
    const double mean = n ? sum[c] / static_cast<double>(n) : 0.0;
    const double var = n ? std::max(0.0, sum2[c] / static_cast<double>(n) - mean * mean) : 0.0;
    const double sd = std::sqrt(var);
    norm.mean[c] = static_cast<float>(mean);
    norm.std[c] = sd > 1e-12 * (1.0 + std::fabs(mean)) ? static_cast<float>(sd) : 1.0f;
  }
  return norm;
}

SongTensors to_tensors(const SequenceSet& data, const models::Normaliser& norm) {
  const auto f = static_cast<std::int64_t>(data.n_features());
  const torch::Tensor mean = torch::tensor(norm.mean).view({1, f});
  const torch::Tensor inv_std = 1.0 / torch::tensor(norm.std).view({1, f});
  SongTensors out;
  out.x.reserve(data.songs.size());
  out.y.reserve(data.songs.size());
  for (const SongSequence& seq : data.songs) {
    const auto t = static_cast<std::int64_t>(seq.n_frames());
    torch::Tensor x = torch::from_blob(const_cast<float*>(seq.features.data()), {t, f}).clone();
    out.x.push_back(((x - mean) * inv_std).contiguous());
    out.y.push_back(torch::from_blob(const_cast<float*>(seq.targets.data()), {t, 2}).clone());
  }
  return out;
}

models::Batch make_batch(const SongTensors& t, const std::vector<std::size_t>& idx,
                         torch::Tensor* target) {
  std::int64_t max_t = 0;
  bool same = true;
  for (std::size_t i : idx) {
    const std::int64_t len = t.x[i].size(0);
    if (max_t != 0 && len != max_t) same = false;
    max_t = std::max(max_t, len);
  }
  const auto b = static_cast<std::int64_t>(idx.size());
  const std::int64_t f = t.x[idx.front()].size(1);
  models::Batch batch;
  if (same) {
    std::vector<torch::Tensor> xs, ys;
    for (std::size_t i : idx) {
      xs.push_back(t.x[i]);
      if (target) ys.push_back(t.y[i]);
    }
    batch.x = torch::stack(xs);
    batch.mask = torch::ones({b, max_t}, torch::kBool);
    if (target) *target = torch::stack(ys);
    return batch;
  }
  batch.x = torch::zeros({b, max_t, f});
  batch.mask = torch::zeros({b, max_t}, torch::kBool);
  if (target) *target = torch::zeros({b, max_t, 2});
  for (std::int64_t k = 0; k < b; ++k) {
    const std::size_t i = idx[static_cast<std::size_t>(k)];
    const std::int64_t len = t.x[i].size(0);
    batch.x[k].narrow(0, 0, len).copy_(t.x[i]);
    batch.mask[k].narrow(0, 0, len).fill_(true);
    if (target) (*target)[k].narrow(0, 0, len).copy_(t.y[i]);
  }
  return batch;
}

models::Batch make_joined_batch(const SongTensors& t,
                                const std::vector<std::vector<std::size_t>>& parts,
                                torch::Tensor* target) {
  SongTensors joined;
  std::vector<std::size_t> idx;
  for (const std::vector<std::size_t>& songs : parts) {
    std::vector<torch::Tensor> xs, ys;
    for (std::size_t s : songs) {
      xs.push_back(t.x[s]);
      ys.push_back(t.y[s]);
    }
    idx.push_back(joined.x.size());
    joined.x.push_back(torch::cat(xs, 0));
    joined.y.push_back(torch::cat(ys, 0));
  }
  return make_batch(joined, idx, target);
}

std::vector<std::vector<std::size_t>> batches_by_length(const SongTensors& t,
                                                        std::vector<std::size_t> songs,
                                                        int batch_size, std::mt19937& rng) {
  std::shuffle(songs.begin(), songs.end(), rng);
  std::stable_sort(songs.begin(), songs.end(),
                   [&](std::size_t a, std::size_t b) { return t.x[a].size(0) < t.x[b].size(0); });
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t i = 0; i < songs.size(); i += static_cast<std::size_t>(batch_size)) {
    const std::size_t end = std::min(songs.size(), i + static_cast<std::size_t>(batch_size));
    batches.emplace_back(songs.begin() + static_cast<std::ptrdiff_t>(i),
                         songs.begin() + static_cast<std::ptrdiff_t>(end));
  }
  std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

}  // namespace dynemo::train
