// The functionals of openSMILE 3.0's ComParE 2016 configuration (ComParE_2016_core.func.conf.inc)
// over one window of one LLD column: definitions in docs/compare-functionals.md. Each family
// writes its outputs in openSMILE's order. All decisions (thresholds, extrema, ties) are taken on
// float32 values, as openSMILE computes in float32; no output is ever NaN.
#pragma once

#include <cstddef>

namespace dynemo::features::compare {

// The LLD period that `norm = second` scales frame counts by.
inline constexpr float kFunctionalPeriod_s = 0.01f;

// One window of one column and what every functional of it shares.
struct FunctionalInput {
  const float* x = nullptr;
  std::size_t n = 0;
  float min = 0.0f, max = 0.0f, range = 0.0f;
  float mean = 0.0f;  // summed in double, divided by n, rounded to float
};
FunctionalInput functional_input(const float* x, std::size_t n);

// Counts of each family's outputs.
inline constexpr std::size_t kExtremesCount = 3;     // range, maxPos, minPos
inline constexpr std::size_t kPercentilesCount = 9;  // quartile1-3, iqr1-2, iqr2-3, iqr1-3,
                                                     // percentile1.0, percentile99.0, pctlrange0-1
inline constexpr std::size_t kMomentsCount = 3;      // stddev, skewness, kurtosis
inline constexpr std::size_t kSegmentsCount = 4;     // meanSegLen, maxSegLen, minSegLen,
                                                     // segLenStddev
inline constexpr std::size_t kTimesCount = 6;        // upleveltime25/50/75/90, risetime, leftctime
inline constexpr std::size_t kLpcCount = 6;          // lpgain, lpc0-4
inline constexpr std::size_t kRegressionCount = 8;   // linregc1, linregc2, linregerrQ, qregc1-3,
                                                     // qregerrQ, centroid
inline constexpr std::size_t kPeaksCount = 12;       // meanPeakDist ... stddevFallingSlope
inline constexpr std::size_t kF0SegmentsCount = 5;   // nnz, meanSegLen, maxSegLen, minSegLen,
                                                     // segLenStddev

// Extremes: range, and the first positions of the maximum and the minimum as a share of the
// window.
void extremes(const FunctionalInput& in, float* out);

// Percentiles: quartiles, inter-quartile ranges, the 1st and 99th percentile and their range,
// linearly interpolated between ranks.
void percentiles(const FunctionalInput& in, float* out);

// Moments: population standard deviation, skewness and kurtosis; all 0 for a constant window.
void moments(const FunctionalInput& in, float* out);

// Means: arithmetic mean, flatness (geometric mean of the non-zero magnitudes over the mean
// magnitude; 1 when all are 0), mean of the positive values, root mean square. Each component
// writes the subset its configuration enables, in this order.
struct MeanValues {
  float amean = 0.0f, flatness = 0.0f, posamean = 0.0f, rqmean = 0.0f;
};
MeanValues means(const FunctionalInput& in);

// Times: shares of the window above 25, 50, 75 and 90 % of the range, of rising frame pairs and
// of left-curved frame triples.
void times(const FunctionalInput& in, float* out);

// Regression: linear and quadratic least-squares fits over the frame index, coefficients
// soft-limited and normalised by the range (normInputs), errors per frame, and the centroid of
// the magnitudes as a share of the window. coefficient_scale 2 expresses slopes per second
// (normRegCoeff = 2), 0 per frame.
void regression(const FunctionalInput& in, int coefficient_scale, float* out);

// Lpc: the prediction error per frame (gain) and the 5 coefficients of order-5 linear prediction
// by the autocorrelation method (Levinson-Durbin).
void lpc(const FunctionalInput& in, float* out);

// Segments (relTh): boundaries where the 3-frame running mean crosses min + 0.25 range or
// min + 0.75 range, at least 3 frames apart; lengths in seconds.
void segments(const FunctionalInput& in, float* out);

// F0's voiced share and voiced segments (Means.nnz, Segments nonX with X = 0): the share of
// non-zero frames, then the lengths (s) of the runs of at least 3 non-zero frames, single zeros
// bridged, two zeros ending a run.
void f0_segments(const FunctionalInput& in, float* out);

// Peaks2: peaks and valleys with a relative threshold of 0.1 range, their distances (s), ranges
// and means, and the rising and falling slopes between them (per second).
void peaks(const FunctionalInput& in, float* out);

}  // namespace dynemo::features::compare
