// A byte range of an open file read through libsndfile's virtual I/O: how each stream of a
// chained Ogg file is opened on its own (libsndfile decodes the first stream of a file and stops
// there). Private to src/audio: SoundFile uses it.
#pragma once

#include <sndfile.h>

namespace dynemo::audio_detail {

struct ByteRange {
  int fd = -1;            // the open file (not owned)
  sf_count_t begin = 0;   // the range's first byte in the file
  sf_count_t length = 0;  // its bytes
  sf_count_t pos = 0;     // the read position within the range
};

// sf_open_virtual over `range` (which must outlive the handle), from its start. nullptr when
// libsndfile refuses it (sf_error(nullptr) says why).
SNDFILE* open_byte_range(ByteRange& range, SF_INFO& info);

}  // namespace dynemo::audio_detail
