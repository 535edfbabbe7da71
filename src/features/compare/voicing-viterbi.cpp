#include "features/compare/voicing-viterbi.h"

#include <cmath>
#include <cstdint>

namespace dynemo::features::compare {
namespace {

constexpr int kStates = kPitchCandidates + 1;  // candidates 0..5, unvoiced 6
constexpr int kUnvoiced = kPitchCandidates;
constexpr int kBuffer = 30;  // frames held before a decision is forced

constexpr double kVoicingThreshold = 0.7;
constexpr double kWLocal = 2, kWThr = 4, kWRange = 1, kWTvv = 10, kWTvuv = 10;
constexpr double kWTvvd = kWTvv;  // openSMILE's weight setter copies wTvv over the configured 5
constexpr double kCostUnvoicedUnvoiced = 1.0;
constexpr double kCostImpossible = 999.0;

// Pitch-range penalty g(f) (spec §7.3).
double range_penalty(double f) {
  if (f <= 0) return 2.0;
  if (f < 100) return 1.0 - f / 100.0;
  if (f < 350) return 0.0;
  if (f < 600) return (f - 350.0) / 250.0;
  return 1.2;
}

void local_costs(const PitchCandidates& c, double* cost) {
  bool any_voiced = false;
  for (int s = 0; s < kPitchCandidates; ++s) {
    double p = c.voicing[s];
    if (p >= kVoicingThreshold) any_voiced = true;
    p = p < 0.01 ? 0.01 : (p > 1.0 ? 1.0 : p);
    cost[s] = kWLocal * (-std::log(p) + (p < kVoicingThreshold ? kWThr : 0.0)) +
              kWRange * range_penalty(c.f_hz[s]);
  }
  cost[kUnvoiced] = any_voiced ? kWLocal * kWThr : 0.0;
}

class Decoder {
 public:
  explicit Decoder(std::size_t n_frames) : back_(n_frames * kStates), state_(n_frames, kUnvoiced) {}

  // Adds frame t: accumulated costs and back pointers from frame t - 1 (lowest j wins ties).
  void add(std::size_t t, const PitchCandidates& cur, const PitchCandidates* prev) {
    double local[kStates], next[kStates];
    local_costs(cur, local);
    for (int i = 0; i < kStates; ++i) {
      if (!prev) {
        next[i] = local[i];
        continue;
      }
      double best = 0;
      int best_j = 0;
      for (int j = 0; j < kStates; ++j) {
        const double c = transition(i, j, cur, *prev) + cost_[j];
        if (j == 0 || c < best) best = c, best_j = j;
      }
      next[i] = best + local[i];
      back_[t * kStates + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(best_j);
    }
    for (int i = 0; i < kStates; ++i) cost_[i] = next[i];
    decide(t);
  }

  // End of input: every undecided frame from the path of the cheapest final state.
  void finish(std::size_t n_frames) {
    if (n_frames == 0) return;
    std::size_t t = n_frames - 1;
    int s = cheapest();
    for (std::size_t n = t + 1; n-- > decided_;) {
      state_[n] = s;
      if (n > 0) s = back_[n * kStates + static_cast<std::size_t>(s)];
    }
    decided_ = n_frames;
  }

  int state(std::size_t t) const { return state_[t]; }

 private:
  // Cost of moving from state j (previous frame) to state i; updates lambda as openSMILE does.
  double transition(int i, int j, const PitchCandidates& cur, const PitchCandidates& prev) {
    const bool vi = i != kUnvoiced, vj = j != kUnvoiced;
    if (vi && vj) {
      const float fc = cur.f_hz[i], fp = prev.f_hz[j];
      if (fp == 0.0f || fc == 0.0f) return kCostImpossible;
      const double r = std::log(static_cast<double>(fc / fp));
      const double c = kWTvv * std::fabs(r) + kWTvvd * std::fabs(r - lambda_);
      lambda_ = r;
      return c;
    }
    if (vi != vj) {
      lambda_ = 0.0;
      return kWTvuv;
    }
    return kCostUnvoicedUnvoiced;
  }

  int cheapest() const {
    int s = 0;
    for (int i = 1; i < kStates; ++i)
      if (cost_[i] < cost_[s]) s = i;
    return s;
  }

  // Online decision after frame t (spec §7.3): force frame decided_ when the buffer is full,
  // otherwise decide frames while all survivor paths agree on them.
  void decide(std::size_t t) {
    const std::size_t first = decided_;
    const std::size_t len = t + 1 - first;  // undecided frames first..t
    int path[kStates][kBuffer + 2];
    for (int s = 0; s < kStates; ++s) {
      int cur = s;
      for (std::size_t k = len; k-- > 0;) {
        path[s][k] = cur;
        const std::size_t n = first + k;
        if (n > 0) cur = back_[n * kStates + static_cast<std::size_t>(cur)];
      }
    }
    // (t + 1) - (last decided frame) > kBuffer, with the last decided frame = first - 1.
    if (len + 1 > kBuffer) {
      state_[first] = path[cheapest()][0];
      decided_ = first + 1;
      return;
    }
    for (std::size_t k = 0; k < len; ++k) {
      for (int s = 1; s < kStates; ++s)
        if (path[s][k] != path[0][k]) return;
      state_[first + k] = path[0][k];
      decided_ = first + k + 1;
    }
  }

  std::vector<std::uint8_t> back_;  // [n_frames, kStates]
  std::vector<int> state_;          // decided state per frame
  double cost_[kStates] = {};
  double lambda_ = 1.0;
  std::size_t decided_ = 0;  // frames 0..decided_-1 are decided
};

}  // namespace

SmoothedPitch smooth_pitch_viterbi(const std::vector<PitchCandidates>& candidates) {
  const std::size_t n = candidates.size();
  Decoder decoder(n);
  for (std::size_t t = 0; t < n; ++t) {
    decoder.add(t, candidates[t], t ? &candidates[t - 1] : nullptr);
  }
  decoder.finish(n);
  SmoothedPitch out;
  out.f0_hz.resize(n);
  out.voicing.resize(n);
  for (std::size_t t = 0; t < n; ++t) {
    const int s = decoder.state(t);
    const PitchCandidates& c = candidates[t];
    out.f0_hz[t] = s == kUnvoiced ? 0.0f : c.f_hz[s];
    out.voicing[t] = s == kUnvoiced ? c.voicing[0] : c.voicing[s];
  }
  return out;
}

}  // namespace dynemo::features::compare
