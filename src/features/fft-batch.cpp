#include "features/fft-batch.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "dynemo/error.h"

namespace dynemo::features {

LaneBuffer::LaneBuffer(std::size_t n) : size_(n) {
  if (n == 0) return;
  void* p = std::aligned_alloc(sizeof(LaneVec), n * sizeof(LaneVec));
  if (!p) throw std::bad_alloc();
  std::memset(p, 0, n * sizeof(LaneVec));
  data_.reset(static_cast<LaneVec*>(p));
}

void LaneBuffer::Free::operator()(LaneVec* p) const { std::free(p); }

BatchRealFft::BatchRealFft(int n) : n_(n), m_(n / 2), zr_(static_cast<std::size_t>(n / 2)), zi_(static_cast<std::size_t>(n / 2)) {
  if (n < 4 || (n & (n - 1)) != 0) {
    throw ConfigError("fft: batch FFT size must be a power of two >= 4, got " + std::to_string(n));
  }
  int bits = 0;
  while ((1 << bits) < m_) ++bits;
  bitrev_.resize(m_);
  for (int i = 0; i < m_; ++i) {
    int r = 0;
    for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitrev_[i] = r;
  }
  tw_re_.assign(m_, 0.0f);
  tw_im_.assign(m_, 0.0f);
  for (int h = 1; h < m_; h <<= 1) {
    for (int j = 0; j < h; ++j) {
      const double a = -M_PI * j / h;
      tw_re_[h + j] = static_cast<float>(std::cos(a));
      tw_im_[h + j] = static_cast<float>(std::sin(a));
    }
  }
  post_re_.resize(m_ + 1);
  post_im_.resize(m_ + 1);
  for (int k = 0; k <= m_; ++k) {
    const double a = -2.0 * M_PI * k / n_;
    post_re_[k] = static_cast<float>(std::cos(a));
    post_im_[k] = static_cast<float>(std::sin(a));
  }
}

// Compiled twice, for AVX2 and for baseline x86-64; the loader picks the one the CPU runs.
DYNEMO_SIMD_CLONES void BatchRealFft::forward(const LaneVec* x, LaneVec* re, LaneVec* im) const {
  LaneVec* zr = zr_.data();
  LaneVec* zi = zi_.data();
  // Pack even samples as real and odd samples as imaginary parts, in bit-reversed order.
  for (int i = 0; i < m_; ++i) {
    zr[bitrev_[i]] = x[2 * i];
    zi[bitrev_[i]] = x[2 * i + 1];
  }
  // Iterative radix-2 decimation in time.
  for (int h = 1; h < m_; h <<= 1) {
    for (int start = 0; start < m_; start += 2 * h) {
      for (int j = 0; j < h; ++j) {
        const float wr = tw_re_[h + j], wi = tw_im_[h + j];
        const int a = start + j, b = a + h;
        const LaneVec tr = wr * zr[b] - wi * zi[b];
        const LaneVec ti = wr * zi[b] + wi * zr[b];
        zr[b] = zr[a] - tr;
        zi[b] = zi[a] - ti;
        zr[a] += tr;
        zi[a] += ti;
      }
    }
  }
  // Split the complex spectrum Z into the spectrum X of the real input:
  // X[k] = E[k] + W^k O[k], E = (Z[k] + conj Z[m-k]) / 2, O = -i (Z[k] - conj Z[m-k]) / 2.
  re[0] = zr[0] + zi[0];
  im[0] = zr[0] - zr[0];
  re[m_] = zr[0] - zi[0];
  im[m_] = im[0];
  for (int k = 1; k < m_; ++k) {
    const LaneVec ar = zr[k], ai = zi[k];
    const LaneVec br = zr[m_ - k], bi = -zi[m_ - k];
    const LaneVec er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
    const LaneVec odd_r = 0.5f * (ai - bi), odd_i = -0.5f * (ar - br);
    const float cr = post_re_[k], ci = post_im_[k];
    re[k] = er + cr * odd_r - ci * odd_i;
    im[k] = ei + cr * odd_i + ci * odd_r;
  }
}

}  // namespace dynemo::features
