// What the bytes of a file say about it, read without libsndfile. Used to tell "not audio"
// from "audio but damaged" when libsndfile refuses a file, to find WAV/AIFF files whose header
// declares more frames than the file holds (libsndfile silently shortens those), and Ogg files
// cut short (libsndfile decodes them to the cut without complaint). Private to src/audio.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dynemo::audio_detail {

enum class Container { unknown, wav, aiff, flac, ogg, mpeg };

// How an Ogg file ends. A complete stream ends with a whole page flagged end-of-stream.
enum class OggEnd { not_ogg, complete, cut_inside_page, no_end_of_stream };

// "WAV", "AIFF", "FLAC", "Ogg", "MPEG audio"; "unknown" for Container::unknown.
const char* container_name(Container container);

struct ContainerHeader {
  Container container = Container::unknown;
  std::uintmax_t file_bytes = 0;
  // Bytes a complete header of this container needs at least; a shorter file is cut short.
  std::uintmax_t min_header_bytes = 0;
  // From the WAV 'fmt ' / AIFF 'COMM' chunk; -1 where the file has no such chunk.
  int channels = -1;
  double sample_rate_hz = -1.0;
  int wav_format_tag = -1;  // WAVE_FORMAT_* code (1 PCM, 3 float, 0xFFFE extensible, ...)
  // Frames per channel the header declares (WAV 'data' size / block align for PCM-like
  // codecs, AIFF 'COMM' frame count); -1 where the header does not say.
  long long declared_frames = -1;
  OggEnd ogg_end = OggEnd::not_ogg;
  // Where each logical stream of an Ogg file begins (byte offsets, the first 0): more than one
  // for a "chained" file, streams one after another (joined recordings, a saved radio stream).
  // Streams multiplexed side by side at the start count as one. Empty where it is not Ogg.
  std::vector<std::uintmax_t> ogg_link_starts;
  // The codec each of those streams opens with ("Vorbis", "Opus", "FLAC", "Speex", "Theora",
  // "Skeleton"; "" where unknown), one per entry of ogg_link_starts.
  std::vector<std::string> ogg_link_codecs;
  // MPEG audio: whether its first frame is a Xing/Info or VBRI header frame, which states the
  // stream's length. Without one a decoder's length is a guess from the file size and the
  // first frame's bit rate (wrong for variable bit rates).
  bool mpeg_length_frame = false;
  // MPEG audio: whether another MPEG stream follows the bytes that length frame counts (files
  // joined end to end, `cat a.mp3 b.mp3`), which a decoder that trusts the frame stops before.
  bool mpeg_joined = false;
};

// Sniffs the magic bytes of `path`, parses the WAV/AIFF chunk headers, walks the Ogg pages
// (counting chained streams) and checks the last one. Never throws: an unreadable or unknown file
// gives Container::unknown.
ContainerHeader read_container_header(const std::string& path);

}  // namespace dynemo::audio_detail
