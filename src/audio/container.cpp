#include "audio/container.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace dynemo::audio_detail {
namespace {

constexpr int kMaxChunks = 4096;  // stop walking a chunk list that never ends

std::uint32_t le32(const unsigned char* p) {
  return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
         std::uint32_t(p[3]) << 24;
}
std::uint16_t le16(const unsigned char* p) { return std::uint16_t(p[0] | p[1] << 8); }
std::uint32_t be32(const unsigned char* p) {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 |
         std::uint32_t(p[3]);
}
std::int16_t be16(const unsigned char* p) { return std::int16_t(p[0] << 8 | p[1]); }

// IEEE 754 80-bit extended (big-endian), the AIFF sample rate field.
double be_extended(const unsigned char* p) {
  const int exponent = ((p[0] & 0x7f) << 8) | p[1];
  std::uint64_t mantissa = 0;
  for (int i = 2; i < 10; ++i) mantissa = (mantissa << 8) | p[i];
  if (exponent == 0 && mantissa == 0) return 0.0;
  const double value = std::ldexp(static_cast<double>(mantissa), exponent - 16383 - 63);
  return (p[0] & 0x80) ? -value : value;
}

bool is_mpeg_sync(const unsigned char* p) {
  const int layer = (p[1] >> 1) & 3;
  const int bitrate_index = p[2] >> 4;
  return p[0] == 0xff && (p[1] & 0xe0) == 0xe0 && layer != 0 && bitrate_index != 0xf;
}

// Codes whose 'data' chunk is plain frames of block_align bytes: PCM, float, A-law, mu-law.
bool is_pcm_like(int tag) { return tag == 1 || tag == 3 || tag == 6 || tag == 7; }

// Walks RIFF chunks (little-endian sizes) from byte 12, reading 'fmt ' and 'data'.
void parse_wav(std::ifstream& in, bool rf64, ContainerHeader& header) {
  std::uintmax_t pos = 12;
  int block_align = 0;
  long long data_bytes = -1;
  for (int i = 0; i < kMaxChunks && pos + 8 <= header.file_bytes; ++i) {
    unsigned char chunk[8];
    in.seekg(static_cast<std::streamoff>(pos));
    if (!in.read(reinterpret_cast<char*>(chunk), 8)) break;
    const std::uint32_t size = le32(chunk + 4);
    if (std::memcmp(chunk, "fmt ", 4) == 0 && size >= 16) {
      std::array<unsigned char, 40> fmt{};
      in.read(reinterpret_cast<char*>(fmt.data()), std::min<std::uint32_t>(size, 40));
      if (!in) break;
      header.wav_format_tag = le16(fmt.data());
      header.channels = le16(fmt.data() + 2);
      header.sample_rate_hz = le32(fmt.data() + 4);
      block_align = le16(fmt.data() + 12);
      // WAVE_FORMAT_EXTENSIBLE: the real code leads the sub-format GUID.
      if (header.wav_format_tag == 0xfffe && size >= 40) header.wav_format_tag = le16(&fmt[24]);
    } else if (std::memcmp(chunk, "data", 4) == 0) {
      // 0xFFFFFFFF is the "size unknown" marker of streaming writers; RF64 keeps it in 'ds64'.
      if (!rf64 && size != 0xffffffffu) data_bytes = size;
      break;
    }
    pos += 8 + std::uintmax_t(size) + (size & 1u);
  }
  if (data_bytes >= 0 && block_align > 0 && is_pcm_like(header.wav_format_tag)) {
    header.declared_frames = data_bytes / block_align;
  }
}

// Walks AIFF/AIFC chunks (big-endian sizes) from byte 12 for 'COMM'.
void parse_aiff(std::ifstream& in, ContainerHeader& header) {
  std::uintmax_t pos = 12;
  for (int i = 0; i < kMaxChunks && pos + 8 <= header.file_bytes; ++i) {
    unsigned char chunk[8];
    in.seekg(static_cast<std::streamoff>(pos));
    if (!in.read(reinterpret_cast<char*>(chunk), 8)) break;
    const std::uint32_t size = be32(chunk + 4);
    if (std::memcmp(chunk, "COMM", 4) == 0 && size >= 18) {
      unsigned char comm[18];
      if (!in.read(reinterpret_cast<char*>(comm), 18)) break;
      header.channels = be16(comm);
      header.declared_frames = be32(comm + 2);
      header.sample_rate_hz = be_extended(comm + 8);
      return;
    }
    pos += 8 + std::uintmax_t(size) + (size & 1u);
  }
}

// Finds the last page of an Ogg file (a page is at most 27 + 255 + 255 * 255 bytes, so it
// starts within the last two maximal pages) and says whether it is whole and ends the stream.
OggEnd find_ogg_end(std::ifstream& in, std::uintmax_t file_bytes) {
  constexpr std::uintmax_t kMaxPageBytes = 27 + 255 + 255 * 255;
  const std::uintmax_t tail_bytes = std::min(file_bytes, 2 * kMaxPageBytes);
  std::string tail(tail_bytes, '\0');
  in.seekg(static_cast<std::streamoff>(file_bytes - tail_bytes));
  if (!in.read(tail.data(), static_cast<std::streamsize>(tail_bytes))) return OggEnd::complete;
  const auto* bytes = reinterpret_cast<const unsigned char*>(tail.data());
  for (std::size_t at = tail.rfind("OggS"); at != std::string::npos;
       at = at == 0 ? std::string::npos : tail.rfind("OggS", at - 1)) {
    if (at + 5 <= tail_bytes && bytes[at + 4] != 0) continue;  // version 0 only
    if (at + 27 > tail_bytes) return OggEnd::cut_inside_page;
    const std::size_t n_segments = bytes[at + 26];
    if (at + 27 + n_segments > tail_bytes) return OggEnd::cut_inside_page;
    std::size_t body = 0;
    for (std::size_t i = 0; i < n_segments; ++i) body += bytes[at + 27 + i];
    if (at + 27 + n_segments + body > tail_bytes) return OggEnd::cut_inside_page;
    return (bytes[at + 5] & 0x04) ? OggEnd::complete : OggEnd::no_end_of_stream;
  }
  return OggEnd::complete;  // no page in the tail: leave the verdict to the decoder
}

// The codec whose identification header starts the first packet (`packet`, `n` bytes).
std::string ogg_codec_of(const unsigned char* packet, std::size_t n) {
  const auto starts = [&](const char* magic, std::size_t len) {
    return n >= len && std::memcmp(packet, magic, len) == 0;
  };
  if (starts("\x01vorbis", 7)) return "Vorbis";
  if (starts("OpusHead", 8)) return "Opus";
  if (starts("\x7f"
             "FLAC",
             5) ||
      starts("fLaC", 4)) {
    return "FLAC";
  }
  if (starts("Speex   ", 8)) return "Speex";
  if (starts("\x80theora", 7)) return "Theora";
  if (starts("fishead", 7)) return "Skeleton";
  return "";
}

// Finds where the chained logical streams of an Ogg file begin by walking its page headers from
// the start: a beginning-of-stream page after a page that was not one starts a new link. The
// walk stops where the pages stop parsing (the decoder judges the damage).
std::vector<std::uintmax_t> find_ogg_links(std::ifstream& in, std::uintmax_t file_bytes,
                                           std::vector<std::string>& codecs) {
  std::vector<std::uintmax_t> links;
  bool previous_bos = false;
  std::uintmax_t pos = 0;
  unsigned char page[27 + 255];
  while (pos + 27 <= file_bytes) {
    in.seekg(static_cast<std::streamoff>(pos));
    if (!in.read(reinterpret_cast<char*>(page), 27)) break;
    if (std::memcmp(page, "OggS", 4) != 0 || page[4] != 0) break;
    const std::size_t n_segments = page[26];
    if (!in.read(reinterpret_cast<char*>(page + 27), static_cast<std::streamsize>(n_segments))) {
      break;
    }
    const bool bos = (page[5] & 0x02) != 0;
    if ((bos && (links.empty() || !previous_bos)) || pos == 0) {
      unsigned char packet[8] = {};
      in.read(reinterpret_cast<char*>(packet), sizeof packet);
      const std::string codec = ogg_codec_of(packet, static_cast<std::size_t>(in.gcount()));
      in.clear();
      if (links.empty()) {
        links.push_back(0);  // the first stream begins at the file's start
        codecs.push_back(codec);
      } else if (bos) {
        links.push_back(pos);
        codecs.push_back(codec);
      }
    }
    previous_bos = bos;
    std::uintmax_t body = 0;
    for (std::size_t i = 0; i < n_segments; ++i) body += page[27 + i];
    pos += 27 + n_segments + body;
  }
  in.clear();
  if (links.empty()) {
    links.push_back(0);
    codecs.push_back("");
  }
  return links;
}

// The byte after the ID3v2 tag that `id3` (the file's first 10 bytes) begins: the tag's size is
// syncsafe (7 bits a byte) and excludes its 10-byte header and optional footer.
std::uintmax_t end_of_id3(const unsigned char* id3) {
  std::uintmax_t size = 0;
  for (int i = 6; i < 10; ++i) size = (size << 7) | (id3[i] & 0x7F);
  return 10 + size + ((id3[5] & 0x10) ? 10 : 0);
}

// Whether the bytes after the ID3v2 tag that `id3` begins are `text`.
bool starts_after_id3(std::ifstream& in, const unsigned char* id3, const char* text) {
  const std::uintmax_t at = end_of_id3(id3);
  const std::size_t n = std::strlen(text);
  std::string bytes(n, '\0');
  in.clear();
  in.seekg(static_cast<std::streamoff>(at));
  in.read(bytes.data(), static_cast<std::streamsize>(n));
  const bool same = in.gcount() == static_cast<std::streamsize>(n) && bytes == text;
  in.clear();
  return same;
}

// Up to n bytes of the file from byte `at`.
std::vector<unsigned char> bytes_at(std::ifstream& in, std::uintmax_t at, std::size_t n) {
  std::vector<unsigned char> bytes(n, 0);
  in.clear();
  in.seekg(static_cast<std::streamoff>(at));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(n));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  in.clear();
  return bytes;
}

