// A margin for the output buffers handed to soxr. Private to src/audio.
#pragma once

#include <cstddef>

namespace dynemo::audio_detail {

// soxr 0.1.3 reads up to 8 bytes past the end of the output it fills. Valgrind reports "Invalid
// read of size 8, 12 bytes inside a block of size 16" in soxr_output, e.g. for 4 samples from
// 28298 to 22050 Hz; under ASan, fuzz/audio-decode segfaulted when that buffer ended at a page.
// Every buffer given to soxr_process therefore has this many floats more than the length passed,
// so that the read stays inside it.
constexpr std::size_t kSoxrOutputSlack = 8;

}  // namespace dynemo::audio_detail
