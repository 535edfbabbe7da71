// An audio file opened for reading with libsndfile, after every check that can be made
// without decoding. Private to src/audio: probe_audio and load_audio are built on it.
#pragma once

#include <sndfile.h>

#include <memory>
#include <string>
#include <vector>

#include "audio/downmix.h"
#include "dynemo/audio.h"
#include "dynemo/error.h"

namespace dynemo::audio_detail {

struct ByteRange;
struct ContainerHeader;
class MpegReader;

// Throws AudioError(kind, path, "<kind>: <detail>"), so what() reads
// "<path>: truncated: the header declares ...".
[[noreturn]] void fail(AudioErrorKind kind, const std::string& path, const std::string& detail);

// mpg123-quiet.cpp: silences libmpg123's own stderr lines; a no-op that keeps that file linked.
void keep_mpg123_quiet();

class SoundFile {
 public:
  // Checks `path` (exists, is a readable regular file, is not empty, has an extension in
  // audio_extensions()), opens it with libsndfile and validates the header: channel count,
  // sample rate, that a WAV/AIFF file holds the frames its header declares, and that an Ogg
  // file ends with a whole end-of-stream page. A chained Ogg file (streams one after another)
  // is read stream after stream as one signal; its streams must share rate and channels.
  // Throws AudioError naming `path` (missing, empty, not_audio, unsupported_format, corrupt,
  // truncated, no_channels, bad_sample_rate).
  explicit SoundFile(const std::string& path);
  ~SoundFile();
  SoundFile(const SoundFile&) = delete;
  SoundFile& operator=(const SoundFile&) = delete;

  // Closes and opens the stream again, at frame 0: a failed sf_seek can leave libsndfile's
  // FLAC decoder unable to read on. Throws AudioError(corrupt) if the second open fails.
  void reopen();
  // Reads up to `frames` interleaved frames into `out` (frames * channels() floats), across the
  // streams of a chained file; fewer only at the end of the file or where the decoder failed
  // (error_text() then says why).
  sf_count_t read_frames(float* out, sf_count_t frames);
  // Moves to `frame` with libsndfile's seek (exact where seeks_exactly()); false where it fails.
  bool seek(sf_count_t frame);

  const std::string& path() const { return path_; }
  int channels() const { return info_.channels; }
  int sample_rate_hz() const { return info_.samplerate; }
  // Frames per channel as the header declares them (for MP3 without a Xing/LAME tag, or joined
  // MP3 files, as many as a scan of the frames counts; the sum of the streams of a chained Ogg
  // file); -1 when the stream does not say (Ogg with bytes after its final page, FLAC without a
  // total in STREAMINFO).
  long long n_frames() const;
  bool is_mpeg() const;
  bool is_ogg() const;
  // True where libsndfile 1.2's sf_seek lands on the exact frame (uncompressed PCM, FLAC). Its
  // seeks in MP3 and near the end of Ogg/Vorbis are not sample-accurate.
  bool seeks_exactly() const;
  // "WAV", "AIFF", "FLAC", "OGG/Vorbis", "OGG/Opus", "MP3", or libsndfile's name for others.
  std::string format_name() const;
  // How the channels fold into mono (downmix.h), chosen when the file is opened.
  const Downmix& downmix() const { return downmix_; }
  // libsndfile's error for this stream after reading ("" when none).
  std::string error_text() const;

 private:
  // One stream of a chained Ogg file: its bytes [begin, end) in the file.
  struct Link {
    sf_count_t begin = 0, end = 0;
    std::string codec;  // ContainerHeader::ogg_link_codecs
  };
  void open_chain(const ContainerHeader& header);
  // Closes the open stream and opens link k at its start; returns what libsndfile says of it.
  SF_INFO open_link(std::size_t k);

  std::string path_;
  SNDFILE* file_ = nullptr;
  SF_INFO info_{};
  std::vector<Link> links_;  // empty unless the file is a chained Ogg file
  std::size_t link_ = 0;     // the link file_ reads
  int fd_ = -1;              // the file the links are read from
  std::unique_ptr<ByteRange> range_;
  std::unique_ptr<MpegReader> mpeg_;  // reads MPEG audio whose length no header states or joined
  bool mpeg_joined_ = false;          // files (mpeg-reader.h)
  Downmix downmix_;
};

// The AudioInfo of an opened file (probe_audio's answer).
AudioInfo describe(const SoundFile& file);

}  // namespace dynemo::audio_detail
