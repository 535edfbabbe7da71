// dynemo: dynamic music emotion recognition. This umbrella header brings in the whole public
// API of dynemo::signal: errors (error.h), audio decoding and resampling (audio.h), feature
// extraction (features.h; from files in bounded memory: file-features.h), feature files with their
// JSON sidecars (io.h) and evaluation metrics (metrics.h).
//
// Every library function reports failure by throwing a subclass of dynemo::Error (AudioError,
// ConfigError, IoError, MetricsError) whose message names the input, the value and the expectation.
// Feature sets, their columns and the time grid: docs/features.md and docs/conventions.md.
//
// Basic usage: decode a file, extract the "spectral" and "cqt" sets per 0.5 s window and write
// a CSV with its sidecar. examples/basic-usage.cpp holds this code verbatim as a program; it is
// built with the project and run by test-examples, which also checks it matches this block.
//
//   #include <filesystem>
//   #include <string>
//
//   #include "dynemo/dynemo.h"
//
//   // Writes <output_dir>/<stem>.csv (time_s + 449 feature columns, one row per 0.5 s) and
//   // <output_dir>/<stem>.json (spec, feature hash, config, columns, version). output_dir must
//   // exist. Throws dynemo::Error.
//   void extract_file(const std::string& input, const std::string& output_dir) {
//     const std::string spec = "spectral+cqt";
//     const dynemo::FeatureConfig config;  // librosa defaults at 44.1 kHz, 0.5 s windows
//     // Decoded, downmixed, resampled to config.sample_rate_hz; long files in pieces.
//     const dynemo::FeatureMatrix features = dynemo::file_features(input, spec, config);
//     const std::string stem = output_dir + "/" + std::filesystem::path(input).stem().string();
//     dynemo::write_features_csv(stem + ".csv", features);
//     const dynemo::FeatureProvenance origin{input, spec, config, "csv"};
//     dynemo::write_features_sidecar(stem + ".json", features.columns, features.time_s, origin);
//   }
#pragma once

#include "dynemo/audio.h"          // IWYU pragma: export
#include "dynemo/cache.h"          // IWYU pragma: export
#include "dynemo/data.h"           // IWYU pragma: export
#include "dynemo/error.h"          // IWYU pragma: export
#include "dynemo/evaluation.h"     // IWYU pragma: export
#include "dynemo/features.h"       // IWYU pragma: export
#include "dynemo/file-features.h"  // IWYU pragma: export
#include "dynemo/io.h"             // IWYU pragma: export
#include "dynemo/metrics.h"        // IWYU pragma: export
#include "dynemo/runtime.h"        // IWYU pragma: export