// Whether another MPEG stream begins at byte `at`, the end of the first one (as its length frame
// counts it): an MPEG frame, maybe after the first file's ID3v1 tag and the second's ID3v2 tag,
// as `cat a.mp3 b.mp3` leaves them.
bool mpeg_stream_at(std::ifstream& in, std::uintmax_t at) {
  std::vector<unsigned char> b = bytes_at(in, at, 10);
  if (b.size() >= 3 && std::memcmp(b.data(), "TAG", 3) == 0) b = bytes_at(in, at += 128, 10);
  if (b.size() >= 10 && std::memcmp(b.data(), "ID3", 3) == 0)
    b = bytes_at(in, at += end_of_id3(b.data()), 10);
  return b.size() >= 4 && is_mpeg_sync(b.data());
}

// The first MPEG frame at or after byte `from` (within 64 KiB: padding after a tag): whether it
// is a Xing/Info header frame (the tag after the side information) or a VBRI one (at byte 36),
// and whether the bytes after the stream it counts begin another stream.
void read_mpeg_length_frame(std::ifstream& in, std::uintmax_t from, ContainerHeader& header) {
  const std::vector<unsigned char> bytes = bytes_at(in, from, 65536 + 64);
  const std::size_t got = bytes.size();
  const auto tag_at = [&](std::size_t at, const char* tag) {
    return at + 4 <= got && std::memcmp(bytes.data() + at, tag, 4) == 0;
  };
  for (std::size_t i = 0; i + 4 <= got && i < 65536; ++i) {
    const unsigned char* p = bytes.data() + i;
    if (!is_mpeg_sync(p) || ((p[2] >> 2) & 3) == 3 || ((p[1] >> 3) & 3) == 1) continue;
    const bool mpeg1 = ((p[1] >> 3) & 3) == 3;
    const bool mono = (p[3] >> 6) == 3;
    const std::size_t side = mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
    const std::size_t crc = (p[1] & 1) ? 0 : 2;
    std::uint32_t stream_bytes = 0;  // the stream's length in bytes, where the frame says
    for (const std::size_t at : {i + 4 + side, i + 4 + side + crc}) {
      if (!tag_at(at, "Xing") && !tag_at(at, "Info")) continue;
      header.mpeg_length_frame = true;
      if (at + 16 <= got) {
        const std::uint32_t flags = be32(bytes.data() + at + 4);
        const std::size_t bytes_field = at + 8 + ((flags & 1) ? 4 : 0);
        if ((flags & 2) && bytes_field + 4 <= got) stream_bytes = be32(bytes.data() + bytes_field);
      }
      break;
    }
    if (!header.mpeg_length_frame && tag_at(i + 36, "VBRI")) {
      header.mpeg_length_frame = true;
      if (i + 50 <= got) stream_bytes = be32(bytes.data() + i + 46);
    }
    const std::uintmax_t end = from + i + stream_bytes;
    header.mpeg_joined =
        stream_bytes > 0 && end + 4 <= header.file_bytes && mpeg_stream_at(in, end);
    return;
  }
}

}  // namespace

