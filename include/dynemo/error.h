// Exceptions thrown by the dynemo library. Messages name the thing, the value and the
// expectation, e.g. "song.mp3: truncated: the header declares 441000 frames, 12000 decoded".
#pragma once

#include <stdexcept>
#include <string>

namespace dynemo {

// Base class of every error dynemo throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What is wrong with an audio input.
enum class AudioErrorKind {
  missing,             // the file does not exist or cannot be opened for reading
  empty,               // the file has zero bytes, or decodes to zero samples
  truncated,           // the stream ends before the length its header declares
  corrupt,             // the codec rejected the data
  not_audio,           // the file is not in any audio format
  unsupported_format,  // an audio format dynemo does not decode
  no_channels,         // zero channels
  bad_sample_rate,     // zero, negative or absurd sample rate
  non_finite,          // NaN or Inf samples
  too_short,           // shorter than one analysis window
  bad_range,           // offset/duration outside the file
  out_of_range,        // samples far beyond full scale (beyond +-kMaxSampleMagnitude)
};

// Returns a short name for the kind ("truncated", "not_audio", ...).
const char* to_string(AudioErrorKind kind);

// An audio input that cannot be used. what() starts with the source (file path or "<memory>").
class AudioError : public Error {
 public:
  AudioError(AudioErrorKind kind, const std::string& source, const std::string& detail);
  AudioErrorKind kind() const { return kind_; }
  const std::string& source() const { return source_; }

 private:
  AudioErrorKind kind_;
  std::string source_;
};

// A configuration value that is out of range or an unknown name (feature set, format, ...).
class ConfigError : public Error {
 public:
  using Error::Error;
};

// Reading or writing a non-audio file failed (CSV, JSON, NPY).
class IoError : public Error {
 public:
  using Error::Error;
};

// Writing failed for want of room: the disk is full (ENOSPC), a quota is reached (EDQUOT) or
// the process's file-size limit (EFBIG). No later write to that place can succeed either, so
// a batch stops at the first one (dynemo/batch.h).
class NoSpaceError : public IoError {
 public:
  using IoError::IoError;
};

// Invalid input to a metric (metrics.h): empty, mismatched lengths or non-finite values.
class MetricsError : public Error {
 public:
  using Error::Error;
};

// Malformed or inconsistent dataset files (data.h). what() names the file, and the line and
// column where there is one ("arousal.csv:12:5: 'abc' is not a number").
class DataError : public Error {
 public:
  using Error::Error;
};

}  // namespace dynemo
