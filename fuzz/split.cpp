// Split files (dynemo/data.h): split_from_json, what `dynemo train/cv/evaluate --split FILE` read.
// Input: the JSON text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dynemo/data.h"
#include "fuzz-common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  dynemo::fuzz::expect_errors([&] { dynemo::split_from_json(text); });
  return 0;
}
