// The audio decode path (dynemo/audio.h): probe_audio and load_audio on a file of any bytes, with
// every check in front of libsndfile (path, container sniffing, header against contents) and the
// range, downmix and resampling after it. load_audio reads a path (libsndfile opens files, and
// the container checks re-read them), so the input is written to a file in RAM (/dev/shm) first.
// Input: byte 0 picks the extension (bits 0-2: wav flac ogg oga opus mp3 aif aiff) and the
// options (bit 3: offset_s 0.01, bit 4: duration_s 0.05, bit 5: resample to 22050 Hz, else the
// file's rate is kept); the rest is the file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dynemo/audio.h"
#include "fuzz-common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  using namespace dynemo::fuzz;
  static const char* const kExtensions[] = {"wav",  "flac", "ogg", "oga",
                                            "opus", "mp3",  "aif", "aiff"};
  const std::uint8_t control = data[0];
  const std::string path =
      write_scratch(std::string("clip.") + kExtensions[control & 7],
                    std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  dynemo::AudioLoadOptions options;
  options.offset_s = (control & 8) != 0 ? 0.01 : 0.0;
  options.duration_s = (control & 16) != 0 ? 0.05 : -1.0;
  options.target_sample_rate_hz = (control & 32) != 0 ? 22050.0 : 0.0;
  expect_errors([&] { dynemo::probe_audio(path); });
  expect_errors([&] { dynemo::load_audio(path, options); });
  return 0;
}
