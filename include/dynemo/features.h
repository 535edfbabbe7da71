// Feature extraction on memory: frame-level descriptors (librosa 0.11 definitions) summarised
// per analysis window (500 ms by default). Never touches files: input is mono float PCM.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dynemo {

// Frame and window settings. Defaults are librosa's at 44.1 kHz and the 2 Hz grid of the
// emotion datasets. Round-trips to JSON (feature_config_to_json / feature_config_from_json).
struct FeatureConfig {
  double sample_rate_hz = 44100.0;  // analysis rate; input samples must be at this rate
  int n_fft = 2048;                 // STFT frame length in samples (Hann, centred, zero padded)
  int hop_length = 512;             // frame hop in samples
  double window_s = 0.5;            // summary window length
  double hop_s = 0.5;               // summary window step (== window_s: non-overlapping)
  double offset_s = 0.0;            // start of the first summary window in the input
};

// A [n_rows, n_cols] matrix of window summaries, row-major, with the start time of each window
// (seconds from the start of the input) and a dotted column name per column
// ("spectral.mfcc_3", "cqt.cqt_17").
struct FeatureMatrix {
  std::vector<std::string> columns;
  std::vector<double> time_s;
  std::vector<float> values;

  std::size_t n_rows() const { return time_s.size(); }
  std::size_t n_cols() const { return columns.size(); }
  float at(std::size_t row, std::size_t col) const { return values[row * columns.size() + col]; }
};

// One registered feature set.
struct FeatureSetInfo {
  std::string name;         // "spectral"
  std::string description;  // one line
  std::string reference;    // where the definition comes from
  std::size_t n_columns = 0;
};

// Every registered set, in registration order.
const std::vector<FeatureSetInfo>& feature_sets();

// Splits a spec such as "spectral+cqt" or "spectral,cqt" into known set names, in order.
// Throws ConfigError for an empty spec or an unknown name (listing the known ones).
std::vector<std::string> parse_feature_spec(const std::string& spec);

// Column names the spec produces, in output order.
std::vector<std::string> feature_columns(const std::string& spec);

// Number of whole summary windows an input of n_samples gives (0 if shorter than one window).
std::size_t count_windows(std::size_t n_samples, const FeatureConfig& config);

// Number of rows extract_features(spec, ...) gives for n_samples: count_windows for the sets
// averaged per window; fewer when a set's rows span more than window_s (mediaeval2015: 1 s) or
// stop before the end of input; the set's own rows for compare-lld (100 per second).
std::size_t count_rows(const std::string& spec, std::size_t n_samples, const FeatureConfig& config);

// The columns of `spec` with openSMILE's names, without the "<set>." prefix
// ("pcm_RMSenergy_sma_amean"), to compare a table column by column with openSMILE's output.
// Throws ConfigError for a set whose columns are not openSMILE's, or when two sets would give the
// same name.
std::vector<std::string> opensmile_columns(const std::string& spec);

// Computes the sets of `spec` on `samples` (mono, at config.sample_rate_hz) and summarises them
// per window: row k covers [offset_s + k*hop_s, offset_s + k*hop_s + window_s) and holds the mean
// of the frames centred in it. Shared intermediates (STFT, CQT) are computed once. Sets with
// their own rows (see count_rows and docs/features.md): mediaeval2015 rows cover 1 s from the
// same starts, and a spec combining it keeps the rows whole for every set; compare-lld has one
// row per 10 ms and must be alone in its spec (ConfigError otherwise).
// Throws ConfigError for a bad config or a rate other than config.sample_rate_hz, and
// AudioError(too_short / non_finite) naming `source` for unusable input. Silence is valid and
// gives finite values.
FeatureMatrix extract_features(const std::string& spec, const float* samples, std::size_t n_samples,
                               double sample_rate_hz, const FeatureConfig& config = {},
                               const std::string& source = "<memory>");

// Throws ConfigError naming the field when a setting is out of range.
void validate(const FeatureConfig& config);

// JSON object text of the config ({"sample_rate_hz":44100,...}) and its inverse.
std::string feature_config_to_json(const FeatureConfig& config);
FeatureConfig feature_config_from_json(const std::string& json_text);

// Stable hex hash of (spec, config, extractor version): equal hashes mean equal features.
std::string feature_hash(const std::string& spec, const FeatureConfig& config);

// --- Musical groups of feature columns, for explanations a musician reads -----------------

// The groups, in display order: "loudness" (overall and per-band levels, their dynamics),
// "rhythm" (onsets, flux, pulse, tempo), "timbre" (spectral shape: MFCC, centroid, roll-off,
// contrast...), "harmony" (chroma, key clarity, CQT, harmonicity, dissonance), "voice"
// (pitch, voicing, jitter, shimmer, HNR).
struct FeatureGroup {
  std::string id;     // "loudness"
  std::string label;  // "loudness / energy"
};
const std::vector<FeatureGroup>& feature_groups();
// The index in feature_groups() of a column of any set (its name decides: the rules are in
// src/features/feature-groups.cpp; what matches no rule is timbre).
std::size_t feature_group_of(const std::string& column);

}  // namespace dynemo
