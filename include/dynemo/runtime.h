// Process-wide settings for programs that process many files.
#pragma once

namespace dynemo {

// Asks glibc's malloc to keep large freed buffers (spectrograms, resampled octaves) for reuse
// instead of returning them to the system after every file, so a batch does not pay the page
// faults of fresh memory again for each file (about 10 % of feature extraction time on the
// benchmark machine, bench/README.md). Call once at program start; a no-op without glibc.
void reuse_large_buffers();

}  // namespace dynemo
