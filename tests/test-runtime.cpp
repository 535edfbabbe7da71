// Unit tests of src/common/runtime.cpp: the process-wide malloc settings of batch programs.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "dynemo/runtime.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

#if defined(__GLIBC__)
// After reuse_large_buffers a spectrogram-sized block (8 MiB) comes from the heap, not from a
// fresh mmap that is faulted in again on every use, and freeing it keeps it for the next file.
TEST(ReuseLargeBuffers, ServesSpectrogramSizedBlocksFromTheHeapAndKeepsThem) {
  dynemo::reuse_large_buffers();
  constexpr std::size_t kBytes = 8u << 20;
  const struct mallinfo2 before = mallinfo2();
  void* block = std::malloc(kBytes);
  ASSERT_NE(block, nullptr);
  const struct mallinfo2 during = mallinfo2();
  EXPECT_EQ(during.hblks, before.hblks) << "the block was mmapped";
  EXPECT_GE(during.arena, before.arena + kBytes - before.fordblks);
  std::free(block);
  const struct mallinfo2 after = mallinfo2();
  EXPECT_EQ(after.arena, during.arena) << "the heap was trimmed back to the system";
}
#endif

// The tunable is added once, after what the caller set, and a caller's own choice is kept.
TEST(AskForHugePages, AddsTheTunableOnceAndKeepsTheCallersSettings) {
  const char* saved = std::getenv("GLIBC_TUNABLES");
  const std::string restore = saved ? saved : "";

  ::unsetenv("GLIBC_TUNABLES");
  EXPECT_TRUE(dynemo::ask_for_huge_pages());
  EXPECT_STREQ(std::getenv("GLIBC_TUNABLES"), "glibc.malloc.hugetlb=1");
  EXPECT_FALSE(dynemo::ask_for_huge_pages());
  EXPECT_STREQ(std::getenv("GLIBC_TUNABLES"), "glibc.malloc.hugetlb=1");

  ::setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=2", 1);
  EXPECT_TRUE(dynemo::ask_for_huge_pages());
  EXPECT_STREQ(std::getenv("GLIBC_TUNABLES"), "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");

  ::setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", 1);
  EXPECT_FALSE(dynemo::ask_for_huge_pages());
  EXPECT_STREQ(std::getenv("GLIBC_TUNABLES"), "glibc.malloc.hugetlb=0");

  if (saved) {
    ::setenv("GLIBC_TUNABLES", restore.c_str(), 1);
  } else {
    ::unsetenv("GLIBC_TUNABLES");
  }
}

}  // namespace
