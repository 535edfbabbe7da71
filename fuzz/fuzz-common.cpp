// fuzz-common.h: findings, the scratch folder, inputs of several files.
#include "fuzz-common.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace dynemo::fuzz {
namespace fs = std::filesystem;
namespace {

// The scratch folder, removed when the process exits normally (libFuzzer's -runs and
// -max_total_time end with exit()); a crash leaves it for the post-mortem.
class Scratch {
 public:
  Scratch() {
    std::error_code ec;
    fs::path base = "/dev/shm";
    if (!fs::is_directory(base, ec)) {
      const char* tmp = std::getenv("TMPDIR");
      base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
    }
    path_ = (base / ("dynemo-fuzz-" + std::to_string(::getpid()))).string();
    fs::create_directories(path_);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

const char kPartSeparator[] = "\n--8<--\n";

void unexpected(const char* type, const char* what) {
  std::fprintf(stderr, "dynemo-fuzz: unexpected exception %s: %s\n", type, what);
  std::fflush(stderr);
  std::abort();
}

void note_expected(const Error& error) {
  static const bool verbose = [] {
    const char* value = std::getenv("DYNEMO_FUZZ_VERBOSE");
    return value != nullptr && std::string(value) == "1";
  }();
  if (verbose) std::fprintf(stderr, "dynemo-fuzz: expected error: %s\n", error.what());
}

const std::string& scratch_dir() {
  static const Scratch scratch;
  return scratch.path();
}

std::string write_scratch(const std::string& relative, const std::string& bytes) {
  const fs::path path = fs::path(scratch_dir()) / relative;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    fs::create_directories(path.parent_path());
    out.open(path, std::ios::binary | std::ios::trunc);
  }
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) unexpected("(harness)", ("cannot write the scratch file " + path.string()).c_str());
  return path.string();
}

void write_or_remove(const std::string& relative, const std::optional<std::string>& part) {
  if (part) {
    write_scratch(relative, *part);
  } else {
    std::error_code ec;
    fs::remove(fs::path(scratch_dir()) / relative, ec);
  }
}

std::vector<std::optional<std::string>> split_parts(const std::uint8_t* data, std::size_t size,
                                                    std::size_t max_parts) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string separator = kPartSeparator;
  std::vector<std::optional<std::string>> parts(max_parts);
  std::size_t start = 0;
  for (std::size_t i = 0; i < max_parts; ++i) {
    const std::size_t end = i + 1 < max_parts ? text.find(separator, start) : std::string::npos;
    parts[i] = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (end == std::string::npos) break;
    start = end + separator.size();
  }
  return parts;
}

}  // namespace dynemo::fuzz
