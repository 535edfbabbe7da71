// Feature extraction straight from an audio file, in bounded memory: short files are decoded
// and analysed whole; long ones are decoded block by block and analysed in pieces on the
// file's frame grids, with enough audio on both sides of each piece for every frame and window
// to see what it sees in the whole file; what a set takes from the whole file (the chromagram
// tunings and dB maxima, the psychoacoustic set's onset scale and tempo) is gathered in a first
// pass over it. The rows equal extract_features() of the whole decoded range up to float
// rounding in the resamplers' block boundaries (tested per set in tests/test-file-features.cpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dynemo/audio.h"
#include "dynemo/features.h"

namespace dynemo {

struct FileFeatureOptions {
  // Ranges longer than this are analysed in pieces (files of unknown length always are).
  double whole_file_max_s = 180.0;
  // Audio per piece (rounded to whole window steps) and read on each side of it (the longest
  // context of any set is the CQT's lowest filter, about 1.6 s, and the CENS smoothing).
  double piece_s = 60.0;
  double margin_s = 5.0;
};

// What extract_file_features decoded.
struct DecodedAudio {
  double seconds = 0.0;  // at the analysis rate
  SignalLevel level;     // of the decoded mono samples (AudioReader::level)
  AudioInfo audio;       // the file (AudioReader::info)
  // Per row handed to on_rows, in order: the level (SignalLevel::rms_dbfs) of the analysed
  // samples in [time_s, time_s + config.window_s) of that row (window_level_dbfs).
  std::vector<float> window_dbfs;
};

// The level (SignalLevel::rms_dbfs) of samples [start_s, start_s + window_s) of a signal whose
// sample 0 lies at `first_s`, x[0, n) at sample_rate_hz; the part outside x is left out
// (kLevelFloor_dbfs when nothing is left).
double window_level_dbfs(const float* x, std::size_t n, double sample_rate_hz, double first_s,
                         double start_s, double window_s);

// Decodes `range` of `path` (its target rate is set to config.sample_rate_hz), extracts `spec`
// and hands the rows to on_rows in order, in one or more blocks with the columns of
// feature_columns(spec); row times count from the start of the decoded range. Returns the
// seconds and level of the audio decoded. Throws what load_audio and extract_features throw,
// naming `path`.
DecodedAudio extract_file_features(const std::string& path, const std::string& spec,
                                   const FeatureConfig& config, AudioLoadOptions range,
                                   const std::function<void(const FeatureMatrix& rows)>& on_rows,
                                   const FileFeatureOptions& options = {});

// All the rows of extract_file_features in one matrix (for a model that needs the whole
// sequence: the rows are small, 2 per second; the audio is what must not be held). *decoded,
// if given, gets what was decoded.
FeatureMatrix file_features(const std::string& path, const std::string& spec,
                            const FeatureConfig& config, const AudioLoadOptions& range = {},
                            DecodedAudio* decoded = nullptr,
                            const FileFeatureOptions& options = {});

}  // namespace dynemo
