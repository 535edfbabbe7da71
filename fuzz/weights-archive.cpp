// The model weights file (<model>.pt) as dynemo checks it before LibTorch reads it:
// check_weights_archive_bytes (src/models/weights-archive.cpp, compiled in: no LibTorch): the
// zip structure, each record's CRC-32 and inflation, the record names and the class sources.
// Input: the file's bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz-common.h"
#include "models/weights-archive.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  dynemo::fuzz::expect_errors(
      [&] { dynemo::models::check_weights_archive_bytes(bytes, "models/fuzz.pt"); });
  return 0;
}
