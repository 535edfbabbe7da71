// Unit tests of src/features/recent-cache.h: the banks a thread built last, by exact key.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "features/chroma.h"
#include "features/recent-cache.h"

namespace {

using dynemo::features::RecentCache;

// A held key is not made again; the key used longest ago is the one dropped when full.
TEST(RecentCache, MakesEachKeyOnceAndDropsTheLeastRecentlyUsed) {
  RecentCache<int, std::string, 2> cache;
  std::vector<int> made;
  const auto get = [&](int key) {
    return cache.get(key, [&] {
      made.push_back(key);
      return "value " + std::to_string(key);
    });
  };
  EXPECT_EQ(get(1), "value 1");
  EXPECT_EQ(get(2), "value 2");
  EXPECT_EQ(get(1), "value 1");  // held: 2 is now the least recently used
  EXPECT_EQ(get(3), "value 3");  // drops 2
  EXPECT_EQ(get(1), "value 1");
  EXPECT_EQ(get(2), "value 2");  // made again
  EXPECT_EQ(made, (std::vector<int>{1, 2, 3, 2}));
}

// The chroma filterbank from the cache equals a fresh one at each tuning, whatever came before.
TEST(RecentCache, ChromaFilterbankDependsOnItsTuningOnly) {
  const dynemo::features::BinFrequencies bins{22050.0, 2048};
  const std::vector<float> a = dynemo::features::chroma_filterbank(bins, 0.0);
  const std::vector<float> b = dynemo::features::chroma_filterbank(bins, 0.25);
  EXPECT_NE(a, b);
  EXPECT_EQ(dynemo::features::chroma_filterbank(bins, 0.0), a);
  EXPECT_EQ(dynemo::features::chroma_filterbank(bins, 0.25), b);
  ASSERT_EQ(a.size(), 12u * 1025u);
  // Pitch class A (row 9 after the roll to C) peaks at the bin nearest 440 Hz (bin 40.9).
  const float* row_a = a.data() + 9 * 1025;
  std::size_t best = 0;
  for (std::size_t k = 1; k < 1025; ++k) {
    if (k > 20 && k < 60 && row_a[k] > row_a[best]) best = k;
  }
  EXPECT_EQ(best, 41u);
}

}  // namespace
