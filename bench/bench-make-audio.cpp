// Writes a long test track for the prediction benchmarks: the input clip repeated to the asked
// length, as 16-bit mono WAV at the clip's rate.
// Usage: bench-make-audio INPUT SECONDS OUTPUT.wav
#include <sndfile.h>

#include <cstdlib>
#include <iostream>

#include "dynemo/audio.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: bench-make-audio INPUT SECONDS OUTPUT.wav\n";
    return 2;
  }
  try {
    dynemo::AudioLoadOptions options;
    options.target_sample_rate_hz = 0;  // keep the clip's rate
    const dynemo::Audio clip = dynemo::load_audio(argv[1], options);
    const auto total = static_cast<sf_count_t>(std::atof(argv[2]) * clip.sample_rate_hz);
    SF_INFO info{};
    info.samplerate = static_cast<int>(clip.sample_rate_hz);
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* out = sf_open(argv[3], SFM_WRITE, &info);
    if (!out) {
      std::cerr << "error: " << argv[3] << ": " << sf_strerror(nullptr) << '\n';
      return 1;
    }
    for (sf_count_t written = 0; written < total;) {
      const sf_count_t n = std::min<sf_count_t>(total - written, clip.samples.size());
      sf_writef_float(out, clip.samples.data(), n);
      written += n;
    }
    sf_close(out);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
