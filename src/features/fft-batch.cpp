#include "features/fft-batch.h"

#include <cmath>
#include <cstring>
#include <string>

#include "dynemo/error.h"

namespace dynemo::features {

BatchRealFft::BatchRealFft(int n)
    : n_(n), m_(n / 2), zr_(static_cast<std::size_t>(n / 2)), zi_(static_cast<std::size_t>(n / 2)) {
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
  transform_packed(re, im);
}

DYNEMO_SIMD_CLONES void BatchRealFft::forward_rows(const float* const* rows, const float* window,
                                                   LaneVec* re, LaneVec* im) const {
  LaneVec* zr = zr_.data();
  LaneVec* zi = zi_.data();
  int i = 0;
  for (; i + kFftLanes <= n_; i += kFftLanes) {  // samples i .. i + 7 of the eight frames
    LaneVec r[kFftLanes], c[kFftLanes];
    for (int j = 0; j < kFftLanes; ++j) std::memcpy(&r[j], rows[j] + i, sizeof r[j]);
    if (window) {
      LaneVec w;
      std::memcpy(&w, window + i, sizeof w);
      for (int j = 0; j < kFftLanes; ++j) r[j] *= w;
    }
    transpose8(r, c);
    for (int p = 0; p < kFftLanes; p += 2) {
      const int at = bitrev_[(i + p) / 2];
      zr[at] = c[p];
      zi[at] = c[p + 1];
    }
  }
  for (; i < n_; ++i) {  // n < 8
    LaneVec v;
    for (int j = 0; j < kFftLanes; ++j) v[j] = rows[j][i] * (window ? window[i] : 1.0f);
    (i % 2 == 0 ? zr : zi)[bitrev_[i / 2]] = v;
  }
  transform_packed(re, im);
}

DYNEMO_SIMD_CLONES void BatchRealFft::transform_packed(LaneVec* re, LaneVec* im) const {
  LaneVec* zr = zr_.data();
  LaneVec* zi = zi_.data();
  // Iterative decimation in time. Stages go in fused pairs (2h-point then 4h-point blocks),
  // so each pass over memory does two radix-2 stages; an odd stage count starts with a
  // twiddle-free h = 1 stage.
  int h = 1;
  int n_stages = 0;
  for (int s = 1; s < m_; s <<= 1) ++n_stages;
  if (n_stages % 2 == 1) {
    for (int a = 0; a < m_; a += 2) {
      const LaneVec tr = zr[a + 1], ti = zi[a + 1];
      zr[a + 1] = zr[a] - tr;
      zi[a + 1] = zi[a] - ti;
      zr[a] += tr;
      zi[a] += ti;
    }
    h = 2;
  }
  for (; h < m_; h <<= 2) {
    for (int start = 0; start < m_; start += 4 * h) {
      for (int j = 0; j < h; ++j) {
        const int i0 = start + j, i1 = i0 + h, i2 = i0 + 2 * h, i3 = i0 + 3 * h;
        // Stage 1: blocks of 2h, twiddle W_2h^j on (i0, i1) and (i2, i3).
        const float w1r = tw_re_[h + j], w1i = tw_im_[h + j];
        LaneVec tr = w1r * zr[i1] - w1i * zi[i1];
        LaneVec ti = w1r * zi[i1] + w1i * zr[i1];
        const LaneVec a0r = zr[i0] + tr, a0i = zi[i0] + ti;
        const LaneVec a1r = zr[i0] - tr, a1i = zi[i0] - ti;
        tr = w1r * zr[i3] - w1i * zi[i3];
        ti = w1r * zi[i3] + w1i * zr[i3];
        const LaneVec a2r = zr[i2] + tr, a2i = zi[i2] + ti;
        const LaneVec a3r = zr[i2] - tr, a3i = zi[i2] - ti;
        // Stage 2: blocks of 4h, twiddles W_4h^j on (i0, i2) and W_4h^(j+h) on (i1, i3).
        const float w2r = tw_re_[2 * h + j], w2i = tw_im_[2 * h + j];
        const float w3r = tw_re_[3 * h + j], w3i = tw_im_[3 * h + j];
        tr = w2r * a2r - w2i * a2i;
        ti = w2r * a2i + w2i * a2r;
        zr[i0] = a0r + tr;
        zi[i0] = a0i + ti;
        zr[i2] = a0r - tr;
        zi[i2] = a0i - ti;
        tr = w3r * a3r - w3i * a3i;
        ti = w3r * a3i + w3i * a3r;
        zr[i1] = a1r + tr;
        zi[i1] = a1i + ti;
        zr[i3] = a1r - tr;
        zi[i3] = a1i - ti;
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
