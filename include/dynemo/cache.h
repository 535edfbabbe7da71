// Feature cache: a feature set extracted once for a whole dataset, kept on disk keyed by audio
// content and feature configuration, so later runs (training, k-fold) read it instead of decoding.
//
// Layout: <cache_dir>/<dataset>/<feature_hash(spec, config)>/
//   <song>.f32   one self-describing entry per song (cache-entry.cpp: magic, version, audio hash,
//                grid hash, feature hash, rows, columns, times as float64, values as float32)
//   index.json   spec, config, columns and the songs with their entries, for loading
// Every file is written to a temporary name and renamed, so a killed build leaves whole entries
// only and the next build skips them: an entry is up to date when its recorded audio hash
// (FNV-1a/64 of the file's bytes), grid hash (the song's audio offset and rating times) and
// feature hash (spec, config, extractor version) all match. No LibTorch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "dynemo/data.h"
#include "dynemo/features.h"

namespace dynemo {

struct CacheOptions {
  std::string spec = "spectral";  // feature sets, as parse_feature_spec takes them
  FeatureConfig config;           // base config; each song's offset_s comes from song_grid
  std::string cache_dir;          // required; created if missing
  int jobs = 1;                   // songs processed in parallel (>= 1)
  std::size_t index_every = 50;   // rewrite index.json after this many extracted songs
};

// Where a build stands; passed to the progress callback once after the up-to-date check
// (n_done == 0) and once after every song that needed work.
struct CacheProgress {
  std::size_t n_songs = 0;       // songs in the dataset
  std::size_t n_up_to_date = 0;  // already cached with matching keys: nothing to do
  std::size_t n_skipped = 0;     // songs without an audio file
  std::size_t n_to_do = 0;       // songs to extract in this run
  std::size_t n_done = 0;        // of n_to_do, finished (extracted or failed)
  std::size_t n_failed = 0;      // of n_done, failed
  double elapsed_s = 0.0;        // since extraction started
};

struct CacheFailure {
  std::string song_id;
  std::string audio_path;
  std::string message;  // what() of the error, naming the file
};

struct CacheResult {
  std::string dir;  // <cache_dir>/<dataset>/<feature hash>
  std::size_t n_songs = 0;
  std::size_t n_extracted = 0;
  std::size_t n_up_to_date = 0;
  std::vector<std::string> skipped;  // song ids without audio (not failures)
  std::vector<CacheFailure> failed;  // in dataset order; their stale entries are removed
  double elapsed_s = 0.0;
};

using CacheProgressFn = std::function<void(const CacheProgress&)>;

// Extracts `options.spec` for every song of `dataset` that has audio and no up-to-date entry:
// decode the whole file at config.sample_rate_hz, song_grid with the decoded duration,
// extract_features with the grid's config, write the entry. Bad songs are recorded in `failed`
// and the others go on, except when an entry finds no room to be written (NoSpaceError): no
// other song is started and NoSpaceError is thrown, counting the songs not attempted. `progress` is
// called from worker threads, one call at a time. Throws ConfigError (bad spec/config, empty
// cache_dir, jobs < 1) before any work and IoError when the cache folder cannot be created or
// index.json not written.
CacheResult build_cache(const Dataset& dataset, const CacheOptions& options,
                        const CacheProgressFn& progress = {});

// The cache folder used when none is given: $XDG_CACHE_HOME/dynemo, else ~/.cache/dynemo, else
// ./.dynemo-cache; never inside the dataset, which is often read-only or shared.
std::string default_cache_dir();

// The folder build_cache writes for these settings: <cache_dir>/<dataset_name>/<feature hash>.
std::string cache_folder(const std::string& cache_dir, const std::string& dataset_name,
                         const std::string& spec, const FeatureConfig& config = {});

// A cached feature set: per song id the rows extract_features gave (times in seconds from the
// start of the song's audio file, as match_rows expects) with their column names.
struct CachedFeatures {
  std::string dir;
  std::string spec;
  std::string feature_hash;
  FeatureConfig config;
  std::vector<std::string> columns;
  std::map<std::string, FeatureMatrix> songs;
  std::map<std::string, std::uint64_t> audio_hash;  // per song: FNV-1a/64 of its audio bytes
};

// Reads the cache build_cache wrote for (dataset_name, spec, config): index.json, then each
// listed entry. Does not re-hash audio (run build_cache for that). Throws IoError naming the
// file when the index or an entry is missing or malformed or was made for other settings.
CachedFeatures load_cached(const std::string& cache_dir, const std::string& dataset_name,
                           const std::string& spec, const FeatureConfig& config = {});

// FNV-1a/64 of the bytes of `path`, read in chunks. Throws AudioError(missing) when unreadable.
std::uint64_t file_hash(const std::string& path);

}  // namespace dynemo
