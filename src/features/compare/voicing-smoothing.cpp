#include "features/compare/voicing-smoothing.h"

#include <algorithm>
#include <cmath>

namespace dynemo::features::compare {
namespace {

constexpr std::size_t kFields = 6;
constexpr std::size_t kLogHnrField = 5;
constexpr float kUnvoicedLogHnr = -100.0f;
constexpr double kInitialNormaliser = 10.0;  // 2 (1^2 + 2^2), never reset (spec §9)

bool usable(float v) { return v != 0.0f && !std::isnan(v); }

}  // namespace

FrameMatrix voicing_smooth_and_delta(const FrameMatrix& llds, std::size_t n_rows,
                                     DeltaNormaliser* normaliser) {
  FrameMatrix out(n_rows, 2 * kFields);
  const std::size_t n = llds.n_frames;
  if (n_rows == 0) return out;
  if (n == 0) {
    for (std::size_t t = 0; t < n_rows; ++t) out.at(t, kLogHnrField) = kUnvoicedLogHnr;
    return out;
  }

  // _sma over N + 1 rows (row N from the replicated last frame), extra rows repeat the last.
  for (std::size_t t = 0; t < n_rows; ++t) {
    const std::size_t c = std::min(t, n - 1);
    const std::size_t lo = c == 0 ? 0 : c - 1;
    const std::size_t hi = t >= n - 1 ? n - 1 : c + 1;
    for (std::size_t f = 0; f < kFields; ++f) {
      const float x = llds.at(c, f);
      if (x == 0.0f) continue;
      const float nb[3] = {t >= n ? x : llds.at(lo, f), x, llds.at(hi, f)};
      float sum = 0.0f;
      int count = 0;
      for (float v : nb) {
        if (v != 0.0f) sum += v, ++count;
      }
      out.at(t, f) = sum / static_cast<float>(count);
    }
  }

  // _de with the shared running normaliser, frame by frame, field by field, i = 1, 2.
  double z = kInitialNormaliser;
  double z_next = z;
  bool next_seen = false;
  const long last = static_cast<long>(n_rows) - 1;
  for (long t = 0; t <= last; ++t) {
    if (normaliser && static_cast<std::size_t>(t) == normaliser->from_row) z = normaliser->z;
    if (normaliser && static_cast<std::size_t>(t) == normaliser->next_row) {
      z_next = z;
      next_seen = true;
    }
    for (std::size_t f = 0; f < kFields; ++f) {
      double num = 0.0;
      for (long i = 1; i <= 2; ++i) {
        const float ahead = out.at(static_cast<std::size_t>(std::min(t + i, last)), f);
        const float behind = out.at(static_cast<std::size_t>(std::max(t - i, 0L)), f);
        if (!usable(ahead) || !usable(behind)) continue;
        num += static_cast<double>(i) * (static_cast<double>(ahead) - behind);
        z += static_cast<double>(i * i);
      }
      out.at(static_cast<std::size_t>(t), kFields + f) = static_cast<float>(num / z);
    }
  }
  if (normaliser) normaliser->z = next_seen ? z_next : z;
  return out;
}

}  // namespace dynemo::features::compare
