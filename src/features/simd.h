// SIMD building blocks shared by the frame loops: 8-float lane vectors (GCC vector
// extensions), an aligned buffer of them, and the attribute that compiles a hot function for
// x86-64-v3 and for the baseline.
#pragma once

#include <cstddef>
#include <memory>

namespace dynemo::features {

inline constexpr int kFftLanes = 8;

// Hot loops are built for x86-64-v3 (AVX2 + FMA) and for the baseline, chosen at load time
// (GCC target_clones).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define DYNEMO_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define DYNEMO_SIMD_CLONES
#endif

// Eight floats, one per frame (lane j = frame j of a batch).
typedef float LaneVec __attribute__((vector_size(sizeof(float) * kFftLanes)));

// A zero-initialised array of lane vectors, aligned to the vector size. (Without AVX, GCC gives
// LaneVec only 16-byte alignment, but the AVX2 clones load it with 32-byte aligned moves.)
class LaneBuffer {
 public:
  explicit LaneBuffer(std::size_t n = 0);
  LaneVec* data() { return data_.get(); }
  const LaneVec* data() const { return data_.get(); }
  LaneVec& operator[](std::size_t i) { return data_.get()[i]; }
  const LaneVec& operator[](std::size_t i) const { return data_.get()[i]; }
  std::size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(LaneVec* p) const;
  };
  std::unique_ptr<LaneVec[], Free> data_;
  std::size_t size_ = 0;
};

}  // namespace dynemo::features
