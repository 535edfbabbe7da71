// Writing results to disk: feature tables as CSV or NumPy .npy with a JSON sidecar. Every
// file is written to a temporary name beside the target and renamed, so a reader never sees
// half a file.
#pragma once

#include <string>

#include "dynemo/features.h"

namespace dynemo {

// Writes `content` to `path` atomically (temporary file + rename). Throws IoError.
void write_file_atomic(const std::string& path, const std::string& content);

// A song id or name as one file name stem: letters, digits, '_', '-' and '.' (not first) kept,
// every other byte percent-encoded ("../x" -> "%2E.%2Fx", "a b" -> "a%20b"), so no id can
// leave its folder, name a hidden file or collide with another id. Digit ids are unchanged.
std::string id_file_stem(const std::string& id);

// The whole file as bytes. Throws IoError "<path>: cannot open the <what> for reading" (what:
// "split file", "model sidecar", ...) or "<path>: read error".
std::string read_text_file(const std::string& path, const std::string& what);

// FNV-1a 64 of a file's bytes as 16 hex digits: what a run records of the files it read, to
// notice later that they changed. Throws as read_text_file.
std::string file_fnv1a(const std::string& path, const std::string& what);

// CSV: header "time_s,<columns...>", one row per window, values with 9 significant digits.
void write_features_csv(const std::string& path, const FeatureMatrix& features);

// NumPy .npy (format 1.0), float32, C order, shape [n_rows, n_cols]. Column names and times go
// in the sidecar.
void write_features_npy(const std::string& path, const FeatureMatrix& features);

// What produced a feature file, written beside it as JSON.
struct FeatureProvenance {
  std::string input;  // the audio file
  std::string spec;   // "spectral+cqt"
  FeatureConfig config;
  std::string format;  // "csv" or "npy"
  // The decoded range of the input (AudioLoadOptions); table times count from the file start.
  double audio_offset_s = 0.0;
  double audio_duration_s = -1.0;  // < 0: to the end
};

// Sidecar JSON: spec, feature hash, config, decoded audio range, column names, n_rows, time of
// the first window, sample rate, dynemo version and git SHA.
void write_features_sidecar(const std::string& path, const FeatureMatrix& features,
                            const FeatureProvenance& provenance);

// True when `sidecar_path` is a complete sidecar that write_features_sidecar wrote for this
// provenance (input, spec, feature hash, configuration, format, audio range, this dynemo version
// and git SHA) with these column names, and its data file `data_path` exists: a batch skips it.
bool features_output_is_current(const std::string& sidecar_path, const std::string& data_path,
                                const FeatureProvenance& provenance,
                                const std::vector<std::string>& columns);

}  // namespace dynemo
