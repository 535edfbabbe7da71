// DEAM (MediaEval Database for Emotional Analysis in Music), two layouts, told apart by the
// annotation files present under the root:
//   official  annotations/annotations averaged per song/dynamic (per second annotations)/
//             {arousal,valence}.csv, audio MEMD_audio/<id>.mp3 (the full clips), offset 0 s;
//   excerpts  (../shared/data/deam) annotations/dynamic/{arousal,valence}.csv, audio
//             audio_30s_40s/<id>.mp3: 10 s excerpts starting 30 s into each clip, offset 30 s.
// Both annotation files are DEAM's wide layout (loaders.h: read_wide_ratings). Scale [-1, 1].
#include "dynemo/error.h"
#include "loaders.h"

namespace dynemo::data {
namespace {

struct DeamLayout {
  const char* description;
  const char* annotation_dir;
  const char* audio_dir;
  double audio_offset_s;
};

const DeamLayout kLayouts[] = {
    {"DEAM official (full clips in MEMD_audio/, audio offset 0 s)",
     "annotations/annotations averaged per song/dynamic (per second annotations)", "MEMD_audio",
     0.0},
    {"DEAM excerpts (audio_30s_40s/, audio starts 30 s into the clip)", "annotations/dynamic",
     "audio_30s_40s", 30.0},
};

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
    return dataset;
  }
  throw DataError("deam: no annotations under " + source.root + ": expected " +
                  kLayouts[0].annotation_dir + "/arousal.csv (official layout) or " +
                  kLayouts[1].annotation_dir + "/arousal.csv (excerpt layout)");
}

}  // namespace dynemo::data
