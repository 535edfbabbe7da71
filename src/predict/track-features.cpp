// Whole-file or chunked feature extraction for prediction (see track-features.h).
#include "predict/track-features.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "dynemo/audio.h"
#include "dynemo/error.h"

namespace dynemo::predict {
namespace {

FeatureMatrix whole_file(const std::string& path, const std::string& spec,
                         const FeatureConfig& config, double* duration_s) {
  AudioLoadOptions options;
  options.target_sample_rate_hz = config.sample_rate_hz;
  const Audio audio = load_audio(path, options);
  *duration_s = audio.duration_s();
  return extract_features(spec, audio.samples.data(), audio.samples.size(), audio.sample_rate_hz,
                          config, path);
}

}  // namespace

FeatureMatrix extract_track_features(const std::string& path, const std::string& spec,
                                     const FeatureConfig& config, double* duration_s) {
  const AudioInfo info = probe_audio(path);
  const double total_s = info.duration_s();
  if (total_s <= kWholeFileMaxS) return whole_file(path, spec, config, duration_s);

  // A whole number of window steps per chunk keeps every chunk on the file's grid.
  const double chunk_s = config.hop_s * std::max(1.0, std::round(kChunkS / config.hop_s));
  FeatureMatrix out;
  *duration_s = 0.0;
  for (double start = config.offset_s;; start += chunk_s) {
    // Reads start on the file's frame grids, so every frame is the frame a whole-file run
    // computes: a whole number of STFT hops (which also keeps the CQT's decimated octaves in
    // phase) and of 20 ms (the 10 ms ComParE LLD rows, and the 20 ms frames of the listener set
    // at 16 kHz).
    const double grid =
        static_cast<double>(std::lcm(static_cast<long long>(config.hop_length),
                                     std::max(1LL, std::llround(0.020 * config.sample_rate_hz))));
    const double read_start =
        std::max(0.0, std::floor((start - kChunkMarginS) * config.sample_rate_hz / grid) * grid /
                          config.sample_rate_hz);
    AudioLoadOptions options;
    options.target_sample_rate_hz = config.sample_rate_hz;
    options.offset_s = read_start;
    options.duration_s = (start - read_start) + chunk_s + config.window_s + kChunkMarginS;
    if (read_start >= total_s) break;
    const Audio audio = load_audio(path, options);
    *duration_s = std::max(*duration_s, read_start + audio.duration_s());
    FeatureConfig chunk_config = config;
    chunk_config.offset_s = start - read_start;
    if (count_windows(audio.samples.size(), chunk_config) == 0) break;
    const FeatureMatrix part = extract_features(spec, audio.samples.data(), audio.samples.size(),
                                                audio.sample_rate_hz, chunk_config, path);
    if (out.columns.empty()) out.columns = part.columns;
    const std::size_t cols = part.n_cols();
    bool reached_end = false;
    for (std::size_t r = 0; r < part.n_rows(); ++r) {
      const double t = read_start + part.time_s[r];
      if (t >= start + chunk_s - 1e-9) break;  // the next chunk starts here
      out.time_s.push_back(t);
      out.values.insert(out.values.end(),
                        part.values.begin() + static_cast<std::ptrdiff_t>(r * cols),
                        part.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * cols));
    }
    // The file ends inside this read: no later window fits.
    if (audio.duration_s() < options.duration_s - 1e-6) reached_end = true;
    if (reached_end) break;
  }
  if (out.n_rows() == 0) {
    throw AudioError(AudioErrorKind::too_short, path, "too short for one analysis window");
  }
  return out;
}

}  // namespace dynemo::predict
