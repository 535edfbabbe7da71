// The feature cache (dynemo/cache.h): an entry file (<song>.f32, src/data/cache-entry.cpp) read as
// the up-to-date check and the loader read it, or a whole cache folder, index.json and the entry
// it lists, through load_cached.
// Input: byte 0 'i' is a cache folder: index.json, a "\n--8<--\n" line, the bytes of the entry
// "0.f32" (fuzz-common.h), for the feature set of fuzz-fixtures.h; any other byte is one entry.
#include <cstddef>
#include <cstdint>
#include <string>

#include "data/cache-store.h"
#include "dynemo/cache.h"
#include "fuzz-common.h"
#include "fuzz-fixtures.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  using namespace dynemo::fuzz;
  using namespace dynemo::cache_detail;
  if (data[0] == 'i') {
    // <scratch>/cache/<dataset>/<feature hash>/, named relative to the scratch folder.
    static const std::string folder = dynemo::cache_folder("cache", kFuzzCacheDataset, kFuzzSpec);
    const auto parts = split_parts(data + 1, size - 1, 2);
    write_or_remove(folder + "/index.json", parts[0]);
    write_or_remove(folder + "/0.f32", parts[1]);
    expect_errors(
        [&] { dynemo::load_cached(scratch_dir() + "/cache", kFuzzCacheDataset, kFuzzSpec); });
    return 0;
  }
  const std::string path =
      write_scratch("entry.f32", std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  EntryHeader header;
  std::string why;
  read_entry_header(path, header, why);
  expect_errors([&] { read_entry(path, header); });
  return 0;
}
