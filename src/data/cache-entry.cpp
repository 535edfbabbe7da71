// Cache entries on disk: one binary file per song holding its keys, its feature rows and their
// times; and the hashes that key them. The format is little endian with a fixed 56-byte head,
// so the up-to-date check reads one small block per song.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

#include "cache-store.h"
#include "common/hash.h"
#include "dynemo/cache.h"
#include "dynemo/error.h"
#include "dynemo/io.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "cache entries are written in host order, which must be little endian");

namespace dynemo {
namespace cache_detail {
namespace {

constexpr char kMagic[8] = {'D', 'Y', 'N', 'E', 'M', 'O', 'F', 'C'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeadBytes = 8 + 4 * 4 + 8 * 4;  // magic, 4 x u32, 4 x u64
constexpr std::uint32_t kMaxTextBytes = 4096;          // id and feature hash, each

template <class T>
void put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <class T>
T get(const char* data) {
  T value;
  std::memcpy(&value, data, sizeof value);
  return value;
}

std::string errno_text(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// Reads up to `n` bytes at `offset` of `fd` into `out`; returns the count read or -1.
ssize_t read_at(int fd, char* out, std::size_t n, off_t offset) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, out + got, n - got, offset + static_cast<off_t>(got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

// Parses and checks the header in the first bytes of an entry of `file_size` bytes.
bool parse_header(const char* data, std::size_t n, std::uint64_t file_size, EntryHeader& header,
                  std::string& why) {
  if (n < kHeadBytes || std::memcmp(data, kMagic, sizeof kMagic) != 0) {
    why = "not a dynemo cache entry";
    return false;
  }
  const auto version = get<std::uint32_t>(data + 8);
  if (version != kVersion) {
    why = "entry version " + std::to_string(version) + ", expected " + std::to_string(kVersion);
    return false;
  }
  const auto id_bytes = get<std::uint32_t>(data + 12);
  const auto hash_bytes = get<std::uint32_t>(data + 16);
  if (id_bytes > kMaxTextBytes || hash_bytes > kMaxTextBytes ||
      n < kHeadBytes + id_bytes + hash_bytes) {
    why = "malformed header";
    return false;
  }
  header.key.audio_hash = get<std::uint64_t>(data + 24);
  header.key.grid_hash = get<std::uint64_t>(data + 32);
  header.n_rows = get<std::uint64_t>(data + 40);
  header.n_cols = get<std::uint64_t>(data + 48);
  header.song_id.assign(data + kHeadBytes, id_bytes);
  header.key.feature_hash.assign(data + kHeadBytes + id_bytes, hash_bytes);
  header.header_bytes = kHeadBytes + id_bytes + hash_bytes;
  // Sizes far beyond any song would overflow the product below.
  if (header.n_rows > (1ull << 32) || header.n_cols > (1ull << 20)) {
    why = "malformed header";
    return false;
  }
  const std::uint64_t expected =
      header.header_bytes + header.n_rows * 8 + header.n_rows * header.n_cols * 4;
  if (file_size != expected) {
    why = "size " + std::to_string(file_size) + " bytes, the header declares " +
          std::to_string(expected);
    return false;
  }
  return true;
}

}  // namespace

std::string hex64(std::uint64_t value) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

std::uint64_t grid_hash(const AnnotatedSong& song) {
  char buffer[32];
  std::uint64_t h = kFnv1aOffset;
  const int n = std::snprintf(buffer, sizeof buffer, "a=%.17g;", song.audio_offset_s);
  h = fnv1a(h, buffer, static_cast<std::size_t>(n));
  for (double t : song.time_s) {
    const int m = std::snprintf(buffer, sizeof buffer, "%.17g,", t);
    h = fnv1a(h, buffer, static_cast<std::size_t>(m));
  }
  return h;
}

std::string entry_file_name(const std::string& song_id) { return id_file_stem(song_id) + ".f32"; }

std::string encode_entry(const std::string& song_id, const EntryKey& key,
                         const FeatureMatrix& features) {
  const std::uint64_t n_rows = features.n_rows(), n_cols = features.n_cols();
  if (features.values.size() != n_rows * n_cols) {
    throw IoError("cache entry for song " + song_id + ": " +
                  std::to_string(features.values.size()) + " values for " + std::to_string(n_rows) +
                  " rows x " + std::to_string(n_cols) + " columns");
  }
  std::string out;
  out.reserve(kHeadBytes + song_id.size() + key.feature_hash.size() + n_rows * 8 +
              features.values.size() * 4);
  out.append(kMagic, sizeof kMagic);
  put(out, kVersion);
  put(out, static_cast<std::uint32_t>(song_id.size()));
  put(out, static_cast<std::uint32_t>(key.feature_hash.size()));
  put(out, std::uint32_t{0});
  put(out, key.audio_hash);
  put(out, key.grid_hash);
  put(out, n_rows);
  put(out, n_cols);
  out += song_id;
  out += key.feature_hash;
  out.append(reinterpret_cast<const char*>(features.time_s.data()), n_rows * sizeof(double));
  out.append(reinterpret_cast<const char*>(features.values.data()),
             features.values.size() * sizeof(float));
  return out;
}

bool read_entry_header(const std::string& path, EntryHeader& header, std::string& why) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    why = errno_text(errno);
    return false;
  }
  struct stat st {};
  char buffer[kHeadBytes + 2 * kMaxTextBytes];
  bool ok = false;
  if (::fstat(fd, &st) != 0) {
    why = errno_text(errno);
  } else {
    const ssize_t n = read_at(fd, buffer, sizeof buffer, 0);
    if (n < 0) {
      why = errno_text(errno);
    } else {
      ok = parse_header(buffer, static_cast<std::size_t>(n), static_cast<std::uint64_t>(st.st_size),
                        header, why);
    }
  }
  ::close(fd);
  return ok;
}

FeatureMatrix read_entry(const std::string& path, EntryHeader& header) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError("cannot read cache entry " + path + ": " + errno_text(errno));
  struct stat st {};
  std::string bytes;
  int error = 0;
  if (::fstat(fd, &st) != 0) {
    error = errno;
  } else {
    bytes.resize(static_cast<std::size_t>(st.st_size));
    const ssize_t n = read_at(fd, bytes.data(), bytes.size(), 0);
    if (n < 0) error = errno;
    if (n >= 0) bytes.resize(static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (error != 0) throw IoError("cannot read cache entry " + path + ": " + errno_text(error));

  std::string why;
  if (!parse_header(bytes.data(), bytes.size(), bytes.size(), header, why)) {
    throw IoError("cache entry " + path + ": " + why);
  }
  FeatureMatrix features;
  features.time_s.resize(header.n_rows);
  features.values.resize(header.n_rows * header.n_cols);
  const char* data = bytes.data() + header.header_bytes;
  // An entry of 0 rows or 0 columns leaves a vector without storage (data() may be null), and
  // memcpy to null is undefined even for 0 bytes (found by fuzz/cache.cpp).
  if (!features.time_s.empty()) {
    std::memcpy(features.time_s.data(), data, header.n_rows * sizeof(double));
  }
  if (!features.values.empty()) {
    std::memcpy(features.values.data(), data + header.n_rows * sizeof(double),
                features.values.size() * sizeof(float));
  }
  return features;
}

}  // namespace cache_detail

std::uint64_t file_hash(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw AudioError(AudioErrorKind::missing, path,
                     "cannot open: " + cache_detail::errno_text(errno));
  }
  std::uint64_t h = kFnv1aOffset;
  static constexpr std::size_t kChunk = 1 << 20;
  std::string buffer(kChunk, '\0');
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), kChunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw AudioError(AudioErrorKind::missing, path,
                       "cannot read: " + cache_detail::errno_text(error));
    }
    if (n == 0) break;
    h = fnv1a(h, buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  return h;
}

}  // namespace dynemo
