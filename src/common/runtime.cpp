#include "dynemo/runtime.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace dynemo {

void reuse_large_buffers() {
#if defined(__GLIBC__)
  constexpr int kBytes = 512 * 1024 * 1024;
  mallopt(M_MMAP_THRESHOLD, kBytes);  // serve large blocks from the heap, not fresh mmaps
  mallopt(M_TRIM_THRESHOLD, kBytes);  // and keep up to this much freed memory for reuse
#endif
}

}  // namespace dynemo
