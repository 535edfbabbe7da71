// The steps of decoding a range of a file (see decode-steps.h).
#include "audio/decode-steps.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "dynemo/error.h"

namespace dynemo::audio_detail {
namespace {

// An MP3 length comes from its Xing/LAME tag, or from counting its frames where it has none
// (mpeg-reader.h); an MP3 in a WAV has an estimate. Decoding this much short of it (2 MPEG
// frames, or 1 % of the length) is not truncation.
constexpr long long kMpegSlackFrames = 2 * 1152;
constexpr double kMpegSlackFraction = 0.01;

// seconds >= 0 to the nearest frame, saturating far beyond any file's length.
long long to_frames(double seconds, double rate_hz) {
  return std::llround(std::min(seconds * rate_hz, 1e18));
}

// Moves the read position to frame `start`: sf_seek where libsndfile seeks exactly, else by
// decoding and dropping frames. Returns the frames passed (< start if the stream ended).
long long skip_to(SoundFile& file, long long start) {
  if (start == 0) return 0;
  if (file.seeks_exactly()) {
    if (file.seek(start)) return start;
    // Past the decodable end (a cut FLAC, a FLAC without a length): count by decoding.
    file.reopen();
  }
  std::vector<float> scratch(static_cast<std::size_t>(kChunkFrames) * file.channels());
  long long skipped = 0;
  while (skipped < start) {
    const sf_count_t want = std::min<long long>(kChunkFrames, start - skipped);
    const sf_count_t got = file.read_frames(scratch.data(), want);
    skipped += std::max<sf_count_t>(got, 0);
    if (got < want) break;
  }
  return skipped;
}

// Truncation and codec errors only.
void check_stream(const SoundFile& file, const FrameRange& range, long long end) {
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

std::string number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

FrameRange frame_range(const SoundFile& file, const AudioLoadOptions& options) {
  const std::string& path = file.path();
  const double target_hz = options.target_sample_rate_hz;
  if (target_hz != 0) check_sample_rate(target_hz, "load_audio: target_sample_rate_hz");
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

void seek_to_start(SoundFile& file, const FrameRange& range, const AudioLoadOptions& options) {
  const long long skipped = skip_to(file, range.start);
  if (skipped < range.start) {
    if (file.n_frames() >= 0) check_stream(file, range, skipped);
    fail(AudioErrorKind::bad_range, file.path(),
         "offset_s=" + number(options.offset_s) + " is past the end of the stream (" +
             std::to_string(skipped) + " frames)");
  }
}

sf_count_t read_mono_block(SoundFile& file, sf_count_t want, std::vector<float>& scratch,
                           std::vector<float>& mono) {
  const int channels = file.channels();
  scratch.resize(static_cast<std::size_t>(want) * channels);
  const sf_count_t got = std::max<sf_count_t>(0, file.read_frames(scratch.data(), want));
  const std::size_t at = mono.size(), count = static_cast<std::size_t>(got);
  mono.resize(at + count);
  const float* in = scratch.data();
  float* out = mono.data() + at;
  // Mono and stereo: each frame summed from 0 channel by channel, then halved. More channels:
  // the weighted sum of file.downmix(), summed from 0 channel by channel.
  if (channels == 1) {
    for (std::size_t i = 0; i < count; ++i) out[i] = 0.0f + in[i];
  } else if (channels == 2) {
    for (std::size_t i = 0; i < count; ++i) out[i] = (0.0f + in[2 * i] + in[2 * i + 1]) / 2.0f;
  } else {
    const std::size_t c_count = static_cast<std::size_t>(channels);
    const float* w = file.downmix().weights.data();
    for (std::size_t i = 0; i < count; ++i) {
      float sum = 0.0f;
      for (std::size_t c = 0; c < c_count; ++c) sum += w[c] * in[i * c_count + c];
      out[i] = sum;
    }
  }
  return got;
}

void check_decoded(const SoundFile& file, const FrameRange& range, const AudioLoadOptions& options,
                   long long end) {
  check_stream(file, range, end);
  if (end > range.start) return;
  if (range.start > 0) {
    fail(AudioErrorKind::bad_range, file.path(),
         "offset_s=" + number(options.offset_s) + " is at or past the end of the stream");
  }
  fail(AudioErrorKind::empty, file.path(), "decodes to zero samples");
}

}  // namespace dynemo::audio_detail
