// Writing results to disk: feature tables as CSV or NumPy .npy with a JSON sidecar. Every
// file is written to a temporary name beside the target and renamed, so a reader never sees
// half a file.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "dynemo/features.h"

namespace dynemo {

// Writes `content` to `path` atomically (temporary file + rename). Throws IoError.
void write_file_atomic(const std::string& path, const std::string& content);

// A file written piece by piece to a hidden temporary beside `path` (parents created), which
// commit() renames over `path`; destroyed without commit(), the temporary is removed and `path`
// is untouched. Throws IoError "cannot write <path>: <reason>" (a full disk: "No space left on
// device").
class AtomicFile {
 public:
  explicit AtomicFile(const std::string& path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const std::string& bytes);                         // at the end
  void write_at(std::size_t offset, const std::string& bytes);  // over bytes already written
  void commit();

 private:
  std::string path_, temporary_;
  int fd_ = -1;
  bool committed_ = false;
};

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

// A feature table written row block by row block, as write_features_csv / write_features_npy
// write it whole (the rows of hours of audio never sit in memory as text), atomically: nothing
// appears at `path` before finish(). format: "csv" or "npy". Throws IoError naming `path`.
class FeatureTableWriter {
 public:
  FeatureTableWriter(const std::string& path, const std::string& format,
                     const std::vector<std::string>& columns);
  ~FeatureTableWriter();
  FeatureTableWriter(const FeatureTableWriter&) = delete;
  FeatureTableWriter& operator=(const FeatureTableWriter&) = delete;

  void append(const FeatureMatrix& rows);  // rows with the table's columns
  void finish();
  std::size_t n_rows() const { return n_rows_; }

 private:
  std::string path_;
  bool npy_;
  std::vector<std::string> columns_;
  std::unique_ptr<AtomicFile> file_;
  std::size_t n_rows_ = 0;
};

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
void write_features_sidecar(const std::string& path, const std::vector<std::string>& columns,
                            const std::vector<double>& time_s, const FeatureProvenance& provenance);

// True when `sidecar_path` is a complete sidecar that write_features_sidecar wrote for this
// provenance (input, spec, feature hash, configuration, format, audio range, this dynemo version
// and git SHA) with these column names, and its data file `data_path` exists: a batch skips it.
bool features_output_is_current(const std::string& sidecar_path, const std::string& data_path,
                                const FeatureProvenance& provenance,
                                const std::vector<std::string>& columns);

}  // namespace dynemo
