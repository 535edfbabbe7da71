// Audio front end: decoding (WAV, FLAC, OGG/Vorbis, Opus, MP3 via libsndfile), downmix to mono
// and resampling (soxr). The only part of dynemo that touches audio files.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dynemo {

// Mono float samples in [-1, 1] at a known rate.
struct Audio {
  std::vector<float> samples;
  double sample_rate_hz = 0.0;
  double duration_s() const {
    return sample_rate_hz > 0 ? static_cast<double>(samples.size()) / sample_rate_hz : 0.0;
  }
};

// What a file holds, read from its header without decoding.
struct AudioInfo {
  std::string format;        // "WAV", "FLAC", "OGG/Vorbis", "OGG/Opus", "MP3", ...
  int channels = 0;
  double sample_rate_hz = 0.0;
  long long n_frames = 0;    // per channel, as the header declares (estimated for MP3)
  double duration_s() const {
    return sample_rate_hz > 0 ? static_cast<double>(n_frames) / sample_rate_hz : 0.0;
  }
};

struct AudioLoadOptions {
  double target_sample_rate_hz = 44100.0;  // 0 keeps the file's rate
  double offset_s = 0.0;                   // start of the range to read
  double duration_s = -1.0;                // length of the range; < 0 reads to the end
};

// Reads the header of `path`. Throws AudioError (missing, empty, not_audio, ...).
AudioInfo probe_audio(const std::string& path);

// Decodes `path` (or the range [offset_s, offset_s + duration_s) of it, seeking where the
// format allows), averages channels to mono and resamples to target_sample_rate_hz.
// Throws AudioError naming `path` for every bad-input case of AudioErrorKind.
Audio load_audio(const std::string& path, const AudioLoadOptions& options = {});

// High-quality resampling (soxr HQ, linear phase). Output length is ceil(n * out / in).
// Throws ConfigError for non-positive rates.
std::vector<float> resample(const float* samples, std::size_t n_samples, double in_rate_hz,
                            double out_rate_hz);

// Throws AudioError(non_finite) naming `source` if any sample is NaN or Inf.
void check_finite(const float* samples, std::size_t n_samples, const std::string& source);

// File extensions load_audio recognises ("wav", "flac", "ogg", "opus", "mp3", ...), lower case.
const std::vector<std::string>& audio_extensions();

}  // namespace dynemo
