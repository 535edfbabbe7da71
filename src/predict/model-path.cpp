// Where the shipped model lives, and the names of the circumplex quadrants.
#include <unistd.h>

#include <algorithm>
#include <cmath>
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

std::string quadrant_name(double valence, double arousal) {
  if (arousal >= 0) return valence >= 0 ? "happy/excited" : "angry/tense";
  return valence >= 0 ? "calm/relaxed" : "sad/depressed";
}

std::string mood_label(double valence, double arousal, const NeutralZone& zone) {
  const bool clear_a = std::fabs(arousal) >= zone.arousal;
  const bool clear_v = std::fabs(valence) >= zone.valence;
  if (clear_a && clear_v) return quadrant_name(valence, arousal);
  if (clear_a) return arousal > 0 ? "energetic" : "calm";
  if (clear_v) return valence > 0 ? "positive" : "negative";
  return "neutral";
}

std::string track_label(const TrackPrediction& p) {
  if (p.rms_dbfs < kSilentBelow_dbfs) return "silent";  // false for NaN: level unknown
  double a = 0.0, v = 0.0;
  for (float x : p.arousal) a += x;
  for (float x : p.valence) v += x;
  const auto n = static_cast<double>(std::max<std::size_t>(1, p.arousal.size()));
  return mood_label(v / n, a / n, neutral_zone(p));
}

NeutralZone neutral_zone(const TrackPrediction& p) {
  NeutralZone zone;
  if (p.arousal_sd.empty() || p.valence_sd.empty()) return zone;
  double a = 0.0, v = 0.0;
  for (float s : p.arousal_sd) a += s;
  for (float s : p.valence_sd) v += s;
  zone.arousal = a / static_cast<double>(p.arousal_sd.size());
  zone.valence = v / static_cast<double>(p.valence_sd.size());
  return zone;
}

}  // namespace dynemo
