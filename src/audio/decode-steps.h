// The steps of decoding a range of a file, shared by load_audio (decode.cpp) and AudioReader
// (reader.cpp). Private to src/audio.
#pragma once

#include <sndfile.h>

#include <string>
#include <vector>

#include "audio/sound-file.h"
#include "dynemo/audio.h"

namespace dynemo::audio_detail {

// Frames per sf_readf_float call. Small enough that a decoder error mid-file (which drops
// the rest of the call's frames in libsndfile's MP3 path) loses little.
constexpr sf_count_t kChunkFrames = 4096;

// Frames [start, start + count) of the file; count < 0 reads to the end.
struct FrameRange {
  long long start = 0;
  long long count = -1;
};

// `value` as the shortest text a stream prints.
std::string number(double value);

// The frames `options` asks for (offsets round to the nearest frame). Throws bad_range for a
// negative, non-finite or empty range, or an offset at or past the end of a file whose length
// is known; ConfigError for a negative or non-finite target rate.
FrameRange frame_range(const SoundFile& file, const AudioLoadOptions& options);

// Moves the read position to range.start: sf_seek where libsndfile seeks exactly, else by
// decoding and dropping frames. Throws bad_range (or truncated/corrupt) when the stream ends
// before it.
void seek_to_start(SoundFile& file, const FrameRange& range, const AudioLoadOptions& options);

// Decodes up to `want` frames and appends their channel mean to `mono` as librosa.to_mono:
// (x[i, 0] + ... + x[i, C-1]) / C in float. `scratch` is reused between calls. Returns the
// frames decoded: fewer than `want` at the end of the stream or on a decoder error.
sf_count_t read_mono_block(SoundFile& file, sf_count_t want, std::vector<float>& scratch,
                           std::vector<float>& mono);

// Throws truncated/corrupt when decoding stopped before the frame the header promised, or
// the codec reported an error; bad_range/empty when the range decoded to no samples. `end` is
// the absolute frame decoding reached.
void check_decoded(const SoundFile& file, const FrameRange& range, const AudioLoadOptions& options,
                   long long end);

}  // namespace dynemo::audio_detail
