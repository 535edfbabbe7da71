#include "audio/byte-range.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace dynemo::audio_detail {
namespace {

ByteRange& of(void* user) { return *static_cast<ByteRange*>(user); }

sf_count_t range_length(void* user) { return of(user).length; }

sf_count_t range_seek(sf_count_t offset, int whence, void* user) {
  ByteRange& r = of(user);
  const sf_count_t base = whence == SEEK_CUR ? r.pos : whence == SEEK_END ? r.length : 0;
  r.pos = std::clamp<sf_count_t>(base + offset, 0, r.length);
  return r.pos;
}

sf_count_t range_read(void* ptr, sf_count_t count, void* user) {
  ByteRange& r = of(user);
  const sf_count_t want =
      std::clamp<sf_count_t>(r.length - r.pos, 0, std::max<sf_count_t>(count, 0));
  sf_count_t done = 0;
  while (done < want) {
    const ssize_t got = ::pread(r.fd, static_cast<char*>(ptr) + done,
                                static_cast<std::size_t>(want - done), r.begin + r.pos + done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += got;
  }
  r.pos += done;
  return done;
}

sf_count_t range_write(const void*, sf_count_t, void*) { return 0; }

sf_count_t range_tell(void* user) { return of(user).pos; }

}  // namespace

SNDFILE* open_byte_range(ByteRange& range, SF_INFO& info) {
  static SF_VIRTUAL_IO io = {range_length, range_seek, range_read, range_write, range_tell};
  range.pos = 0;
  info = SF_INFO{};
  return sf_open_virtual(&io, SFM_READ, &info, &range);
}

}  // namespace dynemo::audio_detail
