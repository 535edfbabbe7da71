// predict_songs (song-predictions.h).
#include "train/song-predictions.h"

#include <algorithm>

namespace dynemo::train {
namespace {

// One song's [T, 2] output as interleaved floats, smoothed over `width` frames.
std::vector<float> smoothed_row(const torch::Tensor& row, int width) {
  std::vector<float> v(row.data_ptr<float>(), row.data_ptr<float>() + row.numel());
  models::smooth_interleaved(v, width);
  return v;
}

}  // namespace

std::vector<std::vector<float>> predict_songs(models::Ensemble& model, const SongTensors& data,
                                              const std::vector<std::size_t>& songs,
                                              std::vector<std::vector<float>>* spread) {
  std::vector<std::vector<float>> out(songs.size());
  if (spread) spread->assign(songs.size(), {});
  // Group equal lengths so batches need no padding; at most 64 songs per forward pass.
  std::vector<std::size_t> order(songs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return data.x[songs[a]].size(0) < data.x[songs[b]].size(0);
  });
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start;
    std::vector<std::size_t> idx;
    while (end < order.size() && idx.size() < 64 &&
           data.x[songs[order[end]]].size(0) == data.x[songs[order[start]]].size(0)) {
      idx.push_back(songs[order[end]]);
      ++end;
    }
    torch::Tensor sd;
    const torch::Tensor y =
        models::predict_batch(model, make_batch(data, idx), nullptr, spread ? &sd : nullptr)
            .contiguous();
    if (spread) sd = sd.contiguous();
    for (std::size_t k = start; k < end; ++k) {
      const auto b = static_cast<std::int64_t>(k - start);
      out[order[k]] = smoothed_row(y[b], model.config.smoothing_frames);
      if (spread) (*spread)[order[k]] = smoothed_row(sd[b], model.config.smoothing_frames);
    }
    start = end;
  }
  return out;
}

}  // namespace dynemo::train
