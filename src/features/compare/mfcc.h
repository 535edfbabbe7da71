// ComParE MFCC 1-14 (spec ../shared/docs/compare-lld-spec.md §5, openSMILE cMfcc with
// htkcompatible=1): from the 26 mel bands of MelBank scaled to 16-bit sample units (x 32767^2),
// ln(max(., 1)), DCT-II with sqrt(2 / 26), sinusoidal lifter L = 22; c0 is not output.
#pragma once

#include <cstddef>
#include <vector>

namespace dynemo::features::compare {

inline constexpr std::size_t kMfccCount = 14;

class CompareMfcc {
 public:
  CompareMfcc();
  // mel: 26 bands (sample scale -1..1); out: mfcc[1..14].
  void apply(const float* mel, float* out) const;

 private:
  std::vector<double> basis_;  // [14, 26]: sqrt(2/26) lifter(i) cos(pi i (b + 0.5) / 26)
};

}  // namespace dynemo::features::compare
