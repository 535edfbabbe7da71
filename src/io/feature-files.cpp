// Feature tables on disk: CSV with a header and a time column, and NumPy .npy (format 1.0).
// Both are built in memory and handed to write_file_atomic.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "dynemo/error.h"
#include "dynemo/io.h"

namespace dynemo {
namespace {

// Throws IoError naming `path` unless values has n_rows * n_cols entries.
void check_shape(const std::string& path, const FeatureMatrix& features) {
  const std::size_t expected = features.n_rows() * features.n_cols();
  if (features.values.size() != expected) {
    throw IoError("cannot write " + path + ": the feature matrix holds " +
                  std::to_string(features.values.size()) + " values, expected " +
                  std::to_string(features.n_rows()) + " rows x " +
                  std::to_string(features.n_cols()) + " columns = " + std::to_string(expected));
  }
}

// Column names go into the CSV header unquoted, so they must not need quoting.
void check_column_names(const std::string& path, const FeatureMatrix& features) {
  for (const std::string& name : features.columns) {
    if (name.empty() || name.find_first_of(",\"\r\n") != std::string::npos) {
      throw IoError("cannot write " + path + ": column name \"" + name +
                    "\" is empty or contains a comma, quote or line break");
    }
  }
}

// Appends `value` in shortest general notation with `digits` significant digits. Locale
// independent. NaN is "nan" whatever its sign bit; infinities are "inf" / "-inf".
void append_number(std::string& out, double value, int digits) {
  if (std::isnan(value)) {
    out += "nan";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "inf" : "-inf";
    return;
  }
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, digits);
  out.append(buffer, result.ptr);
}

// Times need more digits than float values: 12 significant digits keep microseconds for
// inputs of many hours and still print 0.1 * 3 as "0.3".
constexpr int kTimeDigits = 12;
// A float32 round-trips exactly through 9 significant digits.
constexpr int kValueDigits = 9;

std::string format_csv(const FeatureMatrix& features) {
  std::string out;
  out.reserve((features.n_rows() + 1) * (features.n_cols() + 1) * 14);
  out += "time_s";
  for (const std::string& name : features.columns) {
    out += ',';
    out += name;
  }
  out += '\n';
  for (std::size_t row = 0; row < features.n_rows(); ++row) {
    append_number(out, features.time_s[row], kTimeDigits);
    for (std::size_t col = 0; col < features.n_cols(); ++col) {
      out += ',';
      append_number(out, static_cast<double>(features.at(row, col)), kValueDigits);
    }
    out += '\n';
  }
  return out;
}

// NPY 1.0 header: magic, version, little-endian uint16 length, then a Python dict literal padded
// with spaces and ended by '\n' so that the data starts at a multiple of 64 bytes.
// ref: numpy/lib/format.py, "Format Version 1.0".
std::string npy_header(std::size_t n_rows, std::size_t n_cols) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                     std::to_string(n_rows) + ", " + std::to_string(n_cols) + "), }";
  constexpr std::size_t kPreamble = 10;  // magic (6) + version (2) + header length (2)
  const std::size_t unpadded = kPreamble + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';

  const std::size_t length = dict.size();
  std::string header("\x93NUMPY\x01\x00", 8);
  header += static_cast<char>(length & 0xff);
  header += static_cast<char>((length >> 8) & 0xff);
  header += dict;
  return header;
}

std::string format_npy(const FeatureMatrix& features) {
  std::string out = npy_header(features.n_rows(), features.n_cols());
  const std::size_t header_size = out.size();
  out.resize(header_size + features.values.size() * 4);
  char* data = &out[header_size];
  for (float value : features.values) {
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    // Little endian whatever the host order.
    for (int byte = 0; byte < 4; ++byte) *data++ = static_cast<char>((bits >> (8 * byte)) & 0xff);
  }
  return out;
}

}  // namespace

void write_features_csv(const std::string& path, const FeatureMatrix& features) {
  check_shape(path, features);
  check_column_names(path, features);
  write_file_atomic(path, format_csv(features));
}

void write_features_npy(const std::string& path, const FeatureMatrix& features) {
  check_shape(path, features);
  write_file_atomic(path, format_npy(features));
}

}  // namespace dynemo
