#include "audio/sound-file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "audio/byte-range.h"
#include "audio/container.h"
#include "audio/mpeg-reader.h"
#include "dynemo/audio.h"

namespace dynemo::audio_detail {
namespace fs = std::filesystem;
namespace {

// libsndfile reports a failed sf_open through process-wide state (sf_error(NULL) and the
// parse log), so opens are serialised to read that state for the right file.
std::mutex& open_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool contains(const std::string& text, const char* needle) {
  return text.find(needle) != std::string::npos;
}

std::string quote_libsndfile(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() &&
         (trimmed.back() == '.' || std::isspace(static_cast<unsigned char>(trimmed.back())))) {
    trimmed.pop_back();
  }
  return "libsndfile: \"" + trimmed + "\"";
}

std::string joined_extensions() {
  std::string list;
  for (const std::string& ext : audio_extensions()) list += (list.empty() ? "" : ", ") + ext;
  return list;
}

// Everything that can be said about `path` before libsndfile looks at it.
void check_path(const std::string& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    std::error_code link_ec;
    if (fs::is_symlink(fs::symlink_status(path, link_ec))) {
      const fs::path target = fs::read_symlink(path, link_ec);
      fail(AudioErrorKind::missing, path,
           "is a broken symbolic link (to '" + target.string() + "', which does not exist)");
    }
    fail(AudioErrorKind::missing, path, "the file does not exist");
  }
  if (ec) fail(AudioErrorKind::missing, path, "cannot access the file: " + ec.message());
  if (fs::is_directory(status)) {
    fail(AudioErrorKind::missing, path, "is a directory, expected an audio file");
  }
  if (!fs::is_regular_file(status)) {
    const fs::file_type type = status.type();
    const std::string what = type == fs::file_type::fifo        ? "a pipe (FIFO), "
                             : type == fs::file_type::socket    ? "a socket, "
                             : type == fs::file_type::character ? "a character device, "
                             : type == fs::file_type::block     ? "a block device, "
                                                                : "";
    fail(AudioErrorKind::missing, path,
         "is " + what + "not a regular file; expected an audio file");
  }
  if (!std::ifstream(path, std::ios::binary)) {
    fail(AudioErrorKind::missing, path,
         std::string("cannot be opened for reading: ") + std::strerror(errno));
  }
  if (fs::file_size(path, ec) == 0 && !ec) {
    fail(AudioErrorKind::empty, path, "the file is empty (0 bytes)");
  }
  const std::string extension = lower(fs::path(path).extension().string());
  const std::string ext = extension.size() < 2 ? "" : extension.substr(1);
  const auto listed = [&](const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), ext) != list.end();
  };
  if (ext.empty() || !listed(audio_extensions())) {
    if (!ext.empty() && listed(undecoded_audio_extensions())) {
      fail(AudioErrorKind::unsupported_format, path,
           "'" + extension + "' is a music format dynemo does not decode; convert the file to " +
               "one of " + joined_extensions() + " (e.g. ffmpeg -i IN" + extension + " OUT.flac)");
    }
    // A file named otherwise ("track01", "song.wave", a download's hash) is read when its bytes
    // begin as a WAV, AIFF, FLAC, Ogg or MP3 file does; folder scans still go by the name.
    if (read_container_header(path).container != Container::unknown) return;
    const std::string what = extension.empty()
                                 ? "the file name has no extension"
                                 : "extension '" + extension + "' is not a decoded audio format";
    fail(AudioErrorKind::unsupported_format, path,
         what + " and its bytes are not those of a WAV, AIFF, FLAC, Ogg or MP3 file; expected " +
             "one of " + joined_extensions());
  }
}

