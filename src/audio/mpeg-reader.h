// MPEG audio (MP3, MP2) read with libmpg123 directly, for files whose length no header states
// and for files joined end to end. libsndfile takes libmpg123's guess of a length (file size
// over the first frame's bit rate) as exact and stops reading there: a variable-bit-rate MP3
// without a Xing/Info frame was read in part (a third of a song whose first frame is loud) or
// refused as cut short (one that starts quietly). It also has libmpg123 stop where the first
// Xing/Info frame says the stream ends: `cat a.mp3 b.mp3` was read as a.mp3 alone. This reader
// scans every frame first, so the length is that of the frames the file holds, and decodes with
// libsndfile's settings, so the samples are those libsndfile gives (for joined files, once
// joined: decoded on past the first stream's end).
// Private to src/audio (SoundFile uses it).
#pragma once

#include <sndfile.h>

#include <string>

struct mpg123_handle_struct;

namespace dynemo::audio_detail {

class MpegReader {
 public:
  // Opens and scans `path`; throws AudioError (corrupt) naming it when libmpg123 cannot.
  // `joined`: decode every stream of a file joined end to end.
  MpegReader(const std::string& path, bool joined);
  ~MpegReader();
  MpegReader(const MpegReader&) = delete;
  MpegReader& operator=(const MpegReader&) = delete;

  long long n_frames() const { return frames_; }
  int channels() const { return channels_; }
  long sample_rate_hz() const { return rate_; }
  // Up to `frames` interleaved frames into `out`; fewer at the end or on an error. Throws
  // AudioError (unsupported_format) where the stream changes its rate or channel count.
  sf_count_t read(float* out, sf_count_t frames);
  // Moves to `frame` (exact: the scan indexed every frame).
  bool seek(sf_count_t frame);
  // libmpg123's error after reading ("" when none).
  const std::string& error_text() const { return error_; }

 private:
  std::string path_;
  mpg123_handle_struct* handle_ = nullptr;
  long long frames_ = 0;
  long long given_ = 0;  // frames read (or sought) so far
  int channels_ = 0;
  long rate_ = 0;
  std::string error_;
};

}  // namespace dynemo::audio_detail
