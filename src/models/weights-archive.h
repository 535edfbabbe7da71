// The weights file of a model (<model>.pt, LibTorch's zip archive) checked before LibTorch reads
// it. LibTorch checks none of the archive's checksums and compiles the TorchScript class sources
// the archive carries: a flipped bit in a weight loads as a wrong weight without a word, and a
// damaged type annotation crashes the reader (a segmentation fault, found by mutating the shipped
// files). So every record's CRC-32 is verified and the sources must be the attribute declarations
// dynemo's archives hold, nothing else. No LibTorch here (the fuzz harness compiles it alone).
#pragma once

#include <string>
#include <string_view>

namespace dynemo::models {

// Throws IoError naming `path` and the first problem: not a zip archive, a record out of the
// file's bounds, compressed or failing its CRC-32, a record name or a source line of another kind
// than dynemo writes.
void check_weights_archive(const std::string& path);

// The same over the file's bytes (`path` names it in the messages).
void check_weights_archive_bytes(std::string_view bytes, const std::string& path);

}  // namespace dynemo::models
