// Feature tables on disk: CSV with a header and a time column, and NumPy .npy (format 1.0).
// Both are written row block by row block through an AtomicFile.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
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

void append_csv_header(std::string& out, const std::vector<std::string>& columns) {
  out += "time_s";
  for (const std::string& name : columns) {
    out += ',';
    out += name;
  }
  out += '\n';
}

void append_csv_rows(std::string& out, const FeatureMatrix& features) {
  for (std::size_t row = 0; row < features.n_rows(); ++row) {
    append_number(out, features.time_s[row], kTimeDigits);
    for (std::size_t col = 0; col < features.n_cols(); ++col) {
      out += ',';
      append_number(out, static_cast<double>(features.at(row, col)), kValueDigits);
    }
    out += '\n';
  }
}

// NPY 1.0 header: magic, version, little-endian uint16 length, then a Python dict literal padded
// with spaces and ended by '\n' so that the data starts at a multiple of 64 bytes. The padding
// leaves room for a row count of 20 digits, so that a header written before the rows are known
// can be rewritten in place once they are.
// ref: numpy/lib/format.py, "Format Version 1.0".
std::string npy_dict(std::size_t n_rows, std::size_t n_cols) {
  return "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(n_rows) + ", " +
         std::to_string(n_cols) + "), }";
}

std::string npy_header(std::size_t n_rows, std::size_t n_cols) {
  constexpr std::size_t kPreamble = 10;  // magic (6) + version (2) + header length (2)
  constexpr std::size_t kMaxRowDigits = 20;
  const std::size_t widest =
      npy_dict(0, n_cols).size() - 1 + kMaxRowDigits;  // "0" replaced by 20 digits
  const std::size_t total = (kPreamble + widest + 1 + 63) / 64 * 64;
  std::string dict = npy_dict(n_rows, n_cols);
  dict.append(total - kPreamble - 1 - dict.size(), ' ');
  dict += '\n';

  const std::size_t length = dict.size();
  std::string header("\x93NUMPY\x01\x00", 8);
  header += static_cast<char>(length & 0xff);
  header += static_cast<char>((length >> 8) & 0xff);
  header += dict;
  return header;
}

void append_npy_rows(std::string& out, const FeatureMatrix& features) {
  const std::size_t start = out.size();
  out.resize(start + features.values.size() * 4);
  char* data = &out[start];
  for (float value : features.values) {
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    // Little endian whatever the host order.
    for (int byte = 0; byte < 4; ++byte) *data++ = static_cast<char>((bits >> (8 * byte)) & 0xff);
  }
}

}  // namespace

FeatureTableWriter::FeatureTableWriter(const std::string& path, const std::string& format,
                                       const std::vector<std::string>& columns)
    : path_(path), npy_(format == "npy"), columns_(columns) {
  if (format != "csv" && format != "npy") {
    throw IoError("cannot write " + path + ": unknown feature file format '" + format +
                  "' (csv or npy)");
  }
  FeatureMatrix names;
  names.columns = columns;
  if (!npy_) check_column_names(path, names);
  file_ = std::make_unique<AtomicFile>(path);
  std::string head;
  if (npy_) {
    head = npy_header(0, columns.size());
  } else {
    append_csv_header(head, columns);
  }
  file_->write(head);
}

FeatureTableWriter::~FeatureTableWriter() = default;

void FeatureTableWriter::append(const FeatureMatrix& rows) {
  check_shape(path_, rows);
  if (rows.columns != columns_) {
    throw IoError("cannot write " + path_ + ": rows with other columns than the table's");
  }
  std::string out;
  out.reserve(rows.values.size() * (npy_ ? 4 : 14));
  if (npy_) {
    append_npy_rows(out, rows);
  } else {
    append_csv_rows(out, rows);
  }
  file_->write(out);
  n_rows_ += rows.n_rows();
}

void FeatureTableWriter::finish() {
  if (npy_) file_->write_at(0, npy_header(n_rows_, columns_.size()));
  file_->commit();
}

void write_features_csv(const std::string& path, const FeatureMatrix& features) {
  check_shape(path, features);
  FeatureTableWriter writer(path, "csv", features.columns);
  writer.append(features);
  writer.finish();
}

void write_features_npy(const std::string& path, const FeatureMatrix& features) {
  check_shape(path, features);
  FeatureTableWriter writer(path, "npy", features.columns);
  writer.append(features);
  writer.finish();
}

}  // namespace dynemo
