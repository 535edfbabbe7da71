// load_audio: decode a file (or a range of it), average its channels and resample.
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "audio/decode-steps.h"
#include "audio/sound-file.h"
#include "dynemo/audio.h"
#include "dynemo/error.h"

namespace dynemo {
namespace {

using audio_detail::FrameRange;
using audio_detail::kChunkFrames;
using audio_detail::number;
using audio_detail::SoundFile;

// Never reserve more than this up front on the word of a header (2^27 floats = 512 MiB).
constexpr long long kMaxReserveFrames = 1LL << 27;

// Reads up to `count` frames (count < 0: to the end), averaging the channels.
std::vector<float> read_mono(SoundFile& file, long long count, long long expected) {
  std::vector<float> mono, scratch;
  if (expected > 0) mono.reserve(static_cast<std::size_t>(std::min(expected, kMaxReserveFrames)));
  while (count < 0 || static_cast<long long>(mono.size()) < count) {
    sf_count_t want = kChunkFrames;
    if (count >= 0) want = std::min<long long>(want, count - static_cast<long long>(mono.size()));
    // Fewer than asked: end of stream or decoder error; another call may clear the error.
    if (audio_detail::read_mono_block(file, want, scratch, mono) < want) break;
  }
  return mono;
}

}  // namespace

void check_samples(const float* samples, std::size_t n_samples, const std::string& source,
                   std::size_t first_index) {
  // Fast path: |x| <= the limit is false for NaN too; a branch-free AND vectorises.
  int all_good = 1;
  for (std::size_t i = 0; i < n_samples; ++i) {
    all_good &= std::fabs(samples[i]) <= kMaxSampleMagnitude;
  }
  if (all_good) return;
  std::size_t n_nonfinite = 0, n_large = 0, first_nonfinite = 0, first_large = 0;
  for (std::size_t i = 0; i < n_samples; ++i) {
    if (!std::isfinite(samples[i])) {
      if (n_nonfinite++ == 0) first_nonfinite = i;
    } else if (std::fabs(samples[i]) > kMaxSampleMagnitude) {
      if (n_large++ == 0) first_large = i;
    }
  }
  const std::string of = " of " + std::to_string(n_samples) + " samples " +
                         (first_index > 0 ? "from index " + std::to_string(first_index) + " " : "");
  const auto at = [&](std::size_t i) {
    return std::to_string(first_index + i) + " (" + number(samples[i]) + ")";
  };
  if (n_nonfinite > 0) {
    throw AudioError(AudioErrorKind::non_finite, source,
                     "non_finite: " + std::to_string(n_nonfinite) + of +
                         "are NaN or infinite, the first at index " + at(first_nonfinite) +
                         "; expected finite samples");
  }
  throw AudioError(AudioErrorKind::out_of_range, source,
                   "out_of_range: " + std::to_string(n_large) + of + "lie beyond +-" +
                       number(kMaxSampleMagnitude) +
                       " (40 dB above full scale), the first at index " + at(first_large) +
                       "; expected samples within +-1 (a float file scaled to integers?)");
}

Audio load_audio(const std::string& path, const AudioLoadOptions& options) {
  SoundFile file(path);
  const FrameRange range = audio_detail::frame_range(file, options);
  audio_detail::seek_to_start(file, range, options);
  const long long n = file.n_frames();
  const long long left = n >= 0 ? n - range.start : -1;
  const long long expected = range.count >= 0 && left >= 0 ? std::min(range.count, left) : left;
  Audio audio;
  audio.samples = read_mono(file, range.count, expected);
  audio.sample_rate_hz = file.sample_rate_hz();
  audio_detail::check_decoded(file, range, options,
                              range.start + static_cast<long long>(audio.samples.size()));
  check_samples(audio.samples.data(), audio.samples.size(), path);

  const double target_hz = options.target_sample_rate_hz;
  if (target_hz > 0 && target_hz != audio.sample_rate_hz) {
    audio.samples =
        resample(audio.samples.data(), audio.samples.size(), audio.sample_rate_hz, target_hz);
    audio.sample_rate_hz = target_hz;
  }
  return audio;
}

}  // namespace dynemo
