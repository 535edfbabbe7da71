// Lane types of the voicing group's batched stages: eight doubles, one per frame (lane j =
// frame j of a batch, as LaneVec in features/simd.h), an aligned buffer of them, and the
// attribute for hot loops that must round exactly as the per-frame scalar code they replace.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "features/simd.h"

namespace dynemo::features::compare {

// Lanes in double are held as two halves, lanes 0-3 and 4-7: GCC keeps four doubles in one AVX
// register but lowers an eight-double vector through memory.
typedef double Double4 __attribute__((vector_size(sizeof(double) * 4)));
typedef float Float4 __attribute__((vector_size(sizeof(float) * 4)));
typedef int LaneMask __attribute__((vector_size(sizeof(int) * kFftLanes)));

// lo, hi = lanes 0-3 and 4-7 of v, exactly, in double.
inline void widen(const LaneVec& v, Double4& lo, Double4& hi) {
  lo = __builtin_convertvector(__builtin_shufflevector(v, v, 0, 1, 2, 3), Double4);
  hi = __builtin_convertvector(__builtin_shufflevector(v, v, 4, 5, 6, 7), Double4);
}

// v = lo, hi rounded to float32.
inline void narrow(const Double4& lo, const Double4& hi, LaneVec& v) {
  const Float4 a = __builtin_convertvector(lo, Float4), b = __builtin_convertvector(hi, Float4);
  v = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7);
}

// A zero-initialised array of n lane vectors in double: entry 2i holds lanes 0-3 of point i,
// entry 2i + 1 lanes 4-7.
class LaneBufferD {
 public:
  explicit LaneBufferD(std::size_t n = 0) {
    if (n == 0) return;
    void* p = std::aligned_alloc(sizeof(Double4), 2 * n * sizeof(Double4));
    if (!p) throw std::bad_alloc();
    std::memset(p, 0, 2 * n * sizeof(Double4));
    data_.reset(static_cast<Double4*>(p));
  }
  Double4* data() const { return data_.get(); }

 private:
  struct Free {
    void operator()(Double4* p) const { std::free(p); }
  };
  std::unique_ptr<Double4[], Free> data_;
};

}  // namespace dynemo::features::compare
