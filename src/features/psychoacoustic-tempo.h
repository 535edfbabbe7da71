// Tempo (BPM) of a stretch of onset curve by enhanced autocorrelation: MIRtoolbox mirtempo's
// default 'Autocor' strategy as described in ../shared/docs/compare-lld-spec.md §16.3
// (steps 2-3), implemented from that description.
#pragma once

#include <cstddef>

namespace dynemo::features {

// Tempo range of mirtempo: 40-200 BPM, i.e. beat periods of 0.3-1.5 s.
inline constexpr double kMinTempoBpm = 40.0;
inline constexpr double kMaxTempoBpm = 200.0;

// y: n values of an onset curve sampled at rate_hz. Steps:
// 0. (ours) y minus its centred 1 s moving average, half-wave rectified: the slow changes of
//    loudness of real music otherwise make the ACF decay slowly from lag 0, and its stretched
//    copies then cancel every peak of the tempo range;
// 1. autocorrelation of that minus its mean, r(tau) = sum_t y(t) y(t + tau) (not divided by the
//    overlap), normalised by r(0) and half-wave rectified; (ours) the zero-lag lobe, from lag 0
//    to the first local minimum, is set to 0, as it is the curve's smoothness, not a period;
// 2. enhancement (Tolonen & Karjalainen 2000): for k = 2..10, the rectified ACF stretched in
//    time by k (r(tau / k), linear interpolation) is subtracted and the result half-wave
//    rectified again, removing the peaks at multiples of the period;
// 3. resonance weighting (Toiviainen & Snyder 2003) w(tau) = max(0, 1 - 0.25 log2(tau / 0.5 s)^2),
//    whose maximum is 1 at 0.5 s;
// 4. over lags 60/200 s .. 60/40 s, excluding the first and last: the highest local maximum,
//    refined by parabolic interpolation; tempo = 60 / tau.
// "No periodicity" gives 0: a curve with no variation (silence, a steady tone), a stretch
// shorter than the range needs, or no local maximum reaching 0.1 (10 % of r(0)).
double tempo_bpm(const float* y, std::size_t n, double rate_hz);

}  // namespace dynemo::features