// The codec an Ogg stream's first page names, from libsndfile's parse log.
std::string ogg_codec(const std::string& log) {
  for (const char* key : {"Ogg stream data : ", "Ogg_stream data : "}) {
    const std::size_t at = log.find(key);
    if (at == std::string::npos) continue;
    const std::size_t begin = at + std::strlen(key);
    std::string name = log.substr(begin, log.find('\n', begin) - begin);
    // An unknown codec is logged as its first bytes, quoted, then in hex: keep the quote.
    if (name.size() > 1 && name[0] == '\'') name = name.substr(0, name.find('\'', 1) + 1);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    return name;
  }
  return "unknown";
}

std::string ogg_end_text(OggEnd end) {
  return end == OggEnd::cut_inside_page
             ? "the file ends inside an Ogg page: the stream is cut short"
             : "the last Ogg page lacks the end-of-stream flag: the stream is cut short";
}

// Whether libsndfile decodes an Ogg stream of `codec` ("" = not recognised: left to libsndfile).
bool decoded_ogg_codec(const std::string& codec) {
  return codec.empty() || codec == "Vorbis" || codec == "Opus";
}

// "<what> of codec FLAC cannot be decoded; ... (convert ..., e.g. ffmpeg -i IN.oga OUT.flac)".
// libsndfile 1.2 fails on valid Ogg FLAC (flac --ogg's and ffmpeg's alike) with "unknown error
// in flac decoder": such a file is not corrupt, its codec is not decoded.
std::string undecoded_ogg_text(const std::string& what, const std::string& codec,
                               const std::string& path) {
  return what + " of codec " + codec +
         " cannot be decoded; expected Vorbis or Opus (convert the file, e.g. ffmpeg -i IN" +
         fs::path(path).extension().string() + " OUT.flac)";
}

// sf_open refused an existing, non-empty file: says why as precisely as the bytes allow.
[[noreturn]] void fail_open(const std::string& path, int code, const std::string& message,
                            const std::string& log) {
  const ContainerHeader header = read_container_header(path);
  const std::string container = container_name(header.container);
  // For a .mp3 that its MPEG decoder rejects, libsndfile 1.2 reports "File does not exist or
  // is not a regular file": say what actually happened.
  const std::string lib = contains(message, "not a regular file")
                              ? "libsndfile: no decodable MPEG audio frame"
                              : quote_libsndfile(message);
  if (header.container == Container::unknown) {
    fail(AudioErrorKind::not_audio, path,
         "not an audio file: it has no WAV, AIFF, FLAC, Ogg or MP3 signature and libsndfile "
         "recognises no format in it");
  }
  if (header.channels == 0) {
    fail(AudioErrorKind::no_channels, path,
         "the " + container + " header declares 0 channels; expected at least 1");
  }
  if (header.sample_rate_hz >= 0 &&
      (header.sample_rate_hz < kMinSampleRateHz || header.sample_rate_hz > kMaxSampleRateHz)) {
    std::ostringstream detail;
    detail << "the " << container << " header declares a sample rate of " << header.sample_rate_hz
           << " Hz; expected " << kMinSampleRateHz << " to " << kMaxSampleRateHz << " Hz";
    fail(AudioErrorKind::bad_sample_rate, path, detail.str());
  }
  if (header.file_bytes < header.min_header_bytes) {
    fail(AudioErrorKind::truncated, path,
         "the file is " + std::to_string(header.file_bytes) + " bytes, shorter than a complete " +
             container + " header (" + std::to_string(header.min_header_bytes) + " bytes)");
  }
  if (header.container == Container::wav && contains(log, "=> Unknown format")) {
    char tag[16];
    std::snprintf(tag, sizeof tag, "0x%04X", static_cast<unsigned>(header.wav_format_tag));
    fail(AudioErrorKind::unsupported_format, path,
         std::string("WAV codec ") + tag + " cannot be decoded (" + lib + ")");
  }
  const std::string codec = header.ogg_link_codecs.empty() ? "" : header.ogg_link_codecs[0];
  if (header.container == Container::ogg && !decoded_ogg_codec(codec)) {
    fail(AudioErrorKind::unsupported_format, path, undecoded_ogg_text("Ogg stream", codec, path));
  }
  if (header.container == Container::ogg &&
      (contains(log, "unknown data type") || contains(log, "uknown data type") ||
       contains(log, "bad psf->sf.format") || contains(log, "not supported"))) {
    fail(AudioErrorKind::unsupported_format, path,
         "Ogg stream of codec " + ogg_codec(log) + " cannot be decoded; expected Vorbis or Opus");
  }
  if (header.ogg_end != OggEnd::not_ogg && header.ogg_end != OggEnd::complete) {
    fail(AudioErrorKind::truncated, path, ogg_end_text(header.ogg_end) + " (" + lib + ")");
  }
  if (code == SF_ERR_UNSUPPORTED_ENCODING || contains(message, "unimplemented")) {
    fail(AudioErrorKind::unsupported_format, path,
         container + " data in an encoding libsndfile cannot decode (" + lib + ")");
  }
  fail(AudioErrorKind::corrupt, path, container + " data is malformed (" + lib + ")");
}

}  // namespace

