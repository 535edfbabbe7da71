// Where the shipped model lives.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "dynemo/predict.h"

namespace dynemo {
namespace {

namespace fs = std::filesystem;

// The shipped default model (models/<name>.json, with its weights or its blend's components),
// chosen by cross-validation (docs/results.md): <training data>-<features>-<model>-<version>;
// and the shipped causal model a live stream uses (the same when the default is causal).
constexpr const char* kDefaultModel = DYNEMO_DEFAULT_MODEL;
constexpr const char* kDefaultStreamModel = DYNEMO_DEFAULT_STREAM_MODEL;

std::string executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

// $DYNEMO_MODEL, else the shipped model `stem`.
std::string shipped_model_path(const char* stem) {
  if (const char* env = std::getenv("DYNEMO_MODEL"); env && *env) return env;
  const std::string name = std::string(stem) + ".json";
  std::error_code ec;
  const std::string exe_dir = executable_dir();
  // Installed: <prefix>/bin/dynemo -> <prefix>/share/dynemo/models; in the build tree the
  // source checkout's models/ folder, recorded at configure time.
  for (const fs::path& dir : {fs::path(exe_dir) / ".." / "share" / "dynemo" / "models",
                              fs::path(DYNEMO_SOURCE_MODELS_DIR)}) {
    if (fs::exists(dir / name, ec)) return (dir / stem).lexically_normal().string();
  }
  return (fs::path(DYNEMO_SOURCE_MODELS_DIR) / stem).string();
}

}  // namespace

std::string default_model_path() { return shipped_model_path(kDefaultModel); }

std::string default_stream_model_path() { return shipped_model_path(kDefaultStreamModel); }

}  // namespace dynemo
