// Audio front end: decoding (WAV, FLAC, OGG/Vorbis, Opus, MP3 via libsndfile), downmix to mono
// and resampling (soxr). The only part of dynemo that touches audio files.
#pragma once

#include <cstddef>
#include <memory>
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
  std::string format;  // "WAV", "FLAC", "OGG/Vorbis", "OGG/Opus", "MP3", ...
  int channels = 0;
  // How the channels fold to mono (interleaved_mono_weights below): "mono", "stereo",
  // "5.1 (FL FR FC LFE BL BR)", "9 channels, averaged (no channel map for more than 8 channels)".
  std::string channel_layout;
  double sample_rate_hz = 0.0;
  // Per channel, as the header declares (counted frame by frame for MP3 without a Xing/LAME
  // tag and for MP3 files joined end to end); -1 when the stream does not say (Ogg with bytes
  // after its final page, FLAC without a total).
  long long n_frames = 0;
  double duration_s() const {  // 0 when the length is unknown
    return sample_rate_hz > 0 && n_frames > 0 ? static_cast<double>(n_frames) / sample_rate_hz
                                              : 0.0;
  }
};

// The sample rates dynemo reads and analyses: a file's, an array's, a load_audio target.
constexpr double kMinSampleRateHz = 1000.0;
constexpr double kMaxSampleRateHz = 768000.0;

// Throws ConfigError "<what>: sample rate R Hz; expected 1000 to 768000 Hz" for a rate outside
// [kMinSampleRateHz, kMaxSampleRateHz] (NaN and infinities included).
void check_sample_rate(double rate_hz, const std::string& what);

struct AudioLoadOptions {
  double target_sample_rate_hz = 44100.0;  // 0 keeps the file's rate; else 1000 to 768000 Hz
  double offset_s = 0.0;                   // start of the range to read (nearest frame)
  double duration_s = -1.0;                // length of the range; -1 reads to the end
};

// Reads the header of `path`. Throws AudioError (missing, empty, not_audio, ...; truncated
// where the file's structure shows it without decoding: WAV, AIFF, Ogg).
AudioInfo probe_audio(const std::string& path);

// How channels fold into the mono signal every analysis reads: one channel as it is, two
// averaged; 3 to 8 channels as their ITU-R BS.775 stereo fold-down (centre and surrounds at
// -3 dB into their side, LFE left out), averaged, so that a surround file reads as its stereo
// downmix does: mono = 0.5 (FL + FR) + 0.7071 FC + 0.3536 (BL + BR + SL + SR). A file's
// positions come from its channel map (WAV channel mask, CAF/AIFF layout) or else from its
// format's default order (WAV/FLAC/AIFF: FL FR FC LFE BL BR SL SR, as many as there are; Ogg
// Vorbis/Opus: the Vorbis order, FL FC FR ...); more than 8 channels without a map, or a
// position without a meaning here, are averaged.
// The weights for interleaved channels in WAV order (what `dynemo stream` and Stream take):
// mono = sum over c of weights[c] * x[c]. channels >= 1.
std::vector<float> interleaved_mono_weights(int channels);

// Decodes `path` (or the range [offset_s, offset_s + duration_s) of it, seeking where the
// format allows; a range running past the end stops there), folds the channels to mono (above)
// and resamples to target_sample_rate_hz.
// Throws AudioError naming `path` for every bad-input case of AudioErrorKind (bad_range for a
// negative or empty range, an offset past the end, or a duration < 0 other than -1), and
// ConfigError for a target rate other than 0 outside 1000 to 768000 Hz.
Audio load_audio(const std::string& path, const AudioLoadOptions& options = {});

// load_audio in pieces, for files too long to hold: decodes, folds the channels to mono and
// resamples (StreamingResampler) a block at a time. The pieces read() gives, concatenated, are
// exactly load_audio(path, options).samples; memory stays at a few blocks whatever the length.
// Throws what load_audio throws, when it is found: the constructor the header and range
// errors, read() the decoding ones (truncated, corrupt, non_finite naming the sample's index).
// The level of a signal from its samples, added piece by piece, as a listener hears it: a DC
// offset (inaudible) is left out.
struct SignalLevel {
  double mean = 0.0;  // of the samples added
  double m2 = 0.0;    // their summed squared deviation from the mean
  std::size_t n = 0;  // samples added
  void add(const float* samples, std::size_t count);
  // 10 log10 of the mean square about the mean: a full-scale sine reads -3.01 dB, a full-scale
  // square wave 0 dB, the same with any constant added too; kLevelFloor_dbfs for digital silence,
  // a constant signal or no samples.
  double rms_dbfs() const;
};
inline constexpr double kLevelFloor_dbfs = -200.0;