void fail(AudioErrorKind kind, const std::string& path, const std::string& detail) {
  throw AudioError(kind, path, std::string(to_string(kind)) + ": " + detail);
}

SoundFile::SoundFile(const std::string& path) : path_(path) {
  keep_mpg123_quiet();
  check_path(path);
  int open_error = SF_ERR_NO_ERROR;
  std::string open_message;
  std::vector<char> open_log(8192, '\0');
  {
    std::lock_guard<std::mutex> lock(open_mutex());
    file_ = sf_open(path.c_str(), SFM_READ, &info_);
    if (file_ == nullptr) {
      open_error = sf_error(nullptr);
      open_message = sf_strerror(nullptr);
      sf_command(nullptr, SFC_GET_LOG_INFO, open_log.data(), static_cast<int>(open_log.size()));
    }
  }
  if (file_ == nullptr) fail_open(path, open_error, open_message, open_log.data());
  try {
    if (info_.channels <= 0) {
      fail(AudioErrorKind::no_channels, path,
           "the stream has " + std::to_string(info_.channels) + " channels; expected at least 1");
    }
    if (info_.samplerate < kMinSampleRateHz || info_.samplerate > kMaxSampleRateHz) {
      std::ostringstream detail;
      detail << "the header declares a sample rate of " << info_.samplerate << " Hz; expected "
             << kMinSampleRateHz << " to " << kMaxSampleRateHz << " Hz";
      fail(AudioErrorKind::bad_sample_rate, path, detail.str());
    }
    // libsndfile quietly shortens a WAV/AIFF to the frames present; the header still tells.
    const ContainerHeader header = read_container_header(path);
    if (header.declared_frames >= 0 && n_frames() >= 0 && header.declared_frames > n_frames()) {
      fail(AudioErrorKind::truncated, path,
           "the header declares " + std::to_string(header.declared_frames) +
               " frames but the file holds only " + std::to_string(n_frames()) + " (" +
               std::to_string(header.file_bytes) + " bytes)");
    }
    if (header.ogg_end != OggEnd::not_ogg && header.ogg_end != OggEnd::complete) {
      fail(AudioErrorKind::truncated, path, ogg_end_text(header.ogg_end));
    }
    // libsndfile decodes the first of chained streams and stops there, without a word: the
    // streams are opened one by one instead.
    if (header.ogg_link_starts.size() > 1) open_chain(header);
    // libsndfile would stop at a guess of the length or at the first stream's end (mpeg-reader.h).
    mpeg_joined_ = header.mpeg_joined;
    if ((info_.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG &&
        (!header.mpeg_length_frame || mpeg_joined_)) {
      mpeg_ = std::make_unique<MpegReader>(path, mpeg_joined_);
      if (mpeg_->channels() != info_.channels || mpeg_->sample_rate_hz() != info_.samplerate) {
        fail(AudioErrorKind::corrupt, path, "libmpg123 and libsndfile disagree on the format");
      }
      info_.frames = mpeg_->n_frames();
    }
    if (n_frames() == 0) {
      fail(AudioErrorKind::empty, path, "the header declares 0 frames: the file holds no audio");
    }
    std::vector<int> map(static_cast<std::size_t>(info_.channels), SF_CHANNEL_MAP_INVALID);
    const bool declared =
        sf_command(file_, SFC_GET_CHANNEL_MAP_INFO, map.data(),
                   static_cast<int>(map.size() * sizeof(int))) == SF_TRUE &&
        std::all_of(map.begin(), map.end(),  // libsndfile 1.2 says "yes" with garbage for AIFF
                    [](int id) { return id > SF_CHANNEL_MAP_INVALID && id < SF_CHANNEL_MAP_MAX; });
    downmix_ = choose_downmix(info_.channels, declared ? map.data() : nullptr,
                              is_ogg() ? ChannelOrder::vorbis : ChannelOrder::wav);
  } catch (...) {
    // The destructor does not run for a constructor that throws: a chain's descriptor too.
    if (file_ != nullptr) sf_close(file_);
    if (fd_ >= 0) ::close(fd_);
    throw;
  }
}

SoundFile::~SoundFile() {
  if (file_ != nullptr) sf_close(file_);
  if (fd_ >= 0) ::close(fd_);
}

void SoundFile::open_chain(const ContainerHeader& header) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    fail(AudioErrorKind::missing, path_,
         std::string("cannot be opened for reading: ") + std::strerror(errno));
  }
  range_ = std::make_unique<ByteRange>();
  range_->fd = fd_;
  const std::vector<std::uintmax_t>& starts = header.ogg_link_starts;
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const std::uintmax_t end = k + 1 < starts.size() ? starts[k + 1] : header.file_bytes;
    links_.push_back({static_cast<sf_count_t>(starts[k]), static_cast<sf_count_t>(end),
                      header.ogg_link_codecs[k]});
  }
  long long total = 0;
  for (std::size_t k = 0; k < links_.size(); ++k) {
    const SF_INFO link = open_link(k);
    if (link.samplerate != info_.samplerate || link.channels != info_.channels) {
      fail(AudioErrorKind::unsupported_format, path_,
           "a chained Ogg file whose stream " + std::to_string(k + 1) + " (at byte " +
               std::to_string(links_[k].begin) + ") is " + std::to_string(link.samplerate) +
               " Hz, " + std::to_string(link.channels) + " channel(s), after " +
               std::to_string(info_.samplerate) + " Hz, " + std::to_string(info_.channels) +
               " channel(s); dynemo reads chains whose streams share both: convert the file "
               "first, e.g. ffmpeg -i IN.ogg OUT.flac");
    }
    total = total < 0 || link.frames == SF_COUNT_MAX ? -1 : total + link.frames;
  }
  open_link(0);
  info_.frames = total < 0 ? SF_COUNT_MAX : total;
}

