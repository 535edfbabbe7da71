#include "dynemo/runtime.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>  // defines __GLIBC__ (through <features.h>) where glibc is the C library
#include <string>

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

bool ask_for_huge_pages() {
  constexpr const char* kTunable = "glibc.malloc.hugetlb";
  const char* given = std::getenv("GLIBC_TUNABLES");
  std::string tunables = given ? given : "";
  if (tunables.find(kTunable) != std::string::npos) return false;
  tunables += (tunables.empty() ? "" : ":") + std::string(kTunable) + "=1";
  return ::setenv("GLIBC_TUNABLES", tunables.c_str(), 1) == 0;
}

void restart_with_huge_pages(char* const* argv) {
#if defined(__linux__)
  if (!ask_for_huge_pages()) return;
  std::fflush(nullptr);
  ::execv("/proc/self/exe", argv);  // returns only on failure: go on without
#else
  (void)argv;
#endif
}

}  // namespace dynemo