class AudioReader {
 public:
  explicit AudioReader(const std::string& path, const AudioLoadOptions& options = {});
  ~AudioReader();
  AudioReader(const AudioReader&) = delete;
  AudioReader& operator=(const AudioReader&) = delete;

  const std::string& path() const;
  double sample_rate_hz() const;  // of the samples read(): the target rate, or the file's
  // Appends up to max_samples (> 0) samples to `out` and returns how many; 0 once the whole
  // range has been given.
  std::size_t read(std::vector<float>& out, std::size_t max_samples);
  // The level of the mono samples decoded so far, before resampling (once read() has returned
  // 0: the whole range's).
  const SignalLevel& level() const;
  // The file as probe_audio describes it.
  const AudioInfo& info() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// High-quality resampling (soxr HQ, linear phase). Output length is ceil(n * out / in),
// evaluated as librosa does (ceil(n * (out / in)) in double), zero-padded where soxr gives less.
// Throws ConfigError for non-positive rates.
std::vector<float> resample(const float* samples, std::size_t n_samples, double in_rate_hz,
                            double out_rate_hz);

// resample() for a signal that arrives piece by piece (a live stream): push() and finish() give,
// concatenated, exactly resample() of the concatenated input, whatever the piece sizes (soxr
// keeps its state between pieces). Output lags the input by soxr's filter delay (a few ms) and
// block size (up to ~0.1 s). Equal rates copy. Throws ConfigError for non-positive rates.
class StreamingResampler {
 public:
  StreamingResampler(double in_rate_hz, double out_rate_hz);
  ~StreamingResampler();
  StreamingResampler(const StreamingResampler&) = delete;
  StreamingResampler& operator=(const StreamingResampler&) = delete;

  // Appends the output samples now available to `out`.
  void push(const float* samples, std::size_t n, std::vector<float>& out);
  // End of input: appends the rest, so that the total output is ceil(n_in * out / in) samples.
  void finish(std::vector<float>& out);

  // The most output soxr holds back behind its input for this pair of rates, in seconds of
  // signal (0 for equal rates): measured once per pair by pushing 2 s of silence in 10 ms pieces.
  static double lag_s(double in_rate_hz, double out_rate_hz);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The largest |sample| dynemo analyses: 100, 40 dB above full scale. Decoded audio lies within
// +-1 (a lossy decoder overshoots a little, a float mix-down may peak a few dB over); beyond this
// lies a float file scaled to integers (+-32768) or garbage, which every feature and model would
// read as a deafening signal (at 1e30 the features overflow to NaN).
inline constexpr float kMaxSampleMagnitude = 100.0f;

// The one rule for samples handed to dynemo: throws AudioError naming `source` if any sample is
// NaN or infinite (non_finite) or beyond +-kMaxSampleMagnitude (out_of_range), with how many
// and the first one's index (first_index + its position) and value.
void check_samples(const float* samples, std::size_t n_samples, const std::string& source,
                   std::size_t first_index = 0);

// File extensions load_audio recognises ("wav", "flac", "ogg", "opus", "mp3", ...), lower case:
// what a folder scan takes. A file named otherwise is read when its bytes are those of a WAV,
// AIFF, FLAC, Ogg or MP3 file, and refused (unsupported_format) when they are not.
const std::vector<std::string>& audio_extensions();

// Extensions of music formats load_audio does not decode ("m4a", "aac", "wma", "ape", ...), lower
// case: a folder scan lists such files as items that fail with the decoder's message (convert
// them, e.g. with ffmpeg), instead of passing them over in silence.
const std::vector<std::string>& undecoded_audio_extensions();

}  // namespace dynemo
