// Real FFTs of kFftLanes frames at once. Each "sample" is a vector holding that sample of every
// frame (lane j = frame j), so every butterfly is a SIMD operation with no shuffles. Same
// convention as numpy.fft.rfft: unnormalised, e^{-2 pi i k n / N}.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace dynemo::features {

inline constexpr int kFftLanes = 8;

// Hot loops are built for x86-64-v3 (AVX2 + FMA) and for the baseline, chosen at load time
// (GCC target_clones).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define DYNEMO_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define DYNEMO_SIMD_CLONES
#endif
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

class BatchRealFft {
 public:
  // n: a power of two >= 4.
  explicit BatchRealFft(int n);

  int size() const { return n_; }
  int n_bins() const { return n_ / 2 + 1; }

  // x: n lane vectors (x[i][j] = sample i of frame j). re, im: n / 2 + 1 lane vectors each.
  // Uses internal scratch: one object per thread.
  void forward(const LaneVec* x, LaneVec* re, LaneVec* im) const;

 private:
  int n_;
  int m_;                                 // n / 2: size of the complex FFT
  std::vector<int> bitrev_;               // bit-reversal permutation of 0..m-1
  std::vector<float> tw_re_, tw_im_;      // stage twiddles: entry h + j = e^{-2 pi i j / 2h}
  std::vector<float> post_re_, post_im_;  // e^{-2 pi i k / n}, k = 0..m
  mutable LaneBuffer zr_, zi_;
};

}  // namespace dynemo::features
