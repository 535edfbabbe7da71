// The seed generator (fuzz-seeds OUT SOURCE_DIR): starting inputs for each harness, made from the
// fixtures of tests/ (the same texts, the same audio fixture helpers), the library's own writers
// and the files shipped in models/ and examples/. fuzz/run.sh runs it before fuzzing.
#pragma once

#include <initializer_list>
#include <string>

namespace dynemo::fuzz {

// Writes seed files under <root>/<harness>/.
class SeedWriter {
 public:
  explicit SeedWriter(std::string root) : root_(std::move(root)) {}
  // <root>/<harness>/<name> = bytes (folders created). Throws IoError.
  void add(const std::string& harness, const std::string& name, const std::string& bytes) const;
  // The path of seed <harness>/<name>, its folder created, for writers that take a path.
  std::string path(const std::string& harness, const std::string& name) const;

 private:
  std::string root_;
};

// Files joined into one input of a multi-file harness (kPartSeparator between them).
std::string join_parts(std::initializer_list<std::string> parts);

// csv, annotations, manifest, prediction-file, split: the texts of tests/test-data-loaders.cpp,
// test-data-grid.cpp and what the library writes.
void add_text_seeds(const SeedWriter& seeds);
// model-sidecar (models/*.json with arrays cut to 3 items), feature-sidecar, cache: files written
// by the library for the settings of fuzz-fixtures.h.
void add_file_seeds(const SeedWriter& seeds, const std::string& source_dir);
// audio-decode: short clips in every format load_audio reads (tests/audio-fixtures.cpp), a slice
// of examples/*.flac, and the broken files of tests/test-audio-errors.cpp.
void add_audio_seeds(const SeedWriter& seeds, const std::string& source_dir);

}  // namespace dynemo::fuzz
