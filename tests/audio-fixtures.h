// Audio fixtures made at test time: deterministic signals written with libsndfile, broken
// files built byte by byte, and measurements (RMS, frequency) to check decoded audio against.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dynemo/error.h"

namespace dynemo::test {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (root_ / name).string(); }

 private:
  std::filesystem::path root_;
};

// amplitude * sin(2 pi f t + phase) for t = i / rate_hz, i in [0, n).
std::vector<float> sine(std::size_t n, double rate_hz, double frequency_hz, double amplitude,
                        double phase = 0.0);

// Uniform values in [-amplitude, amplitude) from mt19937(seed): content with no period, so a
// misplaced slice cannot match by accident.
std::vector<float> noise(std::size_t n, double amplitude, std::uint32_t seed = 42);

// Interleaves equally long channels: {L, R} -> L0 R0 L1 R1 ...
std::vector<float> interleave(const std::vector<std::vector<float>>& channels);

// Writes interleaved float frames with libsndfile in `format` (SF_FORMAT_* major | sub).
// Returns "" on success, else why this libsndfile cannot write that format.
std::string write_sound(const std::string& path, int format, int channels, int rate_hz,
                        const std::vector<float>& interleaved);

// Raw bytes of a file, and a file made of raw bytes.
std::string read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::string& bytes);
// Copies the first `n_bytes` of `from` to `to`.
void write_prefix(const std::string& from, const std::string& to, std::size_t n_bytes);

// A canonical 44-byte-header WAV with the given fmt fields and `data` as its data chunk.
std::string wav_bytes(int format_tag, int channels, std::uint32_t rate_hz, int bits,
                      const std::string& data);

// One Ogg page (with a valid CRC) holding `body` as a single packet; header_type 2 marks the
// first page of a stream, 4 the last.
std::string ogg_page(const std::string& body, std::uint32_t serial, std::uint32_t sequence,
                     int header_type);

// An Ogg FLAC stream's identification packet in two pages (beginning, end of stream), serial 5:
// a stream whose codec libsndfile 1.2 does not decode.
std::string ogg_flac_pages();

// Root mean square of x[begin, end).
double rms(const std::vector<float>& x, std::size_t begin, std::size_t end);
// Frequency from the upward zero crossings in x[begin, end) (linearly interpolated).
double zero_crossing_hz(const std::vector<float>& x, double rate_hz, std::size_t begin,
                        std::size_t end);

// Succeeds when `run` throws AudioError of `kind` whose source is `path`, whose what() starts
// with "<path>: " and contains every fragment.
template <class Run>
::testing::AssertionResult throws_audio_error(Run run, AudioErrorKind kind, const std::string& path,
                                              const std::vector<std::string>& fragments) {
  try {
    run();
  } catch (const AudioError& e) {
    const std::string what = e.what();
    if (e.kind() != kind) {
      return ::testing::AssertionFailure()
             << "kind " << to_string(e.kind()) << ", expected " << to_string(kind) << ": " << what;
    }
    if (e.source() != path || what.rfind(path + ": ", 0) != 0) {
      return ::testing::AssertionFailure() << "message does not start with the path: " << what;
    }
    for (const std::string& fragment : fragments) {
      if (what.find(fragment) == std::string::npos) {
        return ::testing::AssertionFailure() << "'" << fragment << "' missing from: " << what;
      }
    }
    return ::testing::AssertionSuccess() << what;
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw something else: " << e.what();
  }
  return ::testing::AssertionFailure() << "nothing thrown, expected " << to_string(kind);
}

}  // namespace dynemo::test
