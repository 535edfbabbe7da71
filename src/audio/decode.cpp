// load_audio: decode a file (or a range of it), average its channels and resample.
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "audio/sound-file.h"
#include "dynemo/audio.h"
#include "dynemo/error.h"

namespace dynemo {
namespace {

using audio_detail::fail;
using audio_detail::SoundFile;

// Frames per sf_readf_float call. Small enough that a decoder error mid-file (which drops
// the rest of the call's frames in libsndfile's MP3 path) loses little.
constexpr sf_count_t kChunkFrames = 4096;
// An MP3 length is exact with a Xing/LAME tag and estimated from the file size without one;
// decoding this much short of it (2 MPEG frames, or 1 % of the length) is not truncation.
constexpr long long kMpegSlackFrames = 2 * 1152;
constexpr double kMpegSlackFraction = 0.01;
// Never reserve more than this up front on the word of a header (2^27 floats = 512 MiB).
constexpr long long kMaxReserveFrames = 1LL << 27;

std::string number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

// seconds >= 0 to the nearest frame, saturating far beyond any file's length.
long long to_frames(double seconds, double rate_hz) {
  return std::llround(std::min(seconds * rate_hz, 1e18));
}

// Frames [start, start + count) of the file; count < 0 reads to the end.
struct FrameRange {
  long long start = 0;
  long long count = -1;
};

// Offsets round to the nearest frame. Throws bad_range for a negative, non-finite or empty
// range, or an offset at or past the end of a file whose length is known.
FrameRange frame_range(const SoundFile& file, const AudioLoadOptions& options) {
  const std::string& path = file.path();
  if (!std::isfinite(options.offset_s) || options.offset_s < 0) {
    fail(AudioErrorKind::bad_range, path,
         "offset_s=" + number(options.offset_s) + "; expected a finite number of seconds >= 0");
  }
  const bool to_end = options.duration_s == -1.0;
  if (!to_end && !(std::isfinite(options.duration_s) && options.duration_s > 0)) {
    fail(AudioErrorKind::bad_range, path,
         "duration_s=" + number(options.duration_s) + "; expected seconds > 0, or -1 for the rest");
  }
  const double rate = file.sample_rate_hz();
  FrameRange range;
  range.start = to_frames(options.offset_s, rate);
  if (!to_end) {
    range.count = to_frames(options.duration_s, rate);
    if (range.count == 0) {
      fail(AudioErrorKind::bad_range, path,
           "duration_s=" + number(options.duration_s) + " is shorter than one frame at " +
               number(rate) + " Hz");
    }
  }
  const long long n = file.n_frames();
  if (n >= 0 && range.start >= n) {
    fail(AudioErrorKind::bad_range, path,
         "offset_s=" + number(options.offset_s) + " (frame " + std::to_string(range.start) +
             ") is at or past the end of the file (" + std::to_string(n) + " frames, " +
             number(static_cast<double>(n) / rate) + " s)");
  }
  return range;
}

// Moves the read position to frame `start`: sf_seek where libsndfile seeks exactly, else by
// decoding and dropping frames. Returns the frames passed (< start if the stream ended).
long long skip_to(SoundFile& file, long long start) {
  if (start == 0) return 0;
  if (file.seeks_exactly()) {
    if (sf_seek(file.handle(), start, SEEK_SET) == start) return start;
    // Past the decodable end (a cut FLAC, a FLAC without a length): count by decoding.
    file.reopen();
  }
  std::vector<float> scratch(static_cast<std::size_t>(kChunkFrames) * file.channels());
  long long skipped = 0;
  while (skipped < start) {
    const sf_count_t want = std::min<long long>(kChunkFrames, start - skipped);
    const sf_count_t got = sf_readf_float(file.handle(), scratch.data(), want);
    skipped += std::max<sf_count_t>(got, 0);
    if (got < want) break;
  }
  return skipped;
}

// Reads up to `count` frames (count < 0: to the end) and averages the channels, as
// librosa.to_mono: mono[i] = (x[i, 0] + ... + x[i, C-1]) / C in float.
std::vector<float> read_mono(const SoundFile& file, long long count, long long expected) {
  const int channels = file.channels();
  std::vector<float> mono;
  if (expected > 0) mono.reserve(static_cast<std::size_t>(std::min(expected, kMaxReserveFrames)));
  std::vector<float> chunk(static_cast<std::size_t>(kChunkFrames) * channels);
  while (count < 0 || static_cast<long long>(mono.size()) < count) {
    sf_count_t want = kChunkFrames;
    if (count >= 0) want = std::min<long long>(want, count - static_cast<long long>(mono.size()));
    const sf_count_t got = sf_readf_float(file.handle(), chunk.data(), want);
    for (sf_count_t i = 0; i < got; ++i) {
      const float* frame = chunk.data() + i * channels;
      float sum = 0.0f;
      for (int c = 0; c < channels; ++c) sum += frame[c];
      mono.push_back(channels == 1 ? sum : sum / static_cast<float>(channels));
    }
    if (got < want) break;  // end of stream or decoder error; another call may clear the error
  }
  return mono;
}

// Throws truncated/corrupt when decoding stopped before the frame the header promised, or
// the codec reported an error. `end` is the absolute frame decoding reached.
void check_decoded(const SoundFile& file, const FrameRange& range, long long end) {
  const std::string& path = file.path();
  const long long n = file.n_frames();
  const std::string error = file.error_text();
  if (n >= 0) {
    const long long wanted = range.count < 0 ? n : std::min(n, range.start + range.count);
    const long long slack =
        file.is_mpeg() ? std::max(kMpegSlackFrames, static_cast<long long>(kMpegSlackFraction * n))
                       : 0;
    if (end < wanted - slack) {
      fail(AudioErrorKind::truncated, path,
           "the header declares " + std::to_string(n) + " frames but only " + std::to_string(end) +
               " could be decoded" + (error.empty() ? "" : " (" + error + ")"));
    }
  }
  if (!error.empty()) {
    fail(AudioErrorKind::corrupt, path,
         "the decoder failed after frame " + std::to_string(end) + " (" + error + ")");
  }
}

}  // namespace

void check_finite(const float* samples, std::size_t n_samples, const std::string& source) {
  // Fast path: x - x is 0 for every finite x and NaN otherwise; a branch-free OR vectorises.
  int any_bad = 0;
  for (std::size_t i = 0; i < n_samples; ++i) any_bad |= !(samples[i] - samples[i] == 0.0f);
  if (!any_bad) return;
  std::size_t n_bad = 0;
  std::size_t first = 0;
  for (std::size_t i = 0; i < n_samples; ++i) {
    if (!std::isfinite(samples[i])) {
      if (n_bad++ == 0) first = i;
    }
  }
  if (n_bad == 0) return;
  throw AudioError(AudioErrorKind::non_finite, source,
                   "non_finite: " + std::to_string(n_bad) + " of " + std::to_string(n_samples) +
                       " samples are NaN or infinite, the first at index " + std::to_string(first) +
                       " (" + number(samples[first]) + "); expected finite samples");
}

Audio load_audio(const std::string& path, const AudioLoadOptions& options) {
  const double target_hz = options.target_sample_rate_hz;
  if (!std::isfinite(target_hz) || target_hz < 0) {
    throw ConfigError("load_audio: target_sample_rate_hz=" + number(target_hz) +
                      "; expected 0 (keep the file's rate) or a positive rate in Hz");
  }
  SoundFile file(path);
  const FrameRange range = frame_range(file, options);

  const long long skipped = skip_to(file, range.start);
  if (skipped < range.start) {
    if (file.n_frames() >= 0) check_decoded(file, range, skipped);
    fail(AudioErrorKind::bad_range, path,
         "offset_s=" + number(options.offset_s) + " is past the end of the stream (" +
             std::to_string(skipped) + " frames)");
  }
  const long long n = file.n_frames();
  const long long left = n >= 0 ? n - range.start : -1;
  const long long expected = range.count >= 0 && left >= 0 ? std::min(range.count, left) : left;
  Audio audio;
  audio.samples = read_mono(file, range.count, expected);
  audio.sample_rate_hz = file.sample_rate_hz();
  check_decoded(file, range, range.start + static_cast<long long>(audio.samples.size()));
  if (audio.samples.empty()) {
    if (range.start > 0) {
      fail(AudioErrorKind::bad_range, path,
           "offset_s=" + number(options.offset_s) + " is at or past the end of the stream");
    }
    fail(AudioErrorKind::empty, path, "decodes to zero samples");
  }
  check_finite(audio.samples.data(), audio.samples.size(), path);

  if (target_hz > 0 && target_hz != audio.sample_rate_hz) {
    audio.samples =
        resample(audio.samples.data(), audio.samples.size(), audio.sample_rate_hz, target_hz);
    audio.sample_rate_hz = target_hz;
  }
  return audio;
}

}  // namespace dynemo
