// Your own dataset, from two CSV files with a header:
//   manifest     song_id,audio_path[,offset_s]   audio_path relative to the root (default: the
//                                                manifest's folder); offset_s = the annotation
//                                                time at which the audio starts (default 0)
//   annotations  song_id,time_s,arousal,valence  long layout (loaders.h: read_long_ratings)
// Every annotated song must have a manifest row; manifest rows without annotations are dropped
// and noted. The scale is taken as [-1, 1]; ratings outside it are noted, not rejected.
#include <filesystem>
#include <map>

#include "csv.h"
#include "dynemo/error.h"
#include "dynemo/io.h"
#include "loaders.h"

namespace dynemo::data {
namespace {

struct ManifestRow {
  std::string audio_path;  // as written (may be relative)
  double offset_s = 0.0;
  std::size_t line = 0;
};

std::map<std::string, ManifestRow> read_manifest(const std::string& path) {
  const CsvTable table = read_csv(path);
  const std::size_t id_col = table.column("song_id");
  const std::size_t audio_col = table.column("audio_path");
  const auto offset_col = table.find_column("offset_s");
  std::map<std::string, ManifestRow> rows;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::string& id = table.text(r, id_col, "a song id");
    ManifestRow row;
    row.audio_path = table.rows[r][audio_col];
    row.line = table.line[r];
    if (offset_col) row.offset_s = table.number_or_empty(r, *offset_col).value_or(0.0);
    const auto [it, added] = rows.emplace(id, row);
    if (!added) {
      throw DataError(table.where(r, id_col) + ": song " + id + " appears twice (first on line " +
                      std::to_string(it->second.line) + ")");
    }
  }
  return rows;
}

}  // namespace

Dataset load_custom(const DatasetSource& source) {
  if (source.manifest.empty()) {
    throw ConfigError("custom: no manifest given (--manifest FILE: song_id,audio_path[,offset_s])");
  }
  if (source.annotations.empty()) {
    throw ConfigError(
        "custom: no annotations given (--annotations FILE: song_id,time_s,arousal,valence)");
  }
  std::string root = source.root;
  if (!root.empty()) {
    require_root(source);
  } else {
    root = std::filesystem::path(source.manifest).parent_path().string();
    if (root.empty()) root = ".";
  }

  const std::map<std::string, ManifestRow> manifest = read_manifest(source.manifest);
  Dataset dataset;
  dataset.root = root;
  dataset.scale_min = -1.0;
  dataset.scale_max = 1.0;
  dataset.report.layout =
      "custom (manifest " + source.manifest + ", annotations " + source.annotations + ")";
  dataset.manifest = std::filesystem::absolute(source.manifest).lexically_normal().string();
  dataset.annotations = std::filesystem::absolute(source.annotations).lexically_normal().string();
  dataset.manifest_hash = file_fnv1a(source.manifest, "manifest");
  dataset.annotations_hash = file_fnv1a(source.annotations, "annotations");
  dataset.songs =
      read_long_ratings(source.annotations, {"song_id", "time_s", "arousal", "valence"});

  std::vector<std::string> unknown;
  std::map<std::string, bool> annotated;
  for (AnnotatedSong& song : dataset.songs) {
    annotated[song.song_id] = true;
    const auto row = manifest.find(song.song_id);
    if (row == manifest.end()) {
      unknown.push_back(song.song_id);
      continue;
    }
    song.audio_offset_s = row->second.offset_s;
    if (row->second.audio_path.empty()) continue;
    const std::filesystem::path audio(row->second.audio_path);
    const std::string path =
        audio.is_absolute() ? audio.string() : (std::filesystem::path(root) / audio).string();
    if (is_file(path)) song.audio_path = path;
  }
  if (!unknown.empty()) {
    throw DataError(source.annotations + ": " + std::to_string(unknown.size()) +
                    " ids without audio (no row in " + source.manifest +
                    "): " + list_some(unknown));
  }
  std::vector<std::string> unannotated;
  for (const auto& [id, row] : manifest) {
    if (annotated.count(id) == 0) unannotated.push_back(id);
  }
  if (!unannotated.empty()) {
    dataset.report.n_songs_dropped += unannotated.size();
    dataset.report.notes.push_back(std::to_string(unannotated.size()) + " songs of " +
                                   source.manifest + " have no annotations, dropped (" +
                                   list_some(unannotated) + ")");
  }
  return dataset;
}

}  // namespace dynemo::data
