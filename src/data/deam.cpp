// DEAM (MediaEval Database for Emotional Analysis in Music), two layouts, told apart by the
// annotation files present under the root:
//   official  annotations/annotations averaged per song/dynamic (per second annotations)/
//             {arousal,valence}.csv, audio MEMD_audio/<id>.mp3 (the full clips), offset 0 s;
//   excerpts  (../shared/data/deam) annotations/dynamic/{arousal,valence}.csv, audio
//             audio_30s_40s/<id>.mp3: 10 s excerpts starting 30 s into each clip, offset 30 s.
// Both annotation files are DEAM's wide layout (loaders.h: read_wide_ratings). Scale [-1, 1].
// Optional, in both layouts: {arousal,valence}_std.csv beside the averages (same wide layout;
// the shared copy has none) and the static ratings, 1..9,
// <song_level>/static_annotations_averaged_songs_*.csv (`song_id, valence_mean, valence_std,
// arousal_mean, arousal_std`), song_level being "annotations/annotations averaged per
// song/song_level" (official) or "annotations/song_level" (excerpts).
#include <algorithm>
#include <filesystem>
#include <system_error>

#include "dynemo/error.h"
#include "loaders.h"

namespace dynemo::data {
namespace {

struct DeamLayout {
  const char* description;
  const char* annotation_dir;
  const char* song_level_dir;
  const char* audio_dir;
  double audio_offset_s;
};

const DeamLayout kLayouts[] = {
    {"DEAM official (full clips in MEMD_audio/, audio offset 0 s)",
     "annotations/annotations averaged per song/dynamic (per second annotations)",
     "annotations/annotations averaged per song/song_level", "MEMD_audio", 0.0},
    {"DEAM excerpts (audio_30s_40s/, audio starts 30 s into the clip)", "annotations/dynamic",
     "annotations/song_level", "audio_30s_40s", 30.0},
};

// <dir>/static_annotations_averaged_songs_*.csv, sorted by name; none when dir is absent.
std::vector<std::string> static_files(const std::string& dir) {
  const std::string prefix = "static_annotations_averaged_songs_", suffix = ".csv";
  std::vector<std::string> files;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > prefix.size() + suffix.size() && name.rfind(prefix, 0) == 0 &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        is_file(it->path().string())) {
      files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The optional std and static files of `layout` (header comment).
void read_extras(const std::string& root, const DeamLayout& layout, Dataset& dataset) {
  const std::string annotations = join_path(root, layout.annotation_dir);
  attach_wide_std(dataset, join_path(annotations, "arousal_std.csv"),
                  join_path(annotations, "valence_std.csv"));
  const std::vector<std::string> statics = static_files(join_path(root, layout.song_level_dir));
  if (!statics.empty()) {
    attach_static(dataset.songs, statics, {"song_id", "arousal_mean", "valence_mean"},
                  dataset.report);
  }
}

}  // namespace

Dataset load_deam(const DatasetSource& source) {
  require_root(source);
  for (const DeamLayout& layout : kLayouts) {
    const std::string annotations = join_path(source.root, layout.annotation_dir);
    const std::string arousal = join_path(annotations, "arousal.csv");
    const std::string valence = join_path(annotations, "valence.csv");
    if (!is_file(arousal) && !is_file(valence)) continue;
    Dataset dataset;
    dataset.root = source.root;
    dataset.scale_min = -1.0;
    dataset.scale_max = 1.0;
    dataset.report.layout = layout.description;
    dataset.songs = read_wide_ratings(arousal, valence, dataset.report);
    const std::string audio_dir = join_path(source.root, layout.audio_dir);
    if (!is_directory(audio_dir)) {
      dataset.report.notes.push_back("no audio folder " + audio_dir);
    }
    attach_audio(dataset.songs, audio_dir, ".mp3", layout.audio_offset_s);
    read_extras(source.root, layout, dataset);
    return dataset;
  }
  throw DataError("deam: no annotations under " + source.root + ": expected " +
                  kLayouts[0].annotation_dir + "/arousal.csv (official layout) or " +
                  kLayouts[1].annotation_dir + "/arousal.csv (excerpt layout)");
}

}  // namespace dynemo::data
