#include "features/fft.h"

#include <kiss_fft.h>

#include <string>

#include "dynemo/error.h"

namespace dynemo::features {

static_assert(sizeof(kiss_fft_cpx) == sizeof(std::complex<float>),
              "kiss_fft_cpx must be layout-compatible with std::complex<float>");

struct ComplexFft::Plan {
  kiss_fft_cfg cfg = nullptr;
  ~Plan() { kiss_fft_free(cfg); }
};

ComplexFft::ComplexFft(int n) : n_(n), plan_(std::make_unique<Plan>()) {
  if (n < 1) throw ConfigError("fft: FFT size must be positive, got " + std::to_string(n));
  plan_->cfg = kiss_fft_alloc(n, 0, nullptr, nullptr);
  if (!plan_->cfg) throw Error("fft: cannot allocate a plan of size " + std::to_string(n));
}

ComplexFft::~ComplexFft() = default;

void ComplexFft::forward(const std::complex<float>* in, std::complex<float>* out) const {
  kiss_fft(plan_->cfg, reinterpret_cast<const kiss_fft_cpx*>(in),
           reinterpret_cast<kiss_fft_cpx*>(out));
}

}  // namespace dynemo::features
