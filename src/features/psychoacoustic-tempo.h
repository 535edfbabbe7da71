// Tempo (BPM) of a stretch of onset curve: the autocorrelation peak weighted by a log-normal
// tempo prior, the estimator of beat trackers (Ellis 2007; librosa's `tempo`), with its strength
// as a confidence. Replaces the MIRtoolbox 'Autocor' + enhancement recipe of
// ../shared/docs/compare-lld-spec.md §16.3, which read 0 BPM on real music whenever no enhanced
// peak reached 10 % of r(0) (docs/conventions.md, "Tempo and event density").
#pragma once

#include <cstddef>

namespace dynemo::features {

// Tempo range: beat periods of 0.25-1.5 s.
inline constexpr double kMinTempoBpm = 40.0;
inline constexpr double kMaxTempoBpm = 240.0;
// The prior: a Gaussian in log2(tempo) centred on 120 BPM with a standard deviation of one
// octave (librosa's start_bpm / std_bpm defaults).
inline constexpr double kPriorBpm = 120.0;

struct TempoEstimate {
  double bpm = 0.0;         // 0 only for a curve without any variation (silence, a steady tone)
  double confidence = 0.0;  // normalised autocorrelation at that period, in [0, 1]
};

// y: n values of an onset curve sampled at rate_hz. Steps:
// 1. y under a Hann window spanning the stretch (a tempogram frame; not mean-removed);
// 2. autocorrelation r(tau) = sum_t y(t) y(t + tau), normalised by r(0);
// 3. over lags 60/240 s .. 60/40 s: the lag maximising max(r, 0) * prior(60 / tau), refined by
//    parabolic interpolation when it is a local maximum; tempo = 60 / tau.
// A weak pulse still gives a tempo (with a low confidence); a stretch too short for the range,
// without variation, or without a positive autocorrelation at any tempo gives {0, 0}.
TempoEstimate estimate_tempo(const float* y, std::size_t n, double rate_hz);

// `bpm` moved by octaves (x2, /2) into [reference / sqrt(2), reference * sqrt(2)); unchanged when
// either is 0. Window tempi folded onto the clip's tempo cannot jump by octaves.
double fold_to_octave_of(double bpm, double reference);

}  // namespace dynemo::features
