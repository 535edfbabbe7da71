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

// Asks glibc (>= 2.35; older ones ignore it) to back malloc's memory with transparent huge pages
// by adding glibc.malloc.hugetlb=1 to GLIBC_TUNABLES, unless the caller set that tunable. glibc
// reads it only at start-up, so it counts for programs started afterwards (or this one,
// restarted). Fresh 4 KiB pages cost a feature extraction of one file half its time and a short
// predict a third of its time (bench/README.md). Returns true when it changed the environment.
bool ask_for_huge_pages();

// Runs this program again (/proc/self/exe, the same argv) with ask_for_huge_pages' setting when
// that changed the environment; returns only when there was nothing to do or the restart failed
// (then the program goes on as it is). Call it before any work: argv must be main's.
void restart_with_huge_pages(char* const* argv);

}  // namespace dynemo
