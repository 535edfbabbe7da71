// Zip archives built byte by byte for the tests and fuzz seeds of the model weights check
// (src/models/weights-archive.h): stored records, each with its CRC-32, a central directory and
// the end record (PKWARE APPNOTE 6.3), the layout LibTorch's archives use.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dynemo::test {

// CRC-32 (ISO 3309, reflected 0xEDB88320), bit by bit: slow, plain, independent of zlib.
inline std::uint32_t crc32_of(const std::string& bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : bytes) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

inline void put_le(std::string& out, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// A zip archive of `records` (name, bytes), stored uncompressed, in order.
inline std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& records) {
  std::string out, directory;
  for (const auto& [name, bytes] : records) {
    const std::uint64_t local = out.size();
    const std::uint32_t crc = crc32_of(bytes);
    put_le(out, 0x04034b50, 4);
    put_le(out, 20, 2);  // version needed
    put_le(out, 0, 2);   // flags
    put_le(out, 0, 2);   // method: stored
    put_le(out, 0, 4);   // time, date
    put_le(out, crc, 4);
    put_le(out, bytes.size(), 4);
    put_le(out, bytes.size(), 4);
    put_le(out, name.size(), 2);
    put_le(out, 0, 2);  // extra
    out += name;
    out += bytes;
    put_le(directory, 0x02014b50, 4);
    put_le(directory, 20, 2);
    put_le(directory, 20, 2);
    put_le(directory, 0, 2);
    put_le(directory, 0, 2);
    put_le(directory, 0, 4);
    put_le(directory, crc, 4);
    put_le(directory, bytes.size(), 4);
    put_le(directory, bytes.size(), 4);
    put_le(directory, name.size(), 2);
    put_le(directory, 0, 2);  // extra
    put_le(directory, 0, 2);  // comment
    put_le(directory, 0, 2);  // disk
    put_le(directory, 0, 2);  // internal attributes
    put_le(directory, 0, 4);  // external attributes
    put_le(directory, local, 4);
    directory += name;
  }
  const std::uint64_t at = out.size();
  out += directory;
  put_le(out, 0x06054b50, 4);
  put_le(out, 0, 4);  // disks
  put_le(out, records.size(), 2);
  put_le(out, records.size(), 2);
  put_le(out, directory.size(), 4);
  put_le(out, at, 4);
  put_le(out, 0, 2);  // comment
  return out;
}

// The records of a small weights archive as LibTorch writes one for a module with a submodule
// and two tensors (the tensor bytes and pickles are placeholders: the check does not unpickle).
inline std::vector<std::pair<std::string, std::string>> weights_archive_records(
    const std::string& source =
        "class Module(Module):\n"
        "  __parameters__ = [\"weight\", \"bias\", ]\n"
        "  __buffers__ = []\n"
        "  weight : Tensor\n"
        "  bias : Tensor\n"
        "  layer0 : __torch__.___torch_mangle_3.Module\n") {
  return {{"archive/data.pkl", std::string("\x80\x02}q\x00.", 6)},
          {"archive/code/__torch__.py", source},
          {"archive/code/__torch__.py.debug_pkl", std::string("\x80\x02).", 4)},
          {"archive/constants.pkl", std::string("\x80\x02).", 4)},
          {"archive/data/0", std::string(16, '\x01')},
          {"archive/version", "3\n"}};
}

}  // namespace dynemo::test
