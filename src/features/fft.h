// One-off complex FFTs (kissfft, BSD-3-Clause), used to build kernels. Unnormalised,
// e^{-2 pi i k n / N}, as numpy.fft. A plan is immutable and safe to share between threads.
// Frame-rate transforms use BatchRealFft (fft-batch.h).
#pragma once

#include <complex>
#include <memory>

namespace dynemo::features {

// Complex input of n samples -> n complex bins.
class ComplexFft {
 public:
  explicit ComplexFft(int n);
  ~ComplexFft();
  ComplexFft(const ComplexFft&) = delete;
  ComplexFft& operator=(const ComplexFft&) = delete;

  int size() const { return n_; }
  void forward(const std::complex<float>* in, std::complex<float>* out) const;

 private:
  int n_;
  struct Plan;
  std::unique_ptr<Plan> plan_;
};

}  // namespace dynemo::features
