// fuzz-seeds OUT SOURCE_DIR: writes the seed corpora of every harness under OUT/<harness>/
// (seeds.h). SOURCE_DIR is the repository root (models/ and examples/ are read from it).
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include "dynemo/error.h"
#include "fuzz-common.h"
#include "seeds.h"

namespace dynemo::fuzz {

std::string SeedWriter::path(const std::string& harness, const std::string& name) const {
  const std::filesystem::path dir = std::filesystem::path(root_) / harness;
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

void SeedWriter::add(const std::string& harness, const std::string& name,
                     const std::string& bytes) const {
  const std::string file = path(harness, name);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw IoError("fuzz-seeds: cannot write " + file);
}

std::string join_parts(std::initializer_list<std::string> parts) {
  std::string out;
  bool first = true;
  for (const std::string& part : parts) {
    if (!first) out += kPartSeparator;
    out += part;
    first = false;
  }
  return out;
}

}  // namespace dynemo::fuzz

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: fuzz-seeds OUT SOURCE_DIR\n");
    return 2;
  }
  try {
    const dynemo::fuzz::SeedWriter seeds(argv[1]);
    dynemo::fuzz::add_text_seeds(seeds);
    dynemo::fuzz::add_file_seeds(seeds, argv[2]);
    dynemo::fuzz::add_audio_seeds(seeds, argv[2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
