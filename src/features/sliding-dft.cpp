#include "features/sliding-dft.h"

// Vector values only live inside inlined lambdas here; GCC's note that passing them would
// change the ABI without AVX does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

#include <cmath>
#include <cstring>
#include <vector>

#include "features/fft-batch.h"

namespace dynemo::features {
namespace {

constexpr std::size_t kBlock = 8;  // bins per register block
typedef double Double4 __attribute__((vector_size(4 * sizeof(double))));

// X[k] = (X[k] + sum_m d[m] W^(k m)) * W^(-k hop), d = newest - oldest. Bins go in blocks of 8
// held in registers while the hop's samples stream by; the tables c, s are [block][m][8].
DYNEMO_SIMD_CLONES void advance(std::size_t n_blocks, int hop, const float* oldest,
                                const float* newest, const double* c, const double* s,
                                const double* rot_r, const double* rot_i, double* xr, double* xi) {
  // Local lambdas, always inlined: no vector crosses a call boundary, whose calling convention
  // differs between the AVX2 and baseline builds.
  const auto load4 = [](const double* p) {
    Double4 v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };  // inlined: no call boundary
  const auto store4 = [](double* p, Double4 v) { std::memcpy(p, &v, sizeof v); };
  for (std::size_t b = 0; b < n_blocks; ++b) {
    const std::size_t k = b * kBlock;
    Double4 r0 = load4(xr + k), r1 = load4(xr + k + 4);
    Double4 i0 = load4(xi + k), i1 = load4(xi + k + 4);
    const double* cb = c + k * static_cast<std::size_t>(hop);
    const double* sb = s + k * static_cast<std::size_t>(hop);
    for (int m = 0; m < hop; ++m) {
      const double d = static_cast<double>(newest[m]) - oldest[m];
      const std::size_t o = static_cast<std::size_t>(m) * kBlock;
      r0 += d * load4(cb + o);
      r1 += d * load4(cb + o + 4);
      i0 += d * load4(sb + o);
      i1 += d * load4(sb + o + 4);
    }
    const Double4 cr0 = load4(rot_r + k), cr1 = load4(rot_r + k + 4);
    const Double4 ci0 = load4(rot_i + k), ci1 = load4(rot_i + k + 4);
    store4(xr + k, r0 * cr0 - i0 * ci0);
    store4(xr + k + 4, r1 * cr1 - i1 * ci1);
    store4(xi + k, r0 * ci0 + i0 * cr0);
    store4(xi + k + 4, r1 * ci1 + i1 * cr1);
  }
}

}  // namespace

double sliding_dft_cost_ratio(int n_fft, int hop_length, int n_band_bins) {
  // Measured on the 2-core benchmark machine (bench/README.md): the sliding update costs about
  // 0.3 ns per bin and hop sample, an FFT frame about 1.2 us per 1024 points (n log n scaled).
  const double sliding_ns = 0.3 * hop_length * n_band_bins;
  const double fft_ns = 1200.0 * (n_fft / 1024.0) * std::log2(static_cast<double>(n_fft)) / 10.0;
  return sliding_ns / fft_ns;
}

void for_each_band_stft_batch(const float* y, std::size_t n, int n_fft, int hop_length, int bin_lo,
                              int bin_hi, const StftBatchVisitor& visit) {
  const std::vector<float> padded = pad_centered(y, n, n_fft);
  const std::size_t n_frames = count_frames(n, hop_length);
  const std::size_t n_band = static_cast<std::size_t>(bin_hi - bin_lo + 1);
  const std::size_t n_padded = (n_band + kBlock - 1) / kBlock * kBlock;  // tables padded with 0
  const std::size_t hop = static_cast<std::size_t>(hop_length);
  // W^j = e^{-2 pi i j / n_fft} for j < n_fft; every twiddle below is one of them.
  std::vector<double> unit_r(static_cast<std::size_t>(n_fft)), unit_i(unit_r.size());
  for (int j = 0; j < n_fft; ++j) {
    unit_r[j] = std::cos(-2.0 * M_PI * j / n_fft);
    unit_i[j] = std::sin(-2.0 * M_PI * j / n_fft);
  }
  const std::size_t mask = static_cast<std::size_t>(n_fft - 1);  // n_fft is a power of two
  // Tables: W^(k m) for m < hop ([block][m][8], zero past bin_hi), and the rotation W^(-k hop).
  std::vector<double> c(hop * n_padded, 0.0), s(hop * n_padded, 0.0);
  std::vector<double> rot_r(n_padded, 0.0), rot_i(n_padded, 0.0), d(hop);
  for (std::size_t k = 0; k < n_band; ++k) {
    const std::size_t bin = static_cast<std::size_t>(bin_lo) + k;
    for (std::size_t m = 0; m < hop; ++m) {
      const std::size_t at = (k / kBlock) * kBlock * hop + m * kBlock + k % kBlock;
      c[at] = unit_r[(bin * m) & mask];
      s[at] = unit_i[(bin * m) & mask];
    }
    const std::size_t back = (static_cast<std::size_t>(n_fft) - ((bin * hop) & mask)) & mask;
    rot_r[k] = unit_r[back];
    rot_i[k] = unit_i[back];
  }
  // Frame 0 by one FFT (lane 0 of a batch), then slid from there.
  std::vector<double> xr(n_padded, 0.0), xi(n_padded, 0.0);
  {
    const BatchRealFft fft(n_fft);
    LaneBuffer x(static_cast<std::size_t>(n_fft));
    LaneBuffer re(static_cast<std::size_t>(fft.n_bins())), im(re.size());
    for (int i = 0; i < n_fft; ++i) x[i][0] = padded[i];
    fft.forward(x.data(), re.data(), im.data());
    for (std::size_t k = 0; k < n_band; ++k) {
      xr[k] = re[bin_lo + k][0];
      xi[k] = im[bin_lo + k][0];
    }
  }
  const std::size_t n_bins = static_cast<std::size_t>(n_fft / 2 + 1);
  LaneBuffer re(n_bins), im(n_bins);
  for (std::size_t first = 0; first < n_frames; first += kFftLanes) {
    const int lanes = static_cast<int>(std::min<std::size_t>(kFftLanes, n_frames - first));
    for (int j = 0; j < lanes; ++j) {
      const std::size_t t = first + static_cast<std::size_t>(j);
      for (std::size_t k = 0; k < n_band; ++k) {
        re[bin_lo + k][j] = static_cast<float>(xr[k]);
        im[bin_lo + k][j] = static_cast<float>(xi[k]);
      }
      if (t + 1 < n_frames) {
        const float* oldest = padded.data() + t * hop;
        advance(n_padded / kBlock, hop_length, oldest, oldest + n_fft, c.data(), s.data(),
                rot_r.data(), rot_i.data(), xr.data(), xi.data());
      }
    }
    visit(first, lanes, re.data(), im.data());
  }
}

}  // namespace dynemo::features
