// Real FFTs of kFftLanes frames at once. Each "sample" is a vector holding that sample of every
// frame (lane j = frame j), so every butterfly is a SIMD operation with no shuffles. Same
// convention as numpy.fft.rfft: unnormalised, e^{-2 pi i k n / N}.
#pragma once

#include <vector>

#include "features/simd.h"

namespace dynemo::features {

class BatchRealFft {
 public:
  // n: a power of two >= 4.
  explicit BatchRealFft(int n);

  int size() const { return n_; }
  int n_bins() const { return n_ / 2 + 1; }

  // x: n lane vectors (x[i][j] = sample i of frame j). re, im: n / 2 + 1 lane vectors each.
  // Uses internal scratch: one object per thread.
  void forward(const LaneVec* x, LaneVec* re, LaneVec* im) const;
  // The same for x[i][j] = rows[j][i] * window[i] (window may be null): kFftLanes frames read
  // in place, transposed and windowed on the way into the transform (no lane-major copy).
  void forward_rows(const float* const* rows, const float* window, LaneVec* re, LaneVec* im) const;

 private:
  // The transform of the samples packed into zr_, zi_ (even samples real, odd imaginary, in
  // bit-reversed order).
  void transform_packed(LaneVec* re, LaneVec* im) const;

  int n_;
  int m_;                                 // n / 2: size of the complex FFT
  std::vector<int> bitrev_;               // bit-reversal permutation of 0..m-1
  std::vector<float> tw_re_, tw_im_;      // stage twiddles: entry h + j = e^{-2 pi i j / 2h}
  std::vector<float> post_re_, post_im_;  // e^{-2 pi i k / n}, k = 0..m
  mutable LaneBuffer zr_, zi_;
};

}  // namespace dynemo::features
