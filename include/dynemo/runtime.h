// Process-wide settings for programs that process many files.
#pragma once

namespace dynemo {

// Asks glibc's malloc to keep large freed buffers (spectrograms, resampled octaves) for reuse
// instead of returning them to the system after every file, so a batch does not pay the page
// faults of fresh memory again for each file (8 % of the CPU time of a 20-clip `spectral,cqt`
// batch, bench/README.md): blocks up to 32 MiB come from the heap and up to 512 MiB of freed
// memory is kept. `dynemo features` and `dynemo cache` call it; `predict` does not (there it
// saved no measurable time and raised the peak by 36 MB for ten clips). A no-op without glibc.
void reuse_large_buffers();

}  // namespace dynemo