SF_INFO SoundFile::open_link(std::size_t k) {
  if (file_ != nullptr) sf_close(file_);
  file_ = nullptr;
  range_->begin = links_[k].begin;
  range_->length = links_[k].end - links_[k].begin;
  SF_INFO info{};
  std::string message;
  {
    std::lock_guard<std::mutex> lock(open_mutex());
    file_ = open_byte_range(*range_, info);
    if (file_ == nullptr) message = sf_strerror(nullptr);
  }
  const std::string which = "stream " + std::to_string(k + 1) + " of " +
                            std::to_string(links_.size()) + " of the chained Ogg file (at byte " +
                            std::to_string(links_[k].begin) + ")";
  if (file_ == nullptr && !decoded_ogg_codec(links_[k].codec)) {
    fail(AudioErrorKind::unsupported_format, path_,
         undecoded_ogg_text(which, links_[k].codec, path_));
  }
  if (file_ == nullptr) {
    fail(AudioErrorKind::corrupt, path_,
         which + " cannot be decoded (" + quote_libsndfile(message) + ")");
  }
  link_ = k;
  return info;
}

sf_count_t SoundFile::read_frames(float* out, sf_count_t frames) {
  if (mpeg_) return mpeg_->read(out, frames);
  sf_count_t done = 0;
  for (;;) {
    const sf_count_t got =
        std::max<sf_count_t>(0, sf_readf_float(file_, out + done * info_.channels, frames - done));
    done += got;
    if (done == frames || link_ + 1 >= links_.size() || sf_error(file_) != SF_ERR_NO_ERROR) {
      return done;
    }
    open_link(link_ + 1);  // this stream has ended: read on in the next
  }
}

