// Private to the feature cache: the on-disk entry format, the keys an entry records, and the
// index. Shared by cache-build.cpp and cache-load.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dynemo/data.h"
#include "dynemo/features.h"

namespace dynemo::cache_detail {

// What makes an entry valid for a song: its audio bytes, its rating grid, the feature settings.
struct EntryKey {
  std::uint64_t audio_hash = 0;  // FNV-1a/64 of the audio file
  std::uint64_t grid_hash = 0;   // grid_hash(song)
  std::string feature_hash;      // feature_hash(spec, base config)
  bool operator==(const EntryKey& other) const {
    return audio_hash == other.audio_hash && grid_hash == other.grid_hash &&
           feature_hash == other.feature_hash;
  }
};

struct EntryHeader {
  std::string song_id;
  EntryKey key;
  std::uint64_t n_rows = 0;
  std::uint64_t n_cols = 0;
  std::size_t header_bytes = 0;  // where the times start
};

// FNV-1a/64 of the song's audio offset and rating times (%.17g text): what song_grid reads
// from the song besides the audio.
std::uint64_t grid_hash(const AnnotatedSong& song);

// "<song id>.f32" with bytes outside [A-Za-z0-9._-] (and a leading '.') written as %XX, so any
// id is one safe file name.
std::string entry_file_name(const std::string& song_id);

// Entry bytes, little endian: "DYNEMOFC", u32 version, u32 id length, u32 feature-hash length,
// u32 0, u64 audio hash, u64 grid hash, u64 rows, u64 cols, id, feature hash,
// f64 time_s[rows], f32 values[rows * cols].
std::string encode_entry(const std::string& song_id, const EntryKey& key,
                         const FeatureMatrix& features);

// Reads the header of the entry at `path` and checks that the file size matches it. Returns
// false (with `why` set) for a missing, foreign, truncated or malformed file.
bool read_entry_header(const std::string& path, EntryHeader& header, std::string& why);

// Reads a whole entry; columns are left empty. Throws IoError naming `path`.
FeatureMatrix read_entry(const std::string& path, EntryHeader& header);

// 16 hex digits.
std::string hex64(std::uint64_t value);

struct IndexSong {
  std::string song_id;
  std::string file;  // entry file name, relative to the index
  std::uint64_t audio_hash = 0;
  std::uint64_t n_rows = 0;
};

// index.json text: format, dataset, spec, feature hash, config, columns, songs (dataset order),
// dynemo version and git SHA.
std::string index_json(const std::string& dataset_name, const std::string& spec,
                       const FeatureConfig& config, const std::vector<IndexSong>& songs);

}  // namespace dynemo::cache_detail
