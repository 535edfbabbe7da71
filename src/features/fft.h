// Forward FFTs of fixed size (kissfft, BSD-3-Clause). Unnormalised, e^{-2 pi i k n / N}, as
// numpy.fft. A plan is immutable after construction and safe to share between threads.
#pragma once

#include <complex>
#include <memory>

namespace dynemo::features {

// Real input of n samples (n even) -> n/2 + 1 complex bins.
class RealFft {
 public:
  explicit RealFft(int n);
  ~RealFft();
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  int size() const { return n_; }
  int n_bins() const { return n_ / 2 + 1; }
  void forward(const float* in, std::complex<float>* out) const;

 private:
  int n_;
  struct Plan;
  std::unique_ptr<Plan> plan_;
};

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
