// Segments and F0's voiced segments (functionals.h; docs/compare-functionals.md#segments).
#include <algorithm>
#include <cmath>
#include <vector>

#include "features/compare/functionals.h"

namespace dynemo::features::compare {
namespace {

constexpr std::size_t kMaxSegments = 100;  // Segments.maxNumSeg

// mean, max, min and population stddev of segment lengths (frames), in seconds; all 0 for none.
void segment_stats(const std::vector<int>& lengths, float* out) {
  std::fill(out, out + 4, 0.0f);
  if (lengths.empty()) return;
  const auto n = static_cast<float>(lengths.size());
  float sum = 0.0f;
  for (const int l : lengths) sum += static_cast<float>(l);
  const float mean = sum / n;
  float dev = 0.0f;
  if (lengths.size() > 1) {
    for (const int l : lengths) {
      const float d = static_cast<float>(l) - mean;
      dev += d * d;
    }
    dev = std::sqrt(dev / n);
  }
  out[0] = mean * kFunctionalPeriod_s;
  out[1] =
      static_cast<float>(*std::max_element(lengths.begin(), lengths.end())) * kFunctionalPeriod_s;
  out[2] =
      static_cast<float>(*std::min_element(lengths.begin(), lengths.end())) * kFunctionalPeriod_s;
  out[3] = dev * kFunctionalPeriod_s;
}

}  // namespace

void segments(const FunctionalInput& in, float* out) {
  const float thresholds[2] = {in.min + in.range * 0.25f, in.min + in.range * 0.75f};
  // Minimum spacing of boundaries: n / maxNumSeg - 1 frames, at least 2.
  const long min_spacing = std::max<long>(static_cast<long>(in.n / kMaxSegments) - 1, 2);
  long last_boundary = -(min_spacing / 2);
  float running_sum = 0.0f, previous = 0.0f;  // the running mean before frame 0 is 0
  std::vector<int> lengths;
  for (std::size_t i = 0; i < in.n; ++i) {
    running_sum += in.x[i];
    if (i >= 3) running_sum -= in.x[i - 3];
    const float average = running_sum / static_cast<float>(std::min<std::size_t>(i + 1, 3));
    bool crossing = false;
    for (const float t : thresholds) {
      crossing |= (average > t && previous <= t) || (average < t && previous >= t);
    }
    previous = average;
    const auto frame = static_cast<long>(i);
    if (crossing && frame - last_boundary > min_spacing) {
      if (lengths.size() < kMaxSegments) lengths.push_back(static_cast<int>(frame - last_boundary));
      last_boundary = frame;
    }
  }
  segment_stats(lengths, out);
}

void f0_segments(const FunctionalInput& in, float* out) {
  constexpr int kMinVoiced = 3;  // Segments.segMinLng: frames that confirm a segment
  constexpr int kMinPause = 2;   // Segments.pauseMinLng: zero frames that end one
  std::size_t n_voiced = 0;
  enum class State { idle, candidate, segment } state = State::idle;
  int voiced_run = 0, zero_run = 0;
  long start = 0;
  std::vector<int> lengths;
  for (std::size_t i = 0; i < in.n; ++i) {
    const auto frame = static_cast<long>(i);
    if (in.x[i] != 0.0f) {
      ++n_voiced;
      if (state == State::idle) {
        state = State::candidate;
        voiced_run = 1;
        start = frame;
      } else if (state == State::candidate) {
        zero_run = 0;
        if (++voiced_run >= kMinVoiced) {
          voiced_run = 0;
          state = State::segment;
        }
      } else {
        zero_run = 0;
      }
    } else if (state == State::segment) {
      voiced_run = 0;
      if (++zero_run >= kMinPause) {
        state = State::idle;
        if (lengths.size() < kMaxSegments) {
          lengths.push_back(static_cast<int>(frame - zero_run - start));
        }
        zero_run = 0;
      }
    } else if (state == State::candidate) {
      if (++zero_run >= kMinPause) {
        state = State::idle;
        zero_run = 0;
        voiced_run = 0;
      }
    }
  }
  if (state == State::segment && lengths.size() < kMaxSegments) {
    // Closed at the end: its length runs to its last voiced frame.
    lengths.push_back(static_cast<int>(static_cast<long>(in.n) - (zero_run + 1) - start));
  }
  out[0] = in.n ? static_cast<float>(n_voiced) / static_cast<float>(in.n) : 0.0f;
  segment_stats(lengths, out + 1);
}

}  // namespace dynemo::features::compare