bool SoundFile::seek(sf_count_t frame) {
  if (mpeg_) return mpeg_->seek(frame);
  return links_.empty() && sf_seek(file_, frame, SEEK_SET) == frame;
}

void SoundFile::reopen() {
  if (mpeg_) {
    mpeg_ = std::make_unique<MpegReader>(path_, mpeg_joined_);
    return;
  }
  if (!links_.empty()) {
    open_link(0);
    return;
  }
  sf_close(file_);
  SF_INFO info{};
  {
    std::lock_guard<std::mutex> lock(open_mutex());
    file_ = sf_open(path_.c_str(), SFM_READ, &info);
  }
  if (file_ == nullptr) {
    fail(AudioErrorKind::corrupt, path_, "libsndfile cannot open the file a second time");
  }
}

long long SoundFile::n_frames() const {
  return info_.frames == SF_COUNT_MAX ? -1 : static_cast<long long>(info_.frames);
}

bool SoundFile::is_mpeg() const {
  // An MP3 stored in a WAV (format tag 0x55) counts too: its frame count is an estimate as well.
  const int sub = info_.format & SF_FORMAT_SUBMASK;
  return (info_.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG || sub == SF_FORMAT_MPEG_LAYER_I ||
         sub == SF_FORMAT_MPEG_LAYER_II || sub == SF_FORMAT_MPEG_LAYER_III;
}

bool SoundFile::is_ogg() const { return (info_.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_OGG; }

bool SoundFile::seeks_exactly() const {
  if ((info_.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_FLAC) return true;
  if (is_ogg() || is_mpeg()) return false;
  switch (info_.format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_PCM_16:
    case SF_FORMAT_PCM_24:
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_FLOAT:
    case SF_FORMAT_DOUBLE:
    case SF_FORMAT_ULAW:
    case SF_FORMAT_ALAW:
      return true;
    default:
      return false;
  }
}

std::string SoundFile::format_name() const {
  const int major = info_.format & SF_FORMAT_TYPEMASK;
  const int sub = info_.format & SF_FORMAT_SUBMASK;
  switch (major) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX:
      return "WAV";
    case SF_FORMAT_AIFF:
      return "AIFF";
    case SF_FORMAT_FLAC:
      return "FLAC";
    case SF_FORMAT_OGG:
      if (sub == SF_FORMAT_VORBIS) return "OGG/Vorbis";
      if (sub == SF_FORMAT_OPUS) return "OGG/Opus";
      return "OGG";
    case SF_FORMAT_MPEG:
      if (sub == SF_FORMAT_MPEG_LAYER_III) return "MP3";
      if (sub == SF_FORMAT_MPEG_LAYER_II) return "MP2";
      if (sub == SF_FORMAT_MPEG_LAYER_I) return "MP1";
      return "MPEG";
    default:
      break;
  }
  SF_FORMAT_INFO format{};
  format.format = major;
  sf_command(nullptr, SFC_GET_FORMAT_INFO, &format, sizeof format);
  return format.name != nullptr ? format.name : "unknown";
}

std::string SoundFile::error_text() const {
  if (mpeg_) return mpeg_->error_text();
  return sf_error(file_) == SF_ERR_NO_ERROR ? std::string() : quote_libsndfile(sf_strerror(file_));
}

}  // namespace dynemo::audio_detail
