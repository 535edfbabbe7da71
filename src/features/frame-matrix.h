// Frame-level values: a [n_frames, n_values] row-major float matrix.
#pragma once

#include <cstddef>
#include <vector>

namespace dynemo::features {

struct FrameMatrix {
  std::size_t n_frames = 0;
  std::size_t n_values = 0;
  std::vector<float> data;

  FrameMatrix() = default;
  FrameMatrix(std::size_t frames, std::size_t values)
      : n_frames(frames), n_values(values), data(frames * values, 0.0f) {}

  float* row(std::size_t t) { return data.data() + t * n_values; }
  const float* row(std::size_t t) const { return data.data() + t * n_values; }
  float& at(std::size_t t, std::size_t v) { return data[t * n_values + v]; }
  float at(std::size_t t, std::size_t v) const { return data[t * n_values + v]; }
};

}  // namespace dynemo::features
