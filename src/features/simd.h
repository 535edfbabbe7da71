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

// DYNEMO_SIMD_CLONES without fused multiply-adds: every a * b + c rounds twice, as it does in
// the baseline build, so a batched loop gives the bits of the scalar loop it replaces on every
// CPU (the library builds with -ffp-contract=fast).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define DYNEMO_SIMD_CLONES_UNFUSED DYNEMO_SIMD_CLONES __attribute__((optimize("fp-contract=off")))
#else
#define DYNEMO_SIMD_CLONES_UNFUSED DYNEMO_SIMD_CLONES
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

// out[p][q] = r[q][p] for an 8 x 8 block of lane vectors (unpack, shuffle, then swap 128-bit
// halves): eight rows of eight floats in, their columns out, all in registers.
// __builtin_shufflevector (constant indices) is understood by both GCC >= 12 and clang.
inline void transpose8(const LaneVec* r, LaneVec* out) {
  static_assert(kFftLanes == 8, "the block transpose is written for 8 lanes");
  LaneVec t[8], u[8];
  for (int p = 0; p < 8; p += 2) {
    t[p] = __builtin_shufflevector(r[p], r[p + 1], 0, 8, 1, 9, 4, 12, 5, 13);
    t[p + 1] = __builtin_shufflevector(r[p], r[p + 1], 2, 10, 3, 11, 6, 14, 7, 15);
  }
  for (int p = 0; p < 8; p += 4) {
    u[p] = __builtin_shufflevector(t[p], t[p + 2], 0, 1, 8, 9, 4, 5, 12, 13);
    u[p + 1] = __builtin_shufflevector(t[p], t[p + 2], 2, 3, 10, 11, 6, 7, 14, 15);
    u[p + 2] = __builtin_shufflevector(t[p + 1], t[p + 3], 0, 1, 8, 9, 4, 5, 12, 13);
    u[p + 3] = __builtin_shufflevector(t[p + 1], t[p + 3], 2, 3, 10, 11, 6, 7, 14, 15);
  }
  for (int p = 0; p < 4; ++p) {
    out[p] = __builtin_shufflevector(u[p], u[p + 4], 0, 1, 2, 3, 8, 9, 10, 11);
    out[p + 4] = __builtin_shufflevector(u[p], u[p + 4], 4, 5, 6, 7, 12, 13, 14, 15);
  }
}

}  // namespace dynemo::features