const char* container_name(Container container) {
  switch (container) {
    case Container::wav:
      return "WAV";
    case Container::aiff:
      return "AIFF";
    case Container::flac:
      return "FLAC";
    case Container::ogg:
      return "Ogg";
    case Container::mpeg:
      return "MPEG audio";
    case Container::unknown:
      break;
  }
  return "unknown";
}

ContainerHeader read_container_header(const std::string& path) {
  ContainerHeader header;
  std::error_code ec;
  header.file_bytes = std::filesystem::file_size(path, ec);
  if (ec) return header;
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 12> magic{};
  in.read(reinterpret_cast<char*>(magic.data()), magic.size());
  const auto got = static_cast<std::size_t>(in.gcount());
  in.clear();
  const auto starts = [&](const char* text, std::size_t at = 0) {
    const std::size_t n = std::strlen(text);
    return got >= at + n && std::memcmp(magic.data() + at, text, n) == 0;
  };

  if ((starts("RIFF") || starts("RF64")) && starts("WAVE", 8)) {
    header.container = Container::wav;
    header.min_header_bytes = 44;  // RIFF + 'fmt ' (16) + 'data' headers
    parse_wav(in, starts("RF64"), header);
  } else if (starts("FORM") && (starts("AIFF", 8) || starts("AIFC", 8))) {
    header.container = Container::aiff;
    header.min_header_bytes = 54;  // FORM + 'COMM' (18) + 'SSND' headers
    parse_aiff(in, header);
  } else if (starts("fLaC")) {
    header.container = Container::flac;
    header.min_header_bytes = 42;  // magic + STREAMINFO block (4 + 34)
  } else if (starts("OggS")) {
    header.container = Container::ogg;
    header.min_header_bytes = 28;  // one page header with one segment
    header.ogg_end = find_ogg_end(in, header.file_bytes);
    header.ogg_link_starts = find_ogg_links(in, header.file_bytes, header.ogg_link_codecs);
  } else if (starts("ID3") && got >= 10 && starts_after_id3(in, magic.data(), "fLaC")) {
    header.container = Container::flac;  // an ID3v2 tag before a FLAC stream (some taggers)
    header.min_header_bytes = 42;
  } else if (starts("ID3") || (got >= 4 && is_mpeg_sync(magic.data()))) {
    header.container = Container::mpeg;
    header.min_header_bytes = 4;
    read_mpeg_length_frame(in, starts("ID3") && got >= 10 ? end_of_id3(magic.data()) : 0, header);
  }
  return header;
}

}  // namespace dynemo::audio_detail
