#include "dynemo/runtime.h"

#include <cstdlib>  // defines __GLIBC__ (through <features.h>) where glibc is the C library

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace dynemo {

void reuse_large_buffers() {
#if defined(__GLIBC__)
  // Blocks up to 32 MiB (glibc's largest allowed threshold on 64-bit: half its 64 MiB heap
  // size; mallopt refuses more and keeps its default of 128 KiB) come from the heap instead of
  // fresh mmaps, which are faulted in page by page on every use.
  constexpr int kMmapBytes = 32 * 1024 * 1024;
  constexpr int kTrimBytes = 512 * 1024 * 1024;
  mallopt(M_MMAP_THRESHOLD, kMmapBytes);
  mallopt(M_TRIM_THRESHOLD, kTrimBytes);  // and keep up to this much freed memory for reuse
#endif
}

}  // namespace dynemo
