// MpegReader (mpeg-reader.h).
#include "audio/mpeg-reader.h"

#include <mpg123.h>

#include <mutex>

#include "audio/sound-file.h"

namespace dynemo::audio_detail {

MpegReader::MpegReader(const std::string& path, bool joined) : path_(path) {
  static std::once_flag init;
  std::call_once(init, [] { mpg123_init(); });
  int error = MPG123_OK;
  handle_ = mpg123_new(nullptr, &error);
  if (handle_ == nullptr) {
    fail(AudioErrorKind::corrupt, path,
         std::string("libmpg123 cannot start a decoder (") + mpg123_plain_strerror(error) + ")");
  }
  // libsndfile's settings (float samples at the stream's rate, gapless, one stream), quiet.
  mpg123_param(handle_, MPG123_REMOVE_FLAGS, MPG123_AUTO_RESAMPLE, 0.0);
  mpg123_param(
      handle_, MPG123_ADD_FLAGS,
      MPG123_FORCE_FLOAT | MPG123_GAPLESS | (joined ? 0 : MPG123_NO_FRANKENSTEIN) | MPG123_QUIET,
      0.0);
  const auto why = [this] { return std::string(mpg123_strerror(handle_)); };
  int encoding = 0;
  if (mpg123_open(handle_, path.c_str()) != MPG123_OK ||
      mpg123_getformat(handle_, &rate_, &channels_, &encoding) != MPG123_OK ||
      mpg123_scan(handle_) != MPG123_OK) {
    const std::string text = why();
    mpg123_delete(handle_);
    fail(AudioErrorKind::corrupt, path, "libmpg123 cannot read the MPEG stream (" + text + ")");
  }
  if (encoding != MPG123_ENC_FLOAT_32)
    mpg123_format(handle_, rate_, channels_, MPG123_ENC_FLOAT_32);
  const off_t length = mpg123_length(handle_);
  frames_ = length < 0 ? 0 : static_cast<long long>(length);
}

MpegReader::~MpegReader() {
  mpg123_close(handle_);
  mpg123_delete(handle_);
}

sf_count_t MpegReader::read(float* out, sf_count_t frames) {
  const std::size_t frame_bytes = sizeof(float) * static_cast<std::size_t>(channels_);
  std::size_t want = static_cast<std::size_t>(frames) * frame_bytes, done = 0;
  auto* bytes = reinterpret_cast<unsigned char*>(out);
  while (done < want) {
    std::size_t got = 0;
    const int status = mpg123_read(handle_, bytes + done, want - done, &got);
    done += got;
    if (status == MPG123_DONE) break;
    if (status == MPG123_NEW_FORMAT) {
      long rate = 0;
      int channels = 0, encoding = 0;
      mpg123_getformat(handle_, &rate, &channels, &encoding);
      const long long at = given_ + static_cast<long long>(done / frame_bytes);
      fail(AudioErrorKind::unsupported_format, path_,
           "MPEG audio whose streams differ (files joined end to end?): " + std::to_string(rate_) +
               " Hz, " + std::to_string(channels_) + " channel(s) up to frame " +
               std::to_string(at) + ", then " + std::to_string(rate) + " Hz, " +
               std::to_string(channels) +
               " channel(s); dynemo reads MPEG files whose streams share both: convert the "
               "file first, e.g. ffmpeg -i IN.mp3 OUT.flac");
    }
    if (status != MPG123_OK) {
      error_ = mpg123_strerror(handle_);
      break;
    }
  }
  given_ += static_cast<long long>(done / frame_bytes);
  return static_cast<sf_count_t>(done / frame_bytes);
}

bool MpegReader::seek(sf_count_t frame) {
  const bool exact =
      mpg123_seek(handle_, static_cast<off_t>(frame), SEEK_SET) == static_cast<off_t>(frame);
  if (exact) given_ = static_cast<long long>(frame);
  return exact;
}

}  // namespace dynemo::audio_detail
